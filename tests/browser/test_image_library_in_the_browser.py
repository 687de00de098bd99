"""Pictures from the image library, placed with the body editor's figure dialog."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from publications.models import Image, ImageUse, Publication
from publications.models.images import ALT_REQUIRED

from ..factories import make_publication
from ..test_image_library import picture_bytes
from .test_editor_in_the_browser import menu_button, start_a_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_the_library(page):
    menu_button(page, "figure").click()
    page.get_by_role("button", name="Choose or upload…").click()
    return page.get_by_role("dialog", name="Choose a picture")


def test_an_analyst_uploads_a_picture_from_the_figure_dialog_and_a_reader_sees_it_at_every_width(
    live_server, page, analyst, sign_in, screenshot, axe_violations
):
    sign_in(page, analyst)
    start_a_publication(live_server, page, "Pictures Check")
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.type("Words before the picture.")
    page.keyboard.press("Enter")

    library = open_the_library(page)
    expect(library.get_by_role("status")).to_have_text(
        "The library is empty: upload the first picture below."
    )
    library.get_by_label("Picture (JPEG, PNG, GIF or WebP)").set_input_files(
        {"name": "Summit Table.jpg", "mimeType": "image/jpeg", "buffer": picture_bytes(1000, 500)}
    )
    library.get_by_label("Credit or caption").fill("Photo: Thinktank")
    library.get_by_role("button", name="Upload and choose").click()
    # Refused with the sentence the server wrote, and what was typed stays.
    expect(library.get_by_role("alert")).to_have_text(ALT_REQUIRED)
    expect(library.get_by_label("Credit or caption")).to_have_value("Photo: Thinktank")
    assert axe_violations(page) == []
    screenshot(page, "image-library-dialog", full_page=False)

    library.get_by_label("Description (alt text)").fill("Delegates around the summit table")
    library.get_by_role("button", name="Upload and choose").click()

    expect(library).to_have_count(0)
    image = Image.objects.get()
    figure_dialog = page.locator("dialog[open]")
    expect(figure_dialog.get_by_label("Image URL")).to_have_value(image.file.url)
    expect(figure_dialog.get_by_label("Alternative Text")).to_have_value(
        "Delegates around the summit table"
    )
    expect(figure_dialog.get_by_label("Caption")).to_have_value("Photo: Thinktank")
    figure_dialog.get_by_role("button", name="Insert").click()
    editor = page.locator(".tiptap.ProseMirror")
    expect(editor.locator("figure img")).to_have_attribute("src", image.file.url)
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))

    publication = Publication.objects.get(title="Pictures Check")
    assert (
        f'<figure><img src="{image.file.url}" alt="Delegates around the summit table">'
        "<figcaption>Photo: Thinktank</figcaption></figure>"
    ) in publication.body
    publication.publish()
    publication.save()
    page.goto(live_server.url + publication.get_absolute_url())
    picture = page.get_by_role("img", name="Delegates around the summit table")
    stem = image.file.url.removesuffix(".jpg")
    expect(picture).to_have_attribute(
        "srcset", f"{stem}.480w.jpg 480w, {stem}.800w.jpg 800w, {image.file.url} 1000w"
    )
    expect(picture).to_have_attribute("width", "1000")
    # The browser fetched the width it needed, from our own storage.
    expect(picture).to_have_js_property("complete", True)
    fetched = picture.evaluate("image => image.currentSrc").removeprefix(live_server.url)
    assert fetched in {f"{stem}.480w.jpg", f"{stem}.800w.jpg", image.file.url}
    screenshot(page, "image-library-article")


def test_an_analyst_finds_a_picture_in_the_library_by_its_credit_and_inserts_it(
    live_server, page, analyst, sign_in, screenshot
):
    for number in range(14):
        Image.objects.create(
            title=f"Chart {number}",
            alt=f"Chart number {number}",
            file=ContentFile(picture_bytes(300, 200), name="chart.jpg"),
        )
    Image.objects.create(
        title="Peninsula",
        alt="Map of the peninsula",
        credit="Cartography: Ana Lee",
        file=ContentFile(picture_bytes(300, 200), name="map.jpg"),
    )
    sign_in(page, analyst)
    start_a_publication(live_server, page, "Library Check")
    page.locator(".tiptap.ProseMirror").click()

    library = open_the_library(page)
    expect(library.get_by_role("status")).to_have_text("15 pictures, page 1 of 2.")
    expect(library.get_by_role("listitem")).to_have_count(12)
    screenshot(page, "image-library-choosing", full_page=False)
    library.get_by_role("button", name="Next").click()
    expect(library.get_by_role("status")).to_have_text("15 pictures, page 2 of 2.")
    expect(library.get_by_role("listitem")).to_have_count(3)
    library.get_by_label("Search the library").fill("Ana Lee")
    expect(library.get_by_role("status")).to_have_text("1 picture, page 1 of 1.")
    expect(library.get_by_role("button", name="Next")).to_be_hidden()
    library.get_by_role("button", name="Peninsula").click()

    figure_dialog = page.locator("dialog[open]")
    expect(figure_dialog.get_by_label("Alternative Text")).to_have_value("Map of the peninsula")
    figure_dialog.get_by_role("button", name="Insert").click()
    editor = page.locator(".tiptap.ProseMirror")
    expect(editor.locator("figure figcaption")).to_have_text("Cartography: Ana Lee")
    expect(editor.locator("figure img")).to_have_attribute("alt", "Map of the peninsula")


def test_an_analyst_changes_the_picture_of_a_figure_from_the_library_and_keeps_its_caption(
    live_server, page, analyst, sign_in, screenshot
):
    old, new = (
        Image.objects.create(
            title=title,
            alt=alt,
            credit=credit,
            file=ContentFile(picture_bytes(300, 200), name=name),
        )
        for title, alt, credit, name in [
            ("Old chart", "The old chart", "", "old.jpg"),
            ("Peninsula", "Map of the peninsula", "Cartography: Ana Lee", "map.jpg"),
        ]
    )
    publication = make_publication(
        "Figure Change",
        status="draft",
        body=f'<p>Text.</p><figure><img src="{old.file.url}" alt="The old chart">'
        "<figcaption>Chart: <strong>us</strong></figcaption></figure>",
    )
    sign_in(page, analyst)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")
    editor = page.locator(".tiptap.ProseMirror")

    editor.locator("figure img").click()
    menu_button(page, "figure").click()
    figure_dialog = page.locator("dialog[open]")
    expect(figure_dialog.get_by_role("heading")).to_have_text("Edit Figure")
    expect(figure_dialog.get_by_label("Image URL")).to_have_value(old.file.url)
    # The caption is edited in the text, where its bold stays.
    expect(figure_dialog.get_by_label("Caption")).to_have_count(0)
    figure_dialog.get_by_role("button", name="Choose or upload…").click()
    library = page.get_by_role("dialog", name="Choose a picture")
    expect(library.get_by_role("status")).to_have_text("2 pictures, page 1 of 1.")
    library.get_by_role("button", name="Peninsula").click()

    expect(library).to_have_count(0)
    expect(figure_dialog.get_by_label("Image URL")).to_have_value(new.file.url)
    expect(figure_dialog.get_by_label("Alternative Text")).to_have_value("Map of the peninsula")
    screenshot(page, "image-library-edit-figure", full_page=False)
    figure_dialog.get_by_role("button", name="Update").click()
    expect(editor.locator("figure img")).to_have_attribute("src", new.file.url)
    expect(editor.locator("figure figcaption")).to_have_text("Chart: us")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))

    publication.refresh_from_db()
    assert publication.body == (
        f'<p>Text.</p><figure><img src="{new.file.url}" alt="Map of the peninsula">'
        "<figcaption>Chart: <strong>us</strong></figcaption></figure>"
    )
    assert list(ImageUse.objects.values_list("image", flat=True)) == [new.pk]
