"""Merging tags into one, and undoing a merge.

A merge moves the merged tags' publications to the survivor, hands their addresses
over to it (301), and keeps a TagMerge of what it did; the undo puts everything back
from that record. Both write with update() and bulk_create(), so they tell the
content version, search documents and lists themselves (receivers.changed_in_bulk).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from .models import (
    MergedTag,
    OldSlug,
    TaggedPublication,
    TagMerge,
    merge_sentence,
    publications_under,
)
from .receivers import changed_in_bulk

GONE_SINCE = (
    "One of these tags was deleted or merged since they were chosen: nothing was merged. "
    "Choose the tags again."
)
NOT_A_SURVIVOR = "Choose which tag stays from the tags being merged: nothing was merged."


class MergeRefused(Exception):
    """A merge or an undo that cannot be made as asked; its message is the sentence why."""


def merge(tag_ids, survivor_id, *, by=None):
    """Merge the tags `tag_ids` into the one of them with `survivor_id`, for `by`.

    Returns the TagMerge and what happened, in a sentence. The tags are locked first,
    so a merge or deletion that got there first refuses this one (MergeRefused).
    """
    with transaction.atomic():
        tags = {tag.pk: tag for tag in Tag.objects.select_for_update().filter(pk__in=tag_ids)}
        if len(tags) != len(set(tag_ids)):
            raise MergeRefused(GONE_SINCE)
        if survivor_id not in tags:
            raise MergeRefused(NOT_A_SURVIVOR)
        publications, shared = publications_under(list(tags))
        survivor = tags.pop(survivor_id)
        record = TagMerge.objects.create(
            survivor=survivor, survivor_name=survivor.name, merged_by=by
        )
        carrying = TaggedPublication.objects.filter(tag__in=[survivor, *tags.values()])
        carried = {pk: set() for pk in [survivor.pk, *tags]}
        for tag, publication in carrying.values_list("tag", "content_object"):
            carried[tag].add(publication)
        moved = set()
        for other in sorted(tags.values(), key=lambda tag: tag.name):
            moved |= carried[other.pk]
            _merge_one(record, other, survivor, carried[other.pk])
        record.gained.add(*(moved - carried[survivor.pk]))
        changed_in_bulk(sorted(moved))
    return record, merge_sentence(len(tags) + 1, survivor.name, publications, shared)


def _merge_one(record, other, survivor, publications):
    merged = MergedTag.objects.create(
        merge=record,
        tag_pk=other.pk,
        name=other.name,
        slug=other.slug,
        old_slugs=list(
            OldSlug.objects.of(Tag).filter(object_id=other.pk).values_list("slug", flat=True)
        ),
    )
    merged.publications.add(*publications)
    # Publications carrying the survivor already lose the duplicate; the rest move over.
    already = TaggedPublication.objects.filter(tag=survivor).values("content_object")
    TaggedPublication.objects.filter(tag=other, content_object__in=already).delete()
    TaggedPublication.objects.filter(tag=other).update(tag=survivor)
    OldSlug.objects.hand_over(other, survivor)
    other.delete()


def undo(merge, *, by=None):
    """Undo `merge` for `by`: the merged tags come back, with their ids, names and
    addresses, on the publications that had them, and the survivor comes off those
    that had it only through the merge. Returns what happened, in a sentence;
    MergeRefused (saying why) if it cannot be undone now (TagMerge.undo_refusal)."""
    with transaction.atomic():
        merge = TagMerge.objects.select_for_update().get(pk=merge.pk)
        refusal = merge.undo_refusal()
        if refusal:
            raise MergeRefused(refusal)
        changed = set()
        names = []
        for merged in merge.merged_tags.all():
            changed |= _bring_back(merged, merge.survivor_id)
            names.append(f"“{merged.name}”")
        taken_off = set(merge.gained.values_list("pk", flat=True))
        TaggedPublication.objects.filter(
            tag=merge.survivor_id, content_object__in=taken_off
        ).delete()
        merge.undone_at = timezone.now()
        merge.undone_by = by
        merge.save(update_fields=["undone_at", "undone_by"])
        changed_in_bulk(sorted(changed | taken_off))
    sentence = f"Merge undone: {', '.join(names)} {'is' if len(names) == 1 else 'are'} back"
    if taken_off:
        return (
            f"{sentence}, and “{merge.survivor_name}” came off the {len(taken_off)} "
            f"publication{'s' if len(taken_off) != 1 else ''} that had it only through the merge."
        )
    return f"{sentence}."


def _bring_back(merged, survivor_id):
    """Recreate `merged` on its publications; returns their ids."""
    try:
        with transaction.atomic():
            tag = Tag.objects.create(pk=merged.tag_pk, name=merged.name, slug=merged.slug)
    except IntegrityError:  # taken between the check and now
        raise MergeRefused(
            f"“{merged.name}” cannot come back: another tag took its name or address just now."
        ) from None
    publications = set(merged.publications.values_list("pk", flat=True))
    TaggedPublication.objects.bulk_create(
        TaggedPublication(tag=tag, content_object_id=pk) for pk in sorted(publications)
    )
    # Its addresses lead to it again, not to the survivor.
    handed_over = OldSlug.objects.of(Tag).filter(object_id=survivor_id)
    handed_over.filter(slug=merged.slug).delete()
    handed_over.filter(slug__in=merged.old_slugs).update(object_id=tag.pk)
    return publications
