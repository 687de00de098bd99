"""The definition of the related ranking, as SQL, and the queries that keep the
precomputed lists (publications.related.lists) by the same rule.

A publication's automatic suggestions are the public publications that share a tag
or a region with it and are not kept out of suggestions, ranked by the number of
tags they share, then regions, then newest first; the curator's picks come before
them, and the newest publications fill the list when too few share anything. The
queries are the same on SQLite and PostgreSQL.
"""

import functools
import time

from django.db import connection, connections
from django.db.models import Count

from thinktank.building_blocks import prepared_statements
from thinktank.building_blocks.compiled import (
    STANDS_FOR_NOW,
    as_of_now,
    named,
    standing_for_now,
)

from ..models import (
    Publication,
    RelatedCandidate,
    RelatedList,
    RelatedPick,
    TaggedPublication,
    card_from_values,
    public_cards_sql,
)


def _ranking_order(pick_position, tags, regions, published_at, publication_id):
    """The ranking's order, for an ORDER BY of these five SQL expressions: curators'
    picks first, by position, then most shared tags, then regions, newest first."""
    return (
        f"CASE WHEN {pick_position} IS NULL THEN 1 ELSE 0 END, {pick_position}, "
        f"{tags} DESC, {regions} DESC, {published_at} DESC, {publication_id} DESC"
    )


def _ranking_sql(newest, public, kept_out):
    """The ranking query; `newest` and `public` are compiled from published(), and
    `kept_out` selects the publications kept out of automatic suggestions.

    Without `newest`, only publications that share something with P are ranked.
    """
    tagged = TaggedPublication._meta.db_table
    placed = Publication.regions.through._meta.db_table
    picks = RelatedPick._meta.db_table
    newest_branch = (
        f"UNION ALL SELECT newest.pk, 0, 0, CAST(NULL AS INTEGER) FROM ({newest}) newest"
        if newest
        else ""
    )
    # Each branch yields (publication, tag hit, region hit, pick position); the sums
    # per publication are its shared tags and regions. Joining the public rows
    # drops drafts, items in review and scheduled items from every branch. What is
    # kept out of suggestions is left out of every branch but the picks: a pin wins.
    order = _ranking_order(
        "MIN(candidate.pick_position)",
        "SUM(candidate.tag_hit)",
        "SUM(candidate.region_hit)",
        "publication.published_at",
        "candidate.publication_id",
    )
    return f"""
        SELECT candidate.publication_id, MIN(candidate.pick_position) AS pick_position,
               SUM(candidate.tag_hit) + SUM(candidate.region_hit) AS shared
        FROM (
            SELECT t.content_object_id AS publication_id, 1 AS tag_hit, 0 AS region_hit,
                   CAST(NULL AS INTEGER) AS pick_position
            FROM {tagged} t
            WHERE t.tag_id IN (
                SELECT o.tag_id FROM {tagged} o WHERE o.content_object_id = %(pk)s
            ) AND t.content_object_id NOT IN ({kept_out})
            UNION ALL
            SELECT r.publication_id, 0, 1, CAST(NULL AS INTEGER)
            FROM {placed} r
            WHERE r.region_id IN (
                SELECT o.region_id FROM {placed} o WHERE o.publication_id = %(pk)s
            ) AND r.publication_id NOT IN ({kept_out})
            UNION ALL
            SELECT p.to_publication_id, 0, 0, p.position
            FROM {picks} p
            WHERE p.from_publication_id = %(pk)s
            {newest_branch}
        ) candidate
        JOIN ({public}) publication ON publication.pk = candidate.publication_id
        WHERE publication.pk <> %(pk)s
        GROUP BY candidate.publication_id, publication.published_at
        ORDER BY {order}
        LIMIT %(limit)s
    """


def ranked_afresh(publication, limit, *, fill_with_newest=True):
    """[(publication id, is curated, shares a tag or region)] of the best `limit` public
    suggestions for `publication`, ranked against the whole archive; `fill_with_newest`
    tops the list up with the newest publications when too few share anything.

    This is the definition the precomputed lists answer by; it reads every publication
    that shares something with `publication`, so pages use it only when a list is not
    worked out yet (publications.related.lists.ranked_ids)."""
    public = Publication.objects.published()
    newest, newest_params = "", {}
    if fill_with_newest:
        # The newest limit + 1 cover the list even when `publication` is among them.
        newest, newest_params = named(
            public.suggestible().newest_first().values("pk")[: limit + 1], "newest"
        )
    kept_out, kept_out_params = named(
        Publication.objects.order_by().filter(keep_out_of_suggestions=True).values("pk"),
        "kept_out",
    )
    public, public_params = named(public.order_by().values("pk", "published_at"), "public")
    # Not a prepared statement: planning is a few hundredths of its work, and a generic
    # plan ran it a quarter slower for some publications (10,000 publications).
    with connection.cursor() as cursor:
        cursor.execute(
            _ranking_sql(newest, public, kept_out),
            {
                "pk": publication.pk,
                "limit": limit,
                **newest_params,
                **public_params,
                **kept_out_params,
            },
        )
        return [(row[0], row[1] is not None, row[2] > 0) for row in cursor.fetchall()]


# --- the same rule, for the precomputed lists ---------------------------------------------


def _sharers_sql():
    """(publication id, tag hit, region hit) rows, one per tag and per region each
    publication shares with publication %(pk)s (itself included): summed per
    publication, its shared tags and regions. Sharing is symmetric, so the same rows
    say what %(pk)s shares with each of them."""
    tagged = TaggedPublication._meta.db_table
    placed = Publication.regions.through._meta.db_table
    return f"""
        SELECT t.content_object_id AS publication_id, 1 AS tag_hit, 0 AS region_hit
        FROM {tagged} t
        WHERE t.tag_id IN (SELECT o.tag_id FROM {tagged} o WHERE o.content_object_id = %(pk)s)
        UNION ALL
        SELECT r.publication_id, 0, 1
        FROM {placed} r
        WHERE r.region_id IN (
            SELECT o.region_id FROM {placed} o WHERE o.publication_id = %(pk)s
        )
    """


def best_candidates(publication_id, count):
    """[(candidate id, shared tags, shared regions)] of the best `count` publications
    that may be suggested by themselves on `publication_id`'s page: published
    (scheduled included: they become public without another edit), not kept out of
    suggestions, sharing something. Best first, by rank.

    Most of the work is counting shared tags, and most of that is in the tags used on
    many publications. So the best are first sought among those sharing at least
    three tags, then two (_ranked_among_those_sharing()), which needs the large lists
    only to look candidates up; if too few share that many, every sharer is ranked.
    """
    own = list(
        TaggedPublication.objects.filter(content_object_id=publication_id).values_list(
            "tag_id", flat=True
        )
    )
    sizes = _tag_sizes()
    own.sort(key=lambda tag_id: (sizes.get(tag_id, 0), tag_id))
    for level in _LEVELS:
        if len(own) >= level:
            best = _ranked_among_those_sharing(publication_id, level, own, count)
            if len(best) >= count:
                return best
    return _ranked_among_all_sharers(publication_id, count)


# How long a process uses the tags' sizes it counted: they only decide which lists
# are read whole, never what is found, and they change slowly.
_TAG_SIZES_SECONDS = 600
_tag_sizes_counted = {"at": None, "sizes": {}}


def _tag_sizes():
    """{tag id: publications carrying it}, counted at most every _TAG_SIZES_SECONDS."""
    now = time.monotonic()
    counted = _tag_sizes_counted
    if counted["at"] is None or now - counted["at"] > _TAG_SIZES_SECONDS:
        counted["sizes"] = dict(
            TaggedPublication.objects.order_by()
            .values("tag_id")
            .annotate(size=Count("pk"))
            .values_list("tag_id", "size")
        )
        counted["at"] = now
    return counted["sizes"]


# How many more than asked for are looked at closely, so that candidates that may not
# be suggested (drafts, kept out) still leave enough.
_MARGIN = 2
# The numbers of shared tags tried, in turn, as the least the best share.
_LEVELS = (3, 2, 1)


def _ranked_among_those_sharing(publication_id, level, own_tags, count):
    """The best `count`, if at least `count` * _MARGIN candidates share `level` tags or
    more with the publication (else fewer, or none).

    `own_tags` are its tags, the most used last. Whoever shares `level` of them shares
    at least one of all but the `level` - 1 most used: those smaller lists are read
    whole, and each candidate found is looked up in the large ones. Everyone else
    shares fewer tags than `level`, so ranks below; the regions and publish date are
    looked up only for those sharing as many tags as the cut, ties included.
    """
    tagged = TaggedPublication._meta.db_table
    placed = Publication.regions.through._meta.db_table
    candidates, params = named(
        Publication.objects.published_or_scheduled()
        .suggestible()
        .order_by()
        .values("pk", "published_at"),
        "candidates",
    )
    split = len(own_tags) - level + 1
    small, params_small = _placeholders(own_tags[:split], "small")
    large, params_large = _placeholders(own_tags[split:], "large")
    large_hits = (
        f"""(SELECT COUNT(*) FROM {tagged} l
            WHERE l.content_object_id = t.content_object_id AND l.tag_id IN ({large}))"""
        if large
        else "0"
    )
    # MATERIALIZED keeps the database from looking up regions and dates before the
    # cut; one candidate at a time (scalar subqueries), they are read by key.
    sql = f"""
        WITH shared AS MATERIALIZED (
            SELECT t.content_object_id AS publication_id, COUNT(*) + {large_hits} AS tags
            FROM {tagged} t
            WHERE t.tag_id IN ({small}) AND t.content_object_id <> %(pk)s
            GROUP BY t.content_object_id
        ),
        enough AS MATERIALIZED (
            SELECT publication_id, tags FROM shared WHERE tags >= %(level)s
        ),
        cut AS (
            SELECT tags FROM enough ORDER BY tags DESC LIMIT 1 OFFSET %(offset)s
        ),
        closest AS MATERIALIZED (
            SELECT enough.publication_id, enough.tags,
                   (SELECT COUNT(*) FROM {placed} r
                    WHERE r.publication_id = enough.publication_id AND r.region_id IN (
                        SELECT o.region_id FROM {placed} o WHERE o.publication_id = %(pk)s
                    )) AS regions,
                   (SELECT candidate.published_at FROM ({candidates}) candidate
                    WHERE candidate.pk = enough.publication_id) AS published_at
            FROM enough, cut
            WHERE enough.tags >= cut.tags
        )
        SELECT publication_id, tags, regions FROM closest
        WHERE published_at IS NOT NULL
        ORDER BY tags DESC, regions DESC, published_at DESC, publication_id DESC
        LIMIT %(count)s
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "pk": publication_id,
                "level": level,
                "offset": count * _MARGIN,
                "count": count,
                **params,
                **params_small,
                **params_large,
            },
        )
        return cursor.fetchall()


def _placeholders(values, name):
    """Named placeholders for `values`, and their parameters."""
    names = [f"{name}_{index}" for index in range(len(values))]
    return ", ".join(f"%({key})s" for key in names), dict(zip(names, values, strict=True))


def _ranked_among_all_sharers(publication_id, count):
    """The best `count` among every publication sharing a tag or a region: as in
    _ranked_among_those_sharing(), the publish date is looked up only for those
    sharing as many tags and regions as the one ranked `count` * _MARGIN."""
    candidates, params = named(
        Publication.objects.published_or_scheduled()
        .suggestible()
        .order_by()
        .values("pk", "published_at"),
        "candidates",
    )
    sql = f"""
        WITH shared AS MATERIALIZED (
            SELECT s.publication_id, SUM(s.tag_hit) AS tags, SUM(s.region_hit) AS regions
            FROM ({_sharers_sql()}) s
            WHERE s.publication_id <> %(pk)s
            GROUP BY s.publication_id
        ),
        cut AS (
            SELECT tags, regions FROM shared
            ORDER BY tags DESC, regions DESC LIMIT 1 OFFSET %(offset)s
        ),
        closest AS MATERIALIZED (
            SELECT shared.publication_id, shared.tags, shared.regions,
                   (SELECT candidate.published_at FROM ({candidates}) candidate
                    WHERE candidate.pk = shared.publication_id) AS published_at
            FROM shared
            WHERE NOT EXISTS (SELECT 1 FROM cut)
               OR (shared.tags, shared.regions) >= (SELECT tags, regions FROM cut)
        )
        SELECT publication_id, tags, regions, (SELECT COUNT(*) FROM cut) FROM closest
        WHERE published_at IS NOT NULL
        ORDER BY tags DESC, regions DESC, published_at DESC, publication_id DESC
        LIMIT %(count)s
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"pk": publication_id, "offset": count * _MARGIN, "count": count, **params}
        )
        rows = cursor.fetchall()
    if len(rows) < count and (not rows or rows[0][3]):
        # Cut, and too many of the closest may not be suggested: rank every sharer.
        return _ranked_among_every_sharer(publication_id, count)
    return [row[:3] for row in rows]


def _ranked_among_every_sharer(publication_id, count):
    candidates, params = named(
        Publication.objects.published_or_scheduled()
        .suggestible()
        .order_by()
        .values("pk", "published_at"),
        "candidates",
    )
    sql = f"""
        SELECT shared.publication_id, SUM(shared.tag_hit), SUM(shared.region_hit)
        FROM ({_sharers_sql()}) shared
        JOIN ({candidates}) candidate ON candidate.pk = shared.publication_id
        WHERE candidate.pk <> %(pk)s
        GROUP BY shared.publication_id, candidate.published_at
        ORDER BY 2 DESC, 3 DESC, candidate.published_at DESC, shared.publication_id DESC
        LIMIT %(count)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pk": publication_id, "count": count, **params})
        return cursor.fetchall()


def insert_into_lists(candidate_id, published_at):
    """Put `candidate_id` (publish date `published_at`) into every worked-out list of a
    publication it shares something with, where its rank reaches that list's floor."""
    lists = RelatedList._meta.db_table
    candidates = RelatedCandidate._meta.db_table
    # A row value compares rank with floor: shared tags first, then regions, date, id.
    sql = f"""
        INSERT INTO {candidates} (publication_id, candidate_id, shared_tags, shared_regions)
        SELECT shared.publication_id, %(pk)s, SUM(shared.tag_hit), SUM(shared.region_hit)
        FROM ({_sharers_sql()}) shared
        JOIN {lists} list ON list.publication_id = shared.publication_id
        WHERE shared.publication_id <> %(pk)s
        GROUP BY shared.publication_id, list.floor_tags, list.floor_regions,
                 list.floor_published_at, list.floor_candidate
        HAVING list.floor_tags IS NULL
            OR (SUM(shared.tag_hit), SUM(shared.region_hit), %(published_at)s, %(pk)s)
               >= (list.floor_tags, list.floor_regions, list.floor_published_at,
                   list.floor_candidate)
    """
    with connection.cursor() as cursor:
        published_at = connection.ops.adapt_datetimefield_value(published_at)
        cursor.execute(sql, {"pk": candidate_id, "published_at": published_at})


def _precomputed_sql(newest, public_ranked, public_picked, suggestible, public, cards, bylines):
    """The ranking read from publication %(pk)s's worked-out candidates: its picks,
    its candidates still suggestible, and the newest (if `newest`), each once, kept
    when public, in the ranking's order. Picks count what they share unless kept out
    of suggestions, as in _ranking_sql(), for the order of picks at the same position.
    Each row also says how far the list reaches (ranked_precomputed()), and ends with
    the select list `cards` of `public` (its card; public_cards_sql()) and `bylines`
    (its byline, where read with it): read in the same statement, as a page cannot do
    without them.

    The ranking is worked out first on each candidate's key and date alone, and only
    the `limit` kept are read as cards. Reading all forty-odd candidates' cards to keep
    six, and looking each up twice (public, then suggestible), cost PostgreSQL more: at
    100,000 publications, 0.88 against 0.59 ms of execution by EXPLAIN ANALYZE, 0.85
    against 0.70 ms of the server's CPU per read.
    Each candidate is looked up once, in its branch's subquery: `public_ranked`
    (public and suggestible: worked-out candidates) or `public_picked` (public:
    picks), each selecting (pk, published_at); `newest` selects the same. A pick counts
    what it shares only when it is in `suggestible`.

    Whether a candidate is suggestible is asked by key (a join, EXISTS), never as
    `IN (subquery)`: SQLite builds that subquery's whole result on each read, which
    cost 15 ms a read at 10,000 publications against 1.3 ms."""
    tagged = TaggedPublication._meta.db_table
    placed = Publication.regions.through._meta.db_table
    picks = RelatedPick._meta.db_table
    candidates = RelatedCandidate._meta.db_table
    lists = RelatedList._meta.db_table
    newest_branch = (
        "UNION ALL SELECT newest.pk, 0, 0, CAST(NULL AS INTEGER), newest.published_at"
        f" FROM ({newest}) newest"
        if newest
        else ""
    )
    shares = f"EXISTS (SELECT 1 FROM ({suggestible}) s WHERE s.pk = p.to_publication_id)"
    ranked_order = _ranking_order(
        "MIN(candidate.pick_position)",
        "MAX(candidate.tags)",
        "MAX(candidate.regions)",
        "candidate.published_at",
        "candidate.publication_id",
    )
    read_order = _ranking_order(
        "ranked.pick_position",
        "ranked.tags",
        "ranked.regions",
        "ranked.published_at",
        "ranked.publication_id",
    )
    return f"""
        WITH ranked AS (
            SELECT candidate.publication_id, MIN(candidate.pick_position) AS pick_position,
                   MAX(candidate.tags) AS tags, MAX(candidate.regions) AS regions,
                   candidate.published_at
            FROM (
                SELECT c.candidate_id AS publication_id, c.shared_tags AS tags,
                       c.shared_regions AS regions, CAST(NULL AS INTEGER) AS pick_position,
                       public_ranked.published_at
                FROM {candidates} c
                JOIN ({public_ranked}) public_ranked ON public_ranked.pk = c.candidate_id
                WHERE c.publication_id = %(pk)s
                UNION ALL
                SELECT p.to_publication_id,
                       (SELECT COUNT(*) FROM {tagged} t
                        WHERE t.content_object_id = p.to_publication_id
                          AND {shares}
                          AND t.tag_id IN (
                            SELECT o.tag_id FROM {tagged} o WHERE o.content_object_id = %(pk)s)),
                       (SELECT COUNT(*) FROM {placed} r
                        WHERE r.publication_id = p.to_publication_id
                          AND {shares}
                          AND r.region_id IN (
                            SELECT o.region_id FROM {placed} o WHERE o.publication_id = %(pk)s)),
                       p.position, public_picked.published_at
                FROM {picks} p
                JOIN ({public_picked}) public_picked ON public_picked.pk = p.to_publication_id
                WHERE p.from_publication_id = %(pk)s
                {newest_branch}
            ) candidate
            WHERE candidate.publication_id <> %(pk)s
            GROUP BY candidate.publication_id, candidate.published_at
            ORDER BY {ranked_order}
            LIMIT %(limit)s
        )
        SELECT ranked.publication_id, ranked.pick_position, ranked.tags + ranked.regions,
               (SELECT CASE WHEN l.floor_tags IS NULL THEN 0 ELSE 1 END FROM {lists} l
                WHERE l.publication_id = %(pk)s AND NOT l.stale) AS cut,
               {cards}{bylines}
        FROM ranked
        JOIN ({public}) publication ON publication.id = ranked.publication_id
        ORDER BY {read_order}
    """


def ranked_precomputed(publication, limit, *, fill_with_newest=True):
    """ranked_afresh()'s answer from `publication`'s worked-out candidates: the same
    whenever they reach down far enough (publications.related.lists.ranked_ids).

    Returns (that answer, whether the list was cut at a floor, {id: card} of each
    suggestion, as for_listing() loads it, bylines aside): the second is None when
    `publication` has no worked-out list that still holds (none, or stale), or when
    no row came back to say."""
    sql, params, moments = _precomputed_statement(connection.vendor, limit, fill_with_newest)
    with connection.cursor() as cursor:
        prepared_statements.execute(
            cursor,
            "related_precomputed",
            sql,
            {**as_of_now(connection, params, moments), "pk": publication.pk, "limit": limit},
        )
        rows = cursor.fetchall()
    cut = None if not rows or rows[0][3] is None else bool(rows[0][3])
    ranked = [(row[0], row[1] is not None, row[2] > 0) for row in rows]
    # The connection itself: asked of django.db.connection, a proxy, each card's look-up
    # of its alias is one in the request's context.
    read_by = connections[connection.alias]
    return ranked, cut, {row[0]: card_from_values(read_by, row[4:]) for row in rows}


@functools.cache
def _precomputed_statement(vendor, limit, fill_with_newest):
    """_precomputed_sql() with its subqueries compiled from published() and
    suggestible(), once per process and database vendor: every article page reads it,
    and Django took longer to build and compile the three subqueries (0.4 ms at
    10,000 publications) than the database to run the whole statement. They differ
    from one read to the next only in the moment published() judges by.

    Returns (the SQL, its parameters, the names of the parameters that hold that
    moment); the caller adds `pk` and `limit`."""
    public = Publication.objects.published(at=STANDS_FOR_NOW).order_by()
    newest, newest_params = "", {}
    if fill_with_newest:
        newest, newest_params = named(
            public.suggestible().newest_first().values("pk", "published_at")[: limit + 1],
            "newest",
        )
    ranked, ranked_params = named(public.suggestible().values("pk", "published_at"), "ranked")
    picked, picked_params = named(public.values("pk", "published_at"), "picked")
    suggestible, suggestible_params = named(
        Publication.objects.order_by().suggestible().values("pk"), "suggestible"
    )
    cards_sql, cards_params, cards, bylines = public_cards_sql(connection)
    params = {
        **newest_params,
        **ranked_params,
        **picked_params,
        **suggestible_params,
        **cards_params,
    }
    moments = standing_for_now(connection, params)
    sql = _precomputed_sql(newest, ranked, picked, suggestible, cards_sql, cards, bylines)
    return sql, params, moments
