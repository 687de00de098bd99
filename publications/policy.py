"""Who may do what: the editorial roles; who may preview, write, publish and change a
publication; and the workflow's transitions, each refused with its one sentence.

`manage.py setup_roles` keeps the groups exactly in step with ROLES; migration 0017
created them from a copy of this (migrations must not import code that changes).
What the permissions allow is said here alone: `refusals()` is what the admin's form,
restores, recoveries and curation pages ask, and `send_for_review()`,
`save_as_draft()`, `publish()`, `schedule()`, `unpublish()` and `feature()` are how
anyone acting for a user moves a publication along (the model's own methods of those
names trust their caller).
`WORKFLOW` is which of them the change form offers, to whom and from where.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied

from .models import Publication

PUBLISH = "publications.publish_publication"
WRITE = "publications.write_publication"
CHANGE = "publications.change_publication"
VIEW = "publications.view_publication"
CHANGE_PICKS = "publications.change_relatedpick"
# Who may see publications that are not public at their public addresses, to preview
# them: those who may change them in the admin, or only look (Django's view permission).
PREVIEW_PERMISSIONS = (CHANGE, VIEW)

_READ_TOPICS = [
    "authors.view_author",
    "publications.view_region",
    "publications.view_publicationtype",
    "taggit.view_tag",
]
_WRITE = [
    "publications.add_publication",
    CHANGE,
    VIEW,
    WRITE,
    # The byline inline.
    "publications.add_authorship",
    "publications.change_authorship",
    "publications.delete_authorship",
    "publications.view_authorship",
    "publications.view_relatedpick",
]
# The image library: writers place pictures in bodies, as they upload covers.
_IMAGES = [
    "publications.add_image",
    "publications.change_image",
    "publications.view_image",
]
_PICKS = [
    "publications.add_relatedpick",
    CHANGE_PICKS,
    "publications.delete_relatedpick",
    "publications.view_relatedpick",
]

# Group name: the permissions ("app_label.codename") its members have, and no others.
ROLES = {
    "Analysts": sorted(set(_WRITE + _IMAGES + _READ_TOPICS)),
    "Editors": sorted(
        set(
            _WRITE
            + _IMAGES
            + _READ_TOPICS
            + _PICKS
            + [
                PUBLISH,
                "publications.delete_image",
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
                VIEW,
                CHANGE,
                "publications.view_authorship",
                "publications.view_image",
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


# What a user may do to a publication. Changing one at all needs CHANGE (the admin
# checks it as for any model); its parts need more.

# The refusals, each said once: the admin's messages and form errors quote these.
ONLY_WRITERS = (
    "Only writers (analysts and editors) may change the text, its files, the byline "
    "or whether it is in review."
)
_EDITORS_PUBLISH = "Only editors may publish, schedule, unpublish or feature publications"
# To a writer, with what they may do instead; to anyone else (a curator), as it is.
ONLY_PUBLISHERS = (
    f"{_EDITORS_PUBLISH}: save it as a draft or send it for review, and an editor will publish it."
)
ONLY_EDITORS_PUBLISH = f"{_EDITORS_PUBLISH}."
NOT_YOUR_PICKS = "You may not change the hand-picked related publications."


def only_editors_change(publication):
    return f"“{publication}” is published or scheduled, so only an editor may change it."


class Refused(PermissionDenied):
    """A transition `by` may not make. Its message is the sentence that says why;
    `briefly` says it in a few words, for a list of items ("Refused 2 (you may not
    publish): …")."""

    def __init__(self, why, *, briefly):
        super().__init__(why)
        self.briefly = briefly


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


def refusals(user, publication, changes):
    """Why `user` may not make `changes` ({part: new value}) to `publication` as it is
    stored (a new one, unsaved): {part: why}, or {None: why} for the whole; empty if
    they may. The parts are a publication's fields and its byline, tags and picks."""
    if not may_change(user, publication):
        return {None: only_editors_change(publication)}
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
    if part == "picks" and not user.has_perm(CHANGE_PICKS):
        return NOT_YOUR_PICKS
    # A writer who does not publish may not reorder the featured row; a curator may.
    publishers = part in PUBLISHERS_PARTS or (part == "featured_position" and may_write(user))
    if publishers and not may_publish(user):
        return only_publishers(user)
    return None


def only_publishers(user):
    """Why `user`, who may not publish, may not: said as fits who they are."""
    return ONLY_PUBLISHERS if may_write(user) else ONLY_EDITORS_PUBLISH


# The workflow. Each transition refuses `by` (None: trusted code, such as commands and
# imports) unless they may make it, then changes the publication through the model;
# the caller saves. It returns None when done, or why it left the publication as it
# was (the bulk actions list those as skipped). Who may publish may change any
# publication, so publishing, scheduling and featuring ask only that.


def check_may_change(user, publication):
    """Refuse `user` (None: trusted code), who may change publications, this one."""
    if user is not None and not may_change(user, publication):
        raise Refused(
            only_editors_change(publication), briefly="you may not change published items"
        )


def check_may_write(user):
    """Refuse `user` (None: trusted code) unless they may write."""
    if user is not None and not may_write(user):
        raise Refused(ONLY_WRITERS, briefly="you may not write")


def check_may_write_to(user, publication):
    """Refuse `user` (None: trusted code) unless they may write, and change this one."""
    check_may_change(user, publication)
    check_may_write(user)


def check_may_publish(user, publication=None):
    """Refuse `user` (None: trusted code) unless they may publish (and so change any
    publication)."""
    if user is not None and not may_publish(user):
        raise Refused(only_publishers(user), briefly="you may not publish")


def send_for_review(publication, *, by=None):
    check_may_write_to(by, publication)
    if publication.status != Publication.Status.DRAFT:
        return "not a draft"
    publication.status = Publication.Status.REVIEW
    return None


def save_as_draft(publication, *, by=None):
    """Keep it a draft, or take it back from review: the writers' own move. One that is
    published or scheduled leaves the site by unpublish()."""
    check_may_write_to(by, publication)
    if publication.status == Publication.Status.PUBLISHED:
        return "published"
    publication.status = Publication.Status.DRAFT
    return None


def publish(publication, *, by=None):
    """Make it public now; one public already keeps its publish date."""
    check_may_publish(by)
    if publication.is_public:
        return "already public"
    publication.publish()
    return None


def schedule(publication, at, *, by=None):
    """Make it public at `at`, a moment still to come."""
    check_may_publish(by)
    publication.schedule(at)
    return None


def unpublish(publication, *, by=None):
    check_may_publish(by)
    if publication.status != Publication.Status.PUBLISHED:
        return "not published"
    publication.unpublish()
    return None


def feature(publication, *, by=None):
    """Show it in the home page's featured row."""
    return _set_featured(publication, True, by)


def unfeature(publication, *, by=None):
    return _set_featured(publication, False, by)


def _set_featured(publication, featured, user):
    check_may_publish(user)
    if publication.is_featured == featured:
        return "already featured" if featured else "not featured"
    publication.is_featured = featured
    return None


# The change form's workflow: its buttons' transitions in the order it offers them,
# each with the check that refuses a user it is not for, and the states
# (Publication.State) it starts from. A new publication is a draft until saved.
_State = Publication.State
WORKFLOW = {
    "save_draft": (save_as_draft, check_may_write_to, {_State.DRAFT, _State.REVIEW}),
    "send_for_review": (send_for_review, check_may_write_to, {_State.DRAFT}),
    "publish": (publish, check_may_publish, {_State.DRAFT, _State.REVIEW, _State.SCHEDULED}),
    "schedule": (schedule, check_may_publish, {_State.DRAFT, _State.REVIEW, _State.SCHEDULED}),
    "unpublish": (unpublish, check_may_publish, {_State.SCHEDULED, _State.PUBLIC}),
}
# "This publication is …, so it cannot be …": where it stands, and what a move does.
_STANDS = {
    _State.DRAFT: "a draft",
    _State.REVIEW: "in review",
    _State.SCHEDULED: "scheduled",
    _State.PUBLIC: "published",
}
_DONE = {
    "save_draft": "saved as a draft (unpublish it instead)",
    "send_for_review": "submitted for review",
    "publish": "published now",
    "schedule": "scheduled",
    "unpublish": "unpublished",
}


def check_may_make(user, publication, name):
    """Refuse `user` the change form's transition `name` (in WORKFLOW) on `publication`
    as it is stored, saying why: their role, or where the publication stands."""
    if name not in WORKFLOW:
        raise Refused(f"There is no button “{name[:40]}” on this form.", briefly="no such button")
    _, check, starts_from = WORKFLOW[name]
    check(user, publication)
    state = publication.state
    if state not in starts_from:
        raise Refused(
            f"This publication is {_STANDS[state]}, so it cannot be {_DONE[name]}. "
            "Reload the page to see what you may do with it now.",
            briefly=f"it is {_STANDS[state]}",
        )


def transitions_offered(user, publication):
    """The change form's transitions (names in WORKFLOW) `user` may make on
    `publication`, in the order its buttons are offered."""
    offered = []
    for name in WORKFLOW:
        try:
            check_may_make(user, publication, name)
        except Refused:
            continue
        offered.append(name)
    return offered


def make(name, publication, *, by=None, at=None):
    """Make the change form's transition `name` (in WORKFLOW; `at` is when "schedule"
    publishes) on `publication` as `by`, and say as a transition does; the caller saves.
    The transition checks `by` once more."""
    transition = WORKFLOW[name][0]
    if name == "schedule":
        return transition(publication, at, by=by)
    return transition(publication, by=by)
