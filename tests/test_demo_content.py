"""The demo content (`seed_demo`) and the development login (`ensure_demo_admin`)."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from publications.demo import content as demo_content
from publications.models import Publication, PublicationType, Region, RelatedPick
from publications.related import DEFAULT_LIMIT, related_publications

from .factories import make_publication

pytestmark = pytest.mark.django_db

NOT_PUBLIC = 5  # three drafts, one in review, one scheduled


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, PublicationType, Author, Tag, Publication, RelatedPick)
    }


@pytest.fixture
def seeded():
    seed()


def test_seed_demo_creates_a_realistic_archive():
    output = seed()

    assert Publication.objects.count() == len(demo_content.PUBLICATIONS)
    assert 38 <= Publication.objects.count() <= 45
    assert 10 <= Author.objects.count() <= 14
    assert 6 <= Region.objects.count() <= 8
    assert PublicationType.objects.count() == 5
    assert 35 <= Tag.objects.count() <= 50
    assert RelatedPick.objects.count() >= 8
    assert f"{Publication.objects.count()} publications" in output


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


def test_if_empty_skips_when_any_publication_exists():
    make_publication("Already Here")

    output = seed("--if-empty")

    assert "Demo content already present; skipping." in output
    assert list(Publication.objects.values_list("title", flat=True)) == ["Already Here"]


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")

    assert Publication.objects.count() == len(demo_content.PUBLICATIONS)


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


def test_ensure_demo_admin_creates_the_superuser_once(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("ensure_demo_admin", stdout=out)
    call_command("ensure_demo_admin", stdout=out)

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    assert user.check_password("admin")
    assert "user: admin  password: admin" in out.getvalue()


def test_ensure_demo_admin_keeps_an_existing_password(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("admin", password="chosen-by-me")

    call_command("ensure_demo_admin", stdout=StringIO())

    user = get_user_model().objects.get(username="admin")
    assert user.check_password("chosen-by-me")
    assert user.is_superuser


def test_ensure_demo_admin_gives_a_password_to_an_admin_without_one(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("admin")  # no usable password

    call_command("ensure_demo_admin", stdout=StringIO())

    assert get_user_model().objects.get(username="admin").check_password("admin")


def test_ensure_demo_admin_creates_one_login_per_role_once(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("ensure_demo_admin", stdout=out)
    call_command("ensure_demo_admin", stdout=out)

    users = get_user_model().objects.exclude(username="admin").order_by("username")
    assert [(user.username, [group.name for group in user.groups.all()]) for user in users] == [
        ("analyst", ["Analysts"]),
        ("curator", ["Curators"]),
        ("editor", ["Editors"]),
    ]
    for user in users:
        assert user.is_staff
        assert not user.is_superuser
        assert user.check_password(user.username)
    assert "Demo editor (Editors): user: editor  password: editor" in out.getvalue()
    assert user.has_perm("publications.publish_publication")  # the editor
    assert not users[0].has_perm("publications.publish_publication")  # the analyst


def test_ensure_demo_admin_refuses_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match=r"only runs in development \(DJANGO_DEBUG=1\)"):
        call_command("ensure_demo_admin", stdout=StringIO())

    assert not get_user_model().objects.exists()
