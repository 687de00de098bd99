"""The body editor as an analyst uses it: what is typed is what is stored and shown."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_publication, make_type

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


def start_a_publication(live_server, page, title):
    make_type("Commentary")
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.fill("#id_title", title)
    page.select_option("#id_publication_type", label="Commentary")
    page.fill("#id_lead", "A short introduction.")


def insert_figure(page, address, *, alt, caption):
    menu_button(page, "figure").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Image URL").fill(address)
    dialog.get_by_label("Alternative Text").fill(alt)
    dialog.get_by_label("Caption").fill(caption)
    dialog.get_by_role("button", name="Insert").click()


def test_a_foreign_image_is_refused_by_name_and_the_text_stays_in_the_editor(
    live_server, page, analyst, sign_in, screenshot
):
    sign_in(page, analyst)
    start_a_publication(live_server, page, "Figure Check")
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.type("Words worth keeping.")
    page.keyboard.press("Enter")
    insert_figure(page, "https://example.org/x.png", alt="A map", caption="The map")
    page.click("input[name=_save]")

    expect(page.locator(".field-body .errorlist")).to_have_text(
        "This image is not in the library: https://example.org/x.png. Upload it, or remove it."
    )
    editor = page.locator(".tiptap.ProseMirror")
    expect(editor.locator("p").first).to_have_text("Words worth keeping.")
    expect(editor.locator("figure img")).to_have_attribute("src", "https://example.org/x.png")
    expect(editor.locator("figure figcaption")).to_have_text("The map")
    expect(page.locator("#id_title")).to_have_value("Figure Check")
    screenshot(page, "editor-foreign-image-refused")
    assert not Publication.objects.exists()

    # Removing the picture removes the figure, caption and all; then the save goes through.
    editor.locator("figure img").click()
    page.keyboard.press("Delete")
    expect(editor.locator("figure, figcaption")).to_have_count(0)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))
    assert Publication.objects.get(title="Figure Check").body == "<p>Words worth keeping.</p>"


def write_a_table(page):
    menu_button(page, "table").click()
    page.locator("dialog[open]").get_by_role("button", name="Insert Table").click()
    page.keyboard.type("Year")


def write_a_list(page):
    page.keyboard.type("- first point")
    page.keyboard.press("Enter")
    page.keyboard.type("second point")


@pytest.mark.parametrize(
    ("write_the_last_block", "tag"), [(write_a_table, "table"), (write_a_list, "ul")]
)
def test_text_typed_below_a_final_table_or_list_is_saved_below_it(
    live_server, page, analyst, sign_in, write_the_last_block, tag
):
    sign_in(page, analyst)
    start_a_publication(live_server, page, "Last Block Check")
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.type("Before it.")
    page.keyboard.press("Enter")
    write_the_last_block(page)

    # Click just below it, where an analyst goes on writing.
    last_block = page.locator(f".tiptap.ProseMirror {tag}").bounding_box()
    page.mouse.click(last_block["x"] + 20, last_block["y"] + last_block["height"] + 12)
    page.keyboard.type("After it.")
    expect(page.locator(".tiptap.ProseMirror > p").last).to_have_text("After it.")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))

    body = Publication.objects.get(title="Last Block Check").body
    assert body.endswith(f"</{tag}><p>After it.</p>")


def test_a_figure_stored_without_its_picture_opens_as_its_caption_in_a_paragraph(
    live_server, page, analyst, sign_in
):
    """Bodies saved before foreign images were refused kept the caption of a picture
    that was dropped; the words are kept, not shown as a caption of nothing."""
    publication = make_publication("Old Figure", status="draft")
    Publication.objects.filter(pk=publication.pk).update(
        body="<p>Text.</p><figure><figcaption>Old caption</figcaption></figure>"
    )
    sign_in(page, analyst)

    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")

    editor = page.locator(".tiptap.ProseMirror")
    expect(editor.locator("p", has_text="Old caption")).to_have_count(1)
    expect(editor.locator("figure, figcaption")).to_have_count(0)
