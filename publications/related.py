"""Related publications: the curator's picks first, then the best automatic matches.

The ranking (picks and automatic matches together) is one SQL query that runs on
SQLite and PostgreSQL alike; the reasons for each suggestion take two more small
queries, and the byline one more.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Publication, RelatedPick, TaggedPublication

DEFAULT_LIMIT = 6


@dataclass
class Suggestion:
    publication: Publication
    curated: bool
    shared_tags: list[str] = field(default_factory=list)
    shared_regions: list[str] = field(default_factory=list)

    @property
    def reasons(self):
        """Why this is suggested, in words an editor reads in the admin."""
        reasons = ["picked by a curator"] if self.curated else []
        if self.shared_tags:
            reasons.append("shares tags: " + ", ".join(self.shared_tags))
        if self.shared_regions:
            reasons.append("shares regions: " + ", ".join(self.shared_regions))
        return reasons or ["recently published"]


def _count_of(queryset):
    """A correlated subquery counting `queryset`'s rows for the outer publication."""
    counted = queryset.order_by().values("pk_of_outer").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def ranked_related(publication):
    """Published publications other than `publication`, best related first (a queryset)."""
    tags_of_p = TaggedPublication.objects.filter(content_object=publication).values("tag_id")
    regions_through = Publication.regions.through
    regions_of_p = regions_through.objects.filter(publication=publication).values("region_id")

    shared_tags = TaggedPublication.objects.filter(
        content_object=OuterRef("pk"), tag_id__in=tags_of_p
    ).annotate(pk_of_outer=F("content_object"))
    shared_regions = regions_through.objects.filter(
        publication=OuterRef("pk"), region_id__in=regions_of_p
    ).annotate(pk_of_outer=F("publication"))
    pick_position = RelatedPick.objects.filter(
        from_publication=publication, to_publication=OuterRef("pk")
    ).values("position")[:1]

    return (
        Publication.objects.published()
        .exclude(pk=publication.pk)
        .annotate(
            pick_position=Subquery(pick_position, output_field=IntegerField()),
            shared_tag_count=_count_of(shared_tags),
            shared_region_count=_count_of(shared_regions),
        )
        .order_by(
            F("pick_position").asc(nulls_last=True),
            "-shared_tag_count",
            "-shared_region_count",
            "-published_at",
            "-pk",
        )
    )


def related_publications(publication, limit=DEFAULT_LIMIT):
    """Up to `limit` suggestions for `publication`, each with its reasons."""
    ranked = list(ranked_related(publication).for_listing()[:limit])
    if not ranked:
        return []
    ids = [candidate.pk for candidate in ranked]

    tags_by_publication = defaultdict(list)
    for publication_id, name in (
        TaggedPublication.objects.filter(
            content_object_id__in=ids,
            tag_id__in=TaggedPublication.objects.filter(content_object=publication).values(
                "tag_id"
            ),
        )
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        tags_by_publication[publication_id].append(name)

    regions_through = Publication.regions.through
    regions_by_publication = defaultdict(list)
    for publication_id, name in (
        regions_through.objects.filter(
            publication_id__in=ids,
            region_id__in=regions_through.objects.filter(publication=publication).values(
                "region_id"
            ),
        )
        .order_by("region__sort_order", "region__name")
        .values_list("publication_id", "region__name")
    ):
        regions_by_publication[publication_id].append(name)

    return [
        Suggestion(
            publication=candidate,
            curated=candidate.pick_position is not None,
            shared_tags=tags_by_publication[candidate.pk],
            shared_regions=regions_by_publication[candidate.pk],
        )
        for candidate in ranked
    ]
