"""How long the web server waits for PostgreSQL: never as long as gunicorn lets a request run.

libpq waits on its socket for as long as it takes. A database that refuses
connections fails at once, but a frozen one (a SIGSTOPped server or proxy) accepts
connections and then says nothing, and nothing wakes the worker: TCP keepalives and
tcp_user_timeout notice only a peer whose kernel stops answering, and the kernel of
a stopped process still acknowledges what is sent and answers keepalive probes;
PostgreSQL's statement_timeout is a clock the frozen server itself would have to
run. gunicorn then kills the worker after its timeout (30 s), cached pages included.

So the web server (thinktank.wsgi, thinktank.asgi; never manage.py commands such as
migrate, imports or backups, which may take as long as they need) waits for
PostgreSQL only through `_wait()`, psycopg2's wait callback, on a clock of its own:
- connecting: DATABASE_CONNECT_TIMEOUT;
- a statement: DATABASE_STATEMENT_TIMEOUT, which PostgreSQL also enforces
  (statement_timeout, set on each connection), plus ANSWER_GRACE_SECONDS for its
  cancellation to arrive; shorter inside `answering_within()`.
A wait that runs out ends its connection and marks the database away for this
process: every wait then fails at once (cached pages are still served, other pages
get the maintenance page, /healthz says "database unreachable"), while one thread
tries a new connection every PROBE_INTERVAL_SECONDS; the first that answers brings
the database back, for the next request. Nothing to restart.
"""

import logging
import os
import select
import socket
import threading
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

# How long after PostgreSQL's own statement_timeout the client still waits for the
# error that cancels the statement, before taking the server as frozen.
ANSWER_GRACE_SECONDS = 1
PROBE_INTERVAL_SECONDS = 1

logger = logging.getLogger(__name__)

_answer_within = ContextVar("database_answer_within", default=None)


def limit_waits():
    """Bound every wait for PostgreSQL in this process (the web server's entry points)."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return
    from psycopg2 import extensions

    extensions.set_wait_callback(_wait)
    connection_created.connect(_set_statement_timeout, dispatch_uid="statement-timeout")


@contextmanager
def answering_within(seconds):
    """Statements in this block wait at most `seconds` for their answer (no effect on
    connecting, or outside the web server)."""
    reset = _answer_within.set(seconds)
    try:
        yield
    finally:
        _answer_within.reset(reset)


def _set_statement_timeout(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SET statement_timeout = %s", [f"{settings.DATABASE_STATEMENT_TIMEOUT}s"]
            )


def _wait(conn, *args):
    """psycopg2's wait callback: libpq's work on `conn`, waiting at most the limit."""
    from psycopg2 import OperationalError, extensions

    if _outage.refuses():
        _end(conn)
        raise OperationalError("PostgreSQL is not answering; trying again in the background.")
    if conn.status == extensions.STATUS_SETUP:
        limit = settings.DATABASE_CONNECT_TIMEOUT
    else:
        limit = settings.DATABASE_STATEMENT_TIMEOUT + ANSWER_GRACE_SECONDS
        limit = min(limit, _answer_within.get() or limit)
    deadline = time.monotonic() + limit
    while (state := conn.poll()) != extensions.POLL_OK:
        poller = select.poll()
        poller.register(
            conn.fileno(), select.POLLIN if state == extensions.POLL_READ else select.POLLOUT
        )
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            _end(conn)
            _outage.begin(limit)
            raise OperationalError(f"PostgreSQL did not answer within {limit} s.")


def _end(conn):
    """Shut the connection's socket, so that nothing waits on it again (psycopg2 then
    reports it closed, and Django replaces it)."""
    with socket.socket(fileno=os.dup(conn.fileno())) as sock, suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # OSError: not connected yet


class _Outage:
    """Whether this process takes the database as away, and the thread that checks."""

    def __init__(self):
        self.lock = threading.Lock()
        self.prober = None

    def refuses(self):
        """Whether a wait must fail at once: the database is away, and this is not the
        thread looking for it."""
        prober = self.prober
        return prober is not None and prober is not threading.current_thread()

    def begin(self, limit):
        with self.lock:
            if self.prober is not None:
                return
            logger.warning(
                "database unreachable: no answer within %s s; "
                "serving without it until a new connection answers",
                limit,
            )
            self.prober = threading.Thread(target=self._probe, name="database-probe", daemon=True)
            self.prober.start()

    def _probe(self):
        from psycopg2 import Error, connect

        database = connections[DEFAULT_DB_ALIAS]
        while True:
            try:
                conn = connect(**database.get_connection_params())
                try:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT 1")
                finally:
                    conn.close()
            except Error:
                time.sleep(PROBE_INTERVAL_SECONDS)
                continue
            with self.lock:
                self.prober = None
            logger.warning("database reachable again")
            return


_outage = _Outage()
