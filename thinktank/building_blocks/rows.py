"""Values read by a statement of our own, as the ORM would have given them."""

from functools import lru_cache

from django.db import connections
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def converted(connection, field, value):
    """`field`'s `value` as read from the database, as the ORM would give it (a date
    and time from SQLite's text, say)."""
    column = field.cached_col
    for convert in _converters(connection, column):
        value = convert(value, column, connection)
    return value


def _converters(connection, column):
    """What Django's compiler converts `column`'s values with on `connection`."""
    return connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def converted_row(connection, fields, values):
    """`values` read for `fields` (a tuple), each as converted() gives it.

    Which fields need converting is worked out once per connection and fields: a card
    has eight fields and none does on PostgreSQL, but asking each for its converters
    took longer than making the card's instance (a list page reads twenty)."""
    values = list(values)
    # Kept per connection of this thread (a converter is a method of its connection's
    # operations), not per django.db.connection, which stands for every thread's.
    for position, column, converters in _conversions(connections[connection.alias], fields):
        value = values[position]
        for convert in converters:
            value = convert(value, column, connection)
        values[position] = value
    return values


@lru_cache(maxsize=64)
def _conversions(connection, fields):
    """(position, column, converters) of each of `fields` that `connection` converts."""
    conversions = []
    for position, field in enumerate(fields):
        column = field.cached_col
        converters = _converters(connection, column)
        if converters:
            conversions.append((position, column, converters))
    return tuple(conversions)


def instance_from_db(model, alias, attnames, values):
    """What `model.from_db(alias, attnames, values)` returns: an instance as loaded from
    database `alias`, with the fields named `attnames` set to `values` and the rest
    deferred.

    Made without Model.__init__, which sends pre_init and post_init and walks every
    field of the model, deferred ones included: 9 µs for a card's publication against
    2 µs, and a list page makes ninety instances (publications, types and bylines'
    authors). Each value is set as __init__ sets it, through the field's descriptor;
    a model that anything listens to pre_init or post_init for is made by from_db()."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(alias, attnames, values)
    instance = model.__new__(model)
    instance._state = state = ModelState()
    state.adding, state.db = False, alias
    for name, value in zip(attnames, values, strict=True):
        setattr(instance, name, value)
    return instance
