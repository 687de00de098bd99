"""An editor previews a draft from the admin in a real browser (Debian's Chromium).

Screenshots of the change form and of the previewed article are saved in
tests/artifacts/ (git-ignored) for people to look at.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from ..factories import make_author, make_publication, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_opens_a_draft_from_the_admin_and_readers_still_get_404(
    live_server, browser, page, screenshot
):
    editor = get_user_model().objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="publications",
            codename__in=["change_publication", "view_publication"],
        )
    )
    draft = make_publication(
        "Water Rights on the Mekong",
        status="draft",
        published_at=None,
        authors=[make_author("Linh Tran")],
        regions=[make_region("Southeast Asia")],
        tags=["water"],
        body="<h2>What is at stake</h2><p>Dams upstream change the river downstream.</p>",
    )

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/publications/publication/{draft.pk}/change/")
    screenshot(page, "preview-change-form")
    page.get_by_role("link", name="View on site").click()

    assert page.url == f"{live_server.url}/publications/water-rights-on-the-mekong/"
    assert page.get_by_role("heading", level=1).inner_text() == "Water Rights on the Mekong"
    assert page.get_by_role("heading", name="What is at stake").is_visible()
    banner = page.get_by_role("region", name="Preview")
    assert banner.inner_text().startswith("Not public: draft.")
    assert banner.get_by_role("link", name="Edit it in the admin").is_visible()
    screenshot(page, "preview-article")

    banner.get_by_role("link", name="Edit it in the admin").click()
    assert page.url == f"{live_server.url}/admin/publications/publication/{draft.pk}/change/"

    reader = browser.new_context()
    try:
        response = reader.new_page().goto(f"{live_server.url}{draft.get_absolute_url()}")
        assert response.status == 404
        assert "Water Rights" not in response.text()
    finally:
        reader.close()
