"""Related publications: the curator's picks first, then the best automatic matches.

ranking.py defines the order in SQL; lists.py keeps each publication's best
candidates worked out ahead of time, so a page reads a short list rather than every
publication that shares something with it. What is shown is decided when the page
is read, and cached under the content version (publications.models.content_version).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from ..models import BYLINE_PREFETCH, Publication, TaggedPublication
from ..models.content_version import remember
from .lists import ranked_with_cards

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


def related_publications(
    publication,
    limit=DEFAULT_LIMIT,
    *,
    with_reasons=True,
    bylines=True,
    fill_with_newest=True,
    kept=True,
):
    """Up to `limit` suggestions for `publication`, best first.

    `with_reasons` adds the shared tags and regions (for staff); `bylines=False`
    leaves the authors for the caller to prefetch together with its own;
    `fill_with_newest=False` leaves out what shares nothing with `publication`.
    The answer is kept until content changes, unless `kept=False` (the page that
    shows it is kept whole: caching.pages.page_is_kept()).
    """
    options = {
        "with_reasons": with_reasons,
        "bylines": bylines,
        "fill_with_newest": fill_with_newest,
    }
    if not kept:
        return _compute(publication, limit, **options)
    return remember(
        "related",
        [publication.pk, limit, *options.values()],
        lambda: _compute(publication, limit, **options),
    )


def _compute(publication, limit, *, with_reasons, bylines, fill_with_newest):
    ranked, by_id = ranked_with_cards(publication, limit, fill_with_newest=fill_with_newest)
    if not ranked:
        return []
    ids = [pk for pk, _, _ in ranked]
    if not by_id:  # ranked afresh: its cards are read on their own
        cards = Publication.objects.filter(pk__in=ids).for_listing().prefetch_related(None)
        by_id = cards.in_bulk()
    if bylines:  # else the caller prefetches them with its own
        prefetch_related_objects(list(by_id.values()), BYLINE_PREFETCH)
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
