"""Sending alerts, in the task worker (django-tasks), never in a request.

When a publication is saved as published, once the change commits, announce() is
enqueued for the moment it becomes public (now, or its scheduled publish date, with
nobody visiting the site). It checks again that the publication is public then, notes
that it was announced (Announcement: once per publication, so an edit or a re-publish
sends nothing again), and writes a Delivery for each subscriber following it (unique
per subscriber and publication: never twice). send_alerts() then sends those wanting
every alert, BATCH_SIZE at a time on one connection; send_digest() sends the weekly digests.

A server that does not answer, or answers "try later", is tried again after
RETRY_DELAYS; an address the server (or a provider's API) refuses outright is a hard
failure, and after MAX_HARD_FAILURES in a row nothing more is sent to it.
"""

import logging
import smtplib
import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from publications.models import BYLINE_PREFETCH, Publication

from . import emails
from .models import MAX_HARD_FAILURES, Announcement, Delivery, Subscriber
from .providers import REFUSALS
from .signing import UNCONFIRMED_DAYS

logger = logging.getLogger(__name__)

# Emails claimed and sent on one connection: a failure stops one batch, not the rest.
BATCH_SIZE = 100
# How long one task sends before it enqueues itself for the rest: the worker's other
# tasks (a related list, another publication's alerts) wait no longer than this.
SECONDS_PER_TASK = 10
# How long to wait before each new try of what could not be sent; after the last,
# it is given up (marked failed).
RETRY_DELAYS = [timedelta(minutes=minutes) for minutes in (1, 5, 30, 120, 480)]
# A publication dated further back than this when it is announced is not news: an
# archive brought in by an import, or a date set in the past. It is noted as announced
# and nothing is sent. (A week: a worker stopped for a few days still sends what was
# published meanwhile.)
NEWS_FOR = timedelta(days=7)


def enqueue_at(task_, at, *args):
    """Enqueue `task_(*args)` to run at `at`, or now if `at` has passed.

    A backend that cannot wait (the immediate one, which runs each task inside
    enqueue(): tests and scripts) is not asked to; nothing is enqueued then.
    """
    if at <= timezone.now():
        task_.enqueue(*args)
    elif task_.get_backend().supports_defer:
        task_.using(run_after=at).enqueue(*args)


def announce_later(publication_id, publish_date):
    """After a publication was saved as published: its alerts, unless already
    announced, when it becomes public. Called once the save has committed."""
    if not Announcement.objects.filter(publication_id=publication_id).exists():
        enqueue_at(announce, publish_date, publication_id)


def next_digest_time(now=None):
    """The next weekly digest: ALERTS_DIGEST_WEEKDAY at ALERTS_DIGEST_HOUR, site time."""
    local = timezone.localtime(now or timezone.now())
    days = (settings.ALERTS_DIGEST_WEEKDAY - local.weekday()) % 7
    due = (local + timedelta(days=days)).replace(
        hour=settings.ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return due if due > local else due + timedelta(days=7)


@task()
def announce(publication_id):
    """Write a Delivery for each subscriber following the publication, once, and
    start sending them."""
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is None or publication.status != Publication.Status.PUBLISHED:
        return  # taken back before its time: a later publish announces it
    if publication.is_scheduled:  # rescheduled, or this clock runs ahead of the enqueuer's
        enqueue_at(announce, publication.published_at, publication_id)
        return
    with transaction.atomic():
        _, created = Announcement.objects.get_or_create(publication=publication)
        if not created or publication.published_at < timezone.now() - NEWS_FOR:
            return
        kinds = {
            Subscriber.Frequency.IMMEDIATELY: Delivery.Kind.IMMEDIATE,
            Subscriber.Frequency.WEEKLY: Delivery.Kind.DIGEST,
        }
        deliveries = [
            Delivery(
                subscriber_id=pk, publication=publication, kind=kinds[frequency], reason=reason
            )
            for pk, (frequency, reason) in Subscriber.objects.reasons_for(publication).items()
        ]
        # Those a previous announcement reached (before an unpublish) are not sent again.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
        if any(delivery.kind == Delivery.Kind.IMMEDIATE for delivery in deliveries):
            transaction.on_commit(lambda: send_alerts.enqueue(publication_id))
        if any(delivery.kind == Delivery.Kind.DIGEST for delivery in deliveries):
            due = next_digest_time()
            transaction.on_commit(lambda: enqueue_at(send_digest, due, due.isoformat()))


def publications_to_send():
    """Public publications, with what an email shows of them (type, byline)."""
    return (
        Publication.objects.published()
        .select_related("publication_type")
        .defer("body")
        .prefetch_related(BYLINE_PREFETCH)
    )


def withdraw(publication_id):
    """A publication taken off the site (or rescheduled) before its alerts all went
    out: the rest are not sent, and a later publish announces it again (those it
    reached are not sent it twice)."""
    with transaction.atomic():
        Delivery.objects.filter(publication_id=publication_id).pending().delete()
        Announcement.objects.filter(publication_id=publication_id).delete()


@task()
def send_alerts(publication_id):
    """A publication's alerts, a batch at a time, for up to SECONDS_PER_TASK; then
    enqueues itself for the rest, or a retry. Before each batch it checks that the
    publication is still public."""
    started = time.monotonic()
    pending = Delivery.objects.filter(publication_id=publication_id, kind=Delivery.Kind.IMMEDIATE)
    while True:
        publication = publications_to_send().filter(pk=publication_id).first()
        if publication is None:
            withdraw(publication_id)
            return
        batch = list(pending.claim(BATCH_SIZE))
        if not batch:
            return
        for delivery in batch:
            delivery.publication = publication
        retry_at = deliver([([delivery], emails.alert(delivery)) for delivery in batch])
        if retry_at:
            enqueue_at(send_alerts, retry_at, publication_id)
            return
        if time.monotonic() - started >= SECONDS_PER_TASK:
            send_alerts.enqueue(publication_id)
            return


@task()
def send_digest(due):
    """The weekly digests due at `due` (ISO 8601), BATCH_SIZE subscribers at a time:
    each lists the matches found up to then that it has not been sent, once each."""
    pending = Delivery.objects.filter(kind=Delivery.Kind.DIGEST, created_at__lte=due)
    # Taken off the site since: a later publish announces it again.
    for publication_id in (
        pending.pending()
        .exclude(publication__in=Publication.objects.published())
        .values_list("publication", flat=True)
        .distinct()
    ):
        withdraw(publication_id)
    subscribers = pending.pending().order_by("subscriber").values_list("subscriber", flat=True)
    claimed = list(pending.filter(subscriber__in=list(subscribers.distinct()[:BATCH_SIZE])).claim())
    publications = publications_to_send().in_bulk({delivery.publication_id for delivery in claimed})
    by_subscriber = defaultdict(list)
    for delivery in claimed:
        delivery.publication = publications[delivery.publication_id]
        by_subscriber[delivery.subscriber].append(delivery)
    retry_at = deliver(
        [
            (deliveries, emails.digest(subscriber, sorted(deliveries, key=_newest_first)))
            for subscriber, deliveries in by_subscriber.items()
        ]
    )
    if retry_at:
        enqueue_at(send_digest, retry_at, due)
    elif pending.pending().exists():
        send_digest.enqueue(due)


def _newest_first(delivery):
    return (-delivery.publication.published_at.timestamp(), -delivery.publication_id)


@task()
def send_confirmation(subscriber_id):
    """The link that confirms an address or, to one confirmed already, its
    preferences link."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        message = emails.already_subscribed if subscriber.is_confirmed else emails.confirmation
        message(subscriber).send()


@task()
def forget_unconfirmed():
    """Forget the addresses not confirmed in time (enqueued with each subscription)."""
    Subscriber.objects.unconfirmed_expired().delete()


def forget_unconfirmed_later():
    enqueue_at(forget_unconfirmed, timezone.now() + timedelta(days=UNCONFIRMED_DAYS, minutes=1))


# --- sending ----------------------------------------------------------------------------


def _refused_outright(error):
    """A permanent refusal of the address: an SMTP server's 5xx reply to RCPT TO, or a
    provider's (its API rejected the address, or knows it bounces)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return True


def deliver(batch):
    """Send `batch`, pairs of (deliveries, the message for them), on one connection,
    and record how each went. Returns when to try again what could not be sent yet,
    or None."""
    sent, refused = [], []
    try:
        with get_connection() as connection:
            for deliveries, message in batch:
                if deliveries[0].subscriber.disabled_at:
                    refused.append(deliveries)
                    continue
                message.connection = connection
                try:
                    message.send()
                except REFUSALS as error:
                    if not _refused_outright(error):
                        raise
                    refused.append(deliveries)
                else:
                    sent.append(deliveries)
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Sending alerts stopped, to be tried again: %s", error)
    done = {id(deliveries) for deliveries in sent + refused}
    unsent = [deliveries for deliveries, _ in batch if id(deliveries) not in done]
    _record_sent([d for deliveries in sent for d in deliveries])
    _record_refused([d for deliveries in refused for d in deliveries])
    return _try_again_later([d for deliveries in unsent for d in deliveries])


def _record_sent(deliveries):
    ids = [delivery.pk for delivery in deliveries]
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    subscribers = {delivery.subscriber_id for delivery in deliveries}
    Subscriber.objects.filter(pk__in=subscribers, hard_failures__gt=0).update(hard_failures=0)


def _record_refused(deliveries):
    if not deliveries:
        return
    Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
        status=Delivery.Status.FAILED, attempts=F("attempts") + 1
    )
    subscribers = Subscriber.objects.filter(
        pk__in={d.subscriber_id for d in deliveries if not d.subscriber.disabled_at}
    )
    subscribers.update(hard_failures=F("hard_failures") + 1)
    subscribers.filter(hard_failures__gte=MAX_HARD_FAILURES).disable()


def _try_again_later(deliveries):
    """Back to pending with one more attempt, or failed after the last; returns when
    to try again, or None."""
    if not deliveries:
        return None
    attempts = max(delivery.attempts for delivery in deliveries) + 1
    rows = Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries])
    if attempts > len(RETRY_DELAYS):
        rows.update(status=Delivery.Status.FAILED, attempts=attempts)
        return None
    rows.update(status=Delivery.Status.PENDING, batch=None, attempts=attempts)
    return timezone.now() + RETRY_DELAYS[attempts - 1]
