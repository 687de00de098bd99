"""An editor previews a draft from the admin in a real browser (Debian's Chromium).

Screenshots of the change form and of the previewed article are saved in
tests/artifacts/ (git-ignored) for people to look at.
"""

import re

import pytest
from playwright.sync_api import expect

from ..factories import make_author, make_publication, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_opens_a_draft_from_the_admin_and_readers_still_get_404(
    live_server, page, new_page, editor, sign_in, screenshot
):
    draft = make_publication(
        "Water Rights on the Mekong",
        status="draft",
        published_at=None,
        authors=[make_author("Linh Tran")],
        regions=[make_region("Southeast Asia")],
        tags=["water"],
        body="<h2>What is at stake</h2><p>Dams upstream change the river downstream.</p>",
    )

    sign_in(page, editor)
    page.goto(f"{live_server.url}/admin/publications/publication/{draft.pk}/change/")
    screenshot(page, "preview-change-form")
    page.get_by_role("link", name="View on site").click()

    expect(page).to_have_url(f"{live_server.url}/publications/water-rights-on-the-mekong/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Water Rights on the Mekong")
    expect(page.get_by_role("heading", name="What is at stake")).to_be_visible()
    banner = page.get_by_role("region", name="Preview")
    expect(banner).to_have_text(re.compile(r"^\s*Not public: draft\."))
    expect(banner.get_by_role("link", name="Edit it in the admin")).to_be_visible()
    screenshot(page, "preview-article")

    banner.get_by_role("link", name="Edit it in the admin").click()
    expect(page).to_have_url(f"{live_server.url}/admin/publications/publication/{draft.pk}/change/")

    response = new_page().goto(f"{live_server.url}{draft.get_absolute_url()}")
    assert response.status == 404
    assert "Water Rights" not in response.text()
