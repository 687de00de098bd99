"""The test suite's settings: production settings (DEBUG off), less what needs HTTPS
or a collectstatic run, with a stand-in secret key and the test client's host name so
that a bare `pytest` (or an IDE's test runner) works without the Makefile."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
# Enqueued tasks run at once, inside enqueue(), so a test sees their effect on its next
# line. Forced, not a default: with a database queue and no worker, nothing would run.
# A test of the queue itself overrides TASKS; the servers of tests/servers.py get their
# own environment, and so the database queue.
os.environ["THINKTANK_TASKS"] = "immediate"

from thinktank.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as there is no collected STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A PBKDF2 hash takes up to a second and a half on a busy CI machine, and most admin and
# browser tests create and sign in users. What the tests check of passwords (a wrong one
# is refused, a lockout follows) holds for any hasher; the servers that tests/servers.py
# starts run production's settings, PBKDF2 included.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# As when EMAIL_BACKEND names a provider through django-anymail (a dev dependency), so
# that its webhooks and what alerts does with their reports are tested; emails still go
# to the test outbox. The webhooks' basic auth takes this user:password.
INSTALLED_APPS = [*INSTALLED_APPS, "anymail"]  # noqa: F405
ANYMAIL = {"WEBHOOK_SECRET": "webhook:test-secret"}
