"""Roles in a real browser: an analyst's attempt to publish is refused (issue 9, test 2),
and the changelist fits a 1280 px screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_author, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The change form as the analyst's browser would send it, but by a "Publish now" button.
CRAFTED_POST = """async () => {
    const form = document.getElementById("publication_form");
    const data = new FormData(form);
    data.set("_workflow", "publish");
    const response = await fetch(location.href, {method: "POST", body: data});
    return {status: response.status, html: await response.text()};
}"""

# [text, how many lines it takes] of each element: the distinct tops of its text's boxes.
LINES_OF_TEXT = """elements => elements.map((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = new Set(Array.from(range.getClientRects(), (box) => Math.round(box.top)));
    return [element.textContent.trim(), tops.size];
})"""


def test_an_analysts_attempt_to_publish_is_refused(live_server, page, analyst, sign_in):
    publication = make_publication("Not Yet Ready", status="draft", published_at=None)

    sign_in(page, analyst)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")

    workflow = page.get_by_role("group", name="Workflow")
    expect(workflow.last.get_by_role("button")).to_have_text(["Save draft", "Submit for review"])
    answer = page.evaluate(CRAFTED_POST)

    assert answer["status"] == 200
    assert "Only editors may publish, schedule, unpublish or feature" in answer["html"]
    publication.refresh_from_db()
    assert publication.status == Publication.Status.DRAFT
    assert publication.published_at is None


def test_the_changelist_fits_1280_pixels_with_long_titles(live_server, page, superuser, sign_in):
    authors = [make_author("Hana Lindqvist"), make_author("Jean-Baptiste Okonkwo")]
    title = "Tokyo’s Quiet Naval Build-up and What It Means for Burden Sharing in the Indo-Pacific"
    for days in (-1, 2):
        make_publication(title, authors=authors, published_at=timezone.now() + timedelta(days=days))

    sign_in(page, superuser)
    page.goto(f"{live_server.url}/admin/publications/publication/")

    expect(page.locator("#result_list .field-title a")).to_have_count(2)
    table = page.locator("#result_list").bounding_box()
    room = page.locator(".changelist-form-container").bounding_box()
    assert table["x"] + table["width"] <= room["x"] + room["width"]
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#result_list .field-title a')).lineHeight)"
    )
    for box in (cell.bounding_box() for cell in page.locator("#result_list .field-title a").all()):
        assert box["height"] < 4 * line  # not the five lines it took before
    # The short columns, and each author's name, keep to one line each.
    short = page.locator(
        "#result_list :is(.field-publication_type, .field-status_label, .field-publish_date,"
        " .field-last_edited, .byline-name)"
    )
    lines = short.evaluate_all(LINES_OF_TEXT)
    assert len(lines) == 2 * 6
    assert {text: count for text, count in lines if count != 1} == {}
    expect(page.locator("#result_list .field-status_label", has_text="Scheduled")).to_have_count(1)
