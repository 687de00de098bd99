"""Each publication's worked-out candidates (models.RelatedList, RelatedCandidate):
kept right as content changes, and read by pages.

The lists are kept by the worker (publications.tasks), after the change is
committed; what the reader may see is decided when the page is read:

- Unpublished, deleted, or kept out of suggestions: gone from every page at once
  (the read joins the public, suggestible publications; a delete cascades).
- Scheduled: stored already, shown once its publish date arrives.
- Its own tags or regions changed: its list is marked stale in the same transaction,
  and its page ranks afresh until the worker has worked the list out again.
- Newly published, or its tags or regions changed as someone else's candidate: the
  worker puts it where it belongs in the others' lists, seconds after the save (the
  README promises at most 60 while a worker runs).
"""

from datetime import datetime
from itertools import chain

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Mod
from django.utils import timezone

from thinktank.building_blocks.planner import refresh_planner_statistics

from ..models import Publication, RelatedCandidate, RelatedList
from .archive import Archive
from .ranking import best_candidates, insert_into_lists, ranked_afresh, ranked_precomputed

# How many candidates each list keeps: the full related page shows 30, and the rest
# stand in for candidates unpublished since the list was worked out.
KEPT = 40
# A list that has grown past this by insertions is cut back to KEPT.
LONGEST = 2 * KEPT


def ranked_ids(publication, limit, *, fill_with_newest=True):
    """[(publication id, is curated, shares a tag or region)] of the best `limit`
    public suggestions for `publication`: ranking.ranked_afresh()'s answer, read from
    its worked-out list when it has one that reaches down far enough."""
    return ranked_with_cards(publication, limit, fill_with_newest=fill_with_newest)[0]


def ranked_with_cards(publication, limit, *, fill_with_newest=True):
    """ranked_ids()'s answer, and the cards read with it: {id: publication, as
    for_listing() loads it, bylines aside}, none when ranked afresh.

    The list is read first, and tells in the same statement whether it holds: one
    statement for a page whose list is worked out, two for one ranked afresh."""
    ranked, cut, cards = ranked_precomputed(publication, limit, fill_with_newest=fill_with_newest)
    if cut is None:
        # No list worked out (or stale), or nothing read to tell: ranked afresh.
        return ranked_afresh(publication, limit, fill_with_newest=fill_with_newest), {}
    chosen = sum(1 for _, curated, shares in ranked if curated or shares)
    if cut and chosen < limit:
        # Too many of the kept candidates stopped being public: the ones below the
        # floor, never kept, may belong in the list now.
        return ranked_afresh(publication, limit, fill_with_newest=fill_with_newest), {}
    return ranked, cards


def work_out(publication_id):
    """Store publication `publication_id`'s best KEPT candidates, and its floor."""
    best = best_candidates(publication_id, KEPT + 1)
    floor = _floor(
        best,
        lambda candidate_id: Publication.objects.values_list("published_at", flat=True).get(
            pk=candidate_id
        ),
    )
    with transaction.atomic():
        RelatedList.objects.update_or_create(
            publication_id=publication_id,
            defaults={
                "stale": False,
                "computed_at": timezone.now(),
                **_floor_fields(floor),
            },
        )
        RelatedCandidate.objects.filter(publication_id=publication_id).delete()
        _insert_candidates((publication_id, *candidate) for candidate in best[:KEPT])


def _floor(best, published_at_of):
    """The floor of a list whose best KEPT + 1 candidates are `best`: when there are more
    than are kept, the rank of the last one kept (`published_at_of(id)` its date)."""
    if len(best) <= KEPT:
        return None
    candidate_id, tags, regions = best[KEPT - 1]
    return (tags, regions, published_at_of(candidate_id), candidate_id)


def place(publication_id):
    """Take publication `publication_id` out of every other list, and put it back
    wherever its rank now reaches the floor (nowhere, if it may not be suggested)."""
    with transaction.atomic():
        RelatedCandidate.objects.filter(candidate_id=publication_id).delete()
        candidate = (
            Publication.objects.published_or_scheduled()
            .suggestible()
            .filter(pk=publication_id)
            .values_list("published_at", flat=True)
            .first()
        )
        if candidate is not None:
            insert_into_lists(publication_id, candidate)
            _cut_back_lists_holding(publication_id)
        RelatedList.objects.filter(publication_id=publication_id).update(placed_at=timezone.now())


def _cut_back_lists_holding(candidate_id):
    """Cut the lists that hold `candidate_id` and grew past LONGEST back to KEPT: those
    kept stay exactly the best down to the new floor."""
    holding = RelatedCandidate.objects.filter(candidate_id=candidate_id).values("publication_id")
    grown = (
        RelatedCandidate.objects.filter(publication_id__in=holding)
        .values("publication_id")
        .annotate(kept=Count("pk"))
        .filter(kept__gt=LONGEST)
        .values_list("publication_id", flat=True)
    )
    for publication_id in grown:
        kept = list(
            RelatedCandidate.objects.filter(publication_id=publication_id)
            .order_by(
                "-shared_tags", "-shared_regions", "-candidate__published_at", "-candidate_id"
            )
            .values_list(
                "pk", "shared_tags", "shared_regions", "candidate__published_at", "candidate_id"
            )
        )
        floor = kept[KEPT - 1][1:]
        RelatedCandidate.objects.filter(pk__in=[row[0] for row in kept[KEPT:]]).delete()
        RelatedList.objects.filter(publication_id=publication_id).update(**_floor_fields(floor))


def _floor_fields(floor):
    tags, regions, published_at, candidate_id = floor or (None, None, None, None)
    return {
        "floor_tags": tags,
        "floor_regions": regions,
        "floor_published_at": published_at,
        "floor_candidate": candidate_id,
    }


def refresh(publication_ids, since):
    """Bring the lists up to date with changes to `publication_ids` made at `since`
    (an ISO 8601 moment): each one's own list, and its place in the others'. What was
    done after `since` already, for a later task of the same change, is not redone."""
    since = datetime.fromisoformat(since)
    states = {
        state.publication_id: state
        for state in RelatedList.objects.filter(publication_id__in=publication_ids)
    }
    existing = Publication.objects.filter(pk__in=publication_ids).values_list("pk", flat=True)
    for publication_id in sorted(existing):
        state = states.get(publication_id)
        if state is None or state.stale or state.computed_at < since:
            work_out(publication_id)
        if state is None or state.placed_at is None or state.placed_at < since:
            place(publication_id)


def mark_stale(publication_ids=None):
    """The lists of `publication_ids` (all, if None) no longer hold: their pages rank
    afresh until the worker has worked them out again."""
    lists = RelatedList.objects.all()
    if publication_ids is not None:
        lists = lists.filter(publication_id__in=publication_ids)
    lists.update(stale=True)


def lists_missing():
    """The publications whose list is not worked out, or stale."""
    return Publication.objects.exclude(
        pk__in=RelatedList.objects.filter(stale=False).values("publication_id")
    )


# Fewer missing lists than this are worked out one by one: reading the archive into
# memory would cost more than it saves.
WORKED_OUT_ONE_BY_ONE = 100
# Lists written per transaction when they are worked out together.
WRITTEN_TOGETHER = 2000


def work_out_missing(progress=None, *, share=(0, 1), limit=None):
    """Work out every list not worked out yet, or stale (at most `limit` of them):
    after a bulk load, or when the lists first arrive; returns how many. `progress(done,
    total)` is called now and then. `share` (k, n) takes the k-th of n shares of them,
    for n processes to work side by side."""
    part, parts = share
    # The share and the batch picked by the database: a task reads its batch, not
    # every missing id of a large archive.
    missing = lists_missing().annotate(share=Mod("pk", parts)).filter(share=part)
    missing = list(missing.order_by("pk").values_list("pk", flat=True)[:limit])
    if len(missing) < WORKED_OUT_ONE_BY_ONE:
        for publication_id in missing:
            work_out(publication_id)
        if progress and missing:
            progress(len(missing), len(missing))
    else:
        work_out_together(missing, progress)
    if limit is None or len(missing) < limit:  # the last batch: the tables are filled
        refresh_planner_statistics(RelatedList, RelatedCandidate)
    return len(missing)


def work_out_together(publication_ids, progress=None):
    """What work_out() stores for each of `publication_ids`, from the archive read into
    memory once (archive.Archive) and written WRITTEN_TOGETHER lists a transaction.

    The lists are dated when the archive is read, so a change saved meanwhile is worked
    out again by its own task (refresh()). A list another process worked out meanwhile
    is left as it is; a publication put into the lists meanwhile (place()) is put again
    once these are written, for they were read without it."""
    computed_at = timezone.now()
    archive = Archive.read()
    done = 0
    for start in range(0, len(publication_ids), WRITTEN_TOGETHER):
        chunk = publication_ids[start : start + WRITTEN_TOGETHER]
        worked_out = {}
        for publication_id in chunk:
            best = archive.best_candidates(publication_id, KEPT + 1)
            floor = _floor(best, archive.published_at.__getitem__)
            worked_out[publication_id] = (floor, best[:KEPT])
        with transaction.atomic():
            still_missing = lists_missing().filter(pk__in=chunk).values_list("pk", flat=True)
            ids = sorted(still_missing)
            RelatedCandidate.objects.filter(publication_id__in=ids).delete()
            RelatedList.objects.bulk_create(
                [
                    RelatedList(
                        publication_id=publication_id,
                        stale=False,
                        computed_at=computed_at,
                        **_floor_fields(worked_out[publication_id][0]),
                    )
                    for publication_id in ids
                ],
                update_conflicts=True,
                unique_fields=["publication"],
                update_fields=["stale", "computed_at", *_floor_fields(None)],
            )
            _insert_candidates(
                (publication_id, *candidate)
                for publication_id in ids
                for candidate in worked_out[publication_id][1]
            )
        done += len(chunk)
        if progress:
            progress(done, len(publication_ids))
    placed_meanwhile = RelatedList.objects.filter(placed_at__gte=computed_at)
    for publication_id in placed_meanwhile.values_list("publication_id", flat=True):
        place(publication_id)


# Candidate rows inserted a statement (at most; SQLite takes fewer parameters).
INSERTED_TOGETHER = 5000
_CANDIDATE_FIELDS = ("publication", "candidate", "shared_tags", "shared_regions")


def _insert_candidates(rows):
    """Insert RelatedCandidate `rows`, (publication id, candidate id, shared tags, shared
    regions), many a statement. Not bulk_create(): making and compiling a model instance
    a row cost more than the database's work (110 s against 77 s for 400,000 rows)."""
    meta = RelatedCandidate._meta
    fields = [meta.get_field(name) for name in _CANDIDATE_FIELDS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    rows = list(rows)
    if not rows:  # a list with no candidates (PostgreSQL's batch size would be 0)
        return
    per_statement = min(INSERTED_TOGETHER, connection.ops.bulk_batch_size(fields, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
                f"VALUES {values}",
                list(chain.from_iterable(batch)),
            )
