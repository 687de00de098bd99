"""Every model of the publications app, by concern; import them from here."""

from .addresses import LegacyURL, OldSlug, legacy_query_id, normalise_legacy_path, wordpress_id
from .content_version import ContentVersion
from .images import Image
from .listing import ListEntry, ListMonth, PublicList, refresh_list_entries
from .publication import (
    BYLINE_PREFETCH,
    Authorship,
    Publication,
    PublicationQuerySet,
    RelatedPick,
    public_tags,
)
from .related_lists import RelatedCandidate, RelatedList
from .taxonomy import PublicationType, Region, TaggedPublication

__all__ = [
    "BYLINE_PREFETCH",
    "Authorship",
    "ContentVersion",
    "Image",
    "LegacyURL",
    "ListEntry",
    "ListMonth",
    "OldSlug",
    "PublicList",
    "Publication",
    "PublicationQuerySet",
    "PublicationType",
    "Region",
    "RelatedCandidate",
    "RelatedList",
    "RelatedPick",
    "TaggedPublication",
    "legacy_query_id",
    "normalise_legacy_path",
    "public_tags",
    "refresh_list_entries",
    "wordpress_id",
]
