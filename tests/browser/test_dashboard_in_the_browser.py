"""The admin's home as an editor opens it, at 1280 px and on a phone: panels in order,
no accessibility violation, and links that lead where they say."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..factories import make_author, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_finds_their_work_on_the_dashboard_on_a_desk_and_on_a_phone(
    live_server, page, editor, analyst, sign_in, axe_violations, screenshot
):
    byline = [make_author("Hana Lindqvist"), make_author("Jean-Baptiste Okonkwo")]
    make_publication("My Unfinished Brief", status="draft", published_at=None, created_by=editor)
    waiting = make_publication(
        "Sanctions After the Summit", status="review", published_at=None, created_by=analyst
    )
    make_publication(
        "Tokyo’s Quiet Naval Build-up and What It Means for Burden Sharing in the Indo-Pacific",
        authors=byline,
        published_at=timezone.now() + timedelta(days=2),
    )
    make_publication("Chip Controls, Year Three", authors=byline)

    sign_in(page, editor)
    page.goto(f"{live_server.url}/admin/")

    expect(page.locator("h1, h2, h3")).to_have_text(
        [
            "Dashboard",
            "My drafts",
            "Awaiting review",
            "Scheduled",
            "Recently published",
            "All sections",
            "Recent actions",
            "My actions",
        ]
    )
    scheduled = page.get_by_role("region", name="Scheduled")
    expect(scheduled).to_contain_text("Scheduled for")
    expect(scheduled).to_contain_text("Hana Lindqvist, Jean-Baptiste Okonkwo")
    assert axe_violations(page) == []
    screenshot(page, "dashboard-editor-1280")

    page.set_viewport_size({"width": 375, "height": 812})
    expect(page.get_by_role("link", name="All scheduled")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    screenshot(page, "dashboard-editor-375")

    scheduled.get_by_role("link", name="All scheduled").click()
    expect(page.locator("#result_list .field-title")).to_have_text(
        ["Tokyo’s Quiet Naval Build-up and What It Means for Burden Sharing in the Indo-Pacific"]
    )

    page.go_back()
    page.get_by_role("region", name="Awaiting review").get_by_role(
        "link", name="Sanctions After the Summit"
    ).click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/publications/publication/{waiting.pk}/change/"
    )
    expect(page.locator("#id_title")).to_have_value("Sanctions After the Summit")
