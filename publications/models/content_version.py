"""The content version, and values kept until it changes (remember()).

The content version is a short string that changes whenever anything a reader can
see changes. Cached pages, related lists and filter menus are stored under keys
that include it, so a new version retires every cached copy at once, on every
worker and every app server.

It is a counter in one database row (ContentVersion), read with one primary-key
look-up per request. It moves on once per committed transaction that saved,
deleted or re-linked public content (publications.receivers), in this process
or any other (the admin, `manage.py shell`, an import); and when the next scheduled
publication's time arrives, which the row also holds, the first request after it
moves it on.

On PostgreSQL a worker need not even read the row: a trigger announces each new
version (NOTIFY), and each worker listens on a connection of its own, so it reads
the row only when told of a change, when a scheduled time comes, or once a second
in case a notification was lost (_Watcher below). A cached page then costs no
query at all.

The database, not the cache, keeps it because every worker and app server shares
the database; the cache (local memory per process by default, Redis if
configured) may be empty, per process, flushed or down, and the site stays
correct. When the database does not answer, the version last read stands, so
pages cached before the outage are still served.

Code that changes public content with `QuerySet.update()` or `bulk_create()`,
which send no signals, must say so itself: publications.receivers.changed_in_bulk().
"""

import functools
import logging
import os
import select
import threading
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from thinktank.building_blocks.database import answering_within

# Entries keyed by the content version are retired by a new version, not by time:
# the timeout only lets a bounded cache drop what nobody asks for any more.
VERSION_KEYED_SECONDS = 6 * 60 * 60

logger = logging.getLogger(__name__)

# The version row is one primary-key look-up, answered in a millisecond: a cached
# page waits no longer than this for it when the database freezes.
VERSION_READ_SECONDS = 1

# The version this request uses, read once (see version_per_request()).
_request_version = ContextVar("request_content_version", default=None)
# The version this process read last: what stands while the database is away.
_last_read = {"version": None}


class ContentVersion(models.Model):
    """One row whose counter every committed change to public content moves on.

    It lives in the database, not in the cache, because the database is the one
    thing every worker and app server shares: a per-process or flushed cache
    cannot then show anyone a page that was retired. This module reads it at most
    once a request (on PostgreSQL only when told of a change: see its docstring)
    and, with the migrations that create and move it, is all that writes it.
    """

    ROW = 1

    version = models.PositiveBigIntegerField(default=0)
    # When the next scheduled publication goes public, in microseconds since the
    # epoch: a number every database returns alike, compared on every request.
    next_change_us = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"content version {self.version}"


# --- reading the version -----------------------------------------------------------------


@functools.cache
def _version_sql():
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    return f"SELECT version, next_change_us FROM {table} WHERE id = {ContentVersion.ROW}"


def _now_us():
    return int(timezone.now().timestamp() * 1_000_000)


def _fetch_version():
    """(counter, next change) from the row; None if there is no row.

    On the driver's own connection when Django has one open: this runs on every
    request, cached pages included, and Django's cursor would first ping the
    database (CONN_HEALTH_CHECKS) and wrap the call, which together cost more than
    the look-up. A database that takes longer than VERSION_READ_SECONDS to answer
    it is taken as away (thinktank.database), and the version last read stands.
    """
    if connection.connection is None:
        connection.ensure_connection()
    # Driver errors become Django's, and mark the connection for replacement.
    with connection.wrap_database_errors, answering_within(VERSION_READ_SECONDS):
        cursor = connection.connection.cursor()
        try:
            cursor.execute(_version_sql())
            return cursor.fetchone()
        finally:
            cursor.close()


def _read_version():
    watcher = _watcher()
    if watcher is not None:
        version = watcher.unchanged_version()
        if version is not None:
            return version
    started = time.monotonic()
    try:
        row = _fetch_version()
        if row and row[1] is not None and row[1] <= _now_us():
            _move_on(only_if_due=True)
            row = _fetch_version()
    except DatabaseError:
        if _last_read["version"] is None:
            raise
        return _last_read["version"]
    version = str(row[0]) if row else "none"
    _last_read["version"] = version
    if watcher is not None:
        watcher.remember(version, row[1] if row else None, started)
    return version


# --- learning of a new version without asking: PostgreSQL's LISTEN/NOTIFY ------------------

# Migration 0010 adds the trigger that notifies this channel.
NOTIFY_CHANNEL = "thinktank_content_version"
# After a failed attempt to listen, the row is read on every request for this long
# before trying again.
LISTEN_RETRY_SECONDS = 5
# Connections a forked worker inherited from its parent: kept, never used or closed,
# because closing one would end the parent's session on the shared socket.
_inherited_connections = []


class _Watcher:
    """One process's ear on the version row, so that a cached page costs no query.

    The row read was the one database round trip of a cached page, about a third of
    its cost on PostgreSQL. Instead, each process LISTENs on a connection of its own;
    the trigger's notification is sent when a transaction that moved the row on
    commits. Before a request reuses the version read last, the listening socket is
    drained without waiting (libpq reads what has arrived and returns). The row is
    read again when:
    - a notification came (this process's own changes forget at once, _move_on());
    - the next scheduled publication's time has come (the row says when);
    - CONTENT_VERSION_RECHECK_SECONDS passed since the last read: a notification
      lost to a silently broken connection costs at most that long, and a version
      that moved without one is logged and the connection replaced;
    - the listening connection is closed or broken (a database restart), until a new
      one listens; while the database is away, the version last read stands as before.
    A change committed elsewhere is seen once its notification reaches this process,
    a fraction of a millisecond after the commit on one network; the request that
    made the change, and any later one in the same process, see it at once.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.pid = None
        self.listener = None
        self.poller = None
        self.retry_at = 0.0
        self.known = None  # (version, next change in µs, time.monotonic() of the read)

    def unchanged_version(self):
        """The version read last, if nothing can have changed it since; else None."""
        with self.lock:
            if not self._listening() or not self._quiet():
                self.known = None
                return None
            if self.known is None:
                return None
            version, next_change_us, read_at = self.known
            if time.monotonic() - read_at >= settings.CONTENT_VERSION_RECHECK_SECONDS:
                return None
            if next_change_us is not None and next_change_us <= _now_us():
                return None
            return version

    def remember(self, version, next_change_us, read_at):
        """Note a version read from the row, to reuse while nothing is announced."""
        with self.lock:
            if self.listener is None:
                return
            if not self._quiet():
                # Announced while reading: perhaps a later change. Read again next time.
                self.known = None
                return
            if self.known is not None and self.known[0] != version:
                # Read again on time, and the row had moved on without a word.
                logger.warning(
                    "The content version moved from %s to %s without a notification; "
                    "listening again on a new connection.",
                    self.known[0],
                    version,
                )
                self._stop_listening()
                return
            self.known = (version, next_change_us, read_at)

    def forget(self):
        with self.lock:
            self.known = None

    def _quiet(self):
        """Whether nothing arrived on the listening connection: no notification, no error.

        The common case costs one poll() system call that returns at once. Whatever
        arrived is read; a connection the server ended (a FATAL notice, or end of file
        still waiting once everything is read) is replaced.
        """
        if not self.poller.poll(0):
            return True
        try:
            self.listener.poll()
            ended = bool(self.listener.notices) or bool(self.poller.poll(0))
        except connection.Database.Error:
            ended = True
        if ended:
            logger.warning("The content version listener's connection ended; reading the row.")
            self._stop_listening()
            return False
        announced = bool(self.listener.notifies)
        self.listener.notifies.clear()
        return not announced

    def _listening(self):
        if self.pid != os.getpid():
            # A new process (a forked worker): its parent's connection is not its own.
            if self.listener is not None:
                _inherited_connections.append(self.listener)
            self.pid, self.listener, self.poller, self.known = os.getpid(), None, None, None
        if self.listener is not None and not self.listener.closed:
            return True
        self.listener = None
        if time.monotonic() < self.retry_at:
            return False
        self.retry_at = time.monotonic() + LISTEN_RETRY_SECONDS
        try:
            listener = connection.Database.connect(**connection.get_connection_params())
            listener.autocommit = True
            with listener.cursor() as cursor:
                cursor.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except connection.Database.Error as error:
            logger.warning("Cannot listen for content versions (%s); reading the row.", error)
            return False
        self.listener = listener
        self.poller = select.poll()
        self.poller.register(listener.fileno(), select.POLLIN)
        return True

    def _stop_listening(self):
        listener, self.listener, self.poller, self.known = self.listener, None, None, None
        self.retry_at = 0.0
        with suppress(connection.Database.Error):
            listener.close()


_process_watcher = _Watcher()


def stop_listening():
    """Close this process's listening connection, if any (a new one opens when needed)."""
    with _process_watcher.lock:
        if _process_watcher.listener is not None:
            _process_watcher._stop_listening()
        _process_watcher.known = None


def _watcher():
    """This process's watcher, when it can help: on PostgreSQL, outside a transaction.

    Inside a transaction the connection may see its own uncommitted changes, which
    nobody announces; and a pooler in transaction mode cannot LISTEN
    (CONTENT_VERSION_LISTEN off).
    """
    if (
        connection.vendor != "postgresql"
        or not settings.CONTENT_VERSION_LISTEN
        or connection.in_atomic_block
    ):
        return None
    return _process_watcher


def content_version():
    """The current content version; within a request, the one it started with."""
    holder = _request_version.get()
    if holder is None:
        return _read_version()
    if not holder:
        holder.append(_read_version())
    return holder[0]


@contextmanager
def version_per_request():
    """Read the version at most once while serving one request.

    The page, its related list and its filter menus then agree, and cost one query
    between them. A change committed meanwhile is not missed: whatever this request
    caches under the old version is retired with it.
    """
    reset = _request_version.set([])
    try:
        yield
    finally:
        _request_version.reset(reset)


# --- renewing the version ----------------------------------------------------------------


def _move_on(only_if_due=False):
    """Move the counter on, and note when the next scheduled publication goes public.

    The counter is updated first, so the row is locked (PostgreSQL) or the database
    reserved (SQLite) before the next scheduled date is read: two of these at once
    cannot leave an older date behind. `only_if_due`: only if that date has come
    (a reader noticed it; the first of several readers does the work).
    """
    # The models that define "scheduled" import this module: asked of the app registry.
    publication = apps.get_model("publications", "Publication")
    row = ContentVersion.objects.filter(pk=ContentVersion.ROW)
    with transaction.atomic():
        if only_if_due:
            moved = row.filter(next_change_us__lte=_now_us()).update(version=F("version") + 1)
            if not moved:
                return
        elif not row.update(version=F("version") + 1):
            ContentVersion.objects.get_or_create(pk=ContentVersion.ROW)
        upcoming = (
            publication.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        row.update(next_change_us=int(upcoming.timestamp() * 1_000_000) if upcoming else None)
    # This process knows at once; the others when the trigger's notification arrives.
    _process_watcher.forget()


def _pending_in(conn):
    # Django keeps (savepoint ids, callback, robust) for each on_commit() in the open
    # transaction, and drops those of a savepoint that is rolled back.
    return any(callback is _move_on for _, callback, *_ in conn.run_on_commit)


def has_uncommitted_changes():
    """Whether this connection's open transaction has changed public content.

    Nothing rendered from such a transaction may be cached: the rows it read may
    still be rolled back, and other requests cannot see them yet.
    """
    return connection.in_atomic_block and _pending_in(connection)


def content_changed(action="post_", **kwargs):
    """Retire every cached page and list once the change commits. A signal receiver.

    Once per transaction, however many rows it saves: the counter moves on after
    the commit, so no request can cache the old rows under the new version. In
    autocommit mode (the shell, most scripts) the row is committed already, so it
    moves on at once.
    """
    if not action.startswith("post_"):  # m2m_changed also sends pre_add, pre_remove...
        return
    if not connection.in_atomic_block:
        _move_on()
    elif not _pending_in(connection):
        # robust: the change is committed either way; a failure here is logged.
        transaction.on_commit(_move_on, robust=True)


def code_released(using, **kwargs):
    """Retire every cached page when `migrate` runs. A post_migrate receiver.

    Every release runs `migrate` before its code serves (README, "Deploying"), and no
    page the old code rendered (a feed from before a fix) may outlive it: keys hold
    the content version, not the code's.
    """
    if using == DEFAULT_DB_ALIAS:
        _move_on()


# --- values kept until content changes ------------------------------------------------


def remember(name, parts, compute):
    """`compute()`, cached under `name`, `parts` and the content version."""
    if has_uncommitted_changes():
        return compute()
    key = ":".join([name, content_version(), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, VERSION_KEYED_SECONDS)
    return value
