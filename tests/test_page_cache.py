"""Readers get cached pages, and never a stale one after a committed change.

These tests commit for real (transactional database), as the site does: pages and
lists are cached only from committed rows, and the content version moves on when a
change commits.
"""

import os
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from redis import Redis
from taggit.models import Tag

from authors.models import Author
from publications.discovery.sitemaps import PublicationSitemap
from publications.models import ContentVersion, Publication, Region, RelatedCandidate
from publications.models.content_version import content_version

from .admin_forms import confirm_merge
from .factories import make_author, make_publication, make_region
from .own_redis import OWN_REDIS_URL

pytestmark = pytest.mark.django_db(transaction=True)


def version_counter():
    # Transactional tests empty every table between tests, the migration's row too.
    return ContentVersion.objects.get_or_create(pk=ContentVersion.ROW)[0].version


def test_a_second_visit_is_served_from_the_cache_with_one_version_read(
    client, django_assert_num_queries, version_reads, settings
):
    # Without a listener (SQLite; or PostgreSQL behind a pooler): one read per request.
    # tests/test_version_listener.py has PostgreSQL's listening workers.
    settings.CONTENT_VERSION_LISTEN = False
    publication = make_publication("Cached Brief")
    first = client.get(publication.get_absolute_url())
    version_reads.clear()

    # The one read is the content version: it is what keeps every worker honest.
    with django_assert_num_queries(0):
        second = client.get(publication.get_absolute_url())

    assert len(version_reads) == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_rendered_page_reads_the_version_once_for_page_related_list_and_menus(
    client, version_reads, settings
):
    settings.CONTENT_VERSION_LISTEN = False
    article = make_publication("Article", tags=["energy"])
    make_publication("Related", tags=["energy"])

    client.get(article.get_absolute_url())
    client.get(reverse("publications:list"))

    assert len(version_reads) == 2


def test_publishing_a_draft_shows_it_on_the_list_at_once(client):
    draft = make_publication("Fresh Analysis", status="draft")
    assert "Fresh Analysis" not in client.get(reverse("publications:list")).text

    draft.status = Publication.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()

    assert "Fresh Analysis" in client.get(reverse("publications:list")).text


def test_unpublishing_takes_the_page_down_at_once(client):
    publication = make_publication("Withdrawn Brief")
    assert client.get(publication.get_absolute_url()).status_code == 200
    assert "Withdrawn Brief" in client.get(reverse("publications:home")).text

    publication.status = Publication.Status.DRAFT
    publication.save()

    assert client.get(publication.get_absolute_url()).status_code == 404
    assert "Withdrawn Brief" not in client.get(reverse("publications:home")).text


def test_an_edit_shows_on_the_article_at_once(client):
    publication = make_publication("First Title")
    client.get(publication.get_absolute_url())

    publication.title = "Corrected Title"
    publication.save()

    assert "Corrected Title" in client.get(publication.get_absolute_url()).text


def test_deleting_a_publication_takes_it_off_the_list_at_once(client):
    publication = make_publication("Deleted Brief")
    assert "Deleted Brief" in client.get(reverse("publications:list")).text

    publication.delete()

    assert "Deleted Brief" not in client.get(reverse("publications:list")).text


def test_a_scheduled_item_appears_when_its_time_arrives(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_publication("Already Out")
    make_publication("Embargoed Until Noon", published_at=timezone.now() + timedelta(hours=1))
    counter = version_counter()
    assert "Embargoed Until Noon" not in client.get(reverse("publications:list")).text

    time_machine.shift(timedelta(hours=1, seconds=1))

    assert "Embargoed Until Noon" in client.get(reverse("publications:list")).text
    assert "Embargoed Until Noon" in client.get(reverse("publications:home")).text
    # Nobody saved anything: the first request after the time moved the version on,
    # once, and noted that nothing else is scheduled.
    assert version_counter() == counter + 1
    assert ContentVersion.objects.get().next_change_us is None


def test_renaming_an_author_updates_every_byline_at_once(client):
    author = make_author("Jun Seo")
    publication = make_publication(authors=[author])
    client.get(publication.get_absolute_url())

    author.name = "Jun-seo Park"
    author.save()

    assert "Jun-seo Park" in client.get(publication.get_absolute_url()).text


def test_renaming_a_tag_and_retagging_update_the_article_at_once(client):
    publication = make_publication(tags=["nukes"])
    client.get(publication.get_absolute_url())

    tag = Tag.objects.get(name="nukes")
    tag.name = "nuclear weapons"
    tag.save()
    assert "nuclear weapons" in client.get(publication.get_absolute_url()).text

    publication.tags.add("arms control")
    assert "arms control" in client.get(publication.get_absolute_url()).text


def test_merging_tags_in_the_admin_updates_the_tag_page_at_once(client, admin_client):
    make_publication("Tagged Twice", tags=["nuclear"])
    make_publication("Tagged Once", tags=["nukes"])
    nuclear = Tag.objects.get(name="nuclear")
    assert (
        "Tagged Once" not in client.get(reverse("publications:tag-detail", args=["nuclear"])).text
    )

    confirm_merge(admin_client, Tag.objects.all(), nuclear)

    assert Tag.objects.get().pk == nuclear.pk
    page = client.get(reverse("publications:tag-detail", args=["nuclear"])).text
    assert "Tagged Once" in page
    assert "Tagged Twice" in page


# Every bulk write of a many-to-many relation (no post_save for its rows) renews the
# version: `add()`, `set()`, `remove()` and `clear()`, from either side.
BULK_WRITES = {
    "authors.add": lambda p, author, region: p.authors.add(author),
    "authors.set": lambda p, author, region: p.authors.set([author]),
    "author.publications.add": lambda p, author, region: author.publications.add(p),
    "authors.remove": lambda p, author, region: p.authors.remove(*p.authors.all()),
    "authors.clear": lambda p, author, region: p.authors.clear(),
    "regions.add": lambda p, author, region: p.regions.add(region),
    "regions.set": lambda p, author, region: p.regions.set([region]),
    "region.publications.add": lambda p, author, region: region.publications.add(p),
    "regions.remove": lambda p, author, region: p.regions.remove(*p.regions.all()),
    "regions.clear": lambda p, author, region: p.regions.clear(),
    "tags.add": lambda p, author, region: p.tags.add("maritime"),
    "tags.set": lambda p, author, region: p.tags.set(["maritime"]),
    "tags.remove": lambda p, author, region: p.tags.remove("sanctions"),
    "tags.clear": lambda p, author, region: p.tags.clear(),
    "related_picks.add": lambda p, author, region: p.related_picks.add(
        make_publication("Picked Later")
    ),
    "related_picks.clear": lambda p, author, region: p.related_picks.clear(),
}


@pytest.mark.parametrize("write", BULK_WRITES)
def test_every_bulk_many_to_many_write_shows_at_once(client, write):
    old_author, old_region = make_author("Ada Old"), make_region("Old Region")
    publication = make_publication(
        "Subject", authors=[old_author], regions=[old_region], tags=["sanctions"]
    )
    make_publication("Earlier Pick", tags=["unrelated"]).picked_by.create(
        from_publication=publication
    )
    make_publication("Shares a Tag", tags=["sanctions"])  # so that removing the pick shows
    new_author, new_region = make_author("Ben New"), make_region("New Region")
    before = client.get(publication.get_absolute_url()).text

    BULK_WRITES[write](publication, new_author, new_region)

    after = client.get(publication.get_absolute_url()).text
    assert after != before


def test_a_release_retires_the_pages_the_old_code_cached(client):
    """Every release runs migrate (README, "Deploying"): a page rendered by the old
    code, a feed from before a fix, is rendered again by the new one."""
    publication = make_publication("Cached Before the Release")
    before = client.get(publication.get_absolute_url())
    assert client.get(publication.get_absolute_url())["ETag"] == before["ETag"]

    call_command("migrate", verbosity=0)

    after = client.get(publication.get_absolute_url())
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_a_transaction_moves_the_version_on_once_however_many_rows_it_saves():
    counter = version_counter()

    with transaction.atomic():
        for number in range(5):
            publication = make_publication(f"Batch {number}", tags=["batch"])
            publication.regions.add(make_region())

    assert version_counter() == counter + 1


def test_a_rolled_back_transaction_leaves_the_version_alone():
    counter = version_counter()

    def save_then_fail():
        with transaction.atomic():
            make_publication("Never Committed")
            raise RuntimeError("the editor's save failed")

    with pytest.raises(RuntimeError, match="the editor's save failed"):
        save_then_fail()

    assert version_counter() == counter


def test_a_page_rendered_inside_an_uncommitted_change_is_not_cached(client):
    publication = make_publication("Before the Change")
    client.get(publication.get_absolute_url())

    def change_view_then_fail():
        with transaction.atomic():
            Publication.objects.filter(pk=publication.pk).update(title="Rolled Back Title")
            publication.title = "Rolled Back Title"
            publication.save()
            assert "Rolled Back Title" in client.get(publication.get_absolute_url()).text
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        change_view_then_fail()

    page = client.get(publication.get_absolute_url()).text
    assert "Before the Change" in page
    assert "Rolled Back Title" not in page


def test_query_strings_the_page_ignores_do_not_make_new_cache_entries(
    client, django_assert_num_queries
):
    make_publication("Campaign Brief")
    plain = client.get(reverse("publications:list"))

    with django_assert_num_queries(0):
        tracked = client.get(
            reverse("publications:list") + "?utm_source=newsletter&fbclid=abc123&utm_medium=x"
        )

    assert tracked.content == plain.content
    assert tracked["ETag"] == plain["ETag"]


def test_page_parameters_are_keyed_by_the_value_the_page_uses(client):
    make_publication("In Asia", regions=[make_region("Asia", slug="asia")])
    make_publication("In Europe", regions=[make_region("Europe", slug="europe")])
    url = reverse("publications:list")

    # The list reads the last value given; the key must agree, whatever the order.
    europe_last = client.get(url + "?region=asia&region=europe").text
    asia_last = client.get(url + "?region=europe&region=asia").text

    assert "In Europe" in europe_last
    assert "In Asia" not in europe_last
    assert "In Asia" in asia_last
    assert "In Europe" not in asia_last


def test_overlong_parameter_values_are_not_cached(client, django_assert_max_num_queries):
    make_publication("Any Brief")
    url = reverse("publications:list") + "?tag=" + "x" * 500
    first = client.get(url)

    assert first.status_code == 200
    assert not first.has_header("ETag")


def test_a_made_up_session_cookie_does_not_bypass_the_cache(client, django_assert_num_queries):
    publication = make_publication("Cookie Brief")
    client.get(publication.get_absolute_url())
    client.cookies["sessionid"] = "made-up"
    client.cookies["signed_in"] = "1:forged:signature"

    with django_assert_num_queries(0):
        response = client.get(publication.get_absolute_url())

    assert response.has_header("ETag")


def test_signed_in_staff_always_get_a_fresh_page(client, admin_user):
    publication = make_publication("Staff View")
    client.get(publication.get_absolute_url())
    client.post(reverse("admin:login"), {"username": "admin", "password": "password"})
    Publication.objects.filter(pk=publication.pk).update(title="Changed Behind The Cache")

    response = client.get(publication.get_absolute_url())

    assert "Changed Behind The Cache" in response.text
    assert not response.has_header("ETag")


def test_after_signing_out_staff_are_readers_again(client, admin_user):
    publication = make_publication("Reader Again")
    client.post(reverse("admin:login"), {"username": "admin", "password": "password"})
    assert "signed_in" in client.cookies

    client.post(reverse("admin:logout"))
    assert client.cookies["signed_in"]["max-age"] == 0
    # A browser drops the cookies the logout expired; the test client keeps them.
    for name in [name for name, morsel in client.cookies.items() if morsel["max-age"] == 0]:
        del client.cookies[name]
    client.get(publication.get_absolute_url())

    assert client.get(publication.get_absolute_url()).has_header("ETag")


def test_a_forged_host_gets_400_even_for_a_cached_page(client):
    publication = make_publication("Host Brief")
    assert client.get(publication.get_absolute_url()).status_code == 200

    response = client.get(publication.get_absolute_url(), headers={"Host": "evil.example"})

    assert response.status_code == 400


def test_an_unchanged_page_answers_304_and_a_changed_one_200(client):
    publication = make_publication("Conditional Brief")
    etag = client.get(publication.get_absolute_url())["ETag"]

    assert (
        client.get(publication.get_absolute_url(), headers={"If-None-Match": etag}).status_code
        == 304
    )

    publication.lead = "A new introduction."
    publication.save()

    response = client.get(publication.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "A new introduction." in response.text


def test_readers_are_told_to_revalidate(client):
    response = client.get(make_publication().get_absolute_url())

    assert "max-age=0" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_not_found_pages_and_the_admin_are_never_cached(client, admin_client):
    assert client.get("/publications/nothing-here/").status_code == 404
    make_publication("Nothing Here")
    assert client.get("/publications/nothing-here/").status_code == 200
    assert not admin_client.get(reverse("admin:index")).has_header("ETag")


def test_with_the_cache_switched_off_every_visit_renders(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    publication = make_publication("Uncached")
    client.get(publication.get_absolute_url())
    Publication.objects.filter(pk=publication.pk).update(title="Updated Quietly")

    assert "Updated Quietly" in client.get(publication.get_absolute_url()).text


def test_a_retitled_related_publication_shows_on_the_article_at_once(client, settings):
    """Related lists are cached on their own too (for renders the page cache misses)."""
    settings.PAGE_CACHE_ENABLED = False
    article = make_publication("Article", tags=["energy"])
    related = make_publication("Old Related Title", tags=["energy"])
    assert "Old Related Title" in client.get(article.get_absolute_url()).text

    related.title = "New Related Title"
    related.save()

    page = client.get(article.get_absolute_url()).text
    assert "New Related Title" in page
    assert "Old Related Title" not in page


def test_a_region_type_or_author_edit_moves_the_version_on():
    region, author = make_region("Arctic"), make_author("Ola Nord")
    publication = make_publication(regions=[region], authors=[author])
    versions = {content_version()}

    for change in (
        lambda: Region.objects.filter(pk=region.pk).first().save(),
        lambda: publication.publication_type.save(),
        lambda: Author.objects.get(pk=author.pk).save(),
    ):
        change()
        versions.add(content_version())

    assert len(versions) == 4


def test_with_redis_each_worker_keeps_its_own_copy_in_front_of_it(
    client, settings, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            "LOCATION": OWN_REDIS_URL,
            "KEY_PREFIX": "page-copy-test",
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import cache

    publication = make_publication("Kept Close")
    cache.clear()
    first = client.get(publication.get_absolute_url())
    cache.clear()  # Redis forgets everything; this worker's copy answers

    with django_assert_num_queries(0):
        again = client.get(publication.get_absolute_url())
    publication.title = "Changed Since"
    publication.save()
    changed = client.get(publication.get_absolute_url())

    assert again["ETag"] == first["ETag"]
    assert again.content == first.content
    assert "Changed Since" in changed.text


# --- which addresses make cache entries ---------------------------------------------------

IN_2024 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_each_sitemap_page_is_cached_under_its_own_number(client, monkeypatch):
    monkeypatch.setattr(PublicationSitemap, "limit", 1)
    older = make_publication("Older", days_ago=2)
    newer = make_publication("Newer", days_ago=1)
    first = client.get("/sitemap-publications.xml?p=1")  # now cached

    second = client.get("/sitemap-publications.xml?p=2")

    assertContains(first, newer.get_absolute_url())
    assertContains(second, older.get_absolute_url())
    assertNotContains(second, newer.get_absolute_url())
    for page in ("999", "zz"):
        assert client.get(f"/sitemap-publications.xml?p={page}").status_code == 404


def test_a_parameter_the_page_does_not_read_is_served_from_its_one_entry(
    client, django_assert_num_queries
):
    publication = make_publication("Read Nowhere")
    for url in ("/", publication.get_absolute_url()):
        plain = client.get(url)

        with django_assert_num_queries(0):
            asked = client.get(f"{url}?page=2&q=anything&year=2024&tag=sanctions")

        assert asked["ETag"] == plain["ETag"]


def test_a_filter_or_page_that_names_something_is_served_from_the_cache(
    client, django_assert_num_queries
):
    asia = make_region("Asia", slug="asia")
    for number in range(25):
        make_publication(
            f"Asia Brief {number}",
            regions=[asia],
            tags=["alliances"],
            published_at=IN_2024 + timedelta(hours=number),
        )

    for address in [
        "/publications/?region=asia",
        "/publications/?region=asia&page=2",
        "/publications/?year=2024",
        "/tags/alliances/?page=2",
        "/search/?region=asia&page=2",
        "/sitemap-publications.xml?p=1",
    ]:
        first = client.get(address)
        assert first.status_code == 200, address

        with django_assert_num_queries(0):
            again = client.get(address)

        assert again["ETag"] == first["ETag"], address


def local_memory_entries(name):
    # LocMemCache has no public way to count its entries.
    return len(caches[name]._cache)


@pytest.fixture(params=["local memory", "Redis"])
def count_cache_entries(request, settings):
    """The cache set up as the site runs it, emptied; yields how to count its entries."""
    if request.param == "local memory":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": 5_000},
            }
        }
        caches["default"].clear()
        yield lambda: local_memory_entries("default")
        return
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set (the PostgreSQL pass of CI sets it)")
    settings.CACHES = {
        "default": {
            "BACKEND": "thinktank.building_blocks.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "flood-test",
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    caches["default"].clear()  # empties that Redis database
    with Redis.from_url(url) as redis:
        yield lambda: redis.dbsize() + local_memory_entries("pages")


def flood(rng, publication, tag):
    """Addresses with random values in every parameter a page reads, and in one it does not."""
    words = ["alliances", "strain", "korea", "sanctions", "energy", "the", "policy"]
    real_year = str(publication.published_at.year)
    values = [
        lambda: f"{rng.getrandbits(40):x}",  # a made-up slug or word
        lambda: str(rng.randint(1, 9_999)),  # a year, most without publications
        lambda: str(rng.randint(2, 10**9)),  # a page past the end
        lambda: rng.choice(["0", "00", "%20", "%2B"]) + real_year,  # a real year, oddly spelled
        lambda: real_year + rng.choice([".0", ".00", "%20", "%09"]),
        lambda: "+".join(rng.sample(words, rng.randint(1, 4))),  # real search words
    ]
    templates = [
        "/?page={}",
        "/?utm_source={}",
        "/publications/?tag={}",
        "/publications/?region={}",
        "/publications/?author={}",
        "/publications/?type={}",
        "/publications/?year={}",
        "/publications/?page={}",
        "/publications/?year={}&utm_campaign={}",
        "/search/?q={}",
        "/search/?year={}",
        "/search/?page={}",
        f"/tags/{tag}/?page={{}}",
        f"{publication.get_absolute_url()}?fbclid={{}}",
        "/sitemap-publications.xml?p={}",
    ]
    for _ in range(FLOODED_REQUESTS):
        template = rng.choice(templates)
        yield template.format(*(rng.choice(values)() for _ in range(template.count("{}"))))


FLOODED_REQUESTS = 400


def test_random_values_in_page_parameters_make_no_cache_entries(client, count_cache_entries):
    """The README's bound on Redis holds: what fills the cache is the site's content, not
    what readers type (the issue: 3,000 random `q`, `tag` and `year` values filled 64 MB)."""
    region = make_region("Asia", slug="asia")
    publication = make_publication(
        "Alliances Under Strain",
        regions=[region],
        tags=["alliances"],
        authors=[make_author("Mitch Shin")],
        published_at=IN_2024,
    )
    real_pages = [
        "/",
        "/publications/",
        f"/publications/?region=asia&year=2024&type={publication.publication_type.slug}",
        "/tags/alliances/",
        publication.get_absolute_url(),
        "/search/",
        "/sitemap.xml",
        "/sitemap-publications.xml",
    ]
    for url in real_pages:
        assert client.get(url).status_code == 200
    entries = count_cache_entries()

    statuses = Counter()
    for url in flood(random.Random(16), publication, "alliances"):
        statuses[client.get(url).status_code] += 1

    assert set(statuses) <= {200, 404}, statuses
    assert count_cache_entries() == entries


def related_reads(client, publication):
    """How many times asking for `publication`'s page ranked or read its related list."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(publication.get_absolute_url()).status_code == 200
    # Prepared on PostgreSQL (EXECUTE related_precomputed_...), written out elsewhere.
    marks = ("related_precomputed", RelatedCandidate._meta.db_table)
    return sum(any(mark in query["sql"] for mark in marks) for query in captured)


def test_a_readers_article_keeps_its_related_list_only_within_the_page(
    client, admin_client, settings
):
    # The page cache keeps a reader's page whole, so its related list is not kept
    # apart too; a page the cache does not keep (a signed-in person's) keeps its list.
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Match", tags=["trade"])
    call_command("work_out_related_lists", verbosity=0)
    admin_client.get(reverse("publications:home"))  # the signed-in cookie is set
    assert related_reads(client, subject) == 1
    assert related_reads(admin_client, subject) == 1  # read again: not kept by the reader
    assert related_reads(admin_client, subject) == 0  # kept by the signed-in page

    settings.PAGE_CACHE_ENABLED = False
    other = make_publication("Other", tags=["trade"])
    call_command("work_out_related_lists", verbosity=0)
    assert related_reads(client, other) == 1
    assert related_reads(client, other) == 0  # kept: no page is
