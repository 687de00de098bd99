"""The site outlives its cache, and shows cached pages or a maintenance page without its database.

In-process, through the test client; tests/test_deployment.py does the same with
real server processes. A database that freezes (accepts connections, then never
answers) is tried with real gunicorn workers on PostgreSQL, at the end: only a
database server can freeze like that. SQLite is a file the worker opens itself,
with no connection that could stop answering, so that test is skipped on it.
"""

import logging
import os
import socket
import time

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.urls import reverse

from publications.models import Publication

from .factories import make_author, make_publication
from .own_redis import OWN_REDIS_URL
from .servers import Client, TcpProxy, gunicorn, poll, prepare_site, with_port

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = OWN_REDIS_URL


def redis_cache_at(location):
    return {
        "default": {
            "BACKEND": "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "outage-tests",
        }
    }


@pytest.fixture
def closed_port():
    """A port nobody listens on: a stopped Redis."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hung_port():
    """A port that accepts connections and never answers: a hung (SIGSTOPped) Redis."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)  # never accept()ed: the kernel completes connections, nobody reads
        yield sock.getsockname()[1]


@pytest.fixture
def reader(client):
    client.raise_request_exception = False
    return client


def pages_a_reader_visits(publication, author):
    return [
        reverse("publications:home"),
        reverse("publications:list"),
        publication.get_absolute_url(),
        reverse("publications:related", args=[publication.slug]),
        author.get_absolute_url(),
    ]


@pytest.mark.parametrize("port", ["closed_port", "hung_port"])
def test_with_the_cache_away_readers_get_every_page_from_the_database(
    reader, settings, request, port
):
    settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{request.getfixturevalue(port)}/0")
    author = make_author("Lina Haddad")
    publication = make_publication("Read Without a Cache", authors=[author], tags=["water"])
    make_publication("A Related Brief", tags=["water"])

    started = time.monotonic()
    for _ in range(4):
        for url in pages_a_reader_visits(publication, author):
            response = reader.get(url)
            assert response.status_code == 200, url
    elapsed = time.monotonic() - started

    assert "Read Without a Cache" in reader.get(publication.get_absolute_url()).text
    # 20 pages: with a 0.25 s timeout per call and no breaker, a hung cache costs
    # several seconds a page; with the breaker, one timeout for the whole run.
    assert elapsed < 3, f"20 pages took {elapsed:.1f} s with the cache away"


@pytest.mark.parametrize("port", ["closed_port", "hung_port"])
def test_with_the_cache_away_editors_can_still_save_and_unpublish(
    admin_client, settings, request, port
):
    settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{request.getfixturevalue(port)}/0")
    publication = make_publication("To Be Withdrawn")
    author = make_author("Sami Okoro")

    change_form = admin_client.get(
        reverse("admin:publications_publication_change", args=[publication.pk])
    )
    author_saved = admin_client.post(
        reverse("admin:authors_author_change", args=[author.pk]),
        {"name": "Sami Okoro-Bello", "slug": author.slug, "sort_name": "Okoro-Bello, Sami"},
    )
    Publication.objects.filter(pk=publication.pk).update(status="draft")

    assert change_form.status_code == 200
    assert author_saved.status_code == 302
    author.refresh_from_db()
    assert author.name == "Sami Okoro-Bello"


def test_healthz_reports_a_missing_cache_without_failing(reader, settings, closed_port):
    settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{closed_port}/0")

    response = reader.get("/healthz")

    assert response.status_code == 200
    assert response.text == "database ok\ncache unreachable\n"


def test_the_cache_is_used_again_once_it_is_back_and_the_log_says_so(
    reader, settings, caplog, hung_port
):
    settings.CACHES = redis_cache_at(REDIS)
    settings.CACHE_RETRY_SECONDS = 0  # retry on the very next call, for the test
    publication = make_publication("Back Again")
    from django.core.cache import cache

    cache.clear()
    with caplog.at_level(logging.WARNING, logger="thinktank.building_blocks.cache_backends"):
        settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{hung_port}/0")
        assert reader.get(publication.get_absolute_url()).status_code == 200
        settings.CACHES = redis_cache_at(REDIS)  # the same server answers again
        reader.get(publication.get_absolute_url())
        cached = reader.get(publication.get_absolute_url())

    assert cached.has_header("ETag")
    assert reader.get("/healthz").text == "database ok\ncache ok\n"
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("cache unreachable") for message in messages)


class DatabaseDown:
    """Every new query fails as it does when PostgreSQL is stopped."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def __enter__(self):
        def refuse(*args, **kwargs):
            raise OperationalError("connection refused")

        class RefusingDriverConnection:
            """The driver's own connection, which the content version is read on."""

            def cursor(self):
                raise connection.Database.OperationalError("connection refused")

            def close(self):
                pass

        wrapper = connections[DEFAULT_DB_ALIAS]  # the object, not the thread-local proxy
        self.monkeypatch.setattr(wrapper, "cursor", refuse)
        self.monkeypatch.setattr(wrapper, "chunked_cursor", refuse)
        self.monkeypatch.setattr(wrapper, "connection", RefusingDriverConnection())
        return self

    def __exit__(self, *exc):
        self.monkeypatch.undo()


def test_without_the_database_cached_pages_are_served_and_others_get_a_maintenance_page(
    reader, monkeypatch
):
    publication = make_publication("Cached Before the Outage")
    author = make_author("Never Visited")
    assert reader.get(publication.get_absolute_url()).status_code == 200

    with DatabaseDown(monkeypatch):
        cached = reader.get(publication.get_absolute_url())
        uncached = reader.get(author.get_absolute_url())
        health = reader.get("/healthz")

    assert cached.status_code == 200
    assert "Cached Before the Outage" in cached.text
    assert uncached.status_code == 503
    assert uncached["Retry-After"] == "60"
    assert "Back in a few minutes" in uncached.text
    assert "OperationalError" not in uncached.text
    assert health.status_code == 503
    assert health.text.startswith("database unreachable\n")


def test_when_the_database_is_back_every_page_works_again(reader, monkeypatch):
    author = make_author("Visited After")
    make_publication("Any Brief", authors=[author])
    reader.get(reverse("publications:home"))

    with DatabaseDown(monkeypatch):
        assert reader.get(author.get_absolute_url()).status_code == 503

    assert reader.get(author.get_absolute_url()).status_code == 200
    assert reader.get("/healthz").status_code == 200


def test_other_server_errors_keep_the_500_page(reader, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr("publications.views.lists.HomeView.get_context_data", broken)

    response = reader.get(reverse("publications:home"))

    assert response.status_code == 500
    assert "Something went wrong" in response.text


# --- a frozen database, through real gunicorn workers ---------------------------------

# From the demo content (seed_demo).
CACHED_PAGES = ("/", "/publications/crisis-hotlines-that-actually-ring/")
UNCACHED_PAGES = ("/authors/ingrid-valkonen/", "/publications/?page=2")
# While PostgreSQL is frozen, a cached page answers within this; every other page
# and /healthz within FAIL_FAST_SECONDS, far below gunicorn's 30 s worker timeout.
CACHED_SECONDS = 2
FAIL_FAST_SECONDS = 5


@pytest.fixture(scope="module")
def postgres_site(tmp_path_factory):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "freezing the database needs a database server: run with a postgres DATABASE_URL"
        )
    return prepare_site(tmp_path_factory.mktemp("frozen-database"))


def timed_get(client, path):
    """`client`'s GET and how long its answer took; TimeoutError after twice the bound."""
    client.timeout = 2 * FAIL_FAST_SECONDS
    started = time.monotonic()
    answer = client.get(path)
    return answer, time.monotonic() - started


@pytest.mark.servers
def test_when_postgresql_freezes_cached_pages_answer_at_once_the_rest_fail_fast_and_all_come_back(
    postgres_site,
):
    """The proxy keeps every connection open and forwards nothing (no reset, no end):
    a SIGSTOPped database, or one behind a dead link, as the workers see it."""
    port = dj_database_url.parse(postgres_site.database_url)["PORT"] or 5432
    with (
        TcpProxy(port) as database,
        gunicorn(
            postgres_site,
            "frozen-database",
            DATABASE_URL=with_port(postgres_site.database_url, database.port),
        ) as server,
    ):
        editor = Client(server)
        editor.log_in(*postgres_site.editor)
        cached = {page: server.warm(page).text for page in CACHED_PAGES}

        database.hang()
        # A signed-in page skips the page cache: its first query goes out on the
        # worker's open connection, which now never answers.
        answer, seconds = timed_get(editor, "/admin/")
        assert answer.status == 503, answer
        assert seconds < FAIL_FAST_SECONDS, f"{answer} took {seconds:.1f} s"
        # Meanwhile every worker's last content version read grew too old to reuse
        # (over a second): the next cached page of each asks the frozen database.
        for number in range(8):
            page = CACHED_PAGES[number % len(CACHED_PAGES)]
            answer, seconds = timed_get(Client(server), page)
            assert answer.status == 200, answer
            assert answer.text == cached[page]
            assert seconds < CACHED_SECONDS, f"{answer} took {seconds:.1f} s"
        for page in UNCACHED_PAGES:
            answer, seconds = timed_get(Client(server), page)
            assert answer.status == 503, answer
            assert answer.headers["Retry-After"]
            assert "Back in a few minutes" in answer.text
            assert seconds < FAIL_FAST_SECONDS, f"{answer} took {seconds:.1f} s"
        health, seconds = timed_get(Client(server), "/healthz")
        assert health.status == 503
        assert health.text.startswith("database unreachable\n")
        assert seconds < FAIL_FAST_SECONDS, f"{health} took {seconds:.1f} s"

        database.resume()
        assert poll(lambda: server.get(UNCACHED_PAGES[0]).status == 200, seconds=5), (
            "the site did not come back within 5 s of PostgreSQL"
        )
        assert server.get("/healthz").text.startswith("database ok\n")
        assert editor.get("/admin/").status == 200
        assert "WORKER TIMEOUT" not in server.log.read_text()
