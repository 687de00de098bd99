import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages or lists of an earlier test."""
    from .caches import empty_caches

    empty_caches()


@pytest.fixture(scope="session", autouse=True)
def _stop_listening_before_the_test_database_goes(django_db_setup):
    """The version listener's connection would keep PostgreSQL from dropping it."""
    from publications.models import content_version as caching

    yield
    caching.stop_listening()


@pytest.fixture(scope="module", autouse=True)
def _dead_rows_cleared(django_db_setup, django_db_blocker):
    """Each module starts on tables without the rows earlier tests rolled back.

    On PostgreSQL a rolled-back row stays in its table, dead, until a VACUUM; autovacuum
    may be off (it is on this project's CI machine), and cannot clear them anyway while a
    module's shared transaction (tests/shared_data.py) is open. Thousands of tests later
    the tables are megabytes of dead rows that every scan reads through: the ranking
    tests ran four times slower at the end of the PostgreSQL pass than alone."""
    from .shared_data import clear_dead_rows

    with django_db_blocker.unblock():
        clear_dead_rows()


@pytest.fixture
def version_reads(monkeypatch):
    """How many times the content version row was read (tests/test_page_cache.py,
    tests/test_version_listener.py)."""
    from publications.models import content_version as caching

    reads = []
    fetch = caching._fetch_version

    def counted():
        reads.append(1)
        return fetch()

    monkeypatch.setattr(caching, "_fetch_version", counted)
    return reads


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (tests/smtp.py) for this test: send to its `url`
    (an EMAIL_URL), read what arrived in `messages`, or `wait_for(count)`."""
    from .smtp import SmtpServer

    with SmtpServer() as server:
        yield server
