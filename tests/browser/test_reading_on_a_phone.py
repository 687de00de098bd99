"""Reading on a phone and on paper, in Chromium: the search page's results before its
filters, "Did you mean …?", a header of one line of navigation, and a citation that
prints with the article's end."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import make_author, make_publication, make_type
from .test_citing_and_printing import printed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    yield context.new_page()
    context.close()


def top_of(locator):
    return locator.bounding_box()["y"]


def test_on_a_phone_the_results_come_first_and_the_filters_fold_under_filter(
    live_server, phone, page, screenshot
):
    brief = make_type("Policy Brief", slug="policy-brief")
    for number in range(6):
        make_publication(f"Sanctions brief {number}", publication_type=brief, tags=["sanctions"])
    url = f"{live_server.url}/search/?q=sanctions"

    phone.goto(url)
    first_result = phone.locator(".card-list .card").first
    expect(first_result).to_be_visible()
    # The first result starts in the first screenful, before every filter and facet.
    assert top_of(first_result) < PHONE["height"]
    assert top_of(first_result) < top_of(phone.locator(".facets"))
    type_menu = phone.get_by_label("Type")
    expect(type_menu).to_be_hidden()
    phone.get_by_text("Filter", exact=True).click()
    expect(type_menu).to_be_visible()
    type_menu.select_option("policy-brief")
    phone.get_by_role("button", name="Show results").click()
    expect(phone).to_have_url(re.compile(r"type=policy-brief"))
    expect(phone.locator(".card-list .card")).to_have_count(6)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "search-on-a-phone")

    # On a desktop the filters stand open beside the words, and the facets at the left.
    page.goto(url)
    expect(page.get_by_label("Type")).to_be_visible()
    expect(page.get_by_text("Filter", exact=True)).to_be_hidden()
    facets, results = page.locator(".facets"), page.locator(".search-results")
    assert facets.bounding_box()["x"] < results.bounding_box()["x"]


def test_a_misspelt_search_offers_the_right_word_as_a_link(live_server, phone):
    make_publication("Sanctions on North Korea")

    phone.goto(f"{live_server.url}/search/?q=sanctons")

    expect(phone.get_by_role("heading", name="No matches")).to_be_visible()
    suggestion = phone.get_by_role("link", name="sanctions", exact=True)
    expect(suggestion).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    suggestion.click()
    expect(phone).to_have_url(re.compile(r"/search/\?q=sanctions$"))
    expect(phone.locator(".card-list").get_by_role("link")).to_have_text(
        ["Sanctions on North Korea"]
    )


def test_on_a_phone_the_header_has_one_line_of_navigation(live_server, phone):
    phone.goto(live_server.url)

    links = phone.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_count(4)
    tops = {round(top_of(links.nth(number))) for number in range(4)}
    assert len(tops) == 1
    nav = phone.locator(".site-nav ul")
    assert nav.evaluate("list => list.scrollWidth <= list.clientWidth")
    assert phone.locator(".site-header").bounding_box()["height"] <= 110


def test_cite_this_never_starts_the_last_printed_page_alone(live_server, page):
    """Articles a line longer each, so that some end near the foot of page one: the
    citation takes the article's last lines with it to the next page, and no page is
    left blank."""
    author = make_author("Hana Lindqvist", sort_name="Lindqvist, Hana")
    for lines in range(30, 40):
        article = make_publication(
            f"Naval build-up in {lines} lines",
            authors=[author],
            lead="Japan is adding ships faster than at any time since the 1970s.",
            body="<p>Budgets doubled and the yards are busy.</p>" * lines,
        )
        pdf = printed(page, live_server.url + article.get_absolute_url())
        last_page = " ".join(pdf.pages[-1].extract_text().split())
        assert last_page.startswith("Budgets doubled"), f"{lines} lines: {last_page[:80]}"
