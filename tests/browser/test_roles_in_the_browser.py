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
    featured = page.locator("#result_list th.column-is_featured").bounding_box()
    assert featured["x"] + featured["width"] <= 1280
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#result_list .field-title a')).lineHeight)"
    )
    for box in (cell.bounding_box() for cell in page.locator("#result_list .field-title a").all()):
        assert box["height"] < 4 * line  # not the five lines it took before
    expect(page.get_by_text("Scheduled for")).to_have_count(1)
