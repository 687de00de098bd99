"""The publication model: what is public, slugs, invariants and derived text."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import Truncator

from publications.models import Publication
from publications.richtext.text import plain_text

from .factories import make_author, make_pick, make_publication, make_type

pytestmark = pytest.mark.django_db

PAST = -3
FUTURE = 3


@pytest.mark.parametrize(
    ("status", "days_from_now", "state"),
    [
        ("published", PAST, "public"),
        ("published", FUTURE, "scheduled"),
        ("review", PAST, "review"),
        ("review", FUTURE, "review"),
        ("draft", PAST, "draft"),
        ("draft", FUTURE, "draft"),
    ],
)
def test_published_shows_only_published_items_whose_date_has_arrived(status, days_from_now, state):
    """One loaded publication's state says what published(), scheduled() and
    in_state() say of it."""
    publication = make_publication(
        status=status, published_at=timezone.now() + timedelta(days=days_from_now)
    )

    assert publication.state == state
    assert (publication in Publication.objects.published()) is (state == "public")
    assert publication.is_public is (state == "public")
    assert (publication in Publication.objects.scheduled()) is (state == "scheduled")
    assert publication.is_scheduled is (state == "scheduled")
    found_in = [each for each in Publication.State if Publication.objects.in_state(each).exists()]
    assert found_in == [state]


def test_a_draft_without_a_date_is_not_public():
    publication = make_publication(status="draft", published_at=None)

    assert not Publication.objects.published().filter(pk=publication.pk).exists()
    assert not publication.is_public


def test_a_scheduled_item_goes_public_when_its_time_arrives(time_machine):
    time_machine.move_to(timezone.now())
    publication = make_publication(published_at=timezone.now() + timedelta(hours=2))
    assert list(Publication.objects.scheduled()) == [publication]
    assert not Publication.objects.published().exists()

    time_machine.shift(timedelta(hours=2, seconds=1))

    assert list(Publication.objects.published()) == [publication]
    assert not Publication.objects.scheduled().exists()


def test_publish_makes_a_draft_or_a_scheduled_item_public_now(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    draft = make_publication(status="draft", published_at=None)
    scheduled = make_publication(published_at=timezone.now() + timedelta(days=2))

    for publication in (draft, scheduled):
        publication.publish()
        publication.save()

    assert set(Publication.objects.published()) == {draft, scheduled}
    assert draft.published_at == scheduled.published_at == timezone.now()


def test_schedule_takes_only_a_future_date():
    publication = make_publication(status="draft", published_at=None)
    later = timezone.now() + timedelta(days=1)

    publication.schedule(later)
    publication.save()
    with pytest.raises(ValidationError, match="must be in the future"):
        publication.schedule(timezone.now() - timedelta(minutes=1))

    publication.refresh_from_db()
    assert list(Publication.objects.scheduled()) == [publication]
    assert publication.published_at == later


def test_unpublish_takes_it_off_the_site_and_keeps_its_date():
    publication = make_publication(days_ago=3)
    date = publication.published_at

    publication.unpublish()
    publication.save()

    assert not Publication.objects.published().exists()
    publication.refresh_from_db()
    assert publication.published_at == date


def test_publishing_without_a_date_publishes_now():
    publication = make_publication(status="draft", published_at=None)

    publication.status = Publication.Status.PUBLISHED
    publication.save()

    assert publication.published_at is not None
    assert publication.is_public


def test_the_database_refuses_a_published_item_without_a_date():
    publication = make_publication()

    with pytest.raises(IntegrityError):
        Publication.objects.filter(pk=publication.pk).update(published_at=None)


def test_a_blank_slug_is_made_from_the_title():
    publication = make_publication("North Korea’s Missile Year: What Comes Next?")

    assert publication.slug == "north-koreas-missile-year-what-comes-next"


def test_a_slug_collision_gets_a_numeric_suffix():
    first = make_publication("Alliance Politics")
    second = make_publication("Alliance Politics")
    third = make_publication("Alliance Politics")

    assert [first.slug, second.slug, third.slug] == [
        "alliance-politics",
        "alliance-politics-2",
        "alliance-politics-3",
    ]


def test_saving_again_keeps_the_slug():
    publication = make_publication("Energy Security in Europe")
    publication.title = "Energy Security in Europe, Revisited"
    publication.save()

    publication.refresh_from_db()
    assert publication.slug == "energy-security-in-europe"


def test_a_title_without_letters_still_gets_a_slug():
    assert make_publication("???").slug == "publication"


def test_the_byline_keeps_the_authors_order():
    second, first = make_author("Bea Second"), make_author("Ann First")
    publication = make_publication(authors=[first, second])

    byline = Publication.objects.for_listing().get(pk=publication.pk).byline

    assert [author.name for author in byline] == ["Ann First", "Bea Second"]


def test_the_excerpt_is_cut_at_a_word_boundary_and_ends_in_an_ellipsis():
    lead = " ".join(f"word{n}" for n in range(60))
    publication = make_publication(lead=f"<p>{lead}</p>")

    assert publication.excerpt == " ".join(f"word{n}" for n in range(30)) + " […]"


def test_a_short_lead_is_whole_in_the_excerpt_which_still_ends_in_an_ellipsis():
    assert make_publication(lead="Short and complete.").excerpt == "Short and complete. […]"


LEADS = [
    "",
    "One.",
    "  Spaces\tand tabs,\nnew lines\u00a0and a no-break space  ",
    " ".join(f"word{n}" for n in range(29)),
    " ".join(f"word{n}" for n in range(30)),
    " ".join(f"word{n}" for n in range(31)) + "\n\n" + "later " * 40,
    "Tom &amp; Jerry &lt;3 and a < b > c, " + "more " * 30,
    "<p>Sanctions <em>bite</em>.</p>\n<p>Talks resume.</p>" + "<p>x</p>" * 40,
]


@pytest.mark.parametrize("lead", LEADS)
def test_the_excerpt_is_the_first_thirty_words_of_the_leads_text_as_django_cuts_them(lead):
    # As Truncator.words() cuts them, on the text a reader sees (plain_text()).
    words = Truncator(plain_text(lead)).words(30, truncate="")

    assert make_publication(lead=lead).excerpt == words + " […]"


@pytest.mark.parametrize("lead", LEADS)
def test_the_text_of_a_lead_is_its_words_with_single_spaces_markup_or_not(lead):
    text = plain_text(lead)

    assert text == " ".join(text.split())
    assert plain_text(f"<p>{lead}</p>") == text
    assert "<em>" not in text
    assert "&amp;" not in text


def test_paragraphs_pasted_into_the_lead_stay_apart_in_the_excerpt():
    publication = make_publication(lead="<p>Sanctions bite.</p><p>Talks resume &amp; stall.</p>")

    assert publication.excerpt == "Sanctions bite. Talks resume & stall. […]"


def test_a_publication_cannot_pick_itself():
    publication = make_publication()

    with pytest.raises(IntegrityError):
        make_pick(publication, publication)


def test_a_cover_image_needs_a_description_in_the_database():
    publication = make_publication(publication_type=make_type())

    with pytest.raises(IntegrityError):
        Publication.objects.filter(pk=publication.pk).update(cover_image="covers/x.jpg")
