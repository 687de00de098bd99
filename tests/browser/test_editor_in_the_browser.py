"""The body editor as an analyst uses it: what is typed is what is stored and shown."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu_button(page, name):
    return page.locator(f".prose-editor button[data-name='{name}']").first


def test_lists_links_and_tables_are_stored_and_shown_as_typed(
    live_server, page, analyst, sign_in, screenshot
):
    sign_in(page, analyst)
    make_type("Commentary")
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.fill("#id_title", "Formatting Check")
    page.select_option("#id_publication_type", label="Commentary")
    page.fill("#id_lead", "A short introduction.")
    page.locator(".tiptap.ProseMirror").click()

    page.keyboard.type("See the report")
    # Select the words just typed and link them, as an analyst would.
    for _ in range(len("the report")):
        page.keyboard.press("Shift+ArrowLeft")
    menu_button(page, "link").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input").first.fill("https://example.org/report")
    dialog.locator("button[type=submit], input[type=submit]").first.click()
    page.keyboard.press("End")
    page.keyboard.type(", then read on.")
    page.keyboard.press("Enter")
    page.keyboard.type("- first point")
    page.keyboard.press("Enter")
    page.keyboard.type("second point")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    menu_button(page, "table").click()
    dialog = page.locator("dialog[open]")
    screenshot(page, "editor-table-dialog", full_page=False)
    dialog.locator("button[type=submit], input[type=submit]").first.click()
    page.keyboard.type("Year")
    page.keyboard.press("Tab")
    page.keyboard.type("Budget")
    screenshot(page, "editor-change-form")
    page.click("input[name=_save]")
    # From the add page to the list: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))

    body = Publication.objects.get(title="Formatting Check").body
    assert '<a href="https://example.org/report"' in body
    assert "the report</a>, then read on." in body  # the comma is not linked
    assert "<li>first point</li><li>second point</li>" in body
    assert "<th" in body
    assert "Year" in body
    assert "<li><p>" not in body
    assert "<td><p>" not in body
    assert "<th><p>" not in body

    # Readers see a tight list and table: no paragraph margins inside items and cells.
    article = Publication.objects.get(title="Formatting Check")
    article.status = Publication.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    page.goto(live_server.url + article.get_absolute_url())
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article li')).lineHeight)"
    )
    item_heights = page.locator("article li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().height)"
    )
    row_heights = page.locator("article tr").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)"
    )
    screenshot(page, "editor-article")
    assert item_heights
    assert max(item_heights) < 1.8 * line_height
    expect(page.locator("article th", has_text="Year")).to_have_count(1)
    assert row_heights
    assert max(row_heights) < 2.5 * line_height
