"""The header's search box in a real browser, on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_a_reader_on_a_phone_searches_from_the_header(live_server, phone):
    make_publication("Sanctions on North Korea", lead="Why sanctions bite slowly. " * 4)
    make_publication("Energy in Europe")
    phone.goto(live_server.url)

    box = phone.get_by_role("searchbox", name="Search publications")
    expect(box).to_be_visible()
    # The box fits the screen rather than pushing the page sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    box.fill("sanction")
    box.press("Enter")

    expect(phone).to_have_url(re.compile(r"/search/\?q=sanction"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Search publications")
    results = phone.locator(".card-list")
    expect(results.get_by_role("link")).to_have_text(["Sanctions on North Korea"])
    expect(results.locator("mark").first).to_have_text(re.compile(r"^sanction", re.I))
