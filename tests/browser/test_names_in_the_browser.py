"""Names in any script, typed into the admin and followed as links, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from publications.models import Region

from ..factories import make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("name", "filled_in", "saved"),
    [
        ("한반도", "한반도", "한반도"),
        ("Côte d'Ivoire", "côte-divoire", "côte-divoire"),
        ("!!!", "", "region"),
    ],
)
def test_the_admin_fills_in_a_unicode_slug_and_the_reader_follows_it(
    live_server, page, curator, sign_in, name, filled_in, saved
):
    sign_in(page, curator)
    page.goto(f"{live_server.url}/admin/publications/region/add/")
    page.fill("#id_name", name)
    page.locator("#id_name").blur()
    expect(page.locator("#id_slug")).to_have_value(filled_in)
    page.click("input[name=_save]")
    # From the add page to the list: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/region/$"))
    region = Region.objects.get(name=name)
    assert region.slug == saved
    make_publication("Peninsula Brief", regions=[region])

    page.goto(f"{live_server.url}/regions/")
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(live_server.url + region.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
