"""The workflow's buttons in a real browser (issue 19): an analyst saves a draft and
submits it for review, an editor schedules it for a time in the site's zone (anyway,
after the check before publishing), then publishes another now and follows "View live"."""

import re

import pytest
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_author, make_publication, make_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _stockholm(settings):
    settings.TIME_ZONE = "Europe/Stockholm"


def badge(page):
    return page.locator(".status-badge")


def buttons(workflow):
    """The buttons of a row of workflow buttons (not those inside "Schedule…")."""
    return workflow.locator(":scope > button, :scope > details > summary")


def test_an_analyst_submits_and_an_editor_schedules_and_publishes_with_the_buttons(
    live_server, new_page, analyst, editor, sign_in, screenshot
):
    make_type("Issue Brief")
    # With a byline and a tag: nothing for the check before publishing to say.
    ready = make_publication(
        "Ready Since Monday",
        status="review",
        published_at=None,
        authors=[make_author()],
        tags=["grids"],
    )

    # The analyst writes a new draft and sends it for review, both from the buttons.
    page = new_page()
    sign_in(page, analyst)
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    page.fill("#id_title", "Grids Under Strain")
    page.select_option("#id_publication_type", label="Issue Brief")
    page.fill("#id_lead", "What a cold winter asks of the grid.")
    page.get_by_role("button", name="Save draft").last.click()
    page.wait_for_url(re.compile(r"/change/$"))
    expect(page.locator(".messagelist")).to_have_text("Draft saved.")
    expect(badge(page)).to_have_text("Status: Draft")
    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.locator(".messagelist")).to_have_text("Submitted for review.")
    expect(badge(page)).to_have_text("Status: In review")
    # What the screen reader says, and what the eye sees: the words, not only a colour.
    expect(page.get_by_text("Status:", exact=True)).to_have_class("visually-hidden")
    screenshot(page, "workflow-analyst-submitted")
    submitted = Publication.objects.get(title="Grids Under Strain")
    assert submitted.status == Publication.Status.REVIEW
    # The copy of the text this browser kept while it was typed is known to be saved.
    page.goto(f"{live_server.url}/admin/publications/publication/add/")
    expect(page.locator("#id_title")).to_be_visible()
    expect(page.locator(".local-copy-bar")).to_have_count(0)

    # The editor schedules it: the top's "Schedule…" opens the time in the footer.
    page = new_page()
    sign_in(page, editor)
    page.goto(f"{live_server.url}/admin/publications/publication/{submitted.pk}/change/")
    workflow = page.get_by_role("group", name="Workflow")
    expect(buttons(workflow.last)).to_have_text(["Save draft", "Publish now", "Schedule…"])
    expect(page.locator("#id_schedule_date")).to_be_hidden()
    workflow.first.get_by_role("link", name="Schedule…").click()
    expect(page.get_by_label("Date:", exact=True)).to_be_visible()
    expect(page.locator("#schedule-time-zone")).to_have_text("Europe/Stockholm")
    page.get_by_label("Date:", exact=True).fill("2027-12-03")
    page.get_by_label("Time:", exact=True).fill("09:00")
    screenshot(page, "workflow-schedule", full_page=False)
    page.get_by_role("button", name="Schedule", exact=True).click()
    # Nobody is in its byline and it has no tag: the check says so first, keeping the time.
    panel = page.get_by_role("region", name="Before scheduling")
    expect(panel.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_label("Time:")).to_have_value("09:00")
    panel.get_by_role("button", name="Schedule anyway").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"
    )
    # On its own form, not a list of public items that leaves it out.
    assert page.url.endswith(f"/{submitted.pk}/change/")
    expect(badge(page)).to_have_text(
        "Status: Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"
    )
    expect(buttons(workflow.last)).to_have_text(["Publish now", "Schedule…", "Unpublish"])
    assert Publication.objects.get(pk=submitted.pk).is_scheduled

    # Then publishes another now, and follows "View live" to its public page.
    page.goto(f"{live_server.url}/admin/publications/publication/{ready.pk}/change/")
    page.get_by_role("button", name="Publish now").first.click()
    expect(page.locator(".messagelist")).to_have_text("Published. View live")
    expect(badge(page)).to_have_text("Status: Published")
    screenshot(page, "workflow-published")
    page.get_by_role("link", name="View live").click()
    page.wait_for_url(re.compile(re.escape(ready.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name="Ready Since Monday", level=1)).to_be_visible()
    expect(page.get_by_text("Not public")).to_have_count(0)
    reader = new_page()
    assert reader.goto(live_server.url + ready.get_absolute_url()).status == 200
