import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from publications.policy import group_for, sync_roles

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser build."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does).")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # happen outside any await, so Django's async-safety guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(): a page in a browser context of its own (its own cookies: another
    person), closed after the test."""
    contexts = []

    def new_page():
        contexts.append(browser.new_context(viewport={"width": 1280, "height": 900}))
        return contexts[-1].new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def screenshot():
    """save(page, name): a full-page PNG in tests/artifacts/ (git-ignored) for people to
    look at what the tests saw."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name, *, full_page=True):
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=full_page)

    return save


# One user for each editorial role, in the groups publications/policy.py defines.
ROLE_USERS = {
    # username: (role, first name, last name)
    "analyst": ("Analysts", "Ana", "Analyst"),
    "editor": ("Editors", "Eda", "Editor"),
    "curator": ("Curators", "Cai", "Curator"),
}


@pytest.fixture
def roles(transactional_db):
    """The role groups: transactional tests empty the tables migration 0017 filled."""
    sync_roles()


def member(username):
    role, first_name, last_name = ROLE_USERS[username]
    user = get_user_model().objects.create_user(
        username, is_staff=True, first_name=first_name, last_name=last_name
    )
    user.groups.add(group_for(role))
    return user


@pytest.fixture
def analyst(roles):
    return member("analyst")


@pytest.fixture
def editor(roles):
    return member("editor")


@pytest.fixture
def curator(roles):
    return member("curator")


@pytest.fixture
def superuser(transactional_db):
    return get_user_model().objects.create_superuser(
        "boss", "boss@example.org", first_name="Sam", last_name="Boss"
    )


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user): the browser of `page` signed in as `user` with a session made
    as Django's test client makes one (force_login), not through the sign-in form: that
    form has its own tests (tests/test_sign_in.py, and the lockout page under the content
    security policy)."""

    def sign_in(page, user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def axe_violations():
    """axe_violations(page): what axe-core finds wrong on `page` once its fonts have
    loaded, a line for each rule broken ("rule (impact): the elements"); [] when
    nothing is. The axe-core build is the one axe-playwright-python ships, so no
    browser fetches it."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def violations(page):
        # An icon font still loading shows its icons' names as greyed words for a
        # moment (the editor's disabled buttons), which axe then rates as text.
        page.evaluate("async () => { await document.fonts.ready; }")
        return [
            f"{rule['id']} ({rule['impact']}): "
            + ", ".join(" ".join(node["target"]) for node in rule["nodes"])
            for rule in axe.run(page).response["violations"]
        ]

    return violations
