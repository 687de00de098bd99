"""Real server processes for tests/test_deployment.py.

gunicorn with production settings, the task worker, `manage.py shell` as another
process that changes content, a TCP proxy that takes PostgreSQL or Redis away from
the app and gives it back, and a small HTTP client that keeps its own cookies.
Everything listens on 127.0.0.1, and everything started here is stopped when its
`with` block ends, also when a test fails.
"""

import functools
import http.client
import http.cookies
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
WORKERS = 2
# The site's name in every request, whichever server answers it: behind a load
# balancer all servers get the same Host, and it is part of a cached page's key.
SITE_HOST = "localhost"
# The worker's process id first, so a test can tell which workers served a page.
ACCESS_LOG_FORMAT = '%(p)s %(s)s "%(r)s"'
# What coverage.py's patch = ["subprocess"] (pyproject.toml) needs from this process
# to measure a server too: its configuration, and the data file named for this pass.
COVERAGE = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_FILE")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def with_port(url, port):
    """`url` with its host and port replaced by 127.0.0.1:`port` (credentials kept)."""
    parts = urllib.parse.urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@{HOST}:{port}" if credentials else f"{HOST}:{port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def poll(check, seconds, interval=0.2):
    """Call `check` until it returns something truthy or `seconds` pass; its last result."""
    deadline = time.monotonic() + seconds
    result = None
    for _ in range(int(seconds / interval) + 1):
        result = check()
        if result or time.monotonic() >= deadline:
            break
        time.sleep(interval)
    return result


# --- the site's own database ----------------------------------------------------------


@dataclass
class Site:
    """A database for the servers, with static files collected and the demo content.

    The servers cannot use pytest-django's test database: on SQLite it lives in the
    test process's memory, and on PostgreSQL a test's rows stay in a transaction
    that no other process sees.
    """

    database_url: str
    folder: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50), repr=False)
    editor: tuple[str, str] = field(
        default_factory=lambda: ("deployment-editor", secrets.token_urlsafe(16)), repr=False
    )

    def env(self, **settings):
        """Production settings over plain HTTP; of this process's environment, only coverage's.

        CI runs the suite with REDIS_URL set; a server gets Redis only when a test
        says so.
        """
        coverage = {name: value for name, value in os.environ.items() if name in COVERAGE}
        return {
            **coverage,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "thinktank.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "DATABASE_URL": self.database_url,
            **settings,
        }

    def manage(self, *args):
        """Run a manage.py command to the end; its standard output."""
        result = subprocess.run(
            [PYTHON, "manage.py", *args, "--verbosity", "0"],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code, **variables):
        """Run `code` in `manage.py shell`, another process, as an import or a script would.

        Keyword arguments become variables of the code. Returns the last line it printed.
        """
        assignments = "".join(f"{name} = {value!r}\n" for name, value in variables.items())
        lines = self.manage("shell", "--command", assignments + code).splitlines()
        return lines[-1] if lines else ""


MAKE_EDITOR = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser(username, password=password)
"""


def prepare_site(folder):
    """A migrated database with the demo content and an editor, for servers to share.

    On PostgreSQL (when the test run's DATABASE_URL says so) it is a database of its
    own next to pytest-django's; otherwise an SQLite file in `folder`.
    """
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith("postgres"):
        name = f"test_{dj_database_url.parse(base_url)['NAME']}_servers"
        create_postgres_database(base_url, name)
        site = Site(urllib.parse.urlsplit(base_url)._replace(path=f"/{name}").geturl(), folder)
        site.manage("migrate", "--noinput")
        site.manage("flush", "--noinput")  # the database outlives the run that filled it
    else:
        site = Site(f"sqlite:///{folder / 'site.sqlite3'}", folder)
        site.manage("migrate", "--noinput")
    site.manage("collectstatic", "--noinput")
    site.manage("seed_demo")
    username, password = site.editor
    site.shell(MAKE_EDITOR, username=username, password=password)
    return site


def create_postgres_database(base_url, name):
    import psycopg2
    from psycopg2 import errors, sql

    config = dj_database_url.parse(base_url)
    # Through the maintenance database, as Django does: the named one need not exist.
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True  # CREATE DATABASE refuses to run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except errors.DuplicateDatabase:
        pass  # made by an earlier run; prepare_site empties it
    finally:
        connection.close()


# --- gunicorn ---------------------------------------------------------------------------


@functools.cache
def no_control_socket():
    """gunicorn 24+ opens a control socket shared by the user's servers; ours need none."""
    from gunicorn.config import KNOWN_SETTINGS

    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen = field(repr=False)
    log: Path = field(repr=False)

    @property
    def access_log(self):
        return self.log.with_suffix(".access.log")

    def get(self, path, headers=None):
        """One anonymous GET, as a reader without cookies sends it."""
        return Client(self).get(path, headers)

    def workers_that_served(self, path):
        """Process ids of the workers that have answered a GET for `path`."""
        request = re.compile(rf'^<(\d+)> \d+ "GET {re.escape(path)} ')
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return {match.group(1) for line in lines if (match := request.match(line))}

    def warm(self, path, seconds=15):
        """Request `path` until every worker has served it, and so has it in its page cache.

        Bounded by time rather than a count: a worker still starting up leaves every
        request to the others, however many are sent.
        """
        answers = []

        def every_worker_served():
            answers.append(self.get(path))
            assert answers[-1].status == 200, answers[-1]
            return len(self.workers_that_served(path)) == WORKERS

        if not poll(every_worker_served, seconds, interval=0.05):
            raise AssertionError(f"{len(answers)} requests for {path} did not reach every worker")
        return answers[-1]

    def wait_until_answering(self, seconds=30):
        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            with suppress(OSError):
                return self.get("/robots.txt")

        if not poll(answers, seconds):
            raise RuntimeError(f"{self.name} did not answer in {seconds} s; see {self.log}")


@contextmanager
def gunicorn(site, name, **settings):
    """The site under gunicorn, 2 sync workers on a free port, until the block ends.

    `settings` are environment variables on top of `site.env()`, e.g. REDIS_URL.
    """
    port = free_port()
    log = site.folder / f"{name}.log"
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "thinktank.wsgi:application",
        "--chdir",
        str(ROOT),
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--access-logfile",
        str(log.with_suffix(".access.log")),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--error-logfile",
        str(log),
        *no_control_socket(),
    ]
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=site.env(**settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers stop with it
        )
    try:
        server = Server(name, port, process, log)
        server.wait_until_answering()
        yield server
    finally:
        stop_process_group(process)


@contextmanager
def task_worker(site, name="worker", command=("db_worker",), **settings):
    """`manage.py db_worker`, as the README starts it, on the site's database until the
    block ends; it polls the task table every second. `command` is another worker's
    (the Redis queue's rqworker); `settings` are environment variables on top of
    `site.env()`, e.g. EMAIL_URL."""
    log = site.folder / f"{name}.log"
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=site.env(**settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_process_group(process)


def stop_process_group(process, seconds=10):
    """Stop `process` and everything it forked: politely, then for sure."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(seconds)
    # Workers left behind by a master that died or hung still belong to its group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(seconds)


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Answer:
    """What came back: printed in a failed assertion as its request and status only."""

    request: str
    status: int
    headers: http.client.HTTPMessage = field(repr=False)
    text: str = field(repr=False)


class Client:
    """A reader or an editor talking to one server, one connection per request.

    It keeps cookies itself: with production settings they are Secure, and a
    browser would not send them back over the plain HTTP these servers speak.
    """

    def __init__(self, server, timeout=10):
        self.server = server
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": SITE_HOST, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.server.port, timeout=self.timeout)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            # A file's bytes need not be UTF-8; a test reads pages, not files, as text.
            text = response.read().decode(errors="replace")
        except TimeoutError:
            raise TimeoutError(
                f"{method} {self.server.name}{path}: no answer in {self.timeout} s"
            ) from None
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie", ()):
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(f"{method} {self.server.name}{path}", response.status, response.headers, text)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields):
        """Submit the form on `path` with its CSRF token, as a browser would.

        Follows a redirect, so the answer is the page the browser ends up on.
        """
        form = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token, f"no CSRF token on {form}"
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token[1]}, doseq=True)
        answer = self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if answer.status in (302, 303):
            location = urllib.parse.urlsplit(answer.headers["Location"])
            return self.get(urllib.parse.urlunsplit(("", "", *location[2:])))
        return answer

    def log_in(self, username, password):
        answer = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert "sessionid" in self.cookies, f"could not log in to the admin: {answer}"
        return answer


# --- a service that goes away -------------------------------------------------------------


class TcpProxy:
    """A TCP forwarder on a fixed 127.0.0.1 port, in front of a real service.

    A server pointed at it loses PostgreSQL or Redis when a test says so, while
    the service itself, which the rest of the test run shares, keeps running:

    - `close()`: a stopped service. The port refuses connections; open ones are cut.
    - `hang()`: a frozen one (as after SIGSTOP). Connections are accepted, and
      nothing sent on any connection, old or new, gets an answer.
    - `resume()`: the service is back on the same port; held data flows again.
    """

    def __init__(self, upstream_port):
        self.upstream = (HOST, upstream_port)
        self.port = free_port()
        self._state = threading.Condition()
        self._mode = "closed"
        self._listener = None
        self._sockets = set()
        self._threads = []

    def __enter__(self):
        self.resume()
        return self

    def __exit__(self, *exc_info):
        self.close()
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(max(0, deadline - time.monotonic()))

    def resume(self):
        self._switch("forwarding")

    def hang(self):
        self._switch("hanging")

    def close(self):
        with self._state:
            self._mode = "closed"
            self._state.notify_all()
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
            listener.close()
        for sock in sockets:
            cut(sock)

    def _switch(self, mode):
        with self._state:
            self._mode = mode
            self._state.notify_all()
            if self._listener is None:
                listener = socket.socket()
                # The port is bound again after close(); connections cut a moment ago
                # would otherwise keep it busy.
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind((HOST, self.port))
                listener.listen()
                self._listener = listener
                self._start(self._accept, listener)

    def _start(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _track(self, sock):
        """Remember `sock` so close() can cut it; False (and cut) if closed already."""
        with self._state:
            if self._mode != "closed":
                self._sockets.add(sock)
                return True
        cut(sock)
        return False

    def _flowing(self):
        """Wait while the service hangs; True if data may flow, False once closed."""
        with self._state:
            self._state.wait_for(lambda: self._mode != "hanging")
            return self._mode == "forwarding"

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # close() shut the listener
                return
            if self._track(client):
                self._start(self._connect, client)

    def _connect(self, client):
        if not self._flowing():
            return  # close() cut the client
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            cut(client)
            return
        upstream.settimeout(None)
        if self._track(upstream):
            self._start(self._pump, client, upstream)
            self._start(self._pump, upstream, client)

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                if not self._flowing():
                    break
                target.sendall(data)
        except OSError:
            pass  # cut by close() or by either end
        finally:
            cut(source)
            cut(target)


def cut(sock):
    """Close `sock` at once, waking any thread blocked reading it."""
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
