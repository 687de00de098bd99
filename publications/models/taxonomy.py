"""Regions, publication types and tags: what publications are filed under."""

import csv
from collections import defaultdict

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from taggit.models import Tag, TaggedItemBase

from thinktank.building_blocks.slugs import SlugFromName
from thinktank.building_blocks.urls import slug_url

from .content_version import remember


class RegionQuerySet(models.QuerySet):
    def subtrees(self):
        """{region id: the ids of that region and every region under it}, at any depth.

        Regions are few (tens), so the whole tree is read in one query and walked
        here, and kept until content changes: "in a region" then means the same, at
        any depth, on both databases, without a recursive query per page.
        """
        return remember("region-subtrees", [], self._subtrees)

    def _subtrees(self):
        children = defaultdict(list)
        for pk, parent in Region.objects.values_list("pk", "parent"):
            children[parent].append(pk)

        def below(pk, seen):
            for child in children[pk]:
                if child not in seen:  # Region.clean() refuses loops; a script may not
                    seen.add(child)
                    below(child, seen)
            return seen

        return {pk: below(pk, {pk}) for pks in list(children.values()) for pk in pks}

    def subtree_ids(self, region):
        """The ids of `region` and every region under it."""
        return self.subtrees().get(region.pk, {region.pk})

    def holding_ids(self, region_ids):
        """The ids of the regions that hold any of `region_ids`: those regions and every
        region above them (a publication about Japan is in Northeast Asia too)."""
        region_ids = set(region_ids)
        return {pk for pk, tree in self.subtrees().items() if tree & region_ids}

    def counted_among(self, publication_ids):
        """The regions any of `publication_ids` is about, at any depth, in menu order,
        each with how many of them (`publication_count`), as the region's filter finds them.

        For a few publications (a search's matches): their placements are read once and
        counted here over each region's tree, so the cost follows the publications, not
        the archive. A list, not a queryset.
        """
        placed = defaultdict(set)
        through = Region.publications.through.objects.filter(publication__in=publication_ids)
        for publication, region in through.values_list("publication", "region"):
            placed[region].add(publication)
        # A parent may have no publications of its own, only its subregions'.
        counts = {
            region: len(set().union(*(placed[pk] for pk in tree)))
            for region, tree in self.subtrees().items()
        }
        regions = list(self.filter(pk__in=[pk for pk, count in counts.items() if count]))
        for region in regions:
            region.publication_count = counts[region.pk]
        return regions


@reversion.register()
class Region(SlugFromName):
    name = models.CharField(
        max_length=100, unique=True, help_text='Name readers see, e.g. "Korean Peninsula".'
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="Part of the region's page address. Leave blank to make one from the name.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The wider region this one belongs to, if any (Northeast Asia for Japan).",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the region's page."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in menus and lists."
    )

    slug_fallback = "region"  # the slug of a name without letters or digits

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="region_has_slug")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("publications:region-detail", self.slug)

    def clean(self):
        super().clean()
        if self.pk and self.parent_id in Region.objects.subtree_ids(self):
            raise ValidationError(
                {"parent": "A region cannot be inside itself or one of its own subregions."}
            )


@reversion.register()
class PublicationType(SlugFromName):
    class Kind(models.TextChoices):
        """What search engines and scholarly indexes are told it is (schema.org types)."""

        ARTICLE = "Article", "Article (commentary, briefs)"
        REPORT = "Report", "Report"
        SCHOLARLY_ARTICLE = "ScholarlyArticle", "Scholarly article (research papers)"

    name = models.CharField(max_length=100, unique=True, help_text='Singular, e.g. "Issue Brief".')
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="Part of the type's page address, and of list filters: ?type=issue-brief. Leave blank to make one from the name.",
    )
    plural_label = models.CharField(max_length=100, help_text='Plural, e.g. "Issue Briefs".')
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.ARTICLE,
        help_text="What search engines and Google Scholar are told a publication of this type is.",
    )

    slug_fallback = "type"

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="publication_type_has_slug")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("publications:type-detail", self.slug)


@reversion.register()
class TaggedPublication(TaggedItemBase):
    """django-taggit's through model with a real foreign key, so tag joins are plain joins."""

    content_object = models.ForeignKey(
        "Publication", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "tag on a publication"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_publication_tag"
            ),
        ]
        indexes = [
            # Related ranking and tag pages: "which publications carry tag T".
            models.Index(fields=["tag", "content_object"], name="tagged_pub_tag_idx"),
        ]


def tags_from_string(text):
    """The tags typed into the admin's tag field: separated by commas, as its help says.

    taggit's own parser splits text without a comma at its spaces, so "Côte d'Ivoire"
    or "Korean Peninsula" typed alone would become two tags; here each is one.
    Double quotes still let a name hold a comma, as taggit writes such names; a line
    break (a pasted list) separates like a comma. (settings.TAGGIT_TAGS_FROM_STRING)
    """
    line = ", ".join(text.replace("\0", "").splitlines())
    names = next(csv.reader([line], skipinitialspace=True), [])
    return sorted({name.strip() for name in names if name.strip()})


def _tag_key(name):
    """What makes two tag names the same tag to an editor: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def resolve_tag_names(names):
    """`names` with each near-duplicate of an existing tag replaced by that tag's name.

    "Energy  Transition" typed when "energy transition" exists is that tag, not a new one.
    """
    names = [" ".join(name.split()) for name in names]
    if not names:
        return names
    matches = Q()
    for name in names:
        matches |= Q(name__iexact=name)
    existing = {
        _tag_key(name): name for name in Tag.objects.filter(matches).values_list("name", flat=True)
    }
    return sorted({existing.get(_tag_key(name), name) for name in names})
