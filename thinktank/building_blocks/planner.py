"""The database's statistics about its own tables, which its query planner chooses by.

SQLite gathers none unless told to: without them it picked the newest-first index for
the home page's featured row and read every published row (21 ms at 10,000
publications on a cold home page, 0.1 ms with them). PostgreSQL's autovacuum gathers
them in time, but not yet right after a bulk load, when its plans were ten times
slower. So they are gathered after `migrate` (every deploy, on the content already
there) and after each command that loads many rows at once. A table filled after both,
as the related lists are by the task worker, had none on PostgreSQL either: it took
each publication for 2,000 candidates rather than 40 and read the whole archive to
join them (7-17 ms a read at 10,000 publications, 1.6 ms with statistics).
"""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(*models, using=DEFAULT_DB_ALIAS):
    """ANALYZE the tables of `models`, or every table: a second or two at 100,000
    publications."""
    connection = connections[using]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        for statement in [f"ANALYZE {table}" for table in tables] or ["ANALYZE"]:
            cursor.execute(statement)


def refresh_after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    """A post_migrate receiver."""
    refresh_planner_statistics(using=using)
