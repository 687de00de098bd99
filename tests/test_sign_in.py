"""Signing in to the admin: throttled per username and address, and sessions last a working day.

After five wrong passwords for one username from one address, that pair is locked
for DJANGO_LOGIN_LOCKOUT_MINUTES (15) with a page that says so; the address comes
from X-Forwarded-For only through the number of proxies DJANGO_TRUSTED_PROXY_COUNT
trusts. A session lasts DJANGO_SESSION_AGE_HOURS (12).
"""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from thinktank.building_blocks.middleware import SIGNED_IN_COOKIE
from thinktank.building_blocks.proxies import client_address

from .test_content_security_policy import InlineCode

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("admin:login")
ADMIN_URL = reverse("admin:index")
PASSWORD = "a-long-passphrase"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True
    )


@pytest.fixture
def time_now(time_machine):
    """The clock, held still until a test moves it on."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def sign_in(client, password, username="editor", **headers):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": ADMIN_URL}, **headers
    )


def is_signed_in(client):
    return client.get(ADMIN_URL).status_code == 200


def fail_five_times(client, username="editor", **headers):
    return [sign_in(client, "wrong", username, **headers) for _ in range(5)]


def test_four_wrong_passwords_get_the_login_form_again(client, editor):
    for _ in range(4):
        response = sign_in(client, "wrong")

        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text

    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_fifth_wrong_password_locks_the_username_with_a_clear_page(client, editor):
    *_, fifth = fail_five_times(client)

    assert fifth.status_code == 429
    assert "Too many failed sign-ins" in fifth.text
    assert "paused for 15 minutes" in fifth.text
    assert fifth["Retry-After"] == "900"
    assert "no-store" in fifth["Cache-Control"]
    assert InlineCode(fifth.text).found == []


def test_while_locked_even_the_right_password_is_refused(client, editor):
    fail_five_times(client)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert SIGNED_IN_COOKIE not in response.cookies
    assert not is_signed_in(client)


def test_the_right_password_works_again_once_the_lock_expires(client, editor, time_now):
    fail_five_times(client)
    time_now.shift(timedelta(minutes=14))
    assert sign_in(client, PASSWORD).status_code == 429

    # The try above, during the lock, started the 15 minutes again.
    time_now.shift(timedelta(minutes=2))
    assert sign_in(client, PASSWORD).status_code == 429
    time_now.shift(timedelta(minutes=15, seconds=1))
    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert response.cookies[SIGNED_IN_COOKIE].value
    assert is_signed_in(client)


def test_the_lock_time_comes_from_the_environment(client, editor, settings, time_now):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    *_, locked = fail_five_times(client)
    assert "paused for 2 minutes" in locked.text
    assert locked["Retry-After"] == "120"

    time_now.shift(timedelta(minutes=2, seconds=1))

    assert sign_in(client, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_earlier_failures(client, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    sign_in(client, PASSWORD)
    client.post(reverse("admin:logout"))

    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_holds_only_that_username_from_that_address(client, editor, django_user_model):
    django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    fail_five_times(client, REMOTE_ADDR="203.0.113.7")

    assert sign_in(client, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert sign_in(client, PASSWORD, "colleague", REMOTE_ADDR="203.0.113.7").status_code == 302
    client.post(reverse("admin:logout"))
    assert sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_others_still_get_the_plain_login_page(client, editor):
    fail_five_times(client)

    page = client.get(LOGIN_URL)

    assert page.status_code == 200
    assert "Too many failed sign-ins" not in page.text
    assert 'name="password"' in page.text


def test_a_forwarded_for_header_does_not_dodge_the_lock_by_default(client, editor):
    for attempt in range(5):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")

    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_is_locked_on_its_own(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The proxy appends the address it saw; what comes before it, the client wrote.
    for attempt in range(5):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7", **proxy)

    attacker = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7", **proxy)
    colleague = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)

    assert attacker.status_code == 429
    assert colleague.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded_for", "address"),
    [
        (0, "198.51.100.20", "10.0.0.2"),
        (1, "198.51.100.20", "198.51.100.20"),
        (1, "192.0.2.1, 198.51.100.20", "198.51.100.20"),
        (1, " 2001:db8::7 ", "2001:db8::7"),
        (2, "192.0.2.1, 198.51.100.20, 10.0.0.1", "198.51.100.20"),
        # Shorter than the proxies would make it: the request went round them.
        (2, "198.51.100.20", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    settings, count, forwarded_for, address
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_address(request) == address


def test_a_session_lasts_twelve_hours(client, editor, time_now):
    response = sign_in(client, PASSWORD)
    assert response.cookies["sessionid"]["max-age"] == 12 * 60 * 60
    assert response.cookies[SIGNED_IN_COOKIE]["max-age"] == 12 * 60 * 60

    time_now.shift(timedelta(hours=11, minutes=59))
    assert is_signed_in(client)

    time_now.shift(timedelta(minutes=2))
    response = client.get(ADMIN_URL)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
