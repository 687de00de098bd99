import pytest


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Uploads go to a temporary folder, and static files need no collectstatic run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
