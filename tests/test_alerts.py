"""Email alerts: following, double opt-in, what is sent and when, and leaving.

Emails land in Django's test outbox (`mailoutbox`); tasks run at once inside
enqueue(), and what the worker would run later is called here directly. Work that
waits for a commit (the announcement of a publication, a confirmation email) runs as
the `committed` block ends.
"""

import base64
import re
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from anymail.signals import AnymailTrackingEvent, tracking
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import signing, tasks
from alerts.models import Delivery, Subscriber

from .factories import make_author, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LINK = re.compile(r"https://testserver(/\S+)")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block at whose end what waits for a commit runs, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def kim():
    return make_author("Kim Sora", slug="kim-sora")


def subscribe(client, email, **follows):
    """Post the subscribe form, e.g. subscribe(client, "a@example.org", authors=["kim-sora"])."""
    data = {"email": email, "frequency": "immediately", **follows}
    return client.post(reverse("alerts:subscribe"), data)


def links_in(message):
    return LINK.findall(message.body)


def subscribed(client, committed, mailoutbox, email, **follows):
    """An address subscribed and confirmed through its confirmation email: the link,
    then the button on the page it opens."""
    with committed():
        subscribe(client, email, **follows)
    (confirm_path,) = links_in(mailoutbox.pop())
    assert "Confirm my subscription" in client.get(confirm_path).text
    assert "You are subscribed" in client.post(confirm_path, follow=True).text
    return Subscriber.objects.get(email=email)


def subscriber_managed_by(path, view_name):
    """The subscriber a signed link of ours manages, if it is a `view_name` link."""
    match = resolve(path)
    if match.view_name != view_name:
        return None
    pk, email = signing.read_manage_token(match.kwargs["token"])
    return Subscriber.objects.get(pk=pk, email=email)


def publish(publication):
    publication.publish()
    publication.save()


def test_a_confirmed_subscriber_gets_exactly_one_email_when_an_editor_publishes(
    client, committed, mailoutbox, kim
):
    subscriber = subscribed(
        client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"]
    )
    with committed():
        draft = make_publication("Sanctions and Shipping", authors=[kim], status="draft")
    assert mailoutbox == []

    with committed():
        publish(draft)

    (message,) = mailoutbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "Sanctions and Shipping"
    assert "You follow Kim Sora." in message.body
    assert "By Kim Sora" in message.body
    assert draft.lead_text in message.body
    assert f"https://testserver{draft.get_absolute_url()}" in message.body
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    assert "You follow Kim Sora." in html
    assert f'href="https://testserver{draft.get_absolute_url()}"' in html
    # A signed link carries the second it was signed in, so the links are compared by
    # whom they manage, not as strings.
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    (unsubscribe_path,) = LINK.fullmatch(unsubscribe).groups()
    assert subscriber_managed_by(unsubscribe_path, "alerts:unsubscribe") == subscriber
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    preferences = [subscriber_managed_by(path, "alerts:preferences") for path in links_in(message)]
    assert preferences.count(subscriber) == 1


def test_an_edit_or_a_republish_sends_nothing_again(client, committed, mailoutbox, kim):
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    with committed():
        publication = make_publication(authors=[kim])
    assert len(mailoutbox) == 1

    with committed():
        publication.title = "A Corrected Title"
        publication.save()
    with committed():
        publication.unpublish()
        publication.save()
    with committed():
        publish(publication)
        tasks.announce.call(publication.pk)
        tasks.send_alerts.call(publication.pk)

    assert len(mailoutbox) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_an_edit_after_someone_subscribed_does_not_send_them_an_old_publication(
    client, committed, mailoutbox, kim
):
    with committed():
        publication = make_publication(authors=[kim])
    subscribed(client, committed, mailoutbox, "late@example.org", authors=["kim-sora"])

    with committed():
        publication.title = "A Corrected Title"
        publication.save()

    assert mailoutbox == []


def test_an_archive_brought_in_with_its_old_dates_sends_nothing(client, committed, mailoutbox, kim):
    """An import saves years of publications as published: they are not news."""
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    with committed():
        make_publication("From the Old Site", authors=[kim], days_ago=400)
        make_publication("Last Month", authors=[kim], days_ago=30)
    with committed():
        make_publication("This Week", authors=[kim], days_ago=6)

    assert [message.subject for message in mailoutbox] == ["This Week"]
    assert not Delivery.objects.filter(publication__title="Last Month").exists()


def test_nothing_is_sent_before_the_address_is_confirmed(client, committed, mailoutbox, kim):
    with committed():
        subscribe(client, "reader@example.org", authors=["kim-sora"])
    mailoutbox.clear()  # the confirmation, not followed

    with committed():
        make_publication(authors=[kim])

    assert mailoutbox == []


def test_nothing_is_sent_for_drafts_or_items_in_review(client, committed, mailoutbox, kim):
    subscribed(client, committed, mailoutbox, "reader@example.org", follows_everything="on")

    with committed():
        make_publication(authors=[kim], status="draft")
        make_publication(authors=[kim], status="review")

    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_a_scheduled_publication_is_sent_when_its_time_comes(
    client, committed, mailoutbox, kim, time_machine
):
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    with committed():
        scheduled = make_publication(
            authors=[kim], published_at=timezone.now() + timedelta(hours=2)
        )
    tasks.announce.call(scheduled.pk)  # a worker running early: not yet
    assert mailoutbox == []

    time_machine.move_to(timezone.now() + timedelta(hours=3))
    with committed():
        tasks.announce.call(scheduled.pk)  # what the worker runs at the publish date

    assert [message.subject for message in mailoutbox] == [scheduled.title]


def test_scheduling_enqueues_the_announcement_for_the_publish_date(settings, committed, kim):
    settings.TASKS = DATABASE_QUEUE
    at = (timezone.now() + timedelta(days=1)).replace(microsecond=0)

    with committed():
        scheduled = make_publication(authors=[kim], published_at=at)

    (task,) = DBTaskResult.objects.filter(task_path="alerts.tasks.announce")
    assert task.run_after == at
    assert task.args_kwargs["args"] == [scheduled.pk]


def test_an_item_unpublished_before_its_email_went_out_is_not_sent(
    client, committed, mailoutbox, kim, settings
):
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    publication = make_publication(authors=[kim])
    settings.TASKS = DATABASE_QUEUE  # the alerts wait for the worker
    with committed():
        tasks.announce.call(publication.pk)
    publication.unpublish()
    publication.save()

    tasks.send_alerts.call(publication.pk)

    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_a_region_includes_its_subregions(client, committed, mailoutbox):
    northeast_asia = make_region("Northeast Asia", slug="northeast-asia")
    japan = make_region("Japan", slug="japan", parent=northeast_asia)
    subscribed(client, committed, mailoutbox, "wide@example.org", regions=["northeast-asia"])
    subscribed(client, committed, mailoutbox, "narrow@example.org", regions=["japan"])

    with committed():
        make_publication("Tokyo Votes", regions=[japan])
        make_publication("The Whole Region", regions=[northeast_asia])

    sent = sorted((m.to[0], m.subject, "You follow " in m.body) for m in mailoutbox)
    assert sent == [
        ("narrow@example.org", "Tokyo Votes", True),
        ("wide@example.org", "The Whole Region", True),
        ("wide@example.org", "Tokyo Votes", True),
    ]
    tokyo = next(m for m in mailoutbox if m.to == ["wide@example.org"] and "Tokyo" in m.subject)
    assert "You follow Northeast Asia." in tokyo.body


def test_one_email_whatever_the_number_of_matches_with_the_most_specific_reason(
    client, committed, mailoutbox, kim
):
    region = make_region("Korean Peninsula", slug="korean-peninsula")
    subscribed(
        client,
        committed,
        mailoutbox,
        "reader@example.org",
        authors=["kim-sora"],
        regions=["korean-peninsula"],
        follows_everything="on",
    )

    with committed():
        make_publication(authors=[kim], regions=[region], tags=["Energy"])

    (message,) = mailoutbox
    assert "You follow Kim Sora." in message.body


def test_types_and_topics_can_be_followed(client, committed, mailoutbox):
    commentary = make_type("Commentary", slug="commentary", plural_label="Commentaries")
    make_publication(tags=["Energy"])  # the topic is public, so it can be chosen
    subscribed(client, committed, mailoutbox, "types@example.org", types=["commentary"])
    subscribed(client, committed, mailoutbox, "topics@example.org", tags=["energy"])

    with committed():
        make_publication(publication_type=commentary)
        make_publication(tags=["Energy"])

    reasons = sorted((m.to[0], m.body.split("\n")[0]) for m in mailoutbox)
    assert reasons == [
        ("topics@example.org", "You follow Energy."),
        ("types@example.org", "You follow Commentaries."),
    ]


def test_one_post_to_the_unsubscribe_link_forgets_the_address(client, committed, mailoutbox, kim):
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    with committed():
        make_publication(authors=[kim])
    (message,) = mailoutbox
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")

    # A mail program, as RFC 8058 has it: one POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe.removeprefix("https://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()


def test_the_confirmation_link_asks_on_a_visit_and_only_the_button_confirms(
    client, committed, mailoutbox, kim
):
    """A mail scanner opening the link confirms nothing."""
    with committed():
        subscribe(client, "reader@example.org", authors=["kim-sora"])
    (confirm_path,) = links_in(mailoutbox.pop())

    page = client.get(confirm_path)
    assert "Send alerts to reader@example.org, following Kim Sora?" in page.text
    assert f'<form method="post" action="{confirm_path}">' in page.text
    assert not Subscriber.objects.get().is_confirmed

    response = Client(enforce_csrf_checks=True).post(confirm_path)
    assert response.status_code == 403  # a form on our page, with its CSRF token
    response = client.post(confirm_path)

    assert response.url == confirm_path
    assert Subscriber.objects.get().is_confirmed
    assert "You are subscribed" in client.get(confirm_path).text


def test_the_unsubscribe_link_asks_before_it_unsubscribes_on_a_visit(client, committed, mailoutbox):
    subscriber = subscribed(
        client, committed, mailoutbox, "reader@example.org", follows_everything="on"
    )

    response = client.get(subscriber.unsubscribe_url)

    assert "Stop all email alerts to reader@example.org?" in response.text
    assert Subscriber.objects.exists()


def test_the_eleventh_subscribe_request_from_one_address_is_refused(client, committed):
    with committed():
        answers = [
            subscribe(client, f"reader{n}@example.org", follows_everything="on").status_code
            for n in range(11)
        ]

    assert answers == [302] * 10 + [429]
    response = subscribe(client, "reader11@example.org", follows_everything="on")
    assert "Too many requests came from your address, or for this email address" in response.text
    assert 'value="reader11@example.org"' in response.text  # what was typed stays
    assert Subscriber.objects.count() == 10


def test_the_eleventh_subscribe_request_for_one_email_address_is_refused(committed, mailoutbox):
    with committed():
        answers = [
            subscribe(
                Client(REMOTE_ADDR=f"192.0.2.{n}"), "target@example.org", follows_everything="on"
            ).status_code
            for n in range(11)
        ]

    assert answers == [302] * 10 + [429]


def test_a_signed_unsubscribe_link_that_was_used_already_says_so_and_an_altered_one_does_not_work(
    client, committed, mailoutbox
):
    subscriber = subscribed(
        client, committed, mailoutbox, "reader@example.org", follows_everything="on"
    )
    url = subscriber.unsubscribe_url
    client.post(url)

    assert "You are unsubscribed" in client.get(url).text
    assert client.post(url.replace("/alerts/", "/alerts/x")).status_code == 404


def test_no_address_is_sent_more_than_three_confirmations_a_day(committed, mailoutbox):
    with committed():
        for n in range(5):
            client = Client(REMOTE_ADDR=f"192.0.2.{n}")
            assert (
                subscribe(client, "target@example.org", follows_everything="on").status_code == 302
            )

    assert len(mailoutbox) == 3


def test_a_known_address_is_answered_the_same_and_changed_only_through_its_own_link(
    client, committed, mailoutbox, kim
):
    subscribed(client, committed, mailoutbox, "reader@example.org", follows_everything="on")

    with committed():
        response = subscribe(client, "Reader@Example.org", authors=["kim-sora"])

    assert response.url == reverse("alerts:subscribe-sent")
    (message,) = mailoutbox
    assert "which gets them already. Nothing was changed." in message.body
    subscriber = Subscriber.objects.get()
    assert subscriber.follows_everything
    assert not subscriber.authors.exists()


def test_a_filled_in_trap_field_is_answered_as_usual_and_nothing_is_kept_or_sent(
    client, committed, mailoutbox
):
    with committed():
        response = subscribe(
            client, "bot@example.org", follows_everything="on", website="http://spam"
        )

    assert response.url == reverse("alerts:subscribe-sent")
    assert mailoutbox == []
    assert not Subscriber.objects.exists()


def test_subscribing_without_choosing_anything_says_so(client):
    response = subscribe(client, "reader@example.org")

    assert response.status_code == 400
    assert "Choose at least one expert, region, type or topic to follow" in response.text
    assert 'value="reader@example.org"' in response.text


def test_a_confirmation_link_that_was_altered_or_is_too_old_does_not_work(
    client, committed, mailoutbox, time_machine
):
    with committed():
        subscribe(client, "reader@example.org", follows_everything="on")
    (confirm_path,) = links_in(mailoutbox[0])

    assert client.get(confirm_path[:-3] + "xyz/").status_code == 404
    assert client.post(confirm_path[:-3] + "xyz/").status_code == 404
    time_machine.move_to(timezone.now() + timedelta(days=8))
    response = client.post(confirm_path)

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert not Subscriber.objects.get().is_confirmed


def test_unconfirmed_addresses_are_forgotten_after_seven_days(
    client, committed, mailoutbox, time_machine
):
    subscribed(client, committed, mailoutbox, "confirmed@example.org", follows_everything="on")
    with committed():
        subscribe(client, "never@example.org", follows_everything="on")

    time_machine.move_to(timezone.now() + timedelta(days=6))
    tasks.forget_unconfirmed.call()
    assert Subscriber.objects.count() == 2
    time_machine.move_to(timezone.now() + timedelta(days=2))
    tasks.forget_unconfirmed.call()

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["confirmed@example.org"]


def test_a_new_subscription_schedules_forgetting_it_unless_confirmed(settings, client, committed):
    settings.TASKS = DATABASE_QUEUE

    with committed():
        subscribe(client, "reader@example.org", follows_everything="on")

    (task,) = DBTaskResult.objects.filter(task_path="alerts.tasks.forget_unconfirmed")
    assert timedelta(days=7) < task.run_after - timezone.now() < timedelta(days=7, minutes=2)


def test_the_preferences_page_changes_what_is_followed_and_how_often(
    client, committed, mailoutbox, kim
):
    subscriber = subscribed(
        client, committed, mailoutbox, "reader@example.org", follows_everything="on"
    )
    page = client.get(subscriber.get_absolute_url())
    assert "For reader@example.org." in page.text

    response = client.post(
        subscriber.get_absolute_url(), {"authors": ["kim-sora"], "frequency": "weekly"}
    )

    assert response.status_code == 302
    assert "Your choices are saved." in client.get(response.url).text
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert not subscriber.follows_everything
    assert list(subscriber.authors.all()) == [kim]


def test_a_preferences_link_that_was_altered_does_not_work(client, committed, mailoutbox):
    subscriber = subscribed(
        client, committed, mailoutbox, "reader@example.org", follows_everything="on"
    )

    response = client.get(subscriber.get_absolute_url().replace("/alerts/", "/alerts/x"))

    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_weekly_subscribers_get_one_digest_listing_the_weeks_matches_once_each(
    client, committed, mailoutbox, kim
):
    subscribed(
        client,
        committed,
        mailoutbox,
        "weekly@example.org",
        authors=["kim-sora"],
        frequency="weekly",
    )
    with committed():
        first = make_publication("First Brief", authors=[kim], days_ago=2)
        second = make_publication("Second Brief", authors=[kim], days_ago=1)
    assert mailoutbox == []

    due = tasks.next_digest_time()
    tasks.send_digest.call(due.isoformat())
    tasks.send_digest.call(due.isoformat())

    (digest,) = mailoutbox
    assert digest.subject == "This week from thinktank: 2 new publications"
    assert digest.body.count(first.title) == 1
    assert digest.body.index(second.title) < digest.body.index(first.title)
    assert "List-Unsubscribe" in digest.extra_headers
    assert "Second Brief" in digest.alternatives[0][0]


def test_the_digest_goes_out_on_the_chosen_day_and_hour_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    settings.ALERTS_DIGEST_WEEKDAY = 0  # Monday
    settings.ALERTS_DIGEST_HOUR = 8

    # Sunday 2 March 2026, 23:30 in Seoul.
    due = tasks.next_digest_time(datetime(2026, 3, 1, 14, 30, tzinfo=UTC))

    assert due.isoformat() == "2026-03-02T08:00:00+09:00"
    # At 08:00 on Monday itself, the next is a week on.
    assert tasks.next_digest_time(due).isoformat() == "2026-03-09T08:00:00+09:00"


class RefusingBackend(EmailBackend):
    """A server that refuses refused@example.org outright, and takes the rest."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"No such user")})
        return super().send_messages(messages)


class ProviderRefusingBackend(EmailBackend):
    """A provider's API (through django-anymail) that rejects refused@example.org."""

    def send_messages(self, messages):
        for message in messages:
            if "refused@example.org" in message.to:
                raise AnymailRecipientsRefused()
        return super().send_messages(messages)


class AwayBackend(EmailBackend):
    def open(self):
        raise ConnectionRefusedError("Connection refused")


@pytest.mark.parametrize("backend", ["RefusingBackend", "ProviderRefusingBackend"])
def test_an_address_refused_three_times_in_a_row_is_no_longer_sent_to(
    client, committed, mailoutbox, kim, settings, backend
):
    refused = subscribed(client, committed, mailoutbox, "refused@example.org", authors=["kim-sora"])
    subscribed(client, committed, mailoutbox, "fine@example.org", authors=["kim-sora"])
    settings.EMAIL_BACKEND = f"tests.test_alerts.{backend}"

    for _ in range(4):
        with committed():
            make_publication(authors=[kim])

    assert [m.to for m in mailoutbox] == [["fine@example.org"]] * 4
    refused.refresh_from_db()
    assert refused.hard_failures == 3
    assert refused.disabled_at is not None
    assert refused.deliveries.count() == 3  # the fourth found it no longer receiving


def test_a_server_that_does_not_answer_is_tried_again_later(
    client, committed, mailoutbox, kim, settings
):
    subscribed(client, committed, mailoutbox, "reader@example.org", authors=["kim-sora"])
    publication = make_publication(authors=[kim])
    settings.EMAIL_BACKEND = "tests.test_alerts.AwayBackend"
    settings.TASKS = DATABASE_QUEUE

    with committed():
        tasks.announce.call(publication.pk)
    tasks.send_alerts.call(publication.pk)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    waiting = DBTaskResult.objects.filter(task_path="alerts.tasks.send_alerts")
    # The first, enqueued by the announcement, and the retry, a minute on.
    first, retry = [task.task_result.task.run_after for task in waiting.order_by("enqueued_at")]
    assert first is None
    assert timedelta(seconds=50) < retry - timezone.now() <= timedelta(minutes=1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.send_alerts.call(publication.pk)
    assert len(mailoutbox) == 1


def test_alerts_go_out_in_batches(client, committed, mailoutbox, kim, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "SECONDS_PER_TASK", 0)  # a task per batch
    for n in range(5):
        subscribed(client, committed, mailoutbox, f"reader{n}@example.org", authors=["kim-sora"])

    with committed():
        make_publication(authors=[kim])

    assert sorted(m.to[0] for m in mailoutbox) == [f"reader{n}@example.org" for n in range(5)]


def test_an_item_unpublished_while_its_alerts_go_out_is_not_sent_to_the_rest(
    client, committed, mailoutbox, kim, monkeypatch, settings
):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "SECONDS_PER_TASK", 0)
    for n in range(5):
        subscribed(client, committed, mailoutbox, f"reader{n}@example.org", authors=["kim-sora"])
    publication = make_publication(authors=[kim])
    settings.TASKS = DATABASE_QUEUE  # each batch waits for the worker
    with committed():
        tasks.announce.call(publication.pk)

    tasks.send_alerts.call(publication.pk)
    publication.unpublish()
    publication.save()
    tasks.send_alerts.call(publication.pk)

    assert len(mailoutbox) == 2
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert Delivery.objects.count() == 2  # the rest forgotten: a later publish sends them


# --- what the email provider reports (django-anymail) ----------------------------------


def provider_reports(event_type, recipient):
    """anymail's `tracking` signal, as its webhook view sends it for one event."""
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient, message_id="m-1")
    tracking.send(sender=object, event=event, esp_name="Postmark")


def test_a_bounce_the_provider_reports_stops_all_email_to_the_address(
    client, committed, mailoutbox, kim
):
    bounced = subscribed(client, committed, mailoutbox, "gone@example.org", authors=["kim-sora"])
    subscribed(client, committed, mailoutbox, "fine@example.org", authors=["kim-sora"])

    provider_reports("bounced", "Gone@Example.org")
    with committed():
        make_publication(authors=[kim])

    assert [m.to for m in mailoutbox] == [["fine@example.org"]]
    bounced.refresh_from_db()
    assert bounced.disabled_at is not None


def test_a_spam_complaint_the_provider_reports_forgets_the_address(
    client, committed, mailoutbox, kim
):
    subscribed(client, committed, mailoutbox, "annoyed@example.org", authors=["kim-sora"])
    with committed():
        make_publication(authors=[kim])

    provider_reports("complained", "annoyed@example.org")

    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("event_type", ["deferred", "delivered", "opened"])
def test_other_provider_reports_are_logged_and_change_nothing(
    client, committed, mailoutbox, caplog, event_type
):
    subscribed(client, committed, mailoutbox, "reader@example.org", follows_everything="on")

    with caplog.at_level("INFO", logger="alerts.providers"):
        provider_reports(event_type, "reader@example.org")

    assert caplog.messages == [f"Postmark reported {event_type} for message m-1: noted"]
    assert Subscriber.objects.receiving().count() == 1


POSTMARK_HARD_BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Email": "gone@example.org",
    "BouncedAt": "2026-03-02T08:00:00Z",
    "Description": "The server was unable to deliver your message.",
}


def test_the_providers_webhook_takes_a_bounce_behind_its_basic_auth(client, committed, mailoutbox):
    """The address anymail documents, here for Postmark: /anymail/postmark/tracking/."""
    bounced = subscribed(client, committed, mailoutbox, "gone@example.org", follows_everything="on")
    webhook = reverse("anymail:postmark_tracking_webhook")

    def post(**auth):
        return Client().post(webhook, POSTMARK_HARD_BOUNCE, content_type="application/json", **auth)

    assert webhook == "/anymail/postmark/tracking/"
    assert post().status_code == 400  # no credentials: refused, and nothing done
    assert Subscriber.objects.receiving().exists()
    credentials = base64.b64encode(b"webhook:test-secret").decode()

    assert post(HTTP_AUTHORIZATION=f"Basic {credentials}").status_code == 200

    bounced.refresh_from_db()
    assert bounced.disabled_at is not None


# --- the follow controls ---------------------------------------------------------------


def test_author_region_topic_and_type_pages_link_to_the_subscribe_page_with_the_item_chosen(
    client, kim
):
    region = make_region("Northeast Asia", slug="northeast-asia")
    kind = make_type("Commentary", slug="commentary", plural_label="Commentaries")
    make_publication(authors=[kim], regions=[region], tags=["Energy"], publication_type=kind)
    subscribe_url = reverse("alerts:subscribe")

    pages = {
        kim.get_absolute_url(): ("Follow Kim Sora by email", "author=kim-sora"),
        region.get_absolute_url(): ("Follow Northeast Asia by email", "region=northeast-asia"),
        reverse("publications:tag-detail", args=["energy"]): (
            "Follow Energy by email",
            "tag=energy",
        ),
        kind.get_absolute_url(): ("Follow Commentaries by email", "type=commentary"),
    }
    for page, (label, query) in pages.items():
        assert f'href="{subscribe_url}?{query}">{label}</a>' in client.get(page).text, page


def test_the_article_offers_to_follow_its_authors_and_regions(client, kim):
    region = make_region("Northeast Asia", slug="northeast-asia")
    publication = make_publication(authors=[kim], regions=[region])

    page = client.get(publication.get_absolute_url()).text

    assert '">Follow Kim Sora</a>' in page
    assert '">Follow Northeast Asia</a>' in page
    assert "?author=kim-sora&amp;region=northeast-asia" in page


def test_follow_controls_escape_names(client):
    author = make_author('Kim "Sora" <b>&</b>', slug="kim-sora")
    region = make_region("Asia & <Pacific>", slug="asia-pacific")
    publication = make_publication(authors=[author], regions=[region])

    article = client.get(publication.get_absolute_url()).text
    region_page = client.get(region.get_absolute_url()).text

    assert '">Follow Kim &quot;Sora&quot; &lt;b&gt;&amp;&lt;/b&gt;</a>' in article
    assert '">Follow Asia &amp; &lt;Pacific&gt;</a>' in article
    assert "?author=kim-sora&amp;region=asia-pacific" in article
    assert "<b>&</b>" not in article
    assert '">Follow Asia &amp; &lt;Pacific&gt; by email</a>' in region_page


def test_the_subscribe_page_has_the_followed_item_chosen(client, kim):
    make_author("Someone Else", slug="someone-else")

    page = client.get(reverse("alerts:subscribe"), {"author": "kim-sora"}).text

    assert re.search(r'value="kim-sora"[^>]* checked', page)
    assert not re.search(r'value="someone-else"[^>]* checked', page)


# --- query counts ---------------------------------------------------------------------


def test_the_subscribe_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(5):
        make_publication(authors=[make_author()], regions=[make_region()], tags=[f"Topic {n}"])

    # Authors, regions, types, topics.
    with django_assert_num_queries(4):
        assert client.get(reverse("alerts:subscribe")).status_code == 200


def test_the_preferences_page_reads_a_fixed_number_of_queries(
    client, committed, mailoutbox, django_assert_num_queries
):
    authors = [make_author() for _ in range(3)]
    for author in authors:
        make_publication(authors=[author], tags=["Energy", "Trade"])
    subscriber = subscribed(
        client,
        committed,
        mailoutbox,
        "reader@example.org",
        authors=[author.slug for author in authors],
        tags=["energy", "trade"],
    )

    # The subscriber, what it follows (four), and the choices (four).
    with django_assert_num_queries(9):
        assert client.get(subscriber.get_absolute_url()).status_code == 200


def test_the_confirm_and_unsubscribe_pages_read_a_fixed_number_of_queries(
    client, committed, mailoutbox, django_assert_num_queries
):
    with committed():
        subscribe(client, "reader@example.org", follows_everything="on")
    (confirm_path,) = links_in(mailoutbox.pop())

    with django_assert_num_queries(1):  # the subscriber
        assert client.get(confirm_path).status_code == 200
    with django_assert_num_queries(2):  # the subscriber; its consent noted
        assert client.post(confirm_path).status_code == 302
    unsubscribe = Subscriber.objects.get().unsubscribe_url
    with django_assert_num_queries(1):  # the subscriber
        assert client.get(unsubscribe).status_code == 200


# --- the admin ------------------------------------------------------------------------


def test_the_admin_lists_subscribers_with_what_they_follow_in_the_same_queries_for_more(
    admin_client, kim
):
    def listed():
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(reverse("admin:alerts_subscriber_changelist"))
        return page, len(queries)

    first = Subscriber.objects.create(email="one@example.org", confirmed_at=timezone.now())
    first.authors.add(kim)
    page, few = listed()
    for n in range(5):
        more = Subscriber.objects.create(email=f"more{n}@example.org")
        more.authors.add(kim)
        more.regions.add(make_region())
    page, many = listed()

    assert many == few
    assert "Waiting for confirmation" in page.text
    assert "Confirmed" in page.text
    assert "Kim Sora" in page.text


def test_the_admin_counts_each_publications_alerts_sent_waiting_and_failed(
    admin_client, client, committed, mailoutbox, kim, settings
):
    subscribed(client, committed, mailoutbox, "fine@example.org", authors=["kim-sora"])
    subscribed(client, committed, mailoutbox, "refused@example.org", authors=["kim-sora"])
    settings.EMAIL_BACKEND = "tests.test_alerts.RefusingBackend"
    with committed():
        make_publication("Sent Brief", authors=[kim])

    page = admin_client.get(reverse("admin:alerts_announcement_changelist")).text

    row = re.search(r"Sent Brief.*?</tr>", page, re.S).group()
    assert re.findall(r'<td class="field-(sent|waiting|failed)">(\d+)</td>', row) == [
        ("sent", "1"),
        ("waiting", "0"),
        ("failed", "1"),
    ]
