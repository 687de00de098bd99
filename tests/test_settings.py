"""Settings come from the environment and fail loudly, with a clear message, on bad values."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Settings are read from the environment before any database is opened:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PROJECT = Path(__file__).resolve().parent.parent


def run_python(code, **environment):
    """Run `code` in a fresh interpreter in the project, with only `environment` set."""
    env = {"PATH": os.environ.get("PATH", ""), **environment}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True
    )


def load_settings(**environment):
    """Import thinktank.settings in a fresh interpreter with only `environment` set."""
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'HOSTS': s.ALLOWED_HOSTS,"
        " 'CACHE': s.CACHES['default']['BACKEND'], 'ENGINE': s.DATABASES['default']['ENGINE'],"
        " 'NAME': str(s.DATABASES['default']['NAME']), 'SSL': getattr(s, 'SECURE_SSL_REDIRECT', None),"
        " 'STATIC': s.STORAGES['staticfiles']['BACKEND'], 'MEDIA': s.STORAGES['default'],"
        " 'MEDIA_CACHE_CONTROL': s.MEDIA_CACHE_CONTROL}))"
    )
    return run_python(code, **environment)


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_misspelt_debug_flag_is_an_error_not_a_guess():
    result = load_settings(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="k")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_production_defaults_are_safe():

    result = load_settings(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="think.example.org")
    loaded = json.loads(result.stdout)

    assert loaded["DEBUG"] is False
    assert loaded["HOSTS"] == ["think.example.org"]
    assert loaded["SSL"] is True
    assert loaded["STATIC"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["MEDIA"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_development_mode_needs_no_secret_key():

    loaded = json.loads(load_settings(DJANGO_DEBUG="1").stdout)

    assert loaded["DEBUG"] is True
    assert "127.0.0.1" in loaded["HOSTS"]


@pytest.mark.parametrize(
    ("variable", "value", "key", "expected"),
    [
        ("DATABASE_URL", "postgres://u@db:5432/think", "ENGINE", "django.db.backends.postgresql"),
        (
            "REDIS_URL",
            "redis://127.0.0.1:6379/1",
            "CACHE",
            "thinktank.cache_backends.ResilientRedisCache",
        ),
    ],
)
def test_services_are_chosen_by_url(variable, value, key, expected):

    loaded = json.loads(load_settings(DJANGO_SECRET_KEY="k", **{variable: value}).stdout)

    assert loaded[key] == expected


def test_a_bad_number_names_the_variable():
    result = load_settings(DJANGO_SECRET_KEY="k", PUBLICATION_PDF_MAX_MB="lots")

    assert "PUBLICATION_PDF_MAX_MB must be a whole number" in result.stderr


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"MEDIA_STORAGE": "S3-bucket"},
            "MEDIA_STORAGE must be local (the default) or s3; got 'S3-bucket'.",
        ),
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
        (
            {
                "MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "think",
                "AWS_S3_CUSTOM_DOMAIN": "media.think.example.org",
            },
            "AWS_S3_CUSTOM_DOMAIN is not supported",
        ),
        (
            {
                "MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "think",
                "AWS_QUERYSTRING_EXPIRE": "5",
            },
            "AWS_QUERYSTRING_EXPIRE must be at least 60",
        ),
    ],
)
def test_a_bad_media_storage_stops_start_up_with_a_clear_message(environment, message):
    result = load_settings(DJANGO_SECRET_KEY="k", **environment)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize(
    ("environment", "image_sources"),
    [
        ({}, ["'self'"]),
        (
            {"AWS_S3_ENDPOINT_URL": "https://minio.example.org:9000/"},
            ["'self'", "https://minio.example.org:9000"],
        ),
        ({"AWS_S3_REGION_NAME": "eu-central-1"}, ["'self'", "https://think.s3.amazonaws.com"]),
    ],
)
def test_the_content_security_policy_lets_pages_show_images_from_the_media_bucket(
    environment, image_sources
):
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    if environment:
        environment = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "think", **environment}

    result = run_python(code, DJANGO_SECRET_KEY="k", **environment)

    assert json.loads(result.stdout) == image_sources


def test_sessions_lockouts_and_proxies_are_set_from_the_environment():
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_AGE, s.AXES_COOLOFF_TIME.total_seconds(),"
        " s.TRUSTED_PROXY_COUNT]))"
    )

    defaults = run_python(code, DJANGO_SECRET_KEY="k")
    chosen = run_python(
        code,
        DJANGO_SECRET_KEY="k",
        DJANGO_SESSION_AGE_HOURS="2",
        DJANGO_LOGIN_LOCKOUT_MINUTES="30",
        DJANGO_TRUSTED_PROXY_COUNT="1",
    )

    assert json.loads(defaults.stdout) == [12 * 60 * 60, 15 * 60, 0]
    assert json.loads(chosen.stdout) == [2 * 60 * 60, 30 * 60, 1]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_SESSION_AGE_HOURS", "0", "DJANGO_SESSION_AGE_HOURS must be at least 1; got '0'."),
        ("DJANGO_SESSION_AGE_HOURS", "12h", "DJANGO_SESSION_AGE_HOURS must be a whole number"),
        ("DJANGO_LOGIN_LOCKOUT_MINUTES", "0", "DJANGO_LOGIN_LOCKOUT_MINUTES must be at least 1"),
        ("DJANGO_TRUSTED_PROXY_COUNT", "-1", "DJANGO_TRUSTED_PROXY_COUNT must be at least 0"),
    ],
)
def test_a_bad_session_lockout_or_proxy_setting_stops_start_up(variable, value, message):
    result = load_settings(DJANGO_SECRET_KEY="k", **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_database_waits_are_bounded_well_below_gunicorns_timeout_by_default():
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps([s.DATABASE_CONNECT_TIMEOUT, s.DATABASE_STATEMENT_TIMEOUT,"
        " s.DATABASES['default']['OPTIONS']]))"
    )

    defaults = run_python(code, DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u@db/think")
    chosen = run_python(
        code,
        DJANGO_SECRET_KEY="k",
        DATABASE_URL="postgres://u@db/think",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="10",
    )

    # gunicorn kills a worker after 30 s (README, "Deploying"); a frozen database
    # costs a request at most the statement timeout and a second, or the connect timeout.
    assert json.loads(defaults.stdout) == [3, 3, {"connect_timeout": 3}]
    assert json.loads(chosen.stdout) == [2, 10, {"connect_timeout": 2}]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_CONNECT_TIMEOUT", "0", "DATABASE_CONNECT_TIMEOUT must be at least 1; got '0'."),
        ("DATABASE_STATEMENT_TIMEOUT", "3s", "DATABASE_STATEMENT_TIMEOUT must be a whole number"),
        ("DATABASE_STATEMENT_TIMEOUT", "-5", "DATABASE_STATEMENT_TIMEOUT must be at least 1"),
    ],
)
def test_a_bad_database_timeout_stops_start_up(variable, value, message):
    result = load_settings(DJANGO_SECRET_KEY="k", **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
