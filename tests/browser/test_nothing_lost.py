"""Nothing an editor writes is lost, in a real browser: a stale save is refused and keeps
its text, an earlier version can be restored, and text typed before a failed save comes back."""

import re

import pytest
import reversion
from playwright.sync_api import expect

from publications.models import Authorship, Publication

from ..factories import make_author, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_url(live_server, publication):
    return f"{live_server.url}/admin/publications/publication/{publication.pk}/change/"


def test_the_second_of_two_saves_is_refused_and_keeps_its_text(
    live_server, page, new_page, analyst, editor, sign_in
):
    publication = make_publication("The Original Title", status="draft")
    second_page = new_page()
    sign_in(page, analyst)
    sign_in(second_page, editor)
    page.goto(change_url(live_server, publication))
    second_page.goto(change_url(live_server, publication))

    page.fill("#id_title", "Ana's Title")
    page.click("input[name=_save]")
    # From the change page to the list: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))
    second_page.fill("#id_lead", "Bob's introduction, written at the same time.")
    second_page.click("input[name=_save]")

    expect(second_page.get_by_text("Ana Analyst saved this publication at")).to_be_visible()
    expect(second_page.get_by_text("Your changes are NOT saved")).to_be_visible()
    expect(second_page.locator("#id_lead")).to_have_value(
        "Bob's introduction, written at the same time."
    )
    publication.refresh_from_db()
    assert publication.title == "Ana's Title"
    assert publication.lead != "Bob's introduction, written at the same time."


def test_an_editor_restores_an_earlier_version_with_its_byline(
    live_server, page, new_page, editor, sign_in
):
    kim, lee = make_author("Kim Sora"), make_author("Lee Minho")
    publication = make_publication("The Old Title", authors=[kim, lee], days_ago=3)
    with reversion.create_revision():
        reversion.add_to_revision(publication)
    # A later version: another title, the byline reversed.
    Publication.objects.filter(pk=publication.pk).update(title="The New Title")
    Authorship.objects.filter(publication=publication, author=kim).update(position=5)
    publication = Publication.objects.get(pk=publication.pk)
    with reversion.create_revision():
        publication.save()
    sign_in(page, editor)

    page.goto(f"{change_url(live_server, publication).removesuffix('change/')}history/")
    expect(page.get_by_text("Title: “The Old Title” → “The New Title”")).to_be_visible()
    page.locator("#change-history tbody tr").last.get_by_role("link").first.click()
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator("#id_title")).to_have_value("The Old Title")

    reader = new_page()
    reader.goto(f"{live_server.url}{publication.get_absolute_url()}")
    expect(reader.get_by_role("heading", level=1)).to_have_text("The Old Title")
    byline = reader.get_by_role("link", name=re.compile("Kim Sora|Lee Minho"))
    expect(byline.nth(0)).to_have_text("Kim Sora")
    expect(byline.nth(1)).to_have_text("Lee Minho")


def test_text_typed_before_the_sign_in_expired_is_offered_back(live_server, page, analyst, sign_in):
    publication = make_publication("The Original Title", status="draft")
    sign_in(page, analyst)
    page.goto(change_url(live_server, publication))
    page.fill("#id_title", "A Title Typed for an Hour")
    body = page.get_by_role("textbox").and_(page.locator(".ProseMirror"))
    body.click()
    page.keyboard.type("A paragraph that must not be lost.")

    page.context.clear_cookies()  # the sign-in expired
    with page.expect_response(lambda response: response.request.method == "POST") as refused:
        page.click("input[name=_save]")
    assert refused.value.status == 403
    assert "A Title Typed" not in Publication.objects.get(pk=publication.pk).title

    sign_in(page, analyst)
    page.goto(change_url(live_server, publication))
    expect(page.locator("#id_title")).to_have_value("The Original Title")
    page.get_by_role("button", name=re.compile("Restore the text you were writing at")).click()
    expect(page.locator("#id_title")).to_have_value("A Title Typed for an Hour")
    expect(body).to_contain_text("A paragraph that must not be lost.")

    page.click("input[name=_save]")
    # From the change page to the list: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/publication/$"))
    saved = Publication.objects.get(pk=publication.pk)
    assert saved.title == "A Title Typed for an Hour"
    assert "A paragraph that must not be lost." in saved.body
    # Saved: the copy is gone, and the form offers nothing any more.
    page.goto(change_url(live_server, publication))
    # The bar is put up on DOMContentLoaded, before goto() returns: none now means none.
    expect(page.locator("#publication_form")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Restore the text"))).to_have_count(0)
