"""Citing and printing an article in Chromium: the copy button, and a clean printed document."""

import io

import pytest
from pypdf import PdfReader

from ..factories import make_author, make_publication, make_region, make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def printed(page, url):
    """The PDF Chromium prints of `url` (A4), read back with pypdf."""
    page.goto(url)
    return PdfReader(io.BytesIO(page.pdf(format="A4")))


def text_of(pdf):
    # PDF text comes out with line breaks where the page wrapped: compare words only.
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


def test_a_short_article_prints_on_at_most_two_pages_with_its_citation_and_no_related_cards(
    live_server, page
):
    japan = make_region("Japan", slug="japan")
    article = make_publication(
        "Tokyo’s Quiet Naval Build-up",
        publication_type=make_type("Policy Brief"),
        authors=[make_author("Hana Lindqvist", sort_name="Lindqvist, Hana")],
        regions=[japan],
        tags=["maritime security"],
        lead="Japan is adding ships faster than at any time since the 1970s. " * 4,
        body=(
            "<h2>What changed</h2>"
            + "<p>Budgets doubled over five years, and the yards are busy.</p>" * 6
            + '<p>See the <a href="https://example.org/budget">defence white paper</a>.</p>'
        ),
    )
    for number in range(6):
        make_publication(f"Shipyards Brief {number}", regions=[japan], days_ago=number + 2)

    pdf = printed(page, live_server.url + article.get_absolute_url())

    assert 1 <= len(pdf.pages) <= 2
    text = text_of(pdf)
    assert "Tokyo’s Quiet Naval Build-up" in text
    assert "By Hana Lindqvist" in text
    # The link's address printed after it, and the citation with the article's address.
    assert "defence white paper (https://example.org/budget)" in text
    assert "Lindqvist, Hana." in text
    assert f"{live_server.url}{article.get_absolute_url()}" in text.replace(" ", "")
    for left_out in ("Related Publications", "Shipyards Brief", "Copy citation", "BibTeX"):
        assert left_out not in text
    assert "Experts" not in text  # the site navigation


def test_the_copy_button_copies_the_citation_and_says_copied(live_server, browser):
    article = make_publication(
        "Reading the Party Plenum",
        authors=[make_author("Mitch Shin", sort_name="Shin, Mitch")],
    )
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_role("button", name="Copy citation").click()

    status = page.get_by_role("status")
    status.filter(has_text="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation-text").inner_text()
    assert copied.startswith("Shin, Mitch. ")
    context.close()
