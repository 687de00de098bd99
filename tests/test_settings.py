"""Settings come from the environment and fail loudly, with a clear message, on bad values."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from thinktank.settings import email_url_settings

# Settings are read from the environment before any database is opened:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PROJECT = Path(__file__).resolve().parent.parent
# The least a production start-up needs.
PRODUCTION = {"DJANGO_SECRET_KEY": "k", "DJANGO_ALLOWED_HOSTS": "think.example.org"}


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
    result = load_settings(DJANGO_DEBUG="maybe", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_production_defaults_are_safe():

    result = load_settings(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="think.example.org")
    loaded = json.loads(result.stdout)

    assert loaded["DEBUG"] is False
    assert loaded["HOSTS"] == ["think.example.org"]
    assert loaded["SSL"] is True
    assert loaded["STATIC"] == "thinktank.building_blocks.static_files.StaticFilesStorage"
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["MEDIA"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_production_refuses_to_start_without_a_host_name(hosts):
    """Otherwise every request would be answered 400, which looks like a broken proxy."""
    environment = {"DJANGO_SECRET_KEY": "k"}
    if hosts is not None:
        environment["DJANGO_ALLOWED_HOSTS"] = hosts

    result = load_settings(**environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS names no host" in result.stderr


def test_development_mode_needs_no_secret_key():

    loaded = json.loads(load_settings(DJANGO_DEBUG="1").stdout)

    assert loaded["DEBUG"] is True
    assert "127.0.0.1" in loaded["HOSTS"]


@pytest.mark.parametrize(
    ("variable", "value", "key", "expected"),
    [
        ("DATABASE_URL", "postgres://u@db:5432/think", "ENGINE", "django.db.backends.postgresql"),
        *[
            (
                "REDIS_URL",
                url,
                "CACHE",
                "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            )
            for url in (
                "redis://127.0.0.1:6379/1",
                "rediss://:secret@cache.example.org:6380/0",
                "unix:///run/redis/redis.sock?db=1",
            )
        ],
    ],
)
def test_services_are_chosen_by_url(variable, value, key, expected):

    loaded = json.loads(load_settings(**PRODUCTION, **{variable: value}).stdout)

    assert loaded[key] == expected


def test_a_bad_number_names_the_variable():
    result = load_settings(**PRODUCTION, PUBLICATION_PDF_MAX_MB="lots")

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
    result = load_settings(**PRODUCTION, **environment)

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

    result = run_python(code, **PRODUCTION, **environment)

    assert json.loads(result.stdout) == image_sources


def test_sessions_lockouts_and_proxies_are_set_from_the_environment():
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_AGE, s.AXES_COOLOFF_TIME.total_seconds(),"
        " s.TRUSTED_PROXY_COUNT]))"
    )

    defaults = run_python(code, **PRODUCTION)
    chosen = run_python(
        code,
        **PRODUCTION,
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
    result = load_settings(**PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_database_waits_are_bounded_well_below_gunicorns_timeout_by_default():
    code = (
        "import json, thinktank.settings as s;"
        "print(json.dumps([s.DATABASE_CONNECT_TIMEOUT, s.DATABASE_STATEMENT_TIMEOUT,"
        " s.DATABASES['default']['OPTIONS']]))"
    )

    defaults = run_python(code, **PRODUCTION, DATABASE_URL="postgres://u@db/think")
    chosen = run_python(
        code,
        **PRODUCTION,
        DATABASE_URL="postgres://u@db/think",
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="10",
    )

    # gunicorn kills a worker after 30 s (README, "Deploying"); a frozen database
    # costs a request at most the statement timeout and a second, or the connect timeout.
    assert json.loads(defaults.stdout) == [3, 3, {"connect_timeout": 3, "options": "-c jit=off"}]
    assert json.loads(chosen.stdout) == [2, 10, {"connect_timeout": 2, "options": "-c jit=off"}]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_CONNECT_TIMEOUT", "0", "DATABASE_CONNECT_TIMEOUT must be at least 1; got '0'."),
        ("DATABASE_STATEMENT_TIMEOUT", "3s", "DATABASE_STATEMENT_TIMEOUT must be a whole number"),
        ("DATABASE_STATEMENT_TIMEOUT", "-5", "DATABASE_STATEMENT_TIMEOUT must be at least 1"),
    ],
)
def test_a_bad_database_timeout_stops_start_up(variable, value, message):
    result = load_settings(**PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize(
    "url", ["localhost:6379", "http://cache.example.org", "redis://", "redis://:6379/0"]
)
def test_a_redis_url_that_names_no_redis_server_stops_start_up(url):
    """Not a cache that is silently never reached: the site would run, slower, on each
    worker's own memory, and nothing would say why."""
    result = load_settings(**PRODUCTION, REDIS_URL=url)

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: REDIS_URL must be a redis://, rediss:// or unix:// URL naming "
        f"the server, e.g. redis://127.0.0.1:6379/0; got {url!r}."
    ) in result.stderr


def test_a_refused_redis_url_is_named_without_its_password():
    result = load_settings(**PRODUCTION, REDIS_URL="http://:s3cret@cache.example.org:6379/0")

    assert result.returncode != 0
    assert "got 'http://…@cache.example.org:6379/0'." in result.stderr
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize("level", ["WARN", "verbose", "5"])
def test_a_misspelt_log_level_stops_start_up(level):
    result = load_settings(**PRODUCTION, DJANGO_LOG_LEVEL=level)

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING (the default), "
        f"ERROR or CRITICAL; got {level!r}."
    ) in result.stderr


@pytest.mark.parametrize(("level", "expected"), [(None, "WARNING"), ("info", "INFO")])
def test_the_log_level_is_read_in_any_case(level, expected):
    environment = {} if level is None else {"DJANGO_LOG_LEVEL": level}

    result = run_python(
        "import thinktank.settings as s; print(s.LOGGING['root']['level'])",
        **PRODUCTION,
        **environment,
    )

    assert result.stdout.strip() == expected


def configuration_table_variables():
    """The variables named in the first column of the README's configuration table."""
    readme = (PROJECT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1])
    return names


def test_the_readme_table_names_every_variable_the_settings_read_and_no_other():
    # Production with media in a bucket takes every branch of the settings.
    code = "import json, thinktank.settings as s; print(json.dumps(list(s.ENVIRONMENT_VARIABLES)))"
    result = run_python(code, **PRODUCTION, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="think")
    read = json.loads(result.stdout)
    documented = configuration_table_variables()

    assert len(documented) == len(set(documented)), "a variable has two rows"
    assert sorted(read) == sorted(documented)


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        (None, "django_tasks_db.DatabaseBackend"),
        ("Immediate", "django_tasks.backends.immediate.ImmediateBackend"),
    ],
)
def test_background_tasks_go_to_the_database_queue_unless_told_to_run_at_once(value, backend):
    environment = {} if value is None else {"THINKTANK_TASKS": value}

    result = run_python(
        "import thinktank.settings as s; print(s.TASKS['default']['BACKEND'])",
        **PRODUCTION,
        **environment,
    )

    assert result.stdout.strip() == backend


@pytest.mark.parametrize("value", ["rq", "db", "sync"])
def test_an_unknown_task_backend_stops_start_up(value):
    result = load_settings(**PRODUCTION, THINKTANK_TASKS=value)

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: THINKTANK_TASKS must be database (the default), redis or "
        f"immediate; got {value!r}."
    ) in result.stderr


def test_the_redis_task_queue_uses_the_redis_that_redis_url_names():
    result = run_python(
        "import thinktank.settings as s;"
        "print(s.TASKS['default']['BACKEND'], s.RQ_QUEUES, 'django_rq' in s.INSTALLED_APPS)",
        **PRODUCTION,
        THINKTANK_TASKS="redis",
        REDIS_URL="redis://queue.internal:6379/2",
    )

    assert result.stdout.strip() == (
        "django_tasks_rq.RQBackend {'default': {'URL': 'redis://queue.internal:6379/2'}} True"
    )


def test_the_redis_task_queue_without_redis_url_stops_start_up():
    result = load_settings(**PRODUCTION, THINKTANK_TASKS="redis")

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: THINKTANK_TASKS=redis keeps the tasks in Redis: set REDIS_URL "
        "too, e.g. redis://127.0.0.1:6379/0."
    ) in result.stderr


EMAIL_SETTINGS = (
    "import json, thinktank.settings as s;"
    "print(json.dumps({name: getattr(s, name) for name in ('EMAIL_BACKEND', 'EMAIL_HOST',"
    " 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL',"
    " 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'SERVER_EMAIL', 'ANYMAIL')}"
    " | {'anymail': 'anymail' in s.INSTALLED_APPS}))"
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def email_settings(**environment):
    result = run_python(EMAIL_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_email_is_printed_in_development_and_handed_to_localhost_in_production():
    development = email_settings(DJANGO_DEBUG="1")
    production = email_settings(**PRODUCTION)

    assert development["EMAIL_BACKEND"] == CONSOLE
    assert production == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "webmaster@localhost",
        "SERVER_EMAIL": "webmaster@localhost",
        "ANYMAIL": {},
        "anymail": False,
    }


def test_djangos_own_email_variables_name_an_smtp_server_in_development_too():
    loaded = email_settings(
        DJANGO_DEBUG="1",
        EMAIL_HOST="smtp.example.org",
        EMAIL_HOST_USER="alerts",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="yes",
        EMAIL_TIMEOUT="30",
        DEFAULT_FROM_EMAIL="Think Tank <alerts@think.example.org>",
        SERVER_EMAIL="errors@think.example.org",
    )

    assert loaded["EMAIL_BACKEND"] == SMTP
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"], loaded["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert (loaded["EMAIL_HOST_USER"], loaded["EMAIL_HOST_PASSWORD"]) == ("alerts", "s3cret")
    assert loaded["EMAIL_TIMEOUT"] == 30
    assert loaded["DEFAULT_FROM_EMAIL"] == "Think Tank <alerts@think.example.org>"
    assert loaded["SERVER_EMAIL"] == "errors@think.example.org"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://alerts:p%40ss%2Fw0rd@smtp.example.org:2525?tls=1",
            ("smtp.example.org", 2525, "alerts", "p@ss/w0rd", True, False),
        ),
        ("smtp://smtp.example.org?tls=true", ("smtp.example.org", 587, "", "", True, False)),
        ("smtps://a:b@smtp.example.org", ("smtp.example.org", 465, "a", "b", False, True)),
        ("smtp://relay.internal", ("relay.internal", 25, "", "", False, False)),
    ],
)
def test_an_email_url_names_the_smtp_server_its_port_credentials_and_tls(url, expected):
    loaded = email_url_settings("EMAIL_URL", url)

    assert loaded["EMAIL_BACKEND"] == SMTP
    assert expected == tuple(
        loaded[name]
        for name in (
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_USE_TLS",
            "EMAIL_USE_SSL",
        )
    )


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", CONSOLE),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("smtp://relay.internal", SMTP),
    ],
)
def test_an_email_url_chooses_the_backend(url, backend):
    assert email_url_settings("EMAIL_URL", url)["EMAIL_BACKEND"] == backend


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mail.example.org:587",
            "EMAIL_URL must start with smtp://, smtps://, console:// or locmem://, "
            "e.g. smtp://user:password@mail.example.org:587?tls=1; got 'mail.example.org:587'.",
        ),
        (
            "smtp://alerts:s3cret@",
            "EMAIL_URL must name the SMTP server, e.g. smtp://user:password@mail.example.org:587"
            "?tls=1; got 'smtp://…@'.",
        ),
        (
            "smtp://alerts:s3cret@smtp.example.org:port",
            "EMAIL_URL must start with smtp://",
        ),
        ("smtp://smtp.example.org?starttls=1", "EMAIL_URL takes only ?tls=1 (STARTTLS)"),
        ("smtp://smtp.example.org?tls=maybe", "EMAIL_URL's tls must be one of 1/0"),
        (
            "smtps://alerts:s3cret@smtp.example.org?tls=1",
            "EMAIL_URL asks for STARTTLS (tls=1) and for TLS from the start (smtps:// or ssl=1)",
        ),
    ],
)
def test_a_bad_email_url_is_refused_with_a_sentence_that_never_shows_the_password(url, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        email_url_settings("EMAIL_URL", url)

    assert str(refused.value).startswith(message)
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"EMAIL_URL": "smtp://relay.internal", "EMAIL_HOST": "relay.internal"},
            "EMAIL_URL says all there is about sending email, so EMAIL_HOST would be ignored: "
            "remove it, or EMAIL_URL.",
        ),
        (
            {"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
            "EMAIL_USE_TLS (STARTTLS, usually on port 587) and EMAIL_USE_SSL",
        ),
        ({"ANYMAIL": "MAILGUN_API_KEY=key-s3cret"}, "ANYMAIL must be a JSON object"),
        (
            {"DEFAULT_FROM_EMAIL": "alerts@think.example.org, press@think.example.org"},
            "DEFAULT_FROM_EMAIL must be one email address, alone or with a name",
        ),
        ({"SERVER_EMAIL": "Think Tank"}, "SERVER_EMAIL must be one email address"),
    ],
)
def test_bad_email_settings_stop_start_up(environment, message):
    result = load_settings(**PRODUCTION, **environment)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
    assert "s3cret" not in result.stderr


def test_a_providers_backend_that_is_not_installed_stops_start_up_naming_what_to_install(
    tmp_path,
):
    """django-anymail is a dev dependency: an empty stand-in hides it here."""
    (tmp_path / "anymail").mkdir()
    (tmp_path / "anymail" / "__init__.py").touch()

    result = load_settings(
        **PRODUCTION,
        PYTHONPATH=str(tmp_path),
        EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
    )

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: EMAIL_BACKEND must be the dotted path of an installed email "
        "backend, e.g. anymail.backends.mailgun.EmailBackend; "
        "'anymail.backends.postmark.EmailBackend' is not installed. A provider's backend "
        "comes with django-anymail: pip install 'django-anymail[postmark]'."
    ) in result.stderr


def test_a_providers_backend_through_anymail_takes_its_keys_from_anymail_as_json(tmp_path):
    """A stand-in package plays django-anymail here: nothing of the real one is needed."""
    backends = tmp_path / "anymail" / "backends"
    backends.mkdir(parents=True)
    for module in (
        "anymail/__init__.py",
        "anymail/backends/__init__.py",
        "anymail/backends/mailgun.py",
    ):
        (tmp_path / module).touch()

    loaded = email_settings(
        **PRODUCTION,
        PYTHONPATH=str(tmp_path),
        EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
        ANYMAIL='{"MAILGUN_API_KEY": "key-1", "MAILGUN_SENDER_DOMAIN": "mg.think.example.org"}',
    )

    assert loaded["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"
    assert loaded["ANYMAIL"] == {
        "MAILGUN_API_KEY": "key-1",
        "MAILGUN_SENDER_DOMAIN": "mg.think.example.org",
    }
    assert loaded["anymail"] is True


PROVIDER_WEBHOOK = (
    "import django; django.setup();"
    "from django.urls import Resolver404, resolve; from anymail.signals import tracking\n"
    "try: print(resolve('/anymail/postmark/tracking/').view_name, tracking.has_listeners())\n"
    "except Resolver404: print('no webhook', tracking.has_listeners())"
)


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("anymail.backends.postmark.EmailBackend", "anymail:postmark_tracking_webhook True"),
        (SMTP, "no webhook False"),
    ],
)
def test_a_providers_webhooks_are_served_and_heard_only_when_email_goes_through_anymail(
    backend, expected
):
    result = run_python(
        PROVIDER_WEBHOOK,
        **PRODUCTION,
        DJANGO_SETTINGS_MODULE="thinktank.settings",
        EMAIL_BACKEND=backend,
    )

    assert result.stdout.strip() == expected, result.stderr


def test_alerts_settings_are_read_from_the_environment():
    code = (
        "import json, thinktank.settings as s; print(json.dumps([s.SITE_URL, s.ALERTS_FROM_EMAIL,"
        " s.ALERTS_DIGEST_WEEKDAY, s.ALERTS_DIGEST_HOUR]))"
    )
    defaults = run_python(code, **PRODUCTION)
    chosen = run_python(
        code,
        **PRODUCTION,
        THINKTANK_SITE_URL="https://www.think.example.org/",
        ALERTS_FROM_EMAIL="Think Tank <news@think.example.org>",
        ALERTS_DIGEST_DAY="Friday",
        ALERTS_DIGEST_HOUR="17",
    )

    assert json.loads(defaults.stdout) == [
        "https://think.example.org",
        "webmaster@localhost",
        0,
        8,
    ]
    assert json.loads(chosen.stdout) == [
        "https://www.think.example.org",
        "Think Tank <news@think.example.org>",
        4,
        17,
    ]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ALERTS_DIGEST_HOUR", "24", "ALERTS_DIGEST_HOUR must be an hour from 0 to 23; got 24."),
        ("ALERTS_DIGEST_HOUR", "8am", "ALERTS_DIGEST_HOUR must be a whole number; got '8am'."),
        ("ALERTS_DIGEST_DAY", "mon", "ALERTS_DIGEST_DAY must be monday (the default), tuesday"),
        ("ALERTS_FROM_EMAIL", "alerts at example", "ALERTS_FROM_EMAIL must be one email address"),
        ("THINKTANK_SITE_URL", "think.example.org", "THINKTANK_SITE_URL must be a https:// or"),
    ],
)
def test_a_bad_alerts_setting_stops_start_up(variable, value, message):
    result = load_settings(**PRODUCTION, **{variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
