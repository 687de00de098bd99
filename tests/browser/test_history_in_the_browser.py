"""A publication's History in a real browser: an editor compares two versions and sees
the changed words marked, then restores the older one from its own page."""

import re

import pytest
import reversion
from playwright.sync_api import expect

from publications.models import Authorship, Publication

from ..factories import make_author, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def saved_as_a_version(publication, user, **changes):
    """Save `publication` with `changes` as a new version by `user`, as the admin does."""
    for name, value in changes.items():
        setattr(publication, name, value)
    with reversion.create_revision():
        reversion.set_user(user)
        publication.save()
    return Publication.objects.get(pk=publication.pk)


def test_an_editor_compares_two_versions_then_restores_the_older_one(
    live_server, page, analyst, editor, sign_in, axe_violations, screenshot
):
    publication = make_publication(
        "Deterrence After the Summit",
        authors=[make_author("Kim Sora")],
        tags=["deterrence", "alliances"],
        status="draft",
        lead="What the summit left undecided.",
        body="<h2>Aims</h2><p>The allies agreed on very little.</p><p>Talks go on.</p>",
    )
    publication = saved_as_a_version(publication, analyst)
    # The second version: another author, a tag less, and new words in the title and body.
    Authorship.objects.create(publication=publication, author=make_author("Lee Minho"), position=1)
    publication.tags.set(["deterrence"])
    saved_as_a_version(
        publication,
        analyst,
        title="Deterrence Before the Summit",
        body="<h2>Aims</h2><p>The allies agreed on a great deal.</p><p>Talks go on.</p>",
    )
    sign_in(page, editor)
    admin = f"{live_server.url}/admin/publications/publication/{publication.pk}"

    page.goto(f"{admin}/history/")
    expect(page.locator("#change-history tbody tr")).to_have_count(2)
    # The older version is "from", the newer "to" until another is chosen.
    page.get_by_role("radio", name=re.compile("^from")).last.check()
    page.get_by_role("radio", name=re.compile("^to")).first.check()
    assert axe_violations(page) == []
    screenshot(page, "history-list-1280")
    page.get_by_role("button", name="Compare the chosen versions").click()

    expect(page.get_by_role("heading", name="Title")).to_be_visible()
    title = page.locator("section", has=page.get_by_role("heading", name="Title"))
    expect(title.locator("del")).to_have_text("removed: After")
    expect(title.locator("ins")).to_have_text("added: Before")
    body = page.locator("section", has=page.get_by_role("heading", name="Body"))
    expect(body.locator("del")).to_have_text("removed: very little")
    expect(body.locator("ins")).to_have_text("added: a great deal")
    expect(page.get_by_role("heading", name="Lead")).to_have_count(0)  # unchanged
    byline = page.locator("section", has=page.get_by_role("heading", name="Byline"))
    expect(byline.get_by_role("listitem")).to_have_text(["Kim Sora", "Lee Minho added"])
    tags = page.locator("section", has=page.get_by_role("heading", name="Tags"))
    expect(tags.get_by_role("listitem")).to_have_text(["alliances removed", "deterrence"])
    assert axe_violations(page) == []
    screenshot(page, "history-compare-1280")

    page.get_by_role("link", name="Open the older version, to restore it").click()
    expect(page.get_by_role("button", name="Restore this version")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Delete"))).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "history-restore-1280")
    page.get_by_role("button", name="Restore this version").click()

    page.wait_for_url(re.compile(rf"/{publication.pk}/change/$"))
    expect(
        page.get_by_text(re.compile(r"Restored the version of .* by Ana Analyst"))
    ).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Deterrence After the Summit")
    page.goto(f"{admin}/history/")
    expect(page.locator("#change-history tbody tr")).to_have_count(3)
    expect(page.locator("#change-history tbody tr").first).to_contain_text(
        "Restored the version of"
    )
