"""Static files in production: hashed names, compressed, cached by browsers for a year or more."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

# Static files never touch the database:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PRODUCTION_STORAGE = "thinktank.building_blocks.static_files.StaticFilesStorage"


@pytest.fixture
def collected_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_a_hashed_stylesheet_served_compressed_and_immutable(collected_static):
    client = Client()  # a new client builds the middleware, so whitenoise sees STATIC_ROOT
    page = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet's name carries its content hash"

    response = client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 60 * 60
    response.close()


@pytest.mark.django_db
def test_a_stylesheet_collected_anew_is_linked_by_its_new_name_once_the_site_restarts(
    collected_static, settings, tmp_path
):
    """Each file's address is worked out once per storage (building_blocks.static_files),
    as its manifest is read once: a running site keeps linking the names it started
    with, and a deployment that collects a changed file and restarts the site (here, a
    new storage) links the new name."""
    stylesheet = re.compile(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"')
    before = stylesheet.search(Client().get("/").content.decode()).group(1)
    changed = tmp_path / "changed" / "css"
    changed.mkdir(parents=True)
    (changed / "site.css").write_text("body { color: #123456; }\n")
    settings.STATICFILES_DIRS = [tmp_path / "changed", *settings.STATICFILES_DIRS]
    call_command("collectstatic", "--noinput", verbosity=0)

    still = stylesheet.search(Client().get("/publications/").content.decode()).group(1)
    settings.STORAGES = {**settings.STORAGES}  # as a restarted process makes its storage
    after = stylesheet.search(Client().get("/authors/").content.decode()).group(1)

    assert still == before
    assert after != before
    response = Client().get(after)
    assert b"".join(response.streaming_content) == b"body { color: #123456; }\n"
    response.close()
