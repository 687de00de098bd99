"""The related-publications ranking: picks first, then shared tags, regions, recency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publications.related import related_publications

from .factories import make_author, make_pick, make_publication, make_region

pytestmark = pytest.mark.django_db


def titles(suggestions):
    return [suggestion.publication.title for suggestion in suggestions]


def test_curated_picks_come_first_in_the_curators_order():
    subject = make_publication("Subject", tags=["nuclear"])
    make_publication("Shares a tag", tags=["nuclear"])
    second_pick = make_publication("Second pick")
    first_pick = make_publication("First pick")
    make_pick(subject, second_pick, position=2)
    make_pick(subject, first_pick, position=1)

    assert titles(related_publications(subject)) == ["First pick", "Second pick", "Shares a tag"]


def test_more_shared_tags_rank_higher():
    subject = make_publication("Subject", tags=["nuclear", "sanctions", "alliances"])
    make_publication("One tag", tags=["nuclear"], days_ago=1)
    make_publication("Three tags", tags=["nuclear", "sanctions", "alliances"], days_ago=30)
    make_publication("Two tags", tags=["sanctions", "alliances", "energy"], days_ago=10)

    assert titles(related_publications(subject)) == ["Three tags", "Two tags", "One tag"]


def test_shared_regions_break_ties_between_equal_tag_counts():
    japan, china = make_region("Japan"), make_region("China")
    subject = make_publication("Subject", tags=["trade"], regions=[japan, china])
    make_publication("Tag only", tags=["trade"], days_ago=1)
    make_publication("Tag and both regions", tags=["trade"], regions=[japan, china], days_ago=9)
    make_publication("Tag and one region", tags=["trade"], regions=[china], days_ago=5)

    assert titles(related_publications(subject)) == [
        "Tag and both regions",
        "Tag and one region",
        "Tag only",
    ]


def test_tags_outrank_regions():
    japan = make_region("Japan")
    subject = make_publication("Subject", tags=["trade"], regions=[japan])
    make_publication("Region only", regions=[japan], days_ago=1)
    make_publication("Tag only", tags=["trade"], days_ago=20)

    assert titles(related_publications(subject)) == ["Tag only", "Region only"]


def test_newest_first_among_equals_and_nothing_shared_comes_last():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Older match", tags=["trade"], days_ago=20)
    make_publication("Newer match", tags=["trade"], days_ago=2)
    make_publication("Unrelated but newest", days_ago=1)

    assert titles(related_publications(subject)) == [
        "Newer match",
        "Older match",
        "Unrelated but newest",
    ]


def test_it_never_suggests_the_publication_itself_or_anything_not_public():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Draft", tags=["trade"], status="draft")
    make_publication("In review", tags=["trade"], status="review")
    make_publication("Scheduled", tags=["trade"], published_at=timezone.now() + timedelta(days=2))
    make_publication("Public", tags=["trade"])

    assert titles(related_publications(subject)) == ["Public"]


def test_a_curated_pick_that_is_not_public_is_left_out():
    subject = make_publication("Subject")
    make_pick(subject, make_publication("Draft pick", status="draft"), position=0)
    make_pick(subject, make_publication("Public pick"), position=1)

    assert titles(related_publications(subject)) == ["Public pick"]


def test_a_pick_that_also_shares_tags_appears_once_as_curated():
    subject = make_publication("Subject", tags=["trade", "energy"])
    both = make_publication("Picked and tagged", tags=["trade", "energy"])
    make_publication("Tagged", tags=["trade"])
    make_pick(subject, both)

    suggestions = related_publications(subject)

    assert titles(suggestions) == ["Picked and tagged", "Tagged"]
    assert suggestions[0].curated


def test_picks_are_one_way():
    subject = make_publication("Subject")
    other = make_publication("Other", days_ago=3)
    make_publication("Newest", days_ago=1)
    make_pick(other, subject)

    assert titles(related_publications(subject)) == ["Newest", "Other"]
    assert not any(suggestion.curated for suggestion in related_publications(subject))


def test_it_returns_at_most_the_limit():
    subject = make_publication("Subject", tags=["trade"])
    for number in range(9):
        make_publication(f"Match {number}", tags=["trade"], days_ago=number + 1)

    assert len(related_publications(subject)) == 6
    assert titles(related_publications(subject, limit=3)) == ["Match 0", "Match 1", "Match 2"]


def test_the_limit_includes_the_curated_picks():
    subject = make_publication("Subject", tags=["trade"])
    for number in range(4):
        make_pick(subject, make_publication(f"Pick {number}"), position=number)
    for number in range(4):
        make_publication(f"Match {number}", tags=["trade"], days_ago=number + 1)

    assert titles(related_publications(subject)) == [
        "Pick 0",
        "Pick 1",
        "Pick 2",
        "Pick 3",
        "Match 0",
        "Match 1",
    ]


def test_each_suggestion_says_why_it_is_there():
    japan, china = make_region("Japan"), make_region("China")
    subject = make_publication("Subject", tags=["trade", "energy", "climate"], regions=[japan])
    picked = make_publication("Picked", tags=["energy"], regions=[china])
    make_publication("Matched", tags=["trade", "energy", "navy"], regions=[japan, china])
    make_publication("Nothing shared", tags=["navy"])
    make_pick(subject, picked)

    picked_reason, matched_reason, fallback_reason = related_publications(subject)

    assert (picked_reason.curated, picked_reason.shared_tags) == (True, ["energy"])
    assert picked_reason.shared_regions == []
    assert matched_reason.shared_tags == ["energy", "trade"]
    assert matched_reason.shared_regions == ["Japan"]
    assert matched_reason.reasons == ["shares tags: energy, trade", "shares regions: Japan"]
    assert fallback_reason.reasons == ["recently published"]


def test_a_publication_with_no_tags_or_regions_still_gets_the_newest():
    subject = make_publication("Subject")
    make_publication("Older", days_ago=9)
    make_publication("Newer", days_ago=2)

    assert titles(related_publications(subject)) == ["Newer", "Older"]


def test_the_ranking_query_count_does_not_grow_with_the_content(django_assert_max_num_queries):
    regions = [make_region() for _ in range(5)]
    tags = [f"tag-{n}" for n in range(8)]
    subject = make_publication("Subject", tags=tags, regions=regions)
    author = make_author("Noor Aziz")
    for number in range(20):
        other = make_publication(
            tags=tags[number % 4 :], regions=regions[number % 3 :], authors=[author]
        )
        if number % 5 == 0:
            make_pick(subject, other, position=number)

    # The list's state, the ranking, publications, bylines, and the shared tags' and
    # regions' names.
    with django_assert_max_num_queries(6):
        suggestions = related_publications(subject)
        for suggestion in suggestions:
            assert [person.name for person in suggestion.publication.byline] == ["Noor Aziz"]
            assert suggestion.publication.publication_type.name


@pytest.mark.django_db(transaction=True)
def test_readers_lists_take_one_query_and_then_none_until_content_changes(
    django_assert_num_queries,
):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Match", tags=["trade"])

    # The ranking, read from its worked-out list with whether that list holds and the
    # cards; then nothing but the content version (on the driver's connection, which
    # Django does not count).
    with django_assert_num_queries(1):
        first = related_publications(subject, with_reasons=False, bylines=False)
    with django_assert_num_queries(0):
        again = related_publications(subject, with_reasons=False, bylines=False)

    assert titles(again) == titles(first) == ["Match"]


@pytest.mark.django_db(transaction=True)
def test_a_cached_list_is_renewed_when_content_changes():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Old match", tags=["trade"], days_ago=9)
    assert titles(related_publications(subject)) == ["Old match"]

    make_publication("New match", tags=["trade"], days_ago=1)

    assert titles(related_publications(subject)) == ["New match", "Old match"]


def test_only_the_newest_few_fill_the_list_when_nothing_else_is_shared():
    """Items sharing nothing are found without scoring the whole archive, newest first,
    even when the publication itself is among the newest."""
    subject = make_publication("Subject", days_ago=0)
    for number in range(10):
        make_publication(f"Other {number}", days_ago=number + 1)

    assert titles(related_publications(subject, limit=3)) == ["Other 0", "Other 1", "Other 2"]


# Told honestly: the full list shares something with the publication, and says what.


def test_without_the_newest_filler_only_what_shares_something_is_suggested():
    japan = make_region("Japan")
    subject = make_publication("Subject", tags=["trade"], regions=[japan])
    make_pick(subject, make_publication("Picked, shares nothing", days_ago=30))
    make_publication("Shares a tag", tags=["trade"], days_ago=5)
    make_publication("Shares a region", regions=[japan], days_ago=6)
    make_publication("Shares nothing but is newest", days_ago=1)

    suggestions = related_publications(subject, fill_with_newest=False)

    assert titles(suggestions) == ["Picked, shares nothing", "Shares a tag", "Shares a region"]


def test_the_filler_is_marked_as_sharing_nothing():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Shares a tag", tags=["trade"], days_ago=5)
    make_publication("Shares nothing", days_ago=1)

    match, filler = related_publications(subject, with_reasons=False)

    assert (match.shares_something, filler.shares_something) == (True, False)


def test_readers_are_told_why_in_a_few_words():
    japan = make_region("Japan")
    subject = make_publication("Subject", tags=["deterrence", "trade"], regions=[japan])
    make_pick(subject, make_publication("Picked", tags=["trade"]))
    make_publication("Matched", tags=["deterrence", "navy"], regions=[japan], days_ago=2)
    make_publication("Nothing shared", days_ago=1)

    picked, matched, filler = related_publications(subject)

    assert picked.reason_for_readers == "Chosen by our editors"
    assert matched.reason_for_readers == "Also about: Japan, deterrence"
    assert filler.reason_for_readers == "Recently published"
