"""Long values typed into an address are shown back without widening a phone's page."""

import pytest
from playwright.sync_api import expect

from ..factories import make_publication, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 375


@pytest.mark.parametrize(
    "query",
    [
        "tag=" + "x" * 1_000,
        "region={region}&tag=" + "y" * 1_000,
        "page=" + "9" * 1_000,
        "author=" + "ع" * 1_000,
    ],
)
def test_a_long_value_does_not_widen_the_page_on_a_phone(live_server, browser, query):
    region = make_region("Sahel", slug="sahel")
    make_publication("Sahel Outlook", regions=[region])
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800})
    page = context.new_page()

    page.goto(f"{live_server.url}/publications/?{query.format(region=region.slug)}")

    # The page says what it could not use (a notice, or the page that does not exist)...
    expect(page.locator(".notice, .error-page")).to_have_count(1)
    # ...and wraps it rather than scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    context.close()
