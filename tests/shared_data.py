"""Data built once for a module's tests, as Django's TestCase.setUpTestData builds it."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def rolled_back_after_the_module(django_db_blocker):
    """A transaction for a module-scoped fixture to write its rows in: each test's own
    transaction nests in it (and is rolled back at the test's end, as ever), and this one
    is rolled back once the module's tests are done, leaving the tables as it found them."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


# More rolled-back rows than this in the test database's tables, and clear_dead_rows()
# clears them: a VACUUM of the test database took 66 ms after the 85,000 that
# tests/test_lists.py leaves.
DEAD_ROWS_TOLERATED = 2_000


def clear_dead_rows():
    """VACUUM the test database once its tables hold more than DEAD_ROWS_TOLERATED dead
    rows (PostgreSQL only; SQLite reuses the space itself). Outside any transaction."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(n_dead_tup), 0) FROM pg_stat_user_tables")
        (dead,) = cursor.fetchone()
        if dead > DEAD_ROWS_TOLERATED:
            cursor.execute("VACUUM")
