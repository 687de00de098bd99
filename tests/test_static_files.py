"""Static files in production: hashed names, compressed, cached by browsers for a year or more."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

# Static files never touch the database:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


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
