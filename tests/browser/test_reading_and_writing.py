"""What a reader and an analyst see and do in a real browser (Debian's Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_author, make_pick, make_publication, make_region, make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_goes_from_the_home_page_to_an_article_and_on_to_a_related_one(live_server, page):
    analyst = make_author("Hana Lindqvist")
    japan = make_region("Japan", slug="japan")
    article = make_publication(
        "Tokyo’s Quiet Naval Build-up",
        authors=[analyst],
        regions=[japan],
        tags=["maritime security", "alliances"],
        lead="Japan is adding ships faster than at any time since the 1970s. " * 6,
        body="<h2>What changed</h2><p>Budgets doubled.</p>",
        is_featured=True,
    )
    make_publication("Shipyards and Sanctions", tags=["maritime security"], days_ago=3)
    make_pick(article, make_publication("An Editor’s Choice", days_ago=40))

    page.goto(live_server.url)
    page.get_by_role("link", name="Tokyo’s Quiet Naval Build-up").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tokyo’s Quiet Naval Build-up")
    expect(page.get_by_text("Introduction").first).to_be_visible()
    expect(page.get_by_role("link", name="Hana Lindqvist").first).to_be_visible()
    related = page.locator("section", has=page.get_by_role("heading", name="Related Publications"))
    expect(related.get_by_role("link").nth(0)).to_have_text("An Editor’s Choice")
    expect(related.get_by_role("link").nth(1)).to_have_text("Shipyards and Sanctions")
    expect(related).to_contain_text("[…]")

    related.get_by_role("link", name="Shipyards and Sanctions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shipyards and Sanctions")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(live_server, page):
    make_publication("Any Brief")
    page.goto(live_server.url)

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert "skip" in focused.lower()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_a_draft_is_not_found_by_readers(live_server, page):
    make_publication("Not Yet Ready", status="draft")

    response = page.goto(f"{live_server.url}/publications/not-yet-ready/")

    assert response.status == 404


def test_an_analyst_writes_a_brief_in_the_rich_text_editor(live_server, page, analyst, sign_in):
    make_type("Commentary")
    sign_in(page, analyst)

    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.fill("#id_title", "Reading the Party Plenum")
    page.select_option("#id_publication_type", label="Commentary")
    page.fill("#id_lead", "What the December plenum tells us about the year ahead.")
    editor = page.get_by_role("textbox").and_(page.locator(".ProseMirror"))
    editor.click()
    page.keyboard.type("The plenum set five priorities.")
    page.click("input[name=_save]")

    # From the add page to the list: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))
    saved = Publication.objects.get(title="Reading the Party Plenum")
    assert saved.slug == "reading-the-party-plenum"
    assert "The plenum set five priorities." in saved.body
    assert saved.status == Publication.Status.DRAFT
