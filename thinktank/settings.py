"""Settings for thinktank, read from the environment.

Production is the default: DEBUG is off and a secret key must be given. `make run`
sets DJANGO_DEBUG=1 for local development.
"""

import json
import os
import re
from datetime import timedelta
from email.utils import getaddresses
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.templatetags.static import static
from django.utils.functional import lazy
from django_prose_editor.config import (
    EXTENSION_MAPPING,
    process_figure,
    process_link,
    process_table,
)

from thinktank.building_blocks.urls import slug_url

BASE_DIR = Path(__file__).resolve().parent.parent
ONE_YEAR = 365 * 24 * 60 * 60  # seconds

# Every environment variable these settings read, with its default: each reader adds
# the one it reads. tests/test_settings.py holds it to the README's configuration table.
ENVIRONMENT_VARIABLES = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _read(name, default):
    """The variable's raw value, or None if unset; the one place the environment is read."""
    ENVIRONMENT_VARIABLES[name] = default
    return os.environ.get(name)


def env_str(name, default=""):
    """The value, stripped; `default` when it is unset or blank."""
    return (_read(name, default) or "").strip() or default


def env_bool(name, default=False):
    raw = _read(name, default)
    return default if raw is None else _boolean(name, raw)


def _boolean(name, raw):
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name, default, minimum=None):
    raw = _read(name, default)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {raw!r}.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name, default, choices):
    """One of `choices`, in any case, as spelt there."""
    raw = env_str(name, default)
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    named = [f"{choice} (the default)" if choice == default else choice for choice in choices]
    raise ImproperlyConfigured(
        f"{name} must be {', '.join(named[:-1])} or {named[-1]}; got {raw!r}."
    )


def env_url(name, schemes, example):
    """Empty, or a URL with one of `schemes` that names its server: a host, or for
    unix:// a socket's path."""
    raw = env_str(name)
    if not raw:
        return ""
    try:
        url = urlsplit(raw)
        url.port  # noqa: B018 (a port that is not a number raises ValueError)
    except ValueError:
        url = None
    if url and url.scheme in schemes and (url.path if url.scheme == "unix" else url.hostname):
        return raw
    raise ImproperlyConfigured(
        f"{name} must be a {_kinds(schemes)} URL naming the server, e.g. {example}; "
        f"got {_shown(raw)!r}."
    )


def _kinds(schemes):
    return ", ".join(f"{scheme}://" for scheme in schemes[:-1]) + f" or {schemes[-1]}://"


def _shown(url):
    """`url` fit for an error message, which ends up in logs: never the password it may carry."""
    return re.sub(r"//.*@", "//…@", url)


_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def email_url_settings(name, raw):
    """Django's email settings from a URL such as smtp://user:password@host:587?tls=1.

    smtp:// speaks plain SMTP, upgraded to TLS by ?tls=1 (STARTTLS); smtps:// (or ?ssl=1)
    is TLS from the first byte. console:// prints each email, locmem:// keeps it in
    memory. The user and password are percent-decoded (@ is %40, / is %2F, : is %3A).
    About twenty lines of our own rather than dj-email-url, which has had no release
    since 2022 and keeps the URL's own quirks (it lets tls and ssl both be on).
    """
    example = "smtp://user:password@mail.example.org:587?tls=1"
    try:
        url = urlsplit(raw)
        port = url.port
    except ValueError:
        url = None
    if url is None or url.scheme not in _EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"{name} must start with {_kinds(list(_EMAIL_BACKENDS))}, e.g. {example}; "
            f"got {_shown(raw)!r}."
        )
    backend = _EMAIL_BACKENDS[url.scheme]
    if not url.scheme.startswith("smtp"):
        return {"EMAIL_BACKEND": backend}
    if not url.hostname:
        raise ImproperlyConfigured(
            f"{name} must name the SMTP server, e.g. {example}; got {_shown(raw)!r}."
        )
    options = dict(parse_qsl(url.query, keep_blank_values=True))
    if unknown := sorted(set(options) - {"tls", "ssl"}):
        raise ImproperlyConfigured(
            f"{name} takes only ?tls=1 (STARTTLS) or ?ssl=1 (TLS from the start, as "
            f"smtps://), not {', '.join(unknown)}; got {_shown(raw)!r}."
        )
    tls = _boolean(f"{name}'s tls", options.get("tls", "0"))
    ssl = url.scheme == "smtps" or _boolean(f"{name}'s ssl", options.get("ssl", "0"))
    if tls and ssl:
        raise ImproperlyConfigured(
            f"{name} asks for STARTTLS (tls=1) and for TLS from the start (smtps:// or "
            f"ssl=1): a server speaks one on a port; choose one. Got {_shown(raw)!r}."
        )
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": url.hostname,
        "EMAIL_PORT": port or smtp_port(tls, ssl),
        "EMAIL_HOST_USER": unquote(url.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
    }


def smtp_port(tls, ssl):
    """The usual port: 587 for STARTTLS (submission), 465 for TLS from the start, else 25."""
    return 465 if ssl else 587 if tls else 25


def installed_email_backend(path):
    """`path` if its module is installed; for a provider's backend that is not, the
    django-anymail extra to install."""
    module = path.rpartition(".")[0]
    try:
        if module and find_spec(module):
            return path
    except ImportError:  # a package above the module is missing
        pass
    provider = module.removeprefix("anymail.backends.") if "anymail." in module else "mailgun"
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be the dotted path of an installed email backend, e.g. "
        f"anymail.backends.mailgun.EmailBackend; {path!r} is not installed. A provider's "
        f"backend comes with django-anymail: pip install 'django-anymail[{provider}]'."
    )


def env_email_address(name, default):
    """One address, alone (alerts@think.example.org) or with a name
    (Think Tank <alerts@think.example.org>), as a From header takes it."""
    raw = env_str(name, default)
    addresses = getaddresses([raw])
    try:
        if len(addresses) != 1:
            raise ValidationError("not one address")
        validate_email(addresses[0][1])
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} must be one email address, alone or with a name, e.g. "
            f"Think Tank <alerts@think.example.org>; got {raw!r}."
        ) from None
    return raw


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    # Django would answer every request 400, which looks like a broken proxy.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS names no host: in production (DJANGO_DEBUG off) set it to the "
        "host names the site answers to, e.g. think.example.org, separated by commas."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "thinktank.apps.CMSAdminConfig",  # django.contrib.admin, its home a dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "publications.apps.TagsConfig",  # taggit, named in plain words
    "django_prose_editor",
    "csp",
    "axes",
    "reversion",
    # Django's task framework, backported (django.tasks from Django 6.0), and its
    # database backend's table of tasks (see TASKS).
    "django_tasks",
    "django_tasks_db",
    "thinktank",  # project-wide commands (ensure_demo_admin)
    "authors",
    "publications",
    "alerts",
]

MIDDLEWARE = [
    # First, so that every response gets the policy: static files, the NUL-byte 400 and
    # the HTTPS redirect are answered above the page; and above the page cache, so that
    # a cached page gets this request's policy header, never a copy of the one it was
    # stored with (see CONTENT_SECURITY_POLICY).
    "thinktank.building_blocks.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the address: a NUL byte gets a 400, never a 500 or a cached page.
    "thinktank.building_blocks.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "publications.middleware.LegacyRedirectMiddleware",
    "publications.caching.middleware.AnonymousPageCacheMiddleware",
    # After the page cache, which answers a cached page before it (a cached page writes
    # no address); its process_view() before every other, so that every view and
    # process_view() writes addresses without asking Django for the script prefix and
    # URLconf each time.
    "thinktank.building_blocks.middleware.AddressesInEffectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thinktank.building_blocks.middleware.SignedInCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thinktank.urls"
WSGI_APPLICATION = "thinktank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thinktank.building_blocks.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# PostgreSQL only, in seconds. libpq waits for ever by default: a database that does
# not answer must fail fast enough for cached pages, the maintenance page and /healthz
# to be shown instead, well before gunicorn's worker timeout (30 s, README) kills the
# worker. libpq applies the connect timeout itself; in the web server a clock of our
# own bounds connecting, and every statement at the statement timeout plus a second,
# which is what unblocks a frozen connection (thinktank.database).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 3, minimum=1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    # JIT compiling pays off for long reports, not for a page's few short queries: on
    # the related lists' work it added a quarter to each query's time.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
# PostgreSQL only: the statements every cold page runs are prepared once per connection
# (thinktank.building_blocks.prepared_statements). Off behind a pooler in transaction
# mode (PgBouncer), whose next transaction may run on a server connection that never
# prepared them.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)

# On PostgreSQL each worker learns of a new content version by LISTEN/NOTIFY on one
# connection of its own, so a cached page costs no query (publications.models.content_version).
# Off for a pooler in transaction mode (PgBouncer), which cannot LISTEN: every
# request then reads the version row.
CONTENT_VERSION_LISTEN = env_bool("CONTENT_VERSION_LISTEN", True)
# Even while listening, a worker reads the row at least this often, so a lost
# notification costs at most this long.
CONTENT_VERSION_RECHECK_SECONDS = 1.0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache only holds copies of what the database has (publications.models.content_version), so
# it is optional: per-process local memory by default, Redis to share it between
# workers and app servers. Either may be empty, evicted or away; pages stay correct.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"), example="redis://127.0.0.1:6379/0")
_LOCAL_MEMORY = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    # Per worker process; the least recently used entries go first when full.
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 1000)},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "thinktank",
        },
        # Each worker's own copy of the pages it served, in front of Redis: page keys
        # carry the content version, so a copy can never be stale.
        "pages": _LOCAL_MEMORY,
    }
else:
    CACHES = {"default": _LOCAL_MEMORY}
# Redis calls give up after this long, and after a failure the cache is skipped
# for CACHE_RETRY_SECONDS before it is tried again.
CACHE_REDIS_TIMEOUT_SECONDS = 0.25
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)

# Whole pages for readers (publications.caching), keyed by the content version.
PAGE_CACHE_ENABLED = env_bool("THINKTANK_PAGE_CACHE", True)

# Background work (django-tasks). "database": a task is a row written in the same
# transaction as the edit that enqueued it (so an edit that rolls back leaves no task),
# and `manage.py db_worker` runs it; /healthz tells whether a worker is taking them.
# "redis": a task is a job in Redis (REDIS_URL) through RQ (django-tasks-rq), for
# several app servers sharing a Redis they already run; `manage.py rqworker
# --with-scheduler --job-class django_tasks_rq.Job` runs it, its scheduler starting the
# tasks deferred with run_after. Our code enqueues after the commit (on_commit), so
# no job names rows a rollback took back.
# "immediate": each task runs at once, inside enqueue(), in the process that asked:
# no worker, for tests and one-off scripts.
_tasks_backend = env_choice("THINKTANK_TASKS", "database", ("database", "redis", "immediate"))
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend]
    }
}
if _tasks_backend == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "THINKTANK_TASKS=redis keeps the tasks in Redis: set REDIS_URL too, "
            "e.g. redis://127.0.0.1:6379/0."
        )
    # django-rq: its rqworker command and the connection to the queue, one queue as
    # django-tasks' "default" is the only one our tasks use.
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# /healthz calls the queue late (while still answering 200) once the oldest task that is
# ready to run has waited longer than this: a live, idle worker takes one within a second.
TASKS_LATE_SECONDS = env_int("THINKTANK_TASKS_LATE_SECONDS", 300, minimum=1)

# Email (README, "Sending email"), said one way: EMAIL_URL alone; or Django's own EMAIL_*
# variables; or EMAIL_BACKEND, e.g. a provider's API through django-anymail, whose keys
# are in ANYMAIL. Said no way at all, development mode prints each email on the console
# (make run) and production hands it to the SMTP server on localhost:25, as Django does:
# the relay (Postfix, Exim) a mail-sending server usually has. Not a refusal to start:
# readers are served without email, and `manage.py sendtestemail` shows where it goes.
_email_url = env_str("EMAIL_URL")
_email_backend = env_str("EMAIL_BACKEND")
_email_smtp = {
    "EMAIL_HOST": env_str("EMAIL_HOST"),
    "EMAIL_PORT": env_int("EMAIL_PORT", None, minimum=1),
    "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER"),
    "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD"),
    "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS"),
    "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL"),
}
if _email_url:
    _email_also = [name for name, value in _email_smtp.items() if value]
    if _email_backend:
        _email_also.insert(0, "EMAIL_BACKEND")
    if _email_also:
        raise ImproperlyConfigured(
            f"EMAIL_URL says all there is about sending email, so {' and '.join(_email_also)} "
            f"would be ignored: remove {'it' if len(_email_also) == 1 else 'them'}, or EMAIL_URL."
        )
    _email = email_url_settings("EMAIL_URL", _email_url)
else:
    _email = {
        **_email_smtp,
        "EMAIL_BACKEND": _email_backend
        or _EMAIL_BACKENDS["console" if DEBUG and not any(_email_smtp.values()) else "smtp"],
    }
EMAIL_BACKEND = installed_email_backend(_email["EMAIL_BACKEND"])
if EMAIL_BACKEND.startswith("anymail."):
    # As django-anymail's installation asks.
    INSTALLED_APPS.append("anymail")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)  # TLS from the start, usually on 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, usually on port 587) and EMAIL_USE_SSL (TLS from the "
        "start, usually on port 465) exclude each other: a server speaks one on a port. "
        "Set one."
    )
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or smtp_port(EMAIL_USE_TLS, EMAIL_USE_SSL)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
# Django waits for ever by default: a mail server that stops answering would hold a
# task worker, and every task behind it, until it was restarted.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# A provider's keys for django-anymail, as its documentation writes the ANYMAIL setting,
# in JSON: {"MAILGUN_API_KEY": "...", "MAILGUN_SENDER_DOMAIN": "mg.think.example.org"}.
try:
    ANYMAIL = json.loads(env_str("ANYMAIL", "{}"))
except ValueError:
    ANYMAIL = None
if not isinstance(ANYMAIL, dict):
    # Not shown: it holds keys.
    raise ImproperlyConfigured(
        'ANYMAIL must be a JSON object of django-anymail settings, e.g. {"MAILGUN_API_KEY": '
        '"…", "MAILGUN_SENDER_DOMAIN": "mg.think.example.org"}; what it holds is not.'
    )
# Who the site's emails come from. Set it in production: mail from an address at
# localhost is refused or filed as spam by most receivers.
DEFAULT_FROM_EMAIL = env_email_address("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Who error reports to the site's administrators come from.
SERVER_EMAIL = env_email_address("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for the cool-off time (restarted by
# each try during it), whatever the password. Attempts are kept in the database.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thinktank.building_blocks.views.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "thinktank.building_blocks.proxies.client_address"
# How many proxies in front of the app append the address they saw to X-Forwarded-For
# (thinktank.proxies). 0, the default, ignores the header: without a proxy that
# rewrites it, a client could name any address to dodge the lockout.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Only staff sign in (the admin), so every session is a staff session: a working day,
# not Django's two weeks. The signed-in cookie (thinktank.building_blocks.middleware) lasts as long.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_AGE_HOURS", 12, minimum=1) * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
# The site and its admin are in English only. Without translation machinery, Django
# skips looking up the active language in every reverse() and date format, which is
# a third to a half of their cost, paid dozens of times per uncached page (issue 18).
# Publications in several languages (the roadmap) are content, not translated menus.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# The editor's Link, Table, Figure and Caption as this site wants them
# (static/js/editor_extensions.js): typing after a link does not extend it, a new table
# starts with a header row, and a figure's picture and caption go together.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("js/editor_extensions.js")],
        "extensions": {
            "Link": process_link,
            "Table": process_table,
            "Figure": process_figure,
            "Caption": EXTENSION_MAPPING["Caption"],
        },
    }
]
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Never whole-page cached: the admin, and files (sent or redirected, each with its own
# Cache-Control).
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", MEDIA_URL)

# Uploads on the local disk, or, for several app servers, in a private S3-compatible
# bucket. Either way pages link /media/<name>, where publications.views.media checks who may
# see the file, then sends it or, from a bucket, redirects to a short-lived signed URL.
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "local", ("local", "s3"))
if MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _media_origin = SELF
    # How long a public file's answer may be kept. A file never changes under its
    # name: storages add a suffix rather than overwrite, and a replaced PDF gets a
    # new name. So browsers and CDNs keep them a year.
    MEDIA_CACHE_CONTROL = f"public, max-age={ONE_YEAR}, immutable"
else:
    _bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not _bucket:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket uploads are stored in."
        )
    if env_str("AWS_S3_CUSTOM_DOMAIN"):
        # A CDN host gets plain URLs that S3 does not sign: either refused, or
        # readable by anyone with a draft's guessable name.
        raise ImproperlyConfigured(
            "AWS_S3_CUSTOM_DOMAIN is not supported: the bucket is private and readers "
            "are sent to URLs the bucket signs. Remove it."
        )
    _endpoint_url = env_str("AWS_S3_ENDPOINT_URL") or None
    _signature_life = env_int("AWS_QUERYSTRING_EXPIRE", 300, minimum=60)
    # Without keys django-storages lets boto3 look further (an instance role, ~/.aws).
    _media_storage = {
        "BACKEND": "thinktank.building_blocks.storage.PrivateBucketStorage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint_url,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,
            # Objects carry no cache header of their own: each signed answer says how
            # long it may be kept (see PrivateBucketStorage.signed_url). No object
            # ACLs: AWS turns them off on new buckets, and not every store has them.
            "querystring_expire": _signature_life,
            # Signature version 4 everywhere: AWS refuses version 2 on newer buckets.
            "signature_version": "s3v4",
            # S3-compatible stores answer path-style URLs; host names made from the
            # bucket name need DNS set up on most that are not AWS (MinIO, Ceph).
            "addressing_style": "path" if _endpoint_url else None,
        },
    }
    # A public file's redirect is kept for half the signature's life, so that a kept
    # redirect still leads to a URL that works.
    MEDIA_CACHE_CONTROL = f"public, max-age={_signature_life // 2}"
    # Where images are redirected to (the content security policy checks each hop).
    if _endpoint_url:
        _endpoint = urlsplit(_endpoint_url)
        _media_origin = f"{_endpoint.scheme}://{_endpoint.netloc}"
    else:
        _media_origin = f"https://{_bucket}.s3.amazonaws.com"

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # Hashed, compressed names in production; plain files while developing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "thinktank.building_blocks.static_files.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = ONE_YEAR if not DEBUG else 0

# Content security policy (django-csp): scripts, styles, fonts and frames only from
# this site, no plugins, no <base>, never framed, forms post only here.
# No inline script or style without a nonce, and public pages use no nonce at all:
# the page cache (publications.caching) serves one copy of a page to every reader,
# so a nonce in it would be the same for all of them and guessable from any copy.
# Their inline-free policy needs none; the nonce (NONCE below, added to the header
# only when a page used one) is for pages that are never cached: the admin, whose
# editor needs one. The page cache refuses to store a page that used a nonce, and
# sits below CSPMiddleware, so a cached page gets its header fresh on every request.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": list(dict.fromkeys([SELF, _media_origin])),
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Uploaded PDFs larger than this are refused with a message to the analyst.
PUBLICATION_PDF_MAX_BYTES = env_int("PUBLICATION_PDF_MAX_MB", 25) * 1024 * 1024
# Uploaded images with more pixels than this are refused before they are decoded: a
# small file can hold a picture that takes gigabytes of memory to open.
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_MEGAPIXELS", 40) * 1_000_000
# The largest form post apart from its files (a long body with tables in the admin
# stays well under it); files are limited by PUBLICATION_PDF_MAX_BYTES instead.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True
# Tags typed in the admin are separated by commas only: "Côte d'Ivoire" is one tag.
TAGGIT_TAGS_FROM_STRING = "publications.models.taxonomy.tags_from_string"
# taggit's Tag has no page of its own; ours is the tag's facet page.
ABSOLUTE_URL_OVERRIDES = {"taggit.tag": lambda tag: slug_url("publications:tag-detail", tag.slug)}

# Security: on unless developing.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", ONE_YEAR)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    # HSTS preload is a one-way commitment for the whole domain; the deploy owner opts in.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "DJANGO_LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
}

# The organisation's name: page titles, feeds, and the publisher in citation and
# sharing metadata.
THINKTANK_NAME = env_str("THINKTANK_NAME", "thinktank")

# The site's own address, for links in what is read away from it (emails sent by the
# task worker, which has no request to take a host name from). By default the first
# allowed host over HTTPS (http://127.0.0.1:8000 in development).
SITE_URL = env_url(
    "THINKTANK_SITE_URL", ("https", "http"), example="https://think.example.org"
).rstrip("/")
if not SITE_URL:
    _first_host = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "")
    SITE_URL = f"https://{_first_host}" if _first_host and not DEBUG else "http://127.0.0.1:8000"

# Email alerts (alerts/): the sender of alerts and confirmations, and when the weekly
# digest goes out, in the site's time zone (TIME_ZONE).
ALERTS_FROM_EMAIL = env_email_address("ALERTS_FROM_EMAIL", DEFAULT_FROM_EMAIL)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALERTS_DIGEST_WEEKDAY = WEEKDAYS.index(env_choice("ALERTS_DIGEST_DAY", "monday", WEEKDAYS))
ALERTS_DIGEST_HOUR = env_int("ALERTS_DIGEST_HOUR", 8, minimum=0)
if ALERTS_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(
        f"ALERTS_DIGEST_HOUR must be an hour from 0 to 23; got {ALERTS_DIGEST_HOUR}."
    )
# Subscribe requests one client address may make per hour; the next is refused.
ALERTS_SUBSCRIBE_LIMIT = 10
# Confirmation emails one address may be sent per day, whoever asks: nobody can be
# mail-bombed through the form.
ALERTS_CONFIRMATIONS_PER_ADDRESS = 3
