"""The issue's whole path in a real browser: an analyst writes and sends for review, a
reader cannot see it, an editor publishes it, and the reader sees it as it was typed,
with related publications that share its tags first."""

import re

import pytest
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_author, make_publication, make_region, make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, select_id, typed, option):
    """Pick `option` in one of the admin's autocomplete boxes by typing `typed`."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.keyboard.type(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def menu(page, name):
    return page.locator(f".prose-editor button[data-name='{name}']").first


def write_the_body(page):
    page.locator(".tiptap.ProseMirror").click()
    # Typed as an analyst types: Markdown-like shortcuts, Ctrl+B and the menu.
    page.keyboard.type("## Where the money goes")
    page.keyboard.press("Enter")
    page.keyboard.type("Spending rose by ")
    page.keyboard.press("Control+b")
    page.keyboard.type("a third")
    page.keyboard.press("Control+b")
    page.keyboard.type(" since 2020, says the ministry")
    for _ in range(len("the ministry")):
        page.keyboard.press("Shift+ArrowLeft")
    menu(page, "link").click()
    page.locator("dialog[open] input").first.fill("https://example.org/ministry")
    page.locator("dialog[open] button[type=submit]").first.click()
    page.keyboard.press("End")
    page.keyboard.type(", in its annual report.")
    page.keyboard.press("Enter")
    page.keyboard.type("- Grid storage")
    page.keyboard.press("Enter")
    page.keyboard.type("Wind at sea")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    menu(page, "table").click()
    page.locator("dialog[open] button[type=submit]").first.click()
    page.keyboard.type("Year")
    page.keyboard.press("Tab")
    page.keyboard.type("Share")


def test_an_analyst_writes_an_editor_publishes_and_readers_see_it(
    live_server, new_page, analyst, editor, sign_in, screenshot
):
    make_type("Issue Brief")
    make_author("Mina Park")
    make_author("Oleg Ivanov")
    make_region("Korean Peninsula")
    make_publication("Older Brief on Storage", tags=["energy transition"], days_ago=30)
    make_publication("Newest Unrelated Note", tags=["fisheries"], days_ago=1)

    # 1. The analyst writes a draft, previews it and sends it for review.
    analyst_page = new_page()
    sign_in(analyst_page, analyst)
    analyst_page.goto(f"{live_server.url}/admin/publications/publication/add/")
    analyst_page.fill("#id_title", "Paying for the Energy Transition")
    analyst_page.select_option("#id_publication_type", label="Issue Brief")
    analyst_page.fill("#id_lead", "Who pays for new grids, and when.")
    write_the_body(analyst_page)
    choose(analyst_page, "id_authorships-0-author", "Oleg", "Oleg Ivanov")
    analyst_page.locator(".add-row a", has_text="Add another Author").click()
    choose(analyst_page, "id_authorships-1-author", "Mina", "Mina Park")
    choose(analyst_page, "id_regions", "Korean", "Korean Peninsula")
    analyst_page.locator(".field-tags .select2-search__field").fill("energy transition")
    analyst_page.locator(".select2-results__option", has_text="energy transition (1").click()
    analyst_page.locator("input[name=_continue]").first.click()
    analyst_page.wait_for_url(re.compile(r"/change/$"))
    screenshot(analyst_page, "workflow-change-form")

    draft = Publication.objects.get(title="Paying for the Energy Transition")
    assert draft.status == Publication.Status.DRAFT
    assert [author.name for author in draft.byline] == ["Oleg Ivanov", "Mina Park"]
    assert [region.name for region in draft.regions.all()] == ["Korean Peninsula"]
    assert [tag.name for tag in draft.tags.all()] == ["energy transition"]

    analyst_page.get_by_role("link", name=re.compile("View on site", re.I)).click()
    analyst_page.wait_for_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    expect(analyst_page.get_by_text("Not public: draft")).to_be_visible()
    analyst_page.go_back()

    analyst_page.get_by_role("button", name="Submit for review").first.click()
    # The same address before and after: wait for the save's own answer.
    expect(analyst_page.locator(".messagelist")).to_have_text("Submitted for review.")
    draft.refresh_from_db()
    assert draft.status == Publication.Status.REVIEW

    reader = new_page()
    assert reader.goto(live_server.url + draft.get_absolute_url()).status == 404

    # 3. An editor publishes it; the reader sees it formatted as typed.
    editor_page = new_page()
    sign_in(editor_page, editor)
    editor_page.goto(f"{live_server.url}/admin/publications/publication/{draft.pk}/change/")
    editor_page.get_by_role("button", name="Publish now").first.click()
    expect(editor_page.locator(".messagelist")).to_have_text("Published. View live")

    assert reader.goto(live_server.url + draft.get_absolute_url()).status == 200
    article = reader.locator(".prose").first
    expect(article.locator("h2", has_text="Where the money goes")).to_be_visible()
    expect(article.locator("strong", has_text="a third")).to_be_visible()
    link = article.get_by_role("link", name="the ministry")
    expect(link).to_have_attribute("href", "https://example.org/ministry")
    expect(article.locator("li")).to_have_text(["Grid storage", "Wind at sea"])
    expect(article.locator("th").first).to_have_text("Year")
    byline = reader.get_by_role("link", name=re.compile("Oleg Ivanov|Mina Park"))
    expect(byline.nth(0)).to_have_text("Oleg Ivanov")
    expect(byline.nth(1)).to_have_text("Mina Park")
    related = reader.locator(
        "section", has=reader.get_by_role("heading", name="Related Publications")
    )
    expect(related.get_by_role("link").first).to_have_text("Older Brief on Storage")
    screenshot(reader, "workflow-article")
