"""On PostgreSQL a worker learns of a new content version from a notification, so a
cached page costs no query; a lost notification or a broken listener never leaves a
stale page for longer than the recheck interval.

"Another process" here is a second database connection of our own (as another
worker or `manage.py shell` has) or a real `manage.py shell`; tests/test_deployment.py
runs the same through gunicorn workers.
"""

import logging
import os
import select
import subprocess
import sys
import time

import psycopg2
import pytest
from django.db import connection

from publications.models import ContentVersion
from publications.models import content_version as caching

from .factories import make_publication

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="LISTEN/NOTIFY is PostgreSQL's"),
]

TABLE = ContentVersion._meta.db_table


@pytest.fixture
def other_process():
    """A connection of its own to the same database, committing at once."""
    other = psycopg2.connect(**connection.get_connection_params())
    other.autocommit = True
    yield other
    other.close()


def wait_for_notification():
    """Until the listener's socket has something to read: the notification is on its way."""
    listener = caching._process_watcher.listener
    readable, _, _ = select.select([listener], [], [], 5)
    assert readable, "no notification arrived within 5 s"


def listener_pid():
    return caching._process_watcher.listener.get_backend_pid()


def test_a_cached_page_costs_no_query_while_nothing_changes(
    client, django_assert_num_queries, version_reads
):
    article = make_publication("Quiet Brief")
    first = client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())  # the version is read once, then known
    version_reads.clear()

    with django_assert_num_queries(0):
        for _ in range(5):
            again = client.get(article.get_absolute_url())

    assert version_reads == []
    assert again.content == first.content


def test_a_change_committed_by_another_process_is_seen_on_the_next_request(
    client, other_process, version_reads
):
    article = make_publication("Soon Withdrawn")
    assert client.get(article.get_absolute_url()).status_code == 200
    client.get(article.get_absolute_url())

    with other_process.cursor() as cursor:
        cursor.execute(
            "UPDATE publications_publication SET status = 'draft' WHERE id = %s", [article.pk]
        )
        # What content_changed() does in every process: move the row on.
        cursor.execute(f"UPDATE {TABLE} SET version = version + 1")
    wait_for_notification()
    version_reads.clear()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert version_reads == [1]


def test_an_unpublish_from_manage_py_shell_is_seen_at_once(client, settings):
    article = make_publication("Shell Target")
    assert client.get(article.get_absolute_url()).status_code == 200
    client.get(article.get_absolute_url())
    script = (
        "from publications.models import Publication; "
        f"article = Publication.objects.get(pk={article.pk}); "
        "article.unpublish(); "
        "article.save()"
    )
    db = connection.settings_dict
    test_database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        check=True,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": test_database,
        },
        timeout=60,
    )
    # The shell has exited: its commit and its notification are done.
    assert client.get(article.get_absolute_url()).status_code == 404


def test_this_processs_own_change_is_seen_without_waiting_for_the_notification(client):
    article = make_publication("Own Change")
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())

    article.unpublish()
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_lost_notification_costs_at_most_the_recheck_interval_and_renews_the_listener(
    client, other_process, settings, caplog
):
    settings.CONTENT_VERSION_RECHECK_SECONDS = 0.5
    article = make_publication("Lost Word")
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    first_listener = listener_pid()

    with other_process.cursor() as cursor:
        # Triggers off for this session: the change is committed, nobody is told.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE publications_publication SET status = 'draft' WHERE id = %s", [article.pk]
        )
        cursor.execute(f"UPDATE {TABLE} SET version = version + 1")

    time.sleep(0.6)
    with caplog.at_level(logging.WARNING, logger="publications.models.content_version"):
        assert client.get(article.get_absolute_url()).status_code == 404
    assert "without a notification" in caplog.text
    # A new connection listens from the next request on.
    client.get(article.get_absolute_url())
    assert listener_pid() != first_listener


def test_a_broken_listener_falls_back_to_reading_the_row_and_listens_again(
    client, other_process, version_reads
):
    article = make_publication("Broken Ear")
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    first_listener = listener_pid()

    with other_process.cursor() as cursor:
        # A database restart or a proxy closing idle connections does the same.
        cursor.execute("SELECT pg_terminate_backend(%s)", [first_listener])
        wait_for_notification()  # not one: the end of the session arriving
        cursor.execute(
            "UPDATE publications_publication SET status = 'draft' WHERE id = %s", [article.pk]
        )
        cursor.execute(f"UPDATE {TABLE} SET version = version + 1")
    version_reads.clear()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert version_reads, "the row was read, as nobody can tell this worker any more"
    client.get(article.get_absolute_url())
    assert listener_pid() != first_listener


def test_with_listening_off_every_request_reads_the_row(client, settings, version_reads):
    settings.CONTENT_VERSION_LISTEN = False
    article = make_publication("Pooled")
    client.get(article.get_absolute_url())
    version_reads.clear()

    for _ in range(3):
        client.get(article.get_absolute_url())

    assert version_reads == [1, 1, 1]
    assert caching._process_watcher.listener is None
