"""Following by email as a reader does it: from an author's page on a phone, and the
preferences page opened from an email's link."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alerts.models import Subscriber

from ..factories import make_author, make_publication, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def on_live_server(live_server, link):
    """A link from an email (to the site's address) on the test's server."""
    return live_server.url + re.sub(r"^https?://[^/]+", "", link)


def test_a_reader_follows_an_author_from_the_authors_page_on_a_phone(
    live_server, browser, mailoutbox, axe_violations, screenshot
):
    kim = make_author("Kim Sora", slug="kim-sora")
    make_author("Someone Else", slug="someone-else")
    make_publication("Sanctions and Shipping", authors=[kim])
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + kim.get_absolute_url())

    page.get_by_role("link", name="Follow Kim Sora by email").click()

    expect(page.get_by_role("heading", name="Email alerts")).to_be_visible()
    expect(page.get_by_label("Kim Sora")).to_be_checked()
    expect(page.get_by_label("Someone Else")).not_to_be_checked()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "alerts-subscribe-on-a-phone")
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    (confirmation,) = mailoutbox
    (link,) = re.findall(r"https?://\S+/subscribe/confirm/\S+", confirmation.body)
    page.goto(on_live_server(live_server, link))
    expect(page.get_by_role("heading", name="Confirm your email alerts")).to_be_visible()
    assert not Subscriber.objects.get().is_confirmed  # opening the link is not consent
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    subscriber = Subscriber.objects.get()
    assert subscriber.is_confirmed
    assert list(subscriber.authors.all()) == [kim]
    context.close()


def test_the_preferences_page_changes_what_is_followed_and_unsubscribes(
    live_server, page, axe_violations
):
    region = make_region("Northeast Asia", slug="northeast-asia")
    make_publication(regions=[region])
    subscriber = Subscriber.objects.create(
        email="reader@example.org", follows_everything=True, confirmed_at=timezone.now()
    )
    page.goto(live_server.url + subscriber.get_absolute_url())
    expect(page.get_by_text("For reader@example.org.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Everything we publish").uncheck()
    page.get_by_text("Regions (each with its subregions)").click()
    page.get_by_label("Northeast Asia").check()
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Your choices are saved.")
    expect(page.get_by_label("Northeast Asia")).to_be_checked()
    expect(page.get_by_label("A weekly digest")).to_be_checked()
    expect(page.get_by_label("Everything we publish")).not_to_be_checked()

    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert not Subscriber.objects.exists()
