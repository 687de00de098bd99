"""The precomputed related lists rank exactly as the ranking's definition does, on
random corpora with ties, picks, drafts, items in review, scheduled items and items
kept out of suggestions: worked out at once (one by one, or together from the archive
read into memory), and kept up to date change by change."""

import copy
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from publications.models import RelatedCandidate, RelatedList
from publications.related import lists
from publications.related.ranking import ranked_afresh

from .factories import make_pick, make_publication, make_region
from .shared_data import rolled_back_after_the_module

pytestmark = pytest.mark.django_db

TAGS = ["trade", "energy", "navy", "climate", "sanctions", "ports"]
# Whole days, so that many candidates tie on shared tags, regions and publish date.
DAYS = [1, 2, 2, 3, 5, 5, 8]


def random_corpus(rng, size=40):
    """Publications sharing a few tags and regions in every combination, with drafts,
    items in review, scheduled items, items kept out of suggestions and picks."""
    regions = [make_region(f"Region {n}") for n in range(3)]
    now = timezone.now().replace(microsecond=0)
    publications = []
    for _ in range(size):
        roll = rng.random()
        status = "draft" if roll < 0.1 else "review" if roll < 0.15 else "published"
        published_at = now - timedelta(days=rng.choice(DAYS))
        if 0.15 <= roll < 0.22:
            published_at = now + timedelta(days=rng.choice(DAYS))  # scheduled
        publications.append(
            make_publication(
                status=status,
                published_at=None if status != "published" else published_at,
                tags=rng.sample(TAGS, rng.choice([0, 1, 2, 3, 4, 4, 5])),
                regions=rng.sample(regions, rng.randint(0, 2)),
                keep_out_of_suggestions=rng.random() < 0.1,
            )
        )
    for publication in rng.sample(publications, 6):
        for position, other in enumerate(rng.sample(publications, 2)):
            if other != publication:
                make_pick(publication, other, position=rng.choice([0, position]))
    return publications


def assert_lists_answer_as_the_definition(publications):
    for publication in publications:
        assert RelatedList.objects.filter(publication=publication, stale=False).exists()
        for limit, fill in [(6, True), (30, False), (3, True)]:
            precomputed = lists.ranked_ids(publication, limit, fill_with_newest=fill)
            afresh = ranked_afresh(publication, limit, fill_with_newest=fill)
            assert precomputed == afresh, (publication.title, limit, fill)


@pytest.fixture(params=[lists.KEPT, 3], ids=["kept-40", "kept-3"])
def kept(request, monkeypatch):
    """Lists that hold every candidate, and lists cut short (a floor), whose page falls
    back to the definition when too few of the kept ones are public."""
    monkeypatch.setattr(lists, "KEPT", request.param)
    monkeypatch.setattr(lists, "LONGEST", request.param + 2)
    return request.param


@pytest.fixture(scope="module")
def corpus(request, django_db_setup, django_db_blocker):
    """The random corpus of the seed the test names, built once for both list lengths
    (`kept`), in a transaction each test's own nests in and that is rolled back at the
    end (as Django's TestCase.setUpTestData builds its data). Gives a function making
    the test's own copies: the publications, and the generator as the corpus left it."""
    with rolled_back_after_the_module(django_db_blocker):
        rng = random.Random(request.param)
        publications = random_corpus(rng)
        yield lambda: (copy.deepcopy(publications), copy.deepcopy(rng))


@pytest.mark.parametrize("corpus", [1, 2, 3], indirect=True)
def test_worked_out_lists_rank_as_the_definition_with_ties_picks_drafts_and_schedules(corpus, kept):
    publications, _ = corpus()

    lists.work_out_missing()

    assert_lists_answer_as_the_definition(publications)


@pytest.mark.parametrize("corpus", [4, 5, 6], indirect=True)
def test_lists_kept_up_to_date_change_by_change_still_rank_as_the_definition(corpus, kept):
    publications, rng = corpus()
    lists.work_out_missing()

    for _ in range(25):
        changed = rng.choice(publications)
        since = timezone.now().isoformat()
        action = rng.choice(["tags", "regions", "publish", "unpublish", "keep out", "new"])
        if action == "tags":
            changed.tags.set(rng.sample(TAGS, rng.randint(0, 3)))
        elif action == "regions":
            changed.regions.set(rng.sample(list(changed.regions.model.objects.all()), 1))
        elif action == "publish":
            changed.publish()
            changed.save()
        elif action == "unpublish":
            changed.unpublish()
            changed.save()
        elif action == "keep out":
            changed.keep_out_of_suggestions = not changed.keep_out_of_suggestions
            changed.save()
        else:
            changed = make_publication(tags=rng.sample(TAGS, 2), days_ago=rng.choice(DAYS))
            publications.append(changed)
        # What the worker does once the change is committed.
        lists.refresh([changed.pk], since)

    assert_lists_answer_as_the_definition(publications)


def stored(publications):
    """Each publication's list as stored: its floor, whether it is stale, when it was
    placed, and its candidates with what they share (in no order: rows have none)."""
    candidates = {publication.pk: set() for publication in publications}
    for publication_id, *row in RelatedCandidate.objects.values_list(
        "publication_id", "candidate_id", "shared_tags", "shared_regions"
    ):
        candidates[publication_id].add(tuple(row))
    return {
        state.publication_id: (
            state.floor,
            state.stale,
            state.placed_at,
            candidates.pop(state.publication_id),
        )
        for state in RelatedList.objects.all()
    }


@pytest.mark.parametrize("corpus", [1, 2, 3, 7, 8], indirect=True)
def test_lists_worked_out_together_are_those_worked_out_one_by_one(corpus, kept):
    """Missing lists, stale ones and placed ones, with ties, floors, drafts, scheduled
    items, items kept out and publications sharing nothing."""
    publications, rng = corpus()
    for publication in rng.sample(publications, 10):
        lists.work_out(publication.pk)
        lists.place(publication.pk)
    lists.mark_stale([publication.pk for publication in rng.sample(publications, 10)])
    missing = list(lists.lists_missing().values_list("pk", flat=True))

    lists.work_out_together(missing)
    together = stored(publications)
    for publication_id in missing:
        lists.work_out(publication_id)
    one_by_one = stored(publications)

    assert together == one_by_one
    floors = [floor for floor, *_ in one_by_one.values() if floor is not None]
    assert (len(floors) > 10) == (kept == 3)
    assert any(not candidates for *_, candidates in one_by_one.values())
