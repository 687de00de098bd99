"""The statements every cold page runs are prepared once per PostgreSQL connection, and
keep answering right across new connections and failed transactions; SQLite runs
them as they are written."""

import re
from contextlib import suppress

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from publications.models import PublicList
from publications.related import lists
from thinktank.building_blocks import prepared_statements

from .factories import make_publication

# Each test starts on a new connection: one closed inside a test's transaction could not
# be rolled back.
pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)

DOUBLED = "SELECT %(number)s * 2, %(number)s + %(other)s"


def doubled(number, other=1):
    with connection.cursor() as cursor:
        prepared_statements.execute(
            cursor, "test_doubled", DOUBLED, {"number": number, "other": other}
        )
        return cursor.fetchone()


def prepared_names():
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'test_doubled%'")
        return [name for (name,) in cursor.fetchall()]


@on_postgresql
def test_a_statement_is_prepared_once_per_connection_and_answers_after_a_reconnection():
    connection.close()
    with CaptureQueriesContext(connection) as captured:
        assert doubled(3) == (6, 4)
        assert doubled(5, other=2) == (10, 7)
    # Prepared on the driver's connection, then only executed with each call's values.
    assert [query["sql"] for query in captured] == [
        f"EXECUTE {prepared_names()[0]}(3, 1)",
        f"EXECUTE {prepared_names()[0]}(5, 2)",
    ]
    assert len(prepared_names()) == 1

    connection.close()  # as after CONN_MAX_AGE, or a frozen connection ended

    assert doubled(7) == (14, 8)
    assert len(prepared_names()) == 1


@transaction.atomic
def doubled_after_a_failed_statement(number):
    # The transaction is aborted after this.
    with connection.cursor() as cursor, suppress(DatabaseError):
        cursor.execute("SELECT 1 / 0")
    return doubled(number)


@transaction.atomic
def doubled_then_rolled_back(number):
    assert doubled(number) == (number * 2, number + 1)
    raise ZeroDivisionError


@on_postgresql
def test_a_statement_first_asked_in_an_aborted_transaction_is_prepared_once_it_is_over():
    connection.close()
    # Its PREPARE fails, as any statement would there.
    with pytest.raises(DatabaseError, match="current transaction is aborted"):
        doubled_after_a_failed_statement(3)

    assert prepared_names() == []
    assert doubled(3) == (6, 4)
    assert len(prepared_names()) == 1


@on_postgresql
def test_a_statement_prepared_in_a_transaction_rolled_back_still_answers():
    connection.close()
    with pytest.raises(ZeroDivisionError):
        doubled_then_rolled_back(3)

    assert doubled(4) == (8, 5)
    assert len(prepared_names()) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own path")
def test_sqlite_runs_the_statement_as_written():
    with CaptureQueriesContext(connection) as captured:
        assert doubled(3) == (6, 4)
    assert [query["sql"] for query in captured] == ["SELECT 3 * 2, 3 + 1"]


@on_postgresql
def test_the_related_list_the_list_pages_months_and_bylines_are_read_by_prepared_statements():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Other", tags=["trade"], days_ago=2)

    with CaptureQueriesContext(connection) as captured:
        lists.work_out(subject.pk)
        lists.ranked_ids(subject, 6)
        assert PublicList({}).count() == 2
        assert [other.title for other in PublicList({})[1:2]] == ["Other"]

    executed = [re.match(r"EXECUTE (\w+)_[0-9a-f]{12}\(", query["sql"]) for query in captured]
    assert [match.group(1) for match in executed if match] == [
        "related_precomputed",
        "list_count",
        "list_starting_month",
        "own_author",  # the page's bylines
    ]
