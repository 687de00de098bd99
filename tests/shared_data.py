"""Data built once for a module's tests, as Django's TestCase.setUpTestData builds it."""

from contextlib import contextmanager

from django.db import transaction


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
