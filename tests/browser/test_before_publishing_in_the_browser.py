"""The check before publishing in a real browser (issue 19): an editor presses "Publish
now" on an item without region or tag, reads what is missing by the buttons, presses
"Publish anyway" and is told it is published."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_author, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_reads_what_is_missing_and_publishes_anyway(
    live_server, new_page, editor, sign_in, screenshot
):
    bare = make_publication(
        "Grids Without Topics", status="review", published_at=None, authors=[make_author()]
    )
    page = new_page()
    sign_in(page, editor)
    page.goto(f"{live_server.url}/admin/publications/publication/{bare.pk}/change/")
    page.fill("#id_title", "Grids Without Topics, Revised")

    page.get_by_role("button", name="Publish now").first.click()

    panel = page.get_by_role("region", name="Before publishing")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("listitem")).to_have_text(
        [re.compile(r"^It has no region and no tag: readers cannot find it")]
    )
    expect(panel).to_contain_text("Nothing is saved or published yet")
    # What was typed is still there, and nothing went public.
    expect(page.locator("#id_title")).to_have_value("Grids Without Topics, Revised")
    expect(page.locator(".errornote")).to_have_count(0)
    assert not Publication.objects.get(pk=bare.pk).is_public
    # The panel itself passes axe (the rest of the form is the accessibility work's).
    violations = Axe().run(page, context=".before-publishing").response["violations"]
    assert [rule["id"] for rule in violations] == []
    screenshot(page, "before-publishing-panel", full_page=False)

    panel.get_by_role("button", name="Publish anyway").click()

    expect(page.locator(".messagelist")).to_have_text("Published. View live")
    expect(page.get_by_role("region", name="Before publishing")).to_have_count(0)
    published = Publication.objects.get(pk=bare.pk)
    assert published.is_public
    assert published.title == "Grids Without Topics, Revised"
