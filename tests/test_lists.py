"""Every list, at every page, shows what published() narrowed by its facets shows, in
its order, with its count: the list entries and their months (publications.models.listing)
are an index of the archive, never a second opinion on it.

The archive here spans several months, with drafts, items in review, scheduled items
(this month and next), an unpublished and a deleted item, and publications sharing a
publish date, so that page boundaries fall inside months, between months and between
equal dates. Each list is paged by small pages and compared with the ORM's answer, then
again after each kind of change, and the kept rows with a rebuild from scratch.
"""

import copy
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from publications.facets import FACETS
from publications.models import (
    ListEntry,
    ListMonth,
    ListTotal,
    Publication,
    PublicList,
    public_tags,
    refresh_list_entries,
    regions_with_public_counts,
)
from publications.receivers import changed_in_bulk

from .factories import make_author, make_publication, make_region, make_type
from .shared_data import rolled_back_after_the_module

pytestmark = pytest.mark.django_db


class Archive:
    def __init__(self):
        now = timezone.now()
        self.brief, self.paper = make_type("Brief"), make_type("Paper")
        self.asia = make_region("Asia", slug="asia")
        self.japan = make_region("Japan", slug="japan", parent=self.asia)
        self.europe = make_region("Europe", slug="europe")
        self.mitra, self.omar = make_author("Mitra Shah"), make_author("Omar Ali")
        shared_moment = now - timedelta(days=33, hours=5)
        for number in range(36):
            # Every fifth one shares a publish date with the one before it.
            when = shared_moment if number % 5 == 0 else now - timedelta(days=4 * number + 1)
            make_publication(
                f"Visible {number:02}",
                publication_type=self.brief if number % 3 else self.paper,
                regions=[[self.japan], [self.asia, self.japan], [self.europe]][number % 3],
                authors=[self.mitra] if number % 2 else [self.mitra, self.omar],
                tags=["korea"] if number % 4 else ["korea", "trade"],
                published_at=when,
            )
        hidden = {"regions": [self.japan], "authors": [self.mitra], "tags": ["korea"]}
        make_publication("Draft", status="draft", publication_type=self.brief, **hidden)
        make_publication("In review", status="review", publication_type=self.brief, **hidden)
        # Later this month, unless the month ends first (still to come while the
        # module's tests run); and next month.
        for title, ahead in [("Soon", timedelta(hours=2)), ("Later", timedelta(days=40))]:
            make_publication(title, published_at=now + ahead, publication_type=self.brief, **hidden)
        unpublished = make_publication("Unpublished", publication_type=self.brief, **hidden)
        unpublished.unpublish()
        unpublished.save()
        make_publication("Deleted", publication_type=self.brief, **hidden).delete()

    def filters(self, name):
        korea = Tag.objects.get(name="korea")
        return {
            "all": {},
            "type": {"type": self.brief},
            "region with a subregion": {"region": self.asia},
            "subregion": {"region": self.japan},
            "tag": {"tag": korea},
            "author": {"author": self.omar},
            "year": {"year": timezone.now().year},
            "two facets": {"type": self.brief, "region": self.asia},
            "a region and a year": {"region": self.asia, "year": timezone.now().year},
            "two facets and a year": {
                "type": self.paper,
                "region": self.japan,
                "year": timezone.now().year,
            },
            "a tag and an author": {"tag": korea, "author": self.omar},
            "three facets and a year": {
                "tag": korea,
                "author": self.mitra,
                "region": self.japan,
                "year": timezone.now().year,
            },
        }[name]


LISTS = [
    "all",
    "type",
    "region with a subregion",
    "subregion",
    "tag",
    "author",
    "year",
    "two facets",
    "a region and a year",
    "two facets and a year",
    "a tag and an author",
    "three facets and a year",
]


@pytest.fixture(scope="module")
def archive_in_the_database(django_db_setup, django_db_blocker):
    """The archive, built once for the module in a transaction that each test's own
    nests in and that is rolled back at the end, as Django's TestCase.setUpTestData
    builds its data."""
    with rolled_back_after_the_module(django_db_blocker):
        yield Archive()


@pytest.fixture
def archive(archive_in_the_database):
    """The module's archive, its objects copied: a test may change them (a region's
    parent, a deleted region) and the next test still sees them as the database does."""
    return copy.deepcopy(archive_in_the_database)


def newest_first(filters):
    """What the list shows, as the ORM alone finds it."""
    publications = Publication.objects.published().newest_first()
    for name, value in filters.items():
        publications = FACETS[name].narrow(publications, value)
    return list(publications.values_list("title", flat=True))


def assert_lists_as_the_archive_says(filters, per_page=4):
    expected = newest_first(filters)
    paginator = Paginator(PublicList(filters), per_page)
    assert paginator.count == len(expected)
    shown = []
    for number in paginator.page_range:
        shown += [publication.title for publication in paginator.page(number).object_list]
    assert shown == expected


def kept_rows():
    entries = ListEntry.objects.values_list("kind", "item", "publication", "published_at")
    months = ListMonth.objects.exclude(entries=0).values_list("kind", "item", "month", "entries")
    totals = ListTotal.objects.exclude(entries=0).values_list("kind", "item", "entries")
    return sorted(entries), sorted(months), sorted(totals)


def assert_kept_as_a_rebuild_would_keep_them():
    kept = kept_rows()
    refresh_list_entries()
    assert kept == kept_rows()


@pytest.mark.parametrize("name", LISTS)
def test_every_list_pages_newest_first_with_its_count_across_months_and_equal_dates(archive, name):
    filters = archive.filters(name)
    assert newest_first(filters)  # something to page through
    for per_page in (1, 4, 7):
        assert_lists_as_the_archive_says(filters, per_page)


def test_a_slice_that_ends_or_starts_past_the_end_of_a_list_stops_there(archive):
    """As when publications leave a list between its count and the read of a page."""
    for name in LISTS:
        filters = archive.filters(name)
        last = newest_first(filters)[-1]
        count = PublicList(filters).count()

        assert [p.title for p in PublicList(filters)[count - 1 : count + 3]] == [last]
        assert PublicList(filters)[count : count + 4] == []
        assert PublicList(filters)[count + 10 : count + 14] == []


def assert_indexes_count_as_the_archive_says():
    """The topics and regions indexes' counts: as published() narrowed by each counts."""
    public_use = Q(publications_taggedpublication_items__content_object__in=published())
    tags = Tag.objects.annotate(
        count=Count("publications_taggedpublication_items", filter=public_use)
    )
    expected = sorted((tag.name, tag.count) for tag in tags if tag.count)
    assert [(tag.name, tag.publication_count) for tag in public_tags()] == expected
    regions = regions_with_public_counts()
    expected = [(region.name, len(newest_first({"region": region}))) for region in regions]
    assert [(region.name, region.publication_count) for region in regions] == expected


def published():
    return Publication.objects.published()


def every_kind_of_change(archive):
    brief = Publication.objects.get(title="Visible 07")
    return [
        lambda: brief.unpublish() or brief.save(),
        lambda: brief.publish() or brief.save(),  # back, as the newest
        lambda: Publication.objects.get(title="Visible 10").delete(),
        lambda: Publication.objects.get(title="Visible 11").tags.remove("korea"),
        lambda: Publication.objects.get(title="Visible 13").regions.set([archive.europe]),
        lambda: archive.asia.publications.clear(),
        lambda: Publication.objects.get(title="Visible 14").authorships.all().delete(),
        lambda: archive.omar.publications.add(Publication.objects.get(title="Visible 15")),
        lambda: moved_to_another_month("Visible 16"),
        lambda: moved_to_another_month("Visible 01", publication_type=archive.paper),
        # The region tree: Japan's publications are Europe's, then nobody's parent's.
        lambda: set_parent(archive.japan, archive.europe),
        lambda: set_parent(archive.japan, None),
        lambda: archive.europe.delete(),
        lambda: Tag.objects.get(name="trade").delete(),
        lambda: updated_in_bulk("Visible 17", status="draft"),
    ]


@pytest.mark.parametrize("name", LISTS)
def test_the_lists_stay_as_the_archive_says_after_every_kind_of_change(archive, name):
    filters = archive.filters(name)
    for change in every_kind_of_change(archive):
        with transaction.atomic():
            change()
        assert_lists_as_the_archive_says(filters)
        assert_kept_as_a_rebuild_would_keep_them()


def test_the_indexes_count_as_the_archive_says_after_every_kind_of_change(archive):
    assert_indexes_count_as_the_archive_says()
    for change in every_kind_of_change(archive):
        with transaction.atomic():
            change()
        assert_indexes_count_as_the_archive_says()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
def test_a_year_runs_from_new_year_to_new_year_in_the_sites_time_zone(archive, settings, zone):
    """Months are kept in UTC; a year elsewhere starts and ends inside one of them."""
    settings.TIME_ZONE = zone
    new_year = timezone.now().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    for hours in (-30, -14, -6, -1, 0, 3, 8, 12, 20, 40):
        make_publication(
            f"New year {hours:+}",
            published_at=new_year + timedelta(hours=hours),
            publication_type=archive.brief,
            regions=[archive.japan],
            tags=["korea"],
        )
    year = new_year.year
    for filters in (
        {},
        {"region": archive.asia, "type": archive.brief},
        {"tag": Tag.objects.get(name="korea")},
    ):
        for in_year in (year - 1, year, year + 1):
            assert_lists_as_the_archive_says(filters | {"year": in_year}, per_page=3)


def moved_to_another_month(title, **fields):
    publication = Publication.objects.get(title=title)
    publication.published_at -= timedelta(days=62)
    for name, value in fields.items():
        setattr(publication, name, value)
    publication.save()


def set_parent(region, parent):
    region.parent = parent
    region.save()


def updated_in_bulk(title, **fields):
    moved = Publication.objects.filter(title=title)
    ids = list(moved.values_list("pk", flat=True))
    moved.update(**fields)
    changed_in_bulk(ids)


def test_a_scheduled_item_joins_its_lists_and_counts_when_its_time_comes(archive, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    korea = {"tag": Tag.objects.get(name="korea")}
    before = len(newest_first(korea))

    time_machine.shift(timedelta(days=41))  # past "Soon" and "Later", into another month

    assert len(newest_first(korea)) == before + 2
    assert_lists_as_the_archive_says(korea)
    assert_lists_as_the_archive_says({})
    assert_lists_as_the_archive_says({"type": archive.brief, "region": archive.japan})
    assert_indexes_count_as_the_archive_says()


# The pages themselves: the same lists, through the views.

PAGES = {
    "list": lambda archive: reverse("publications:list"),
    "list filtered": lambda archive: (
        reverse("publications:list") + "?region=asia&type=" + archive.brief.slug
    ),
    "region": lambda archive: archive.asia.get_absolute_url(),
    "tag": lambda archive: reverse("publications:tag-detail", kwargs={"slug": "korea"}),
    "type": lambda archive: archive.brief.get_absolute_url(),
    "author": lambda archive: archive.mitra.get_absolute_url(),
}
PAGE_FILTERS = {
    "list": lambda archive: {},
    "list filtered": lambda archive: {"region": archive.asia, "type": archive.brief},
    "region": lambda archive: {"region": archive.asia},
    "tag": lambda archive: {"tag": Tag.objects.get(name="korea")},
    "type": lambda archive: {"type": archive.brief},
    "author": lambda archive: {"author": archive.mitra},
}


def more_publications(archive):
    """More than one page of twenty in every list of PAGES."""
    for number in range(20):
        make_publication(
            f"More {number:02}",
            days_ago=50 + number,
            publication_type=archive.brief,
            regions=[archive.japan],
            authors=[archive.mitra],
            tags=["korea"],
        )


@pytest.mark.parametrize("page", PAGES)
def test_each_list_page_shows_its_publications_in_order_by_twenty_then_404(
    client, settings, archive, page
):
    settings.PAGE_CACHE_ENABLED = False
    more_publications(archive)
    url = PAGES[page](archive)
    join = "&" if "?" in url else "?"
    expected = newest_first(PAGE_FILTERS[page](archive))
    pages = -(-len(expected) // 20)
    assert pages >= 2

    shown = []
    for number in range(1, pages + 1):
        response = client.get(f"{url}{join}page={number}")
        assert response.context["paginator"].count == len(expected)
        shown += [publication.title for publication in response.context["page_obj"]]
    past_the_end = client.get(f"{url}{join}page={pages + 1}")

    assert shown == expected
    assert past_the_end.status_code == 404
    assert f"There is no page {pages + 1}; this list has {pages} pages." in (
        past_the_end.content.decode()
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_deep_page_runs_the_queries_of_the_first_and_one_for_its_month(
    client, settings, django_assert_num_queries, archive, page
):
    """A page after the first of a list counted by its months, the list page's with a
    type and a region too, first asks the month it starts in: one query, at any depth."""
    settings.PAGE_CACHE_ENABLED = False
    more_publications(archive)
    url = PAGES[page](archive)
    join = "&" if "?" in url else "?"
    pages = -(-len(newest_first(PAGE_FILTERS[page](archive))) // 20)
    client.get(url)  # the filter menus, cached until the next change
    with CaptureQueriesContext(connection) as first:
        client.get(url)

    assert pages >= 2
    with django_assert_num_queries(len(first) + 1):
        deep = client.get(f"{url}{join}page={pages}")

    assert deep.status_code == 200


def test_a_list_pages_cards_are_loaded_as_every_other_list_loads_them_bylines_in_order(
    django_assert_num_queries,
):
    # A page's cards come from a statement of our own, their bylines with them on
    # PostgreSQL (public_cards_sql()), in a query of their own elsewhere.
    ana, ben = make_author("Ana Ruiz"), make_author('Ben "B" Okafor')
    make_publication("Both", authors=[ben, ana], days_ago=1)
    make_publication("Ana Alone", authors=[ana], days_ago=2)

    cards = list(PublicList({"author": ana})[0:20])
    listed = Publication.objects.for_listing().in_bulk([card.pk for card in cards])

    assert [card.title for card in cards] == ["Both", "Ana Alone"]
    with django_assert_num_queries(0):
        bylines = [card.byline for card in cards]
    assert [author.name for author in bylines[0]] == ['Ben "B" Okafor', "Ana Ruiz"]
    for card, byline in zip(cards, bylines, strict=True):
        expected = listed[card.pk]
        assert card.get_deferred_fields() == expected.get_deferred_fields()
        loaded = [field.attname for field in Publication._meta.concrete_fields]
        loaded = [name for name in loaded if name not in expected.get_deferred_fields()]
        assert [getattr(card, name) for name in loaded] == [
            getattr(expected, name) for name in loaded
        ]
        assert [vars_of(author) for author in byline] == [
            vars_of(author) for author in expected.byline
        ]


def vars_of(instance):
    """An instance's every loaded field."""
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}
