"""Every page works under the content security policy: Chromium reports no violation.

Violations are collected twice: the `securitypolicyviolation` events the page
sees (from a script added before any of the page's own), and Chromium's console
messages about the policy.
"""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError
from PIL import Image
from playwright.sync_api import expect

from authors.models import Author
from publications.models import Publication

from ..factories import make_author, make_publication, make_type
from ..test_content_security_policy import directives, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


class ViolationWatch:
    """Collects what the policy blocked on each page the browser shows."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.note_console_message)

    def note_console_message(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response

    def violations(self):
        """What was blocked since the page loaded, and everything the console said."""
        events = self.page.evaluate("window.cspViolations")
        return events + self.console


@pytest.fixture
def watch(page):
    return ViolationWatch(page)


def png(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 74, 111)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


def add_pictures(publication, author):
    """A cover and a portrait, so that pages load images under the policy too."""
    author.photo.save("mina.png", png())
    publication.cover_image_alt = "A harbour at dawn"
    publication.cover_image.save("harbour.png", png())


def test_the_policy_blocks_a_script_the_page_did_not_bring(live_server, watch):
    """The check the other tests rely on: an inline script is refused and reported."""
    make_publication("Any Brief")
    watch.visit(live_server.url)

    ran = watch.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injectedScriptRan = true";
            document.head.append(script);
            return window.injectedScriptRan === true;
        }"""
    )

    assert ran is False
    assert any("script-src" in violation for violation in watch.violations())


def test_public_pages_show_without_a_violation_from_the_cache_too(live_server, watch):
    pages = public_pages()
    publication = Publication.objects.get(title="Deterrence on the Peninsula")
    add_pictures(publication, publication.authors.get())

    for url in pages:
        for visit in ("first", "cached"):
            response = watch.visit(live_server.url + url)
            policy = directives(response.header_value("content-security-policy"))
            assert policy["script-src"] == "'self'", (url, visit)
            assert policy["style-src"] == "'self'", (url, visit)
            assert watch.violations() == [], (url, visit)

    watch.visit(live_server.url + publication.get_absolute_url())
    expect(watch.page.locator("img")).to_have_count(1)
    assert watch.page.evaluate("document.querySelector('img').naturalWidth") == 40


@pytest.mark.parametrize(
    ("error", "heading"),
    [
        (OperationalError("the database is away"), "Back in a few minutes"),
        (ValueError("a bug"), "Something went wrong"),
    ],
)
def test_the_error_pages_show_without_a_violation(live_server, watch, monkeypatch, error, heading):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("publications.views.lists.HomeView.get_context_data", fail)

    response = watch.visit(live_server.url)

    assert response.status in (500, 503)
    expect(watch.page.get_by_role("heading", level=1)).to_have_text(heading)
    # The stylesheet applied: the header has the site's colour, not the browser's white.
    header_colour = watch.page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_colour == "rgb(7, 50, 75)"
    assert watch.violations() == []


def test_the_admin_and_the_editor_work_without_a_violation(live_server, watch, superuser, sign_in):
    make_type("Policy Brief")
    author = make_author("Jae Kim")
    page = watch.page
    sign_in(page, superuser)

    watch.visit(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert watch.violations() == []

    watch.visit(f"{live_server.url}/admin/publications/publication/add/")
    page.fill("#id_title", "Sanctions After the Summit")
    page.select_option("#id_publication_type", label="Policy Brief")
    page.fill("#id_lead", "What changed after the summit.")
    editor = page.get_by_role("textbox").and_(page.locator(".ProseMirror"))
    editor.click()
    page.keyboard.type("Three things changed.")
    page.keyboard.press("Enter")
    page.keyboard.type("First, the ports.")
    # The byline's author autocomplete (select2, jQuery) works too.
    page.locator(".field-author .select2-selection").first.click()
    page.keyboard.type("Jae")
    page.get_by_role("option", name="Jae Kim").click()
    # So do the date and time shortcuts, and the calendar.
    page.click(".field-published_at #calendarlink0")
    page.locator("#calendarbox0").get_by_role("link", name="Today").click()
    page.locator(".field-published_at .datetimeshortcuts").get_by_role("link", name="Now").click()
    assert watch.violations() == []
    page.click("input[name=_continue]")

    # From the add page to the new publication's change page: the save has answered.
    page.wait_for_url(re.compile(r"/admin/publications/publication/\d+/change/$"))
    saved = Publication.objects.get(title="Sanctions After the Summit")
    assert saved.body == "<p>Three things changed.</p><p>First, the ports.</p>"
    assert list(saved.authors.all()) == [author]
    assert saved.published_at is not None
    expect(editor.locator("p")).to_have_text(["Three things changed.", "First, the ports."])
    assert watch.violations() == []

    for url in [
        "/admin/publications/publication/",
        "/admin/publications/publication/?q=summit",
        "/admin/authors/author/add/",
        f"/admin/authors/author/{author.pk}/change/",
        "/admin/auth/user/",
    ]:
        watch.visit(live_server.url + url)
        assert watch.violations() == [], url
    assert Author.objects.count() == 1


def test_the_sign_in_page_and_its_lockout_page_show_without_a_violation(
    live_server, watch, analyst
):
    """The sign-in form itself, which every other browser test skips (conftest's sign_in)."""
    page = watch.page
    for attempt in range(5):
        watch.visit(f"{live_server.url}/admin/login/")
        assert watch.violations() == [], attempt
        page.fill("#id_username", "analyst")
        page.fill("#id_password", "not-the-passphrase")
        with page.expect_navigation():
            page.click("input[type=submit]")

    expect(page.get_by_text("Too many failed sign-ins")).to_be_visible()
    assert watch.violations() == []
