"""A changed slug leaves its old address working: 301 to the new one, never to a draft."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from publications.models import ContentVersion, OldSlug, Publication, Region

from .admin_forms import confirm_merge
from .factories import make_author, make_publication, make_region, make_type
from .test_admin import ADD_URL, errors_of, publication_form_data

pytestmark = pytest.mark.django_db


def renamed(item, slug):
    item.slug = slug
    item.save()
    return item


def test_every_kind_of_page_and_feed_answers_301_from_its_old_slug(client):
    region, kind, author = make_region("Asia"), make_type("Brief"), make_author("Mitra Shah")
    publication = make_publication(
        "Deterrence", publication_type=kind, authors=[author], regions=[region], tags=["Korea"]
    )
    items = [region, kind, author, publication.tags.get(), publication]
    feeds = {"region": region, "type": kind, "author": author, "tag": items[3]}

    def addresses():
        related = reverse("publications:related", kwargs={"slug": publication.slug})
        feed_urls = [
            reverse(f"feeds:{name}{atom}", kwargs={"slug": item.slug})
            for name, item in feeds.items()
            for atom in ("", "-atom")
        ]
        return [item.get_absolute_url() for item in items] + [related, *feed_urls]

    old = addresses()
    new_slugs = ["한반도", "брифинг", "mitra", "korean-peninsula", "deterrence-after-the-summit"]
    for item, slug in zip(items, new_slugs, strict=True):
        renamed(item, slug)
    for old_url, new_url in zip(old, addresses(), strict=True):
        response = client.get(old_url)
        assert response.status_code == 301, old_url
        assert response["Location"] == new_url
        assert client.get(new_url).status_code == 200


def test_the_old_slug_of_a_tag_only_on_drafts_has_no_feed_and_does_not_reveal_the_new_one(client):
    publication = make_publication("Deterrence", status="draft", tags=["Korea"])
    renamed(publication.tags.get(), "secret-korea-track")
    response = client.get(reverse("feeds:tag", kwargs={"slug": "korea"}))
    assert response.status_code == 404
    assert b"secret-korea-track" not in response.content


def test_the_query_string_goes_along(client):
    region = make_region("Asia")
    make_publication("Brief", regions=[region])
    old_url = region.get_absolute_url()
    renamed(region, "asia-pacific")
    response = client.get(old_url, {"page": "1"})
    assert response["Location"] == "/regions/asia-pacific/?page=1"


def test_a_slug_changed_twice_leads_from_both_old_ones(client):
    region = make_region("Asia", slug="asia")
    make_publication("Brief", regions=[region])
    renamed(region, "asia-pacific")
    renamed(region, "indo-pacific")
    for old in ("asia", "asia-pacific"):
        response = client.get(f"/regions/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/regions/indo-pacific/"


def test_a_current_slug_wins_over_an_old_one(client):
    first = make_publication("First", slug="deterrence")
    renamed(first, "deterrence-2025")
    second = make_publication("Second", slug="deterrence")
    response = client.get("/publications/deterrence/")
    assert response.status_code == 200
    assert response.context["publication"] == second


def test_an_old_slug_of_a_draft_is_not_found_and_does_not_reveal_it(client):
    publication = make_publication("Deterrence", slug="deterrence")
    renamed(publication, "secret-new-title")
    publication.unpublish()
    publication.save()
    for url in ("/publications/deterrence/", "/publications/deterrence/related/"):
        response = client.get(url)
        assert response.status_code == 404
        assert b"secret-new-title" not in response.content


def test_an_old_slug_leads_nowhere_once_its_item_is_deleted(client):
    region = make_region("Asia", slug="asia")
    renamed(region, "asia-pacific")
    region.delete()
    assert not OldSlug.objects.exists()
    assert client.get("/regions/asia/").status_code == 404


def test_a_save_that_keeps_the_slug_records_nothing():
    region = make_region("Asia")
    region.name = "Asia and the Pacific"
    region.save()
    Region.objects.get(pk=region.pk).save(update_fields=["name"])
    assert not OldSlug.objects.exists()


def test_a_slug_changed_in_the_admin_leads_from_the_old_address(client, admin_client):
    kind = make_type()
    publication = make_publication("Deterrence", publication_type=kind)
    old_url = publication.get_absolute_url()
    data = publication_form_data(
        publication_type=kind,
        title="Deterrence",
        slug="deterrence-after-the-summit",
        lead=publication.lead,
        published_at_0=publication.published_at.strftime("%Y-%m-%d"),
        published_at_1=publication.published_at.strftime("%H:%M:%S"),
    )
    response = admin_client.post(
        reverse("admin:publications_publication_change", args=[publication.pk]), data
    )
    assert response.status_code == 302, errors_of(response)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/publications/deterrence-after-the-summit/"


# A slug that still redirects is not given to another publication.


def moved_away(title, old_slug, new_slug):
    """A publication that had `old_slug`, which now answers 301 to its `new_slug`."""
    return renamed(make_publication(title, slug=old_slug), new_slug)


def test_a_new_publication_may_not_be_given_a_slug_that_still_leads_elsewhere(client, admin_client):
    moved_away("Energy Outlook 2025", "energy-outlook", "energy-outlook-2025")

    response = admin_client.post(
        ADD_URL,
        publication_form_data(
            publication_type=make_type(), title="The Energy Outlook", slug="energy-outlook"
        ),
    )

    assert response.status_code == 200
    assert (
        "The address “energy-outlook” still leads to “Energy Outlook 2025”, which had it "
        "before; choose another." in errors_of(response)
    )
    assert not Publication.objects.filter(title="The Energy Outlook").exists()
    assert client.get("/publications/energy-outlook/")["Location"] == (
        "/publications/energy-outlook-2025/"
    )


def test_a_slug_made_from_the_title_skips_those_that_still_lead_elsewhere(client, admin_client):
    moved_away("Energy Outlook 2025", "energy-outlook", "energy-outlook-2025")
    OldSlug.objects.record(make_publication("Another Outlook"), "energy-outlook-2")

    # As the admin fills it in from the title, and as a script leaves it blank.
    response = admin_client.post(
        ADD_URL,
        publication_form_data(
            publication_type=make_type(), title="Energy Outlook", slug="energy-outlook"
        ),
    )
    from_script = make_publication("Energy Outlook", slug="")

    assert response.status_code == 302, errors_of(response)
    assert (
        Publication.objects.get(title="Energy Outlook", status="draft").slug == "energy-outlook-3"
    )
    assert from_script.slug == "energy-outlook-4"
    response = client.get("/publications/energy-outlook/")
    assert response.status_code == 301
    assert response["Location"] == "/publications/energy-outlook-2025/"


def test_a_publication_may_not_be_renamed_to_another_ones_old_slug_but_to_its_own():
    moved_away("Energy Outlook 2025", "energy-outlook", "energy-outlook-2025")
    other = make_publication("Water Outlook")
    returning = moved_away("Grid Report", "grid-report", "grid-report-2025")

    other.slug = "energy-outlook"
    with pytest.raises(ValidationError, match="still leads to “Energy Outlook 2025”"):
        other.full_clean()
    returning.slug = "grid-report"
    returning.full_clean()


def test_an_item_that_had_its_slug_before_it_led_elsewhere_keeps_it():
    """Saved before the rule: its slug was another's old one, and may stay so."""
    kept = make_publication("Energy Outlook", slug="energy-outlook")
    OldSlug.objects.record(make_publication("Energy Outlook 2025"), "energy-outlook")

    kept.lead = "A new introduction."
    kept.full_clean()


def test_a_tag_slug_changed_in_the_admin_leads_from_the_old_address(client, admin_client):
    tag = make_publication("Brief", tags=["Korea"]).tags.get()
    response = admin_client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]),
        {"name": "Korean Peninsula", "slug": "한반도"},
    )
    assert response.status_code == 302
    response = client.get("/tags/korea/")
    assert response.status_code == 301
    assert response["Location"] == Tag.objects.get().get_absolute_url()


def test_the_old_slug_look_up_runs_only_when_the_slug_is_not_current(client):
    region = make_region("Asia", slug="asia")
    make_publication("Brief", regions=[region])
    renamed(region, "asia-pacific")

    def old_slug_queries(path, status):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == status
        return [q["sql"] for q in queries if OldSlug._meta.db_table in q["sql"]]

    # The region by its slug, then the region that had it before: one look-up each
    # (a 404 page then also looks for publications matching the address's words).
    assert len(old_slug_queries("/regions/nowhere/", 404)) == 1
    assert len(old_slug_queries("/regions/asia/", 301)) == 1
    assert old_slug_queries("/regions/asia-pacific/", 200) == []


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_does_not_outlive_a_slug_change(client):
    region = make_region("Asia", slug="asia")
    make_publication("Brief", regions=[region])
    assert client.get("/regions/asia/").status_code == 200
    assert client.get("/regions/asia/").status_code == 200  # now from the page cache
    renamed(region, "asia-pacific")
    response = client.get("/regions/asia/")
    assert response.status_code == 301
    assert response["Location"] == "/regions/asia-pacific/"


# The migration that gives old rows valid slugs

BEFORE = [("publications", "0006_content_version_next_change"), ("authors", "0001_initial")]
AFTER = [("publications", "0009_slugs_never_empty"), ("authors", "0003_author_has_slug")]


@pytest.fixture
def migrated_back():
    """The schema as it was before Unicode slugs; the latest again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_rows_without_a_valid_slug_one_and_keeps_their_old_ones(
    migrated_back,
):
    apps = migrated_back
    Region = apps.get_model("publications", "Region")
    PublicationType = apps.get_model("publications", "PublicationType")
    OldPublication = apps.get_model("publications", "Publication")
    Author = apps.get_model("authors", "Author")
    OldTag = apps.get_model("taggit", "Tag")
    ContentVersionBefore = apps.get_model("publications", "ContentVersion")
    ContentVersionBefore.objects.update_or_create(pk=1, defaults={"version": 5})
    Region.objects.create(name="!!!", slug="")
    Region.objects.create(name="North Korea", slug="North Korea")
    Region.objects.create(name="한반도", slug="한반도")  # valid already: kept
    kind = PublicationType.objects.create(name="Brief", slug="", plural_label="Briefs")
    OldPublication.objects.create(
        title="Côte d'Ivoire", slug="côte d'ivoire", publication_type=kind, lead="Lead."
    )
    Author.objects.create(name="🌍🔥", slug="", sort_name="🌍🔥")
    OldTag.objects.create(name="!!!", slug="")
    OldTag.objects.create(name="???", slug="_1")  # taggit's own numbering: valid, kept

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    assert sorted(Region.objects.values_list("slug", flat=True)) == [
        "north-korea",
        "region",
        "한반도",
    ]
    assert list(PublicationType.objects.values_list("slug", flat=True)) == ["brief"]
    assert list(OldPublication.objects.values_list("slug", flat=True)) == ["côte-divoire"]
    assert list(Author.objects.values_list("slug", flat=True)) == ["author"]
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["_1", "tag"]
    assert sorted(OldSlug.objects.values_list("kind", "slug")) == [
        ("publications.publication", "côte d'ivoire"),
        ("publications.region", "North Korea"),
    ]
    # Pages cached with the old slugs are retired.
    assert ContentVersion.objects.get().version == 6


def test_no_publication_can_have_an_empty_slug_after_the_migration():
    publication = make_publication("Brief")
    with pytest.raises(IntegrityError, match="publication_has_slug"):
        Publication.objects.filter(pk=publication.pk).update(slug="")


def test_a_merged_tag_and_its_old_slugs_lead_to_the_tag_it_was_merged_into(client, admin_client):
    make_publication("Kept", tags=["Korea"])
    make_publication("Merged", tags=["Korea", "Korean Peninsula"])
    merged = Tag.objects.get(name="Korean Peninsula")  # the less used: merged into Korea
    renamed(merged, "한반도")  # it had an old slug of its own too
    response = confirm_merge(admin_client, Tag.objects.all(), Tag.objects.get(name="Korea"))
    assert response.status_code == 302
    kept = Tag.objects.get()
    for old in ("korean-peninsula", "한반도"):
        response = client.get(reverse("publications:tag-detail", kwargs={"slug": old}))
        assert response.status_code == 301, old
        assert response["Location"] == kept.get_absolute_url()
