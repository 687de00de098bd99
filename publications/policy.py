"""Who may do what: the editorial roles, and who may preview, write, publish and change.

`manage.py setup_roles` keeps the groups exactly in step with ROLES; migration 0017
created them from a copy of this (migrations must not import code that changes).
What the custom permissions allow is said by `refusals()` below, the one policy the
admin's form, restores, recoveries and curation pages ask, and by `Publication.publish()`
and its siblings.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from .models import Publication

PUBLISH = "publications.publish_publication"
WRITE = "publications.write_publication"
# Who may see publications that are not public at their public addresses, to preview
# them: those who may change them in the admin, or only look (Django's view permission).
PREVIEW_PERMISSIONS = ("publications.change_publication", "publications.view_publication")

_READ_TOPICS = [
    "authors.view_author",
    "publications.view_region",
    "publications.view_publicationtype",
    "taggit.view_tag",
]
_WRITE = [
    "publications.add_publication",
    "publications.change_publication",
    "publications.view_publication",
    "publications.write_publication",
    # The byline inline.
    "publications.add_authorship",
    "publications.change_authorship",
    "publications.delete_authorship",
    "publications.view_authorship",
    "publications.view_relatedpick",
]
_PICKS = [
    "publications.add_relatedpick",
    "publications.change_relatedpick",
    "publications.delete_relatedpick",
    "publications.view_relatedpick",
]

# Group name: the permissions ("app_label.codename") its members have, and no others.
ROLES = {
    "Analysts": sorted(set(_WRITE + _READ_TOPICS)),
    "Editors": sorted(
        set(
            _WRITE
            + _READ_TOPICS
            + _PICKS
            + [
                PUBLISH,
                "publications.delete_publication",
                "authors.add_author",
                "authors.change_author",
            ]
        )
    ),
    "Curators": sorted(
        set(
            _READ_TOPICS
            + _PICKS
            + [
                "publications.view_publication",
                "publications.change_publication",
                "publications.view_authorship",
                "taggit.add_tag",
                "taggit.change_tag",
                "taggit.delete_tag",
                "publications.add_region",
                "publications.change_region",
                "publications.delete_region",
                "publications.add_publicationtype",
                "publications.change_publicationtype",
                "publications.delete_publicationtype",
            ]
        )
    ),
}


class UnknownPermission(LookupError):
    pass


def permission(name):
    app_label, codename = name.split(".")
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except ObjectDoesNotExist:
        raise UnknownPermission(
            f"There is no permission “{name}”: run `manage.py migrate` first."
        ) from None


def group_for(role):
    """The group of a role named in any case ("editors", "Editors")."""
    names = {name.lower(): name for name in ROLES}
    try:
        return Group.objects.get_or_create(name=names[role.lower()])[0]
    except KeyError:
        raise LookupError(f"There is no role “{role}”: choose one of {', '.join(ROLES)}.") from None


def sync_roles():
    """Create missing groups and give each exactly its permissions; say what changed."""
    changes = []
    for name, wanted in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            changes.append(f"Created the group {name}.")
        has = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in group.permissions.select_related("content_type")
        }
        missing = [permission(perm) for perm in wanted if perm not in has]
        extra = [has[perm] for perm in sorted(has) if perm not in wanted]
        if missing:
            group.permissions.add(*missing)
            changes.append(
                f"{name}: added {', '.join(perm for perm in wanted if perm not in has)}."
            )
        if extra:
            group.permissions.remove(*extra)
            changes.append(
                f"{name}: removed {', '.join(perm for perm in sorted(has) if perm not in wanted)}."
            )
    return changes


# What a user may do to a publication. Changing one at all needs change_publication
# (the admin checks it as for any model); its parts need more.


def may_preview(user):
    """Whether `user` may see a publication that is not public: its page and its files."""
    return user.is_authenticated and any(user.has_perm(name) for name in PREVIEW_PERMISSIONS)


def may_publish(user):
    return user.has_perm(PUBLISH)


def may_write(user):
    return user.has_perm(WRITE)


def may_change_published(user):
    """Analysts (who write but do not publish) may not touch a published or scheduled
    item; editors may, and curators may change its picks, tags, regions and order."""
    return may_publish(user) or not may_write(user)


def may_change(user, publication):
    """Whether `user`, who may change publications, may change this one."""
    return publication.status != Publication.Status.PUBLISHED or may_change_published(user)


# The parts only writers change: the text, its files and the byline.
WRITERS_PARTS = [
    "title",
    "slug",
    "publication_type",
    "lead",
    "body",
    "cover_image",
    "cover_image_alt",
    "pdf",
    "seo_description",
    "byline",
]
# The parts only publishers change (status only to or from published).
PUBLISHERS_PARTS = ["status", "published_at", "is_featured"]
ONLY_WRITERS = (
    "Only writers (analysts and editors) may change the text, its files, the byline "
    "or whether it is in review."
)


def refusals(user, publication, changes):
    """Why `user` may not make `changes` ({part: new value}) to `publication` as it is
    stored (a new one, unsaved): {part: why}, or {None: why} for the whole; empty if
    they may. The parts are a publication's fields and its byline, tags and picks."""
    if not may_change(user, publication):
        return {
            None: f"“{publication}” is published or scheduled, so only an editor may change it."
        }
    refused = {}
    for part, value in changes.items():
        if part == "status" and Publication.Status.PUBLISHED not in (publication.status, value):
            # Between draft and review: the writers' own.
            why = None if may_write(user) else ONLY_WRITERS
        else:
            why = why_not(user, part)
        if why:
            refused[part] = why
    return refused


def why_not(user, part):
    """Why `user` may not change this part of a publication they may change; None if they may."""
    if part in WRITERS_PARTS and not may_write(user):
        return ONLY_WRITERS
    if part == "picks" and not user.has_perm("publications.change_relatedpick"):
        return "You may not change the hand-picked related publications."
    # A writer who does not publish may not reorder the featured row; a curator may.
    if part in PUBLISHERS_PARTS or (part == "featured_position" and may_write(user)):
        try:
            Publication.check_may_publish(user)
        except PermissionDenied as refusal:
            return str(refusal)
    return None
