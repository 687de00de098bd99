"""Links stored outside bodies: checked on every save, and rendered only when safe."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import set_script_prefix
from pytest_django.asserts import assertContains, assertNotContains

from authors.models import Author

from .caches import empty_caches
from .factories import make_author, make_publication, make_region

# Links are checked in Python on save and again when rendered:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

UNSAFE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "java\tscript:alert(1)",
    "https:\\\\evil.example",
    "https://exa\u200bmple.org",
    "//evil.example",
]


@pytest.mark.parametrize("field", ["website", "social_url"])
@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_creating_an_author_with_an_unsafe_link_is_refused(field, url):
    with pytest.raises(ValidationError) as refusal:
        make_author(**{field: url})

    assert field in refusal.value.message_dict
    assert not Author.objects.exists()


def test_saving_a_changed_author_checks_the_links_again():
    author = make_author(website="https://example.org/")
    author.social_url = "javascript:alert(1)"

    with pytest.raises(ValidationError, match="starting with https://"):
        author.save()


def test_an_orcid_written_outside_the_form_is_checked():
    with pytest.raises(ValidationError, match="ORCID"):
        make_author(orcid='0000" onmouseover="alert(1)')


def test_safe_links_are_shown_on_the_author_page(client):
    author = make_author(
        website="https://example.org/~mina",
        social_url="https://bsky.app/profile/mina.example",
        orcid="0000-0002-1825-0097",
    )

    response = client.get(author.get_absolute_url())

    assertContains(response, '<a href="https://example.org/~mina" rel="noopener">Website</a>')
    assertContains(response, 'href="https://bsky.app/profile/mina.example" rel="noopener me"')
    assertContains(response, 'href="https://orcid.org/0000-0002-1825-0097"')


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_an_unsafe_link_written_around_save_renders_as_no_link(client, url):
    author = make_author()
    Author.objects.filter(pk=author.pk).update(website=url, social_url=url)

    response = client.get(author.get_absolute_url())

    assertContains(response, "<li>Website</li>", html=True)
    assertContains(response, "<li>Social profile</li>", html=True)
    assertNotContains(response, "evil.example")
    assertNotContains(response, "script:")


def test_an_unsafe_link_from_bulk_create_renders_as_no_link(client):
    (author,) = Author.objects.bulk_create(
        [
            Author(
                name="Bulk Person",
                slug="bulk-person",
                sort_name="Person, Bulk",
                website="javascript:alert(document.cookie)",
            )
        ]
    )

    response = client.get(author.get_absolute_url())

    assertContains(response, "<li>Website</li>", html=True)
    assertNotContains(response, "javascript:")


@pytest.mark.parametrize(
    ("url", "rendered"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("  https://example.org/  ", "https://example.org/"),
        ("mailto:press@example.org", "mailto:press@example.org"),
        ("/publications/", ""),
        ("ftp://example.org/file", ""),
        ("/\\evil.example", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_the_template_filter_keeps_only_absolute_web_and_mail_links(url, rendered):
    template = Template("{% load links %}{{ url|url_if_safe }}")

    assert template.render(Context({"url": url})) == rendered


def test_addresses_follow_the_script_prefix_the_site_is_served_under():
    """Addresses are kept per process, but a site served under a path (SCRIPT_NAME)
    still links within it, and the same objects link at the root again after."""
    author = make_author("Kim Sora")
    publication = make_publication(title="Grain corridors", authors=[author])
    at_root = (publication.get_absolute_url(), author.get_absolute_url())
    set_script_prefix("/think/")
    try:
        assert publication.get_absolute_url() == "/think" + at_root[0]
        assert author.get_absolute_url() == "/think" + at_root[1]
    finally:
        set_script_prefix("/")
    assert (publication.get_absolute_url(), author.get_absolute_url()) == at_root


def test_the_header_and_footer_links_follow_the_script_prefix_too():
    # Kept per process too ({% page_url %}, which base.html's links use).
    header_link = Template("{% load links %}{% page_url 'publications:list' %}")
    at_root = header_link.render(Context())
    set_script_prefix("/think/")
    try:
        assert header_link.render(Context()) == "/think/publications/"
    finally:
        set_script_prefix("/")
    assert header_link.render(Context()) == at_root == "/publications/"


def served_by_a_wsgi_server(path, script_name=""):
    """The page at `path` as a WSGI server gets it from Django, mounted at `script_name`."""
    environ = RequestFactory().get(path).environ
    environ["SCRIPT_NAME"] = script_name
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(response).decode()
    finally:
        response.close()
    assert statuses == ["200 OK"], statuses
    return body


def page_links(html):
    """The page's links to the site's own pages (STATIC_URL is its own setting)."""
    links = re.findall(r'href="(/[^"]*)"', html)
    return [link for link in links if not link.startswith(settings.STATIC_URL)]


def test_an_article_served_under_a_path_links_within_it_and_the_next_one_at_the_root():
    """Every link an article writes (its type, byline, regions, topics, related cards
    with their bylines, header and footer) follows the path a WSGI server mounts the
    site at, and a request at the root after it links at the root again."""
    region = make_region()
    kim, lee = make_author(), make_author()
    shown = make_publication(authors=[kim], regions=[region], tags=["grain"])
    other = make_publication(authors=[lee], regions=[region], tags=["grain"])
    empty_caches()
    path = shown.get_absolute_url()

    under_a_path = served_by_a_wsgi_server(path, script_name="/think")
    empty_caches()
    at_root = served_by_a_wsgi_server(path)

    links = page_links(at_root)
    written_by_the_models = {kim, lee, region, other}
    assert {each.get_absolute_url() for each in written_by_the_models} <= set(links)
    assert not any(link.startswith("/think/") for link in links)
    assert page_links(under_a_path) == ["/think" + link for link in links]


def header_and_footer_links(page):
    html = page.content.decode()
    chrome = html[html.index('<header class="site-header">') : html.index("<main")]
    chrome += html[html.index('<footer class="site-footer">') :]
    return re.findall(r'href="([^"]*)"', chrome)


def test_every_pages_header_and_footer_follow_the_script_prefix_and_the_sites_name(
    client, settings
):
    """They are rendered once per process ({% same_on_every_page %}), yet a site served
    under a path links within it, at the root again after, and a renamed site shows its
    new name: the page cache is emptied between the requests, so each page is rendered."""
    settings.THINKTANK_NAME = "Asia Policy Institute"
    at_root = client.get("/authors/")
    empty_caches()
    set_script_prefix("/think/")  # as a WSGI server's SCRIPT_NAME sets it
    try:
        under_a_path = client.get("/authors/")
    finally:
        set_script_prefix("/")
    empty_caches()
    settings.THINKTANK_NAME = "Harbour Institute"
    renamed = client.get("/authors/")

    links = header_and_footer_links(at_root)
    assert links[:2] == ["/", "/publications/"]
    assert len(links) == 9
    assert header_and_footer_links(under_a_path) == ["/think" + link for link in links]
    assert header_and_footer_links(renamed) == links
    assertContains(at_root, '<a class="site-name" href="/">Asia Policy Institute<span')
    assertContains(under_a_path, '<a class="site-name" href="/think/">Asia Policy Institute<sp')
    assertContains(renamed, '<a class="site-name" href="/">Harbour Institute<span')
    assertContains(renamed, "<p>Harbour Institute publishes independent research")
    assertNotContains(renamed, "Asia Policy Institute")


def test_a_renamed_slug_gets_its_new_address(client):
    author = make_author("Kim Sora")
    first = author.get_absolute_url()
    author.slug = "sora-kim"
    author.save()
    assert author.get_absolute_url() != first
    assert client.get(author.get_absolute_url()).status_code == 200
