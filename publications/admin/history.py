"""Revision history (django-reversion): who saved last, what changed in each version,
and two versions (or a version and the publication now) compared part by part.

What a version holds is declared on the models (`@reversion.register`): a publication's
own fields (regions among them, as ids) and, by `follow`, its byline rows, tag rows and
related picks.
"""

from datetime import timedelta

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from reversion.models import Version
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks.text_diff import counted_changes, paragraphs_diff, word_diff, words
from thinktank.building_blocks.versioned_admin import Names, comparable, restored_comment, shown

from ..models import (
    Authorship,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    RelatedPick,
    TaggedPublication,
)
from ..richtext.text import paragraphs

MILLISECOND = timedelta(milliseconds=1)
# Long texts are summarised as "changed", the rest shown before and after.
LONG_FIELDS = {"lead", "body"}
COMPARED_FIELDS = [
    "title",
    "slug",
    "publication_type",
    "lead",
    "body",
    "status",
    "published_at",
    "is_featured",
    "featured_position",
    "cover_image",
    "cover_image_alt",
    "pdf",
    "seo_description",
]


def last_saved(publication):
    """(who, when) of its latest save: the user of its latest version, if that version is
    of this save (scripts and imports save without one: "Someone")."""
    latest = (
        Version.objects.get_for_object(publication)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    user = latest and latest.revision.user
    # The version keeps the time of the save it recorded, to the millisecond (JSON).
    recorded = latest and latest.field_dict.get("updated_at")
    if user is None or not recorded or abs(recorded - publication.updated_at) >= MILLISECOND:
        return "Someone", publication.updated_at
    return user.get_full_name() or user.get_username(), publication.updated_at


def _ordered(rows, key):
    """The ids named by `key` in rows ordered like the byline and picks (position, pk)."""
    rows = sorted(rows, key=lambda row: (row["position"], row["pk"]))
    return [row[key] for row in rows]


def _states(versions):
    """Each publication version as one comparable state, byline, tags and picks included."""
    followed = {
        content_type.pk: model
        for model, content_type in ContentType.objects.get_for_models(
            Authorship, TaggedPublication, RelatedPick
        ).items()
    }
    # One query for the followed rows of every version shown.
    rows = {}
    for row in Version.objects.filter(
        revision__in=[version.revision_id for version in versions], content_type__in=followed
    ):
        fields = dict(row.field_dict, pk=int(row.object_id))
        rows.setdefault((row.revision_id, followed[row.content_type_id]), []).append(fields)
    states = []
    for version in versions:
        fields = version.field_dict
        state = {
            name: fields.get(Publication._meta.get_field(name).attname) for name in COMPARED_FIELDS
        }
        state["regions"] = set(fields.get("regions") or ())
        state["byline"] = _ordered(rows.get((version.revision_id, Authorship), []), "author_id")
        state["tags"] = {
            row["tag_id"] for row in rows.get((version.revision_id, TaggedPublication), [])
        }
        state["picks"] = _ordered(
            rows.get((version.revision_id, RelatedPick), []), "to_publication_id"
        )
        states.append(state)
    return states


def state_of(publication):
    """A stored publication as `_states` makes a version: to compare the two, as a restore
    does (a new, unsaved publication: empty)."""
    fields = {
        name: comparable(getattr(publication, Publication._meta.get_field(name).attname))
        for name in COMPARED_FIELDS
    }
    if publication.pk is None:
        return fields | {"regions": set(), "byline": [], "tags": set(), "picks": []}
    return fields | {
        "regions": set(publication.regions.values_list("pk", flat=True)),
        "byline": list(
            publication.authorships.order_by("position", "pk").values_list("author", flat=True)
        ),
        "tags": set(publication.tagged_items.values_list("tag", flat=True)),
        "picks": list(
            publication.picks.order_by("position", "pk").values_list("to_publication", flat=True)
        ),
    }


def states_of(versions, publication=None):
    """The states of `versions` (of one publication), with `publication` as it is stored
    for a None among them."""
    saved = iter(_states([version for version in versions if version is not None]))
    return [state_of(publication) if version is None else next(saved) for version in versions]


def restore(version, user):
    """Bring back `version`'s revision, by `user`: a new version whose comment says which
    was restored. Each publication in it is then saved as any save is (sanitised, dated,
    its edit number moved on from where it was, never back), and keeps its address."""
    revision = version.revision
    pks = [
        int(saved.object_id)
        for saved in revision.version_set.filter(content_type=version.content_type)
    ]
    before = {
        publication.pk: publication
        for publication in Publication.objects.filter(pk__in=pks).only("slug", "edit_version")
    }
    comment = restored_comment(revision)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        # reversion writes the rows as they were, without save(): the version holds no
        # edit number, and the slug receivers do not see the change.
        revision.revert(delete=True)
        for publication in Publication.objects.filter(pk__in=pks):
            was = before.get(publication.pk)
            if was is not None:
                Publication.objects.filter(pk=publication.pk).update(edit_version=was.edit_version)
            publication.save()
            if was is not None and was.slug != publication.slug:
                OldSlug.objects.record(publication, was.slug)
    return comment


def changes_restoring(publication, version):
    """{part: value in `version`} for each part (field, byline, regions, tags, picks) in
    which `version` differs from `publication` (a new, unsaved one when recovering)."""
    now, then = state_of(publication), _states([version])[0]
    return {part: value for part, value in then.items() if value != now[part]}


def names_of(states):
    """The Names of everything the states mention, one query per kind."""
    return Names(
        {
            Author: {pk for state in states for pk in state["byline"]},
            Tag: {pk for state in states for pk in state["tags"]},
            Region: {pk for state in states for pk in state["regions"]},
            Publication: {pk for state in states for pk in state["picks"]},
            PublicationType: {state["publication_type"] for state in states} - {None},
        }
    )


def _shown(name, value, names):
    return shown(Publication._meta.get_field(name), value, names)


def _difference(before, after, names):
    """What changed from state `before` to state `after`, in a sentence for the History
    list: short fields before and after, long texts by how many paragraphs or words
    changed, lists by who or what was added, removed or moved."""
    changes = []
    for name in COMPARED_FIELDS:
        if before[name] == after[name]:
            continue
        label = capfirst(Publication._meta.get_field(name).verbose_name)
        if name == "body":
            counted = counted_changes(
                paragraphs(before[name]), paragraphs(after[name]), "paragraph"
            )
            changes.append(f"{label}: {counted or 'links or formatting changed'}")
        elif name in LONG_FIELDS:
            counted = counted_changes(words(before[name]), words(after[name]), "word")
            changes.append(f"{label}: {counted or 'formatting changed'}")
        else:
            changes.append(
                f"{label}: {_shown(name, before[name], names)} → {_shown(name, after[name], names)}"
            )
    for key, label, model, ordered in LISTS:
        if before[key] != after[key]:
            changes.append(
                f"{label}: {_list_change(before[key], after[key], model, names, ordered)}"
            )
    return "; ".join(changes) or "Saved without changes"


def _list_change(before, after, model, names, ordered):
    """ "added Kim Sora and Lee Minho, removed Ana Analyst", or "reordered (now …)"."""
    said = []
    for what, pks in (
        ("added", [pk for pk in after if pk not in before]),
        ("removed", [pk for pk in before if pk not in after]),
    ):
        if pks:
            shown = (
                sorted(names(model, pk) for pk in pks)
                if not ordered
                else [names(model, pk) for pk in pks]
            )
            said.append(f"{what} {_and(shown)}")
    if ordered and [pk for pk in before if pk in after] != [pk for pk in after if pk in before]:
        said.append(f"reordered (now {names.listed(model, after)})")
    return ", ".join(said)


def _and(names):
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def change_summaries(versions):
    """{revision id: what changed since the version before}, for one publication's versions.

    `versions` are that publication's versions in any order; each is compared with the
    one saved before it, the first is "First version".
    """
    versions = sorted(versions, key=lambda version: (version.revision.date_created, version.pk))
    states = _states(versions)
    names = names_of(states)
    summaries = {versions[0].revision_id: "First version"} if versions else {}
    for version, before, after in zip(versions[1:], states, states[1:], strict=False):
        summaries[version.revision_id] = _difference(before, after, names)
    return summaries


# The comparison page: parts in the order an editor reads them, texts compared word by
# word (the body paragraph by paragraph), the lists item by item.
READING_ORDER = ["title", "lead", "body"] + [
    name for name in COMPARED_FIELDS if name not in {"title", "lead", "body"}
]
WORDS = {"title", "lead", "seo_description", "cover_image_alt"}
LISTS = [
    ("byline", "Byline", Author, True),
    ("regions", "Regions", Region, False),
    ("tags", "Tags", Tag, False),
    ("picks", "Related picks", Publication, True),
]


def comparison(before, after, names):
    """What changed from state `before` to state `after`: a part for each field, list or
    text that differs, as {"label", "words"} (HTML), {"label", "paragraphs"}
    (text_diff.paragraphs_diff), {"label", "items"} (each {"name", "change", "was"}) or
    {"label", "before", "after"} (as shown on the History page)."""
    parts = []
    for name in READING_ORDER:
        if before[name] == after[name]:
            continue
        part = {"label": capfirst(Publication._meta.get_field(name).verbose_name)}
        if name == "body":
            part["paragraphs"] = paragraphs_diff(paragraphs(before[name]), paragraphs(after[name]))
        elif name in WORDS:
            part["words"] = word_diff(before[name] or "", after[name] or "")
        else:
            part |= {
                "before": _shown(name, before[name], names),
                "after": _shown(name, after[name], names),
            }
        parts.append(part)
    for key, label, model, ordered in LISTS:
        if before[key] != after[key]:
            items = _ordered_items if ordered else _set_items
            parts.append({"label": label, "items": items(before[key], after[key], model, names)})
    return parts


def _ordered_items(before, after, model, names):
    """The items of `after` in order, each added or moved (from its place in `before`,
    counted from 1) or not, then those of `before` it no longer has."""
    kept_before = [pk for pk in before if pk in after]
    kept_after = [pk for pk in after if pk in before]
    items = []
    for pk in after:
        item = {"name": names(model, pk), "change": None, "was": None}
        if pk not in before:
            item["change"] = "added"
        elif kept_before.index(pk) != kept_after.index(pk):
            item |= {"change": "moved", "was": before.index(pk) + 1}
        items.append(item)
    removed = [pk for pk in before if pk not in after]
    return items + [{"name": names(model, pk), "change": "removed", "was": None} for pk in removed]


def _set_items(before, after, model, names):
    """Every item of either set by name, each added, removed or neither."""
    changes = (
        dict.fromkeys(before & after)
        | dict.fromkeys(after - before, "added")
        | dict.fromkeys(before - after, "removed")
    )
    items = [
        {"name": names(model, pk), "change": change, "was": None} for pk, change in changes.items()
    ]
    return sorted(items, key=lambda item: item["name"].casefold())
