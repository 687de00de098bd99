"""Querysets compiled to SQL for statements of our own, and compiled once per process
where every cold page runs them.

Django builds and compiles a queryset each time it runs, which on this project's
machine costs more than the database takes to run a short statement (about 0.4 ms
for a query of published() with a join, against 0.04 ms for a one-row read). A
statement of our own that embeds querysets (the related list's read, a list page's
page) compiles them once, with STANDS_FOR_NOW as the moment they judge by, and each
run puts its own moment in its place: published(at) is still the one definition of
public, and each request still judges by its own time.
"""

import functools
from datetime import UTC, datetime

from django.db import connections
from django.db.models.expressions import RawSQL
from django.utils import timezone

from . import prepared_statements
from .rows import converted_row, instance_from_db

# An instant no row is dated: in a queryset compiled once, it stands for the moment of
# each run, and no other value can be taken for it.
STANDS_FOR_NOW = datetime(1970, 1, 1, 0, 0, 0, 123457, tzinfo=UTC)


def named(queryset, name):
    """`queryset`'s SQL with its parameters named `name_0`, `name_1`..., and their values.

    Django compiles to positional placeholders; a statement of our own names its
    parameters, and one statement cannot mix the two styles.
    """
    sql, params = queryset.query.sql_with_params()
    names = [f"{name}_{index}" for index in range(len(params))]
    return sql % tuple(f"%({key})s" for key in names), dict(zip(names, params, strict=True))


def standing_for_now(connection, params):
    """The names of `params` (a named() queryset's) that hold STANDS_FOR_NOW."""
    stand_in = connection.ops.adapt_datetimefield_value(STANDS_FOR_NOW)
    return [name for name, value in params.items() if value == stand_in]


def as_of_now(connection, params, moments):
    """`params` with the current moment in `moments` (standing_for_now()'s names)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return {**params, **dict.fromkeys(moments, now)}


# A slug nothing has (slugs have no spaces): in a look-up compiled once, it stands for
# the slug each read asks for.
SLUG_STAND_IN = "slug stand-in"


def by_slug(model, slug, related=None, items=None, lists=()):
    """The item of `items` with `slug`, or None if there is none: every field of it that
    `items` loads (what its manager defers stays deferred), and of the one its foreign
    key `related` names, if given, as select_related() loads it, each converted as the
    ORM would. `items` is a function of the moment to judge by
    (published(), say) that returns a queryset of `model`, which adds nothing to its
    rows; all of them by default.

    `lists` are Prefetch()es with a `to_attr` of relations whose descriptor can be read
    as a column (json_sql() and from_json(), as publications' OwnStatement): where the
    database can, they are read by the same statement and set as the prefetch sets
    them, so a prefetch_related_objects() of them afterwards runs no query.

    The statement is compiled once per process (with STANDS_FOR_NOW, each read putting
    in its own moment and slug) and, on PostgreSQL, prepared once per connection: an
    uncached article or facet page looks its item up on every request, and Django took
    longer to build and compile that query than the database to answer it."""
    connection = connections[model.objects.db]
    sql, params, moments, slug_name, own, of_related, read_lists = _by_slug_statement(
        model, related, items, lists, connection.vendor
    )
    with connection.cursor() as cursor:
        prepared_statements.execute(
            cursor,
            f"{model._meta.model_name}_by_slug",
            sql,
            {**as_of_now(connection, params, moments), slug_name: slug},
        )
        row = cursor.fetchone()
    if row is None:
        return None
    fields = own + of_related
    values = converted_row(connection, fields, row[: len(fields)])
    item = instance_from_db(
        model, connection.alias, [field.attname for field in own], values[: len(own)]
    )
    if related:
        foreign_key = model._meta.get_field(related)
        other = None
        if getattr(item, foreign_key.attname) is not None:
            names = [field.attname for field in of_related]
            other = instance_from_db(
                foreign_key.related_model, connection.alias, names, values[len(own) :]
            )
        foreign_key.set_cached_value(item, other)
    for prefetch, text in zip(read_lists, row[len(fields) :], strict=True):
        descriptor = getattr(model, prefetch.prefetch_through)
        setattr(item, prefetch.to_attr, descriptor.from_json(connection, text))
    return item


@functools.cache
def _by_slug_statement(model, related, items, lists, vendor):
    """(by_slug()'s SQL, its parameters, the names of those that hold the moment it
    judges by, the name of the one that holds the slug, the model's fields and the
    related model's, in the order the statement reads them, and the `lists` it reads
    after them)."""
    connection = connections[model.objects.db]
    queryset = items(at=STANDS_FOR_NOW) if items else model.objects.all()
    # What the queryset leaves out (a manager's defer()) is left out here too.
    deferred, deferring = queryset.query.deferred_loading
    if not deferring:
        raise ValueError("by_slug() reads what a queryset defers, not what only() keeps.")
    own = tuple(field for field in model._meta.concrete_fields if field.name not in deferred)
    of_related = (
        tuple(model._meta.get_field(related).related_model._meta.concrete_fields) if related else ()
    )
    columns = [field.name for field in own] + [f"{related}__{field.name}" for field in of_related]
    quote = connection.ops.quote_name
    key = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    read_lists, list_columns = [], {}
    for prefetch in lists:
        column = getattr(model, prefetch.prefetch_through).json_sql(connection, key)
        if column is not None:
            read_lists.append(prefetch)
            list_columns[prefetch.to_attr] = RawSQL(column, ())
    queryset = queryset.filter(slug=SLUG_STAND_IN).order_by().values(*columns, **list_columns)
    sql, params = named(queryset, "item")
    (slug_name,) = (name for name, value in params.items() if value == SLUG_STAND_IN)
    moments = standing_for_now(connection, params)
    return sql, params, moments, slug_name, own, of_related, read_lists
