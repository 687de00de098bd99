"""Merges of tags, kept so that each can be undone: which tags went into which, with
their names, slugs and publications (the merge itself: publications.tag_merges)."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from taggit.models import Tag

from .taxonomy import TaggedPublication


class TagMergeQuerySet(models.QuerySet):
    def recent(self):
        """Newest first, with what a list of merges shows."""
        return self.select_related("merged_by", "undone_by").prefetch_related("merged_tags")

    def in_effect(self):
        return self.filter(undone_at=None)


class TagMerge(models.Model):
    """Tags merged into one, the survivor: what it takes to undo the merge."""

    # No database constraint: the survivor may go in turn (deleted, or merged into
    # another tag), and undoing that merge brings it back with the same id.
    survivor = models.ForeignKey(
        Tag, on_delete=models.DO_NOTHING, db_constraint=False, related_name="merges_into"
    )
    survivor_name = models.CharField(max_length=100)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The publications that carry the survivor only through the merge: an undo takes
    # it off them.
    gained = models.ManyToManyField("Publication", related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = TagMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        names = ", ".join(f"“{tag.name}”" for tag in self.merged_tags.all())
        return f"{names} into “{self.survivor_name}”"

    def undo_refusal(self):
        """Why this merge cannot be undone now, as a sentence; None if it can."""
        if self.undone_at is not None:
            return "This merge was undone already."
        later = (
            TagMerge.objects.in_effect()
            .filter(pk__gt=self.pk)
            .filter(Q(survivor=self.survivor_id) | Q(merged_tags__tag_pk=self.survivor_id))
            .first()
        )
        if later is not None:
            return f"“{self.survivor_name}” was in a later merge ({later}): undo that one first."
        for merged in self.merged_tags.all():
            taken = Tag.objects.filter(Q(name__iexact=merged.name) | Q(slug=merged.slug)).first()
            if taken is not None:
                what = "name" if taken.name.casefold() == merged.name.casefold() else "address"
                return (
                    f"“{merged.name}” cannot come back: the tag “{taken.name}” has its "
                    f"{what} now. Rename that tag first, or leave this merge as it is."
                )
        return None


class MergedTag(models.Model):
    """A tag that went into a merge, as it was: undoing the merge recreates it."""

    merge = models.ForeignKey(TagMerge, on_delete=models.CASCADE, related_name="merged_tags")
    tag_pk = models.PositiveBigIntegerField(help_text="The id it had, and gets back.")
    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100)
    # Slugs it had before, which led to it and lead to the survivor since.
    old_slugs = models.JSONField(default=list)
    # The publications that carried it (a deleted one is forgotten).
    publications = models.ManyToManyField("Publication", related_name="+")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


def publications_under(tag_ids):
    """(how many publications carry any of `tag_ids`, how many of those carry two or more)."""
    per_publication = (
        TaggedPublication.objects.filter(tag__in=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(tags=Count("tag"))
    )
    counts = per_publication.aggregate(
        publications=Count("content_object"),
        shared=Count("content_object", filter=Q(tags__gte=2)),
    )
    return counts["publications"], counts["shared"]


def merge_sentence(tag_count, survivor_name, publications, shared):
    """What a merge of `tag_count` tags (the survivor's included) does, said the same way
    before it (the confirmation) and after (the message): “3 tags merged into “energy
    security”: 41 publications keep their place, 5 of them had two of these tags.”"""
    places = (
        "1 publication keeps its place"
        if publications == 1
        else f"{publications} publications keep their place"
    )
    sentence = f"{tag_count} tags merged into “{survivor_name}”: {places}"
    if shared:
        how_many = "two" if tag_count == 2 else "more than one"
        sentence += f", {shared} of them had {how_many} of these tags"
    return sentence + "."
