"""Related publications: the curator's picks first, then the best automatic matches.

The ranking is one SQL query, the same on SQLite and PostgreSQL. It never scores
the whole archive: it aggregates only the publications that share a tag or a
region with P, P's picks, and the newest few (which are all that can fill the
list when too few share anything). Results are cached under the content version
(publications.models.content_version), so a list is computed once per publication per change.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from .models import Publication, RelatedPick, TaggedPublication
from .models.content_version import remember

DEFAULT_LIMIT = 6


@dataclass
class Suggestion:
    publication: Publication
    curated: bool
    shared_tags: list[str] = field(default_factory=list)
    shared_regions: list[str] = field(default_factory=list)
    # False for a newest-first filler that shares nothing with the publication.
    shares_something: bool = True

    @property
    def reasons(self):
        """Why this is suggested, in words an editor reads in the admin."""
        reasons = ["picked by a curator"] if self.curated else []
        if self.shared_tags:
            reasons.append("shares tags: " + ", ".join(self.shared_tags))
        if self.shared_regions:
            reasons.append("shares regions: " + ", ".join(self.shared_regions))
        return reasons or ["recently published"]

    @property
    def reason_for_readers(self):
        """Why this is suggested, in a few words for the public related list."""
        if self.curated:
            return "Chosen by our editors"
        if self.shared_regions or self.shared_tags:
            return "Also about: " + ", ".join(self.shared_regions + self.shared_tags)
        return "Recently published"


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
        ORDER BY CASE WHEN MIN(candidate.pick_position) IS NULL THEN 1 ELSE 0 END,
                 MIN(candidate.pick_position),
                 SUM(candidate.tag_hit) DESC,
                 SUM(candidate.region_hit) DESC,
                 publication.published_at DESC,
                 candidate.publication_id DESC
        LIMIT %(limit)s
    """


def _named(queryset, name):
    """`queryset`'s SQL with its parameters named `name_0`, `name_1`..., and their values.

    Django compiles to positional placeholders; the ranking names its own, and one
    query cannot mix the two styles.
    """
    sql, params = queryset.query.sql_with_params()
    names = [f"{name}_{index}" for index in range(len(params))]
    return sql % tuple(f"%({key})s" for key in names), dict(zip(names, params, strict=True))


def ranked_ids(publication, limit, *, fill_with_newest=True):
    """[(publication id, is curated, shares a tag or region)] of the best `limit` public
    suggestions for `publication`; `fill_with_newest` tops the list up with the newest
    publications when too few share anything."""
    public = Publication.objects.published()
    newest, newest_params = "", {}
    if fill_with_newest:
        # The newest limit + 1 cover the list even when `publication` is among them.
        newest, newest_params = _named(
            public.suggestible().newest_first().values("pk")[: limit + 1], "newest"
        )
    kept_out, kept_out_params = _named(
        Publication.objects.order_by().filter(keep_out_of_suggestions=True).values("pk"),
        "kept_out",
    )
    public, public_params = _named(public.order_by().values("pk", "published_at"), "public")
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


def related_publications(
    publication, limit=DEFAULT_LIMIT, *, with_reasons=True, bylines=True, fill_with_newest=True
):
    """Up to `limit` suggestions for `publication`, best first.

    `with_reasons` adds the shared tags and regions (for staff); `bylines=False`
    leaves the authors for the caller to prefetch together with its own;
    `fill_with_newest=False` leaves out what shares nothing with `publication`.
    """
    options = {
        "with_reasons": with_reasons,
        "bylines": bylines,
        "fill_with_newest": fill_with_newest,
    }
    return remember(
        "related",
        [publication.pk, limit, *options.values()],
        lambda: _compute(publication, limit, **options),
    )


def _compute(publication, limit, *, with_reasons, bylines, fill_with_newest):
    ranked = ranked_ids(publication, limit, fill_with_newest=fill_with_newest)
    if not ranked:
        return []
    ids = [pk for pk, _, _ in ranked]
    found = Publication.objects.filter(pk__in=ids).for_listing()
    if not bylines:
        found = found.prefetch_related(None)  # the caller prefetches them with its own
    by_id = {candidate.pk: candidate for candidate in found}
    tags, regions = _shared_names(publication, ids) if with_reasons else ({}, {})
    return [
        Suggestion(
            publication=by_id[pk],
            curated=curated,
            shared_tags=tags.get(pk, []),
            shared_regions=regions.get(pk, []),
            shares_something=shares,
        )
        for pk, curated, shares in ranked
        if pk in by_id
    ]


def _shared_names(publication, ids):
    """The names of the tags and regions each of `ids` shares with `publication`."""
    tags = defaultdict(list)
    own_tags = TaggedPublication.objects.filter(content_object=publication).values("tag_id")
    for publication_id, name in (
        TaggedPublication.objects.filter(content_object_id__in=ids, tag_id__in=own_tags)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        tags[publication_id].append(name)

    regions = defaultdict(list)
    placed = Publication.regions.through
    own_regions = placed.objects.filter(publication=publication).values("region_id")
    for publication_id, name in (
        placed.objects.filter(publication_id__in=ids, region_id__in=own_regions)
        .order_by("region__sort_order", "region__name")
        .values_list("publication_id", "region__name")
    ):
        regions[publication_id].append(name)
    return tags, regions
