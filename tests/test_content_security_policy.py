"""Every page carries the content security policy; public pages need no inline code or nonce.

Public pages are cached whole and served to every reader, so they carry no inline
script or style and their policy no nonce; the admin, never cached, gets a fresh
nonce on every request for what its editor writes inline. The browser test
(tests/browser/test_content_security_policy.py) shows Chromium reporting no
violation under this policy.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import OperationalError
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from publications.caching.middleware import AnonymousPageCacheMiddleware
from thinktank.building_blocks.middleware import ContentSecurityPolicyMiddleware

from .factories import make_author, make_publication, make_region

# Nothing here depends on the database (the headers and nonces are made in Python):
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.only_in_sqlite_pass]

LOCKED_DOWN = {
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "default-src": "'self'",
}


def directives(header):
    """The policy header as {directive: sources}; django-csp's order varies by process."""
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


class InlineCode(HTMLParser):
    """What a page runs or styles inline, with the nonce each carries.

    (tag, nonce) for each <script> without src and each <style>; (attribute, tag) for
    each style= or on…= attribute, which no nonce can allow. A JSON-LD block is data
    the browser never runs, so the policy does not apply to it.
    """

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        runs = attributes.get("type") != "application/ld+json"
        if (tag == "script" and "src" not in attributes and runs) or tag == "style":
            self.found.append((tag, attributes.get("nonce")))
        self.found += [
            (f"{name}=", tag) for name in attributes if name == "style" or name.startswith("on")
        ]


def nonce_of(response):
    script_sources = directives(response["Content-Security-Policy"])["script-src"].split()
    nonces = [source for source in script_sources if source.startswith("'nonce-")]
    return nonces[0].removeprefix("'nonce-").removesuffix("'") if nonces else None


def public_pages():
    """Publications to show, and the URL of every kind of public page showing them."""
    region = make_region("Korean Peninsula", slug="korean-peninsula")
    author = make_author("Mina Park", role="Senior Fellow", website="https://example.org/mina")
    publication = make_publication(
        "Deterrence on the Peninsula",
        authors=[author],
        regions=[region],
        tags=["deterrence"],
        body="<h2>Background</h2><p>Text with <a href='https://example.org'>a link</a>.</p>"
        "<table><tbody><tr><th>Year</th><td>2026</td></tr></tbody></table>",
        is_featured=True,
    )
    make_publication("Another Brief", regions=[region], tags=["deterrence"], days_ago=4)
    return [
        reverse("publications:home"),
        reverse("publications:list"),
        reverse("publications:list") + f"?region={region.slug}",
        reverse("publications:list") + "?tag=no-such-topic",
        publication.get_absolute_url(),
        reverse("publications:related", args=[publication.slug]),
        reverse("authors:list"),
        author.get_absolute_url(),
        reverse("publications:region-list"),
        region.get_absolute_url(),
        reverse("publications:tag-detail", args=["deterrence"]),
        publication.publication_type.get_absolute_url(),
        "/publications/no-such-publication/",
    ]


def test_public_pages_have_a_strict_policy_without_a_nonce_and_no_inline_code(client):
    for url in public_pages():
        response = client.get(url)

        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["img-src"] == "'self'", url
        assert LOCKED_DOWN.items() <= policy.items(), url
        assert InlineCode(response.text).found == [], url


def test_a_page_from_the_cache_gets_the_policy_on_every_request(client, django_assert_num_queries):
    publication = make_publication("Cached Brief")
    first = client.get(publication.get_absolute_url())

    with django_assert_num_queries(0):
        cached = client.get(publication.get_absolute_url())
        revalidated = client.get(publication.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert cached.content == first.content
    assert revalidated.status_code == 304
    for response in (cached, revalidated):
        assert directives(response["Content-Security-Policy"])["script-src"] == "'self'"


def test_a_page_that_used_a_nonce_is_never_cached_so_no_reader_gets_anothers():
    """Were a public template to use a nonce, each reader gets a page of their own."""
    rendered = []

    def page_with_a_nonce(request):
        rendered.append(request)
        html = Template('<script nonce="{{ request.csp_nonce }}">go()</script>')
        return HttpResponse(html.render(Context({"request": request})))

    site = ContentSecurityPolicyMiddleware(AnonymousPageCacheMiddleware(page_with_a_nonce))
    responses = [site(RequestFactory().get("/publications/")) for _ in range(2)]

    assert len(rendered) == 2
    nonces = [nonce_of(response) for response in responses]
    assert nonces[0] != nonces[1]
    for response, nonce in zip(responses, nonces, strict=True):
        assert f'nonce="{nonce}"'.encode() in response.content


def test_a_view_that_changes_its_policy_gets_its_own_and_the_others_keep_the_settings():
    """The policies from the settings are made once; a response that changes them
    (django-csp's decorators set these attributes) is given its own."""

    def page(request):
        return HttpResponse("<p>A page.</p>")

    def page_with_a_map(request):
        response = HttpResponse("<p>A map.</p>")
        response._csp_update = {"img-src": ["https://tiles.example.org"]}
        return response

    plain, with_a_map, plain_again = (
        ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
        for view in (page, page_with_a_map, page)
    )

    assert directives(plain["Content-Security-Policy"])["img-src"] == "'self'"
    assert (
        directives(with_a_map["Content-Security-Policy"])["img-src"]
        == "'self' https://tiles.example.org"
    )
    assert plain_again["Content-Security-Policy"] == plain["Content-Security-Policy"]


def test_the_policies_follow_the_settings(settings):
    site = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>A page.</p>"))
    before = site(RequestFactory().get("/"))
    reported = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"}}

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = reported
    after = site(RequestFactory().get("/"))

    assert "Content-Security-Policy-Report-Only" not in before
    assert directives(after["Content-Security-Policy-Report-Only"]) == {
        "default-src": "'self'",
        "report-uri": "/csp-reports/",
    }
    assert after["Content-Security-Policy"] == before["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (OperationalError("the database is away"), 503, "Back in a few minutes"),
        (ValueError("a bug"), 500, "Something went wrong"),
    ],
)
def test_the_error_pages_carry_the_policy_and_no_inline_code(
    client, monkeypatch, error, status, heading
):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("publications.views.lists.HomeView.get_context_data", fail)
    client.raise_request_exception = False

    response = client.get(reverse("publications:home"))

    assert response.status_code == status
    assert heading in response.text
    assert directives(response["Content-Security-Policy"])["script-src"] == "'self'"
    assert InlineCode(response.text).found == []


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/static/css/site.css", {}, 200),
        ("/static/css/site.css", {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 304),
        ("/static/css/missing.css", {}, 404),
        ("/media/pdfs%00.pdf", {}, 400),
        ("/?q=%00", {}, 400),
        ("/publications/", {"Host": "evil.example"}, 400),
    ],
    ids=[
        "a static file",
        "a static file not modified",
        "no such static file",
        "a NUL in the path",
        "a NUL in the query",
        "a host the site does not answer to",
    ],
)
def test_answers_made_before_any_page_carry_the_policy_too(client, path, headers, status):
    response = client.get(path, headers=headers)

    assert response.status_code == status
    assert LOCKED_DOWN.items() <= directives(response["Content-Security-Policy"]).items()


def test_the_redirect_to_https_carries_the_policy(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/publications/")

    assert response.status_code == 301
    assert LOCKED_DOWN.items() <= directives(response["Content-Security-Policy"]).items()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_publication_form_gets_a_fresh_nonce_for_the_editor_on_every_request(editor_client):
    publication = make_publication("Any Brief")
    url = reverse("admin:publications_publication_change", args=[publication.pk])

    responses = [editor_client.get(url) for _ in range(2)]

    nonces = [nonce_of(response) for response in responses]
    assert None not in nonces
    assert nonces[0] != nonces[1]
    for response, nonce in zip(responses, nonces, strict=True):
        policy = directives(response["Content-Security-Policy"])
        assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
        assert LOCKED_DOWN.items() <= policy.items()
        # The editor's import map, and the stand-in for Tiptap's own <style>.
        assert sorted(InlineCode(response.text).found) == [("script", nonce), ("style", nonce)]


def admin_pages(user):
    """The admin's index, and every registered model's changelist and add form."""
    request = RequestFactory().get("/admin/")
    request.user = user
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        if model_admin.has_add_permission(request):
            yield reverse(f"{prefix}_add")


def test_the_rest_of_the_admin_has_no_inline_code_and_needs_no_nonce(editor_client, editor):
    publication_form = reverse("admin:publications_publication_add")

    for url in admin_pages(editor):
        response = editor_client.get(url)

        assert response.status_code == 200, url
        if url != publication_form:
            assert nonce_of(response) is None, url
            assert InlineCode(response.text).found == [], url
