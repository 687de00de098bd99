"""Every model of the publications app, by concern; import them from here."""

from .addresses import LegacyURL, OldSlug, legacy_query_id, normalise_legacy_path, wordpress_id
from .content_version import ContentVersion
from .images import Image, ImageUse
from .listing import (
    ListEntry,
    ListMonth,
    ListTotal,
    PublicList,
    public_tag_count,
    public_tags,
    refresh_list_entries,
    regions_with_public_counts,
    topic_index,
)
from .publication import (
    BYLINE_PREFETCH,
    CARD_VALUES,
    REGIONS_PREFETCH,
    TOPICS_PREFETCH,
    Authorship,
    Publication,
    PublicationQuerySet,
    RelatedPick,
    card_from_values,
    public_by_slug,
    public_cards_sql,
)
from .related_lists import RelatedCandidate, RelatedList
from .search_words import SearchWord
from .tag_merges import MergedTag, TagMerge, merge_sentence, publications_under
from .taxonomy import PublicationType, Region, TaggedPublication

__all__ = [
    "BYLINE_PREFETCH",
    "CARD_VALUES",
    "REGIONS_PREFETCH",
    "TOPICS_PREFETCH",
    "Authorship",
    "ContentVersion",
    "Image",
    "ImageUse",
    "LegacyURL",
    "ListEntry",
    "ListMonth",
    "ListTotal",
    "MergedTag",
    "OldSlug",
    "PublicList",
    "Publication",
    "PublicationQuerySet",
    "PublicationType",
    "Region",
    "RelatedCandidate",
    "RelatedList",
    "RelatedPick",
    "SearchWord",
    "TagMerge",
    "TaggedPublication",
    "card_from_values",
    "legacy_query_id",
    "merge_sentence",
    "normalise_legacy_path",
    "public_by_slug",
    "public_cards_sql",
    "public_tag_count",
    "public_tags",
    "publications_under",
    "refresh_list_entries",
    "regions_with_public_counts",
    "topic_index",
    "wordpress_id",
]
