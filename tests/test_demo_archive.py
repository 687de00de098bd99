"""The demo archive that `seed_demo` builds, as an analyst opening `make run` finds it.

It is seeded once for the module, in a transaction each test's own nests in and that is
rolled back at the end (as Django's TestCase.setUpTestData does): every test sees the
archive as seeded, whatever the one before it changed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from authors.models import Author
from publications.models import Publication, Region
from publications.related import DEFAULT_LIMIT, related_publications

from .shared_data import rolled_back_after_the_module
from .test_demo_content import NOT_PUBLIC, counts, seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with rolled_back_after_the_module(django_db_blocker):
        seed()
        yield


def test_running_seed_demo_twice_creates_nothing_new(seeded):
    before = counts()

    output = seed()

    assert counts() == before
    assert "0 publications" in output


def test_running_seed_demo_again_later_keeps_the_original_dates(seeded):
    dates = dict(Publication.objects.values_list("slug", "published_at"))

    with time_machine.travel(timezone.now() + timedelta(days=40)):
        seed()

    assert dict(Publication.objects.values_list("slug", "published_at")) == dates


def test_drafts_review_and_scheduled_items_are_not_public(seeded):
    published = Publication.objects.published()
    drafts = Publication.objects.filter(status="draft")
    in_review = Publication.objects.filter(status="review")
    scheduled = Publication.objects.filter(status="published", published_at__gt=timezone.now())

    assert (drafts.count(), in_review.count(), scheduled.count()) == (3, 1, 1)
    assert 25 <= (scheduled.get().published_at - timezone.now()).days <= 30
    for hidden in (drafts, in_review, scheduled):
        assert not published.filter(pk__in=hidden.values("pk")).exists()
    assert published.count() == Publication.objects.count() - NOT_PUBLIC


def test_published_dates_spread_over_about_three_years(seeded):
    dates = list(Publication.objects.published().values_list("published_at", flat=True))
    now = timezone.now()

    assert all(date.tzinfo is not None for date in dates)
    assert min(now - date for date in dates) < timedelta(days=31)
    assert timedelta(days=900) < max(now - date for date in dates) < timedelta(days=3 * 366)
    assert len({date.year for date in dates}) >= 3


def test_every_publication_has_a_byline_regions_and_tags(seeded):
    for publication in Publication.objects.prefetch_related("authorships", "regions", "tags"):
        assert 1 <= len(publication.byline) <= 3, publication.slug
        assert 1 <= publication.regions.count() <= 3, publication.slug
        assert 3 <= publication.tags.count() <= 6, publication.slug
        assert [a.position for a in publication.authorships.all()] == list(
            range(len(publication.byline))
        )


def test_related_lists_are_full_and_led_by_publications_sharing_a_tag(seeded):
    """After any curated picks, the best automatic match shares a topic with the article."""
    for publication in Publication.objects.published():
        suggestions = related_publications(publication)
        assert len(suggestions) == DEFAULT_LIMIT, publication.slug
        first_automatic = next(s for s in suggestions if not s.curated)
        assert first_automatic.shared_tags, publication.slug
        assert set(first_automatic.shared_tags) <= set(publication.tags.names())


def test_curated_picks_come_first_in_the_curators_order(seeded):
    """Picks that are not public yet (the scheduled brief) stay out of the list."""
    with_picks = Publication.objects.filter(picks__isnull=False).distinct()
    assert with_picks.count() >= 4
    hidden_picks = 0
    for publication in with_picks:
        picked = [pick.to_publication for pick in publication.picks.order_by("position")]
        public_picks = [p for p in picked if p.is_public]
        hidden_picks += len(picked) - len(public_picks)

        suggestions = related_publications(publication)

        leading = suggestions[: len(public_picks)]
        assert [s.publication for s in leading] == public_picks
        assert all(s.curated for s in leading)
        assert not any(s.curated for s in suggestions[len(public_picks) :])
    assert hidden_picks == 1


def test_featured_publications_are_public_and_ordered(seeded):
    featured = Publication.objects.published().filter(is_featured=True)

    assert featured.count() == 4
    positions = list(
        featured.order_by("featured_position").values_list("featured_position", flat=True)
    )
    assert positions == [1, 2, 3, 4]


def test_every_body_is_sanitised_and_reads_like_an_article(seeded):
    bodies = list(Publication.objects.values_list("body", flat=True))

    for body in bodies:
        assert "<script" not in body
        assert "style=" not in body
        assert "<h2>" in body
        assert "<blockquote>" in body
        assert "<ul>" in body or "<ol>" in body
    assert 1 <= sum("<table>" in body for body in bodies) <= 4
    # Bodies are written per publication, not one paragraph pasted everywhere.
    first_paragraphs = {body.split("<p>")[1] for body in bodies}
    assert len(first_paragraphs) == len(bodies)


def test_regions_nest_under_their_wider_region(seeded):
    parents = dict(Region.objects.values_list("slug", "parent__slug"))

    assert parents["korean-peninsula"] == "northeast-asia"
    assert parents["japan"] == "northeast-asia"
    assert parents["china"] == "northeast-asia"
    assert parents["northeast-asia"] is None
    assert all(region.description for region in Region.objects.all())


def test_authors_are_ready_for_citations(seeded):
    for author in Author.objects.all():
        assert author.sort_name.count(", ") == 1, author.sort_name
        assert author.role
        assert author.bio.count(".") >= 2
