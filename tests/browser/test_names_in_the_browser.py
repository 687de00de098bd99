"""Names in any script, typed into the admin and followed as links, in a real browser."""

import re

import pytest
from django.contrib.auth import get_user_model

from publications.models import Region

from ..factories import make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(live_server, page):
    get_user_model().objects.create_superuser("editor", "e@example.org", "a-long-passphrase")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")


@pytest.mark.parametrize(
    ("name", "filled_in", "saved"),
    [
        ("한반도", "한반도", "한반도"),
        ("Côte d'Ivoire", "côte-divoire", "côte-divoire"),
        ("!!!", "", "region"),
    ],
)
def test_the_admin_fills_in_a_unicode_slug_and_the_reader_follows_it(
    live_server, page, name, filled_in, saved
):
    sign_in(live_server, page)
    page.goto(f"{live_server.url}/admin/publications/region/add/")
    page.fill("#id_name", name)
    page.locator("#id_name").blur()
    assert page.input_value("#id_slug") == filled_in
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/publications/region/$"))
    region = Region.objects.get(name=name)
    assert region.slug == saved
    make_publication("Peninsula Brief", regions=[region])

    page.goto(f"{live_server.url}/regions/")
    page.get_by_role("link", name=name).click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.url.endswith(region.get_absolute_url())
