"""Scale-out check: two app servers sharing one PostgreSQL and one Redis.

Starts two gunicorn instances on different ports with the same DATABASE_URL and
REDIS_URL, warms both page caches, publishes a draft through the admin of the
first, and checks that the second shows it on its very next request (and that an
ETag from before the change no longer gets a 304). Exits non-zero if not.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/scale_out.py
"""

import http.cookies
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from run import PYTHON, ROOT, NoRedirect, Server, base_env, ensure_postgres_database, manage

DATABASE = "thinktank_scaleout"
USERNAME = "scaleout-editor"
REPEATS = 8  # requests per check: enough to reach both sync workers of a server


def fail(message):
    sys.exit(f"scale-out: FAIL: {message}")


class Browser:
    """A tiny HTTP client that keeps its cookies: enough to log in to the admin.

    It sends cookies itself because the servers run with production settings, whose
    cookies are marked Secure, while this check talks plain HTTP on loopback.
    """

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, url, data=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode(), dict(response.headers)

    def get(self, url, headers=None):
        return self.request(url, headers=headers)

    def post(self, url, fields):
        """Post a form the way a browser does, then follow the redirect to its answer."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(url)[1])
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}, True)
        status, body, headers = self.request(url, data.encode())
        if status in (301, 302, 303) and "Location" in headers:
            return self.get(urllib.parse.urljoin(url, headers["Location"]))[:2]
        return status, body


def prepare(base_url, redis_url):
    """The environment both servers share, on a migrated and seeded database."""
    ensure_postgres_database(base_url, DATABASE)
    parts = urllib.parse.urlsplit(base_url)
    env = base_env(urllib.parse.urlunsplit(parts._replace(path=f"/{DATABASE}")))
    env.update(REDIS_URL=redis_url, DJANGO_DEBUG="0")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--if-empty")
    return env


def make_editor_and_draft(env):
    """A staff login (with a fresh password) and a new draft: (password, pk, title, slug)."""
    password = secrets.token_urlsafe(16)
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SET_UP_EDITOR],
        cwd=ROOT,
        env={**env, "EDITOR_NAME": USERNAME, "EDITOR_PASSWORD": password},
        check=True,
    )
    draft_pk, draft_title, draft_slug = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", MAKE_DRAFT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]  # the shell prints a banner first
        .split("|")
    )
    return password, draft_pk, draft_title, draft_slug


def warm_up(reader, a, b, draft_title):
    """Cache the list in every worker of both servers; `b`'s ETag for it."""
    # Several requests each, so that every worker of both servers has the list cached.
    for server in (a, b):
        for _ in range(REPEATS):
            status, page, _ = reader.get(server.url("/publications/"))
            if status != 200 or draft_title in page:
                fail(f"{server.name}: list answered {status} or already shows the draft")
    etag = reader.get(b.url("/publications/"))[2].get("ETag")
    for _ in range(REPEATS):
        status, _, _ = reader.get(b.url("/publications/"), {"If-None-Match": etag})
        if status != 304:
            fail(f"{b.name}: an unchanged, cached list answered {status}, not 304")
    return etag


def publish(server, password, draft_pk):
    """Log in to the admin of `server` and publish the draft with the list's action."""
    editor = Browser()
    editor.post(server.url("/admin/login/"), {"username": USERNAME, "password": password})
    status, answer = editor.post(
        server.url("/admin/publications/publication/"),
        {"action": "publish_now", "_selected_action": draft_pk},
    )
    if "Published 1 publication(s) now." not in answer:
        fail(f"publishing through {server.name} did not report success (status {status})")


def check_visible(reader, a, b, etag, draft_title, draft_slug):
    """`b` shows what was published through `a` at once, and the old ETag no longer matches."""
    for _ in range(REPEATS):
        status, page, _ = reader.get(b.url("/publications/"))
        if draft_title not in page:
            fail(f"{b.name} still serves a list without the item published through {a.name}")
        status, _, _ = reader.get(b.url("/publications/"), {"If-None-Match": etag})
        if status != 200:
            fail(f"{b.name} answered {status} to an ETag from before the change")
    status, page, _ = reader.get(b.url(f"/publications/{draft_slug}/"))
    if status != 200:
        fail(f"{b.name} answered {status} for the newly published article")


def main():
    base_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    if not base_url.startswith("postgres"):
        sys.exit("scale-out: set DATABASE_URL to a PostgreSQL server (postgres://...)")
    env = prepare(base_url, redis_url)
    password, draft_pk, draft_title, draft_slug = make_editor_and_draft(env)

    with (
        Server("scale-out-a", "thinktank.wsgi:application", env) as a,
        Server("scale-out-b", "thinktank.wsgi:application", env) as b,
    ):
        reader = Browser()
        etag = warm_up(reader, a, b, draft_title)
        publish(a, password, draft_pk)
        check_visible(reader, a, b, etag, draft_title, draft_slug)
    print(
        f"scale-out: OK: published through {a.name}, visible on {b.name} at once "
        "(list and article; the old ETag no longer matches)"
    )


SET_UP_EDITOR = """
import os
from django.contrib.auth import get_user_model
user, _ = get_user_model().objects.get_or_create(username=os.environ["EDITOR_NAME"])
user.is_staff = user.is_superuser = True
user.set_password(os.environ["EDITOR_PASSWORD"])
user.save()
"""

MAKE_DRAFT = """
from django.utils.crypto import get_random_string
from publications.models import Publication, PublicationType
title = "Scale-out check " + get_random_string(8)
draft = Publication.objects.create(
    title=title, lead="A draft for the scale-out check.", status="draft",
    publication_type=PublicationType.objects.first(),
)
print(f"{draft.pk}|{draft.title}|{draft.slug}")
"""

if __name__ == "__main__":
    main()
