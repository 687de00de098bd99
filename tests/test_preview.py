"""Staff preview: an item that is not public, at its public address, for those who may.

Those who may change (or view) publications in the admin see a draft, an item in
review or a scheduled item as readers will, under a "Not public" banner, kept from
search engines and from every cache. Everyone else gets the 404 they always got.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse

from publications.caching.middleware import AnonymousPageCacheMiddleware
from publications.models import Publication

from .factories import make_author, make_publication, make_region
from .own_redis import OWN_REDIS_URL
from .test_uploads import with_files

pytestmark = pytest.mark.django_db

NOT_PUBLIC = {
    "draft": {"status": "draft"},
    "in review": {"status": "review"},
    "scheduled": {"status": "published", "published_at": datetime(2026, 12, 3, 9, 0, tzinfo=UTC)},
}
BANNERS = {
    "draft": "Not public: draft",
    "in review": "Not public: in review",
    "scheduled": "Not public: scheduled for 3 December 2026, 09:00",
}
NOINDEX = '<meta name="robots" content="noindex">'


@pytest.fixture(autouse=True)
def _before_the_scheduled_date(time_machine):
    time_machine.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False)


def a_user(username, *codenames):
    """A staff user with these permissions on publications (and no others)."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "a-long-passphrase", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Publication), codename__in=codenames
        )
    )
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def previewer():
    return signed_in(a_user("editor", "change_publication"))


@pytest.fixture
def without_permission():
    """Signed in to the admin, but with nothing to do with publications."""
    return signed_in(a_user("webmaster"))


def a_draft(kind="draft", title="Unreleased Findings", **fields):
    return make_publication(
        title, body="<p>The findings, in full.</p>", **{**NOT_PUBLIC[kind], **fields}
    )


@pytest.mark.parametrize("kind", NOT_PUBLIC)
def test_a_previewer_sees_it_as_readers_will_under_a_banner(previewer, kind):
    publication = a_draft(kind)

    response = previewer.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Unreleased Findings</h1>" in response.text
    assert "The findings, in full." in response.text
    assert f"<strong>{BANNERS[kind]}</strong>" in response.text
    edit_url = reverse("admin:publications_publication_change", args=[publication.pk])
    assert f'<a href="{edit_url}">Edit it in the admin</a>' in response.text
    assert NOINDEX in response.text


@pytest.mark.parametrize("kind", NOT_PUBLIC)
def test_no_browser_or_shared_cache_may_keep_a_preview(previewer, kind):
    response = previewer.get(a_draft(kind).get_absolute_url())

    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


def test_the_page_cache_would_refuse_to_store_a_preview(previewer):
    """Even a previewer's request that reached it without the signed-in cookie."""
    response = previewer.get(a_draft().get_absolute_url())
    response.cookies.clear()  # the signed-in cookie, which would keep it out too

    assert not AnonymousPageCacheMiddleware.is_cacheable_response(response)


@pytest.mark.parametrize("kind", NOT_PUBLIC)
def test_readers_and_staff_without_the_permission_still_get_404(client, without_permission, kind):
    url = a_draft(kind).get_absolute_url()

    assert client.get(url).status_code == 404
    assert without_permission.get(url).status_code == 404


def test_who_may_only_view_publications_may_preview_them_too(client):
    viewer = signed_in(a_user("reviewer", "view_publication"))

    response = viewer.get(a_draft().get_absolute_url())

    assert response.status_code == 200
    assert "Not public: draft" in response.text


def test_a_published_item_shows_staff_no_banner(previewer):
    response = previewer.get(make_publication("Out Already").get_absolute_url())

    assert response.status_code == 200
    assert "Not public" not in response.text
    assert NOINDEX not in response.text


def test_an_undated_draft_is_dated_as_publishing_it_now_would_date_it(previewer):
    publication = a_draft(published_at=None)

    response = previewer.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert '<time datetime="2026-11-28T12:00:00+00:00">28 November 2026</time>' in response.text
    assert '"datePublished": "2026-11-28T12:00:00+00:00"' in response.text
    publication.refresh_from_db()
    assert publication.published_at is None


def test_the_related_block_of_a_preview_shows_only_published_items(previewer):
    draft = a_draft(tags=["energy"])
    make_publication("Published On Energy", tags=["energy"])
    make_publication("Another Draft On Energy", tags=["energy"], status="draft")

    response = previewer.get(draft.get_absolute_url())

    assert "Published On Energy" in response.text
    assert "Another Draft On Energy" not in response.text


@pytest.mark.parametrize(
    "url",
    [
        reverse("publications:home"),
        reverse("publications:list"),
        reverse("publications:search") + "?q=findings",
        reverse("feeds:latest"),
        "/sitemap-publications.xml",
    ],
    ids=["home", "list", "search", "feed", "sitemap"],
)
def test_a_previewer_finds_no_draft_in_lists_feeds_sitemap_or_search(previewer, url):
    make_publication("Findings Released")
    a_draft(title="Findings Withheld")

    response = previewer.get(url)

    assert response.status_code == 200
    # Each names its items' addresses (cards, links, <loc>s).
    assert b"/publications/findings-released/" in response.content
    assert b"findings-withheld" not in response.content
    assert b"Findings Withheld" not in response.content


def test_a_published_articles_page_names_no_draft(previewer):
    """The public article's related block and structured data leave the draft out."""
    article = make_publication("Published On Energy", tags=["energy"])
    a_draft(tags=["energy"])

    response = previewer.get(article.get_absolute_url())

    assert "Unreleased" not in response.text


def test_a_previewer_follows_a_drafts_old_slug_and_readers_do_not(client, previewer):
    publication = a_draft()
    old_url = publication.get_absolute_url()
    publication.slug = "findings-renamed"
    publication.save()

    response = previewer.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == "/publications/findings-renamed/"
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(old_url).status_code == 404


@pytest.mark.parametrize("name", ["publications:related", "publications:cite-bib"])
def test_the_previews_related_list_and_citation_open_for_previewers_only(client, previewer, name):
    url = reverse(name, kwargs={"slug": a_draft().slug})

    response = previewer.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(url).status_code == 404


def test_a_drafts_pdf_opens_for_previewers_and_not_for_staff_without_the_permission(
    client, previewer, without_permission
):
    publication = with_files(a_draft(cover_image_alt="A chart."))

    page = previewer.get(publication.get_absolute_url()).text
    assert f'<a class="button" href="{publication.pdf.url}" download>' in page
    assert f'<img src="{publication.cover_image.url}"' in page
    assert previewer.get(publication.pdf.url).status_code == 200
    assert previewer.get(publication.cover_image.url).status_code == 200
    assert without_permission.get(publication.pdf.url).status_code == 404
    assert client.get(publication.pdf.url).status_code == 404


def test_view_on_site_leads_from_the_admin_to_the_drafts_public_address(previewer):
    publication = a_draft()
    change_page = previewer.get(
        reverse("admin:publications_publication_change", args=[publication.pk])
    )
    content_type = ContentType.objects.get_for_model(Publication)
    view_on_site = reverse("admin:view_on_site", args=[content_type.pk, publication.pk])
    assert f'href="{view_on_site}"' in change_page.text

    response = previewer.get(view_on_site, follow=True)

    # The public address, on the host the admin was reached at.
    assert response.redirect_chain == [("http://testserver/publications/unreleased-findings/", 302)]
    assert "Not public: draft" in response.text


def test_a_preview_runs_the_queries_of_the_published_page(
    previewer, client, django_assert_num_queries
):
    """The same as the published article for the same person; a reader's page, without
    their session, user and permissions (4), is the same again, but on PostgreSQL,
    which reads a public article's topics and regions with it (2 fewer)."""
    author, region = make_author(), make_region()
    shape = {"authors": [author], "regions": [region], "tags": ["energy", "water"]}
    published = make_publication("Out Already", **shape)
    make_publication("Related To Both", **shape)
    draft = a_draft(**shape)
    previewer.get(reverse("publications:home"))  # the signed-in cookie is set

    with django_assert_num_queries(11):
        preview = previewer.get(draft.get_absolute_url())
    with django_assert_num_queries(11):
        previewer.get(published.get_absolute_url())
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 7):
        client.get(published.get_absolute_url())

    assert preview.status_code == 200


# The page cache (publications.caching): what it stores is served to every reader, so
# these commit for real, as the site does, on both cache backends.

BACKENDS = {
    "local memory": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "redis": {
        "default": {
            "BACKEND": "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            "LOCATION": OWN_REDIS_URL,
            "KEY_PREFIX": "preview-test",
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    },
}


@pytest.fixture(params=BACKENDS)
def cache_backend(request, settings):
    settings.CACHES = BACKENDS[request.param]
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    return request.param


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", NOT_PUBLIC)
def test_a_reader_right_after_a_preview_gets_404(client, cache_backend, kind):
    publication = a_draft(kind)
    # Fresh from signing in: no signed-in cookie yet, so the page cache sees the request.
    previewer = signed_in(a_user("editor", "change_publication"))

    assert previewer.get(publication.get_absolute_url()).status_code == 200
    assert "Not public" in previewer.get(publication.get_absolute_url()).text

    reader = client.get(publication.get_absolute_url())
    assert reader.status_code == 404
    assert "Unreleased Findings" not in reader.text


@pytest.mark.django_db(transaction=True)
def test_a_preview_is_never_a_page_cached_for_readers(client, cache_backend):
    """Neither another page cached by a reader, nor the same page cached while public."""
    other = make_publication("Out Already")
    publication = make_publication("Unreleased Findings")
    for url in (other.get_absolute_url(), publication.get_absolute_url()):
        assert client.get(url).has_header("ETag")  # cached for readers
    previewer = signed_in(a_user("editor", "change_publication"))
    publication.unpublish()
    publication.save()

    preview = previewer.get(publication.get_absolute_url())

    assert "Not public: draft" in preview.text
    assert not preview.has_header("ETag")
    assert client.get(publication.get_absolute_url()).status_code == 404
    assert "Not public" not in previewer.get(other.get_absolute_url()).text
