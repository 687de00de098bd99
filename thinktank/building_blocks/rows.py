"""Values read by a statement of our own, as the ORM would have given them."""


def converted(connection, field, value):
    """`field`'s `value` as read from the database, as the ORM would give it (a date
    and time from SQLite's text, say)."""
    column = field.cached_col
    for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = convert(value, column, connection)
    return value
