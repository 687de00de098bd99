"""Every door of the admin, tried by each role: changelists, forms, actions, the featured
order, pins, History, comparisons, versions and recovery. A restore or a recovery is a
save like any other, by whoever asks and with their rights; a version opens only from its
own History."""

from types import SimpleNamespace

import pytest
import reversion
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from authors.models import Author
from publications import policy
from publications.models import Image, Publication, PublicationType, Region
from publications.policy import sync_roles
from publications.tag_merges import merge

from .admin_forms import confirm_merge, form_data
from .factories import make_author, make_publication, make_type
from .test_admin import publication_form_data
from .test_image_library import make_image, upload
from .test_roles import client_of, member_of

# Nothing here depends on the database (who may open which admin page is decided in Python):
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

ROLES = ["analyst", "editor", "curator"]

# What a door answered, as a person would tell it.
PAGE = "a page"
FORBIDDEN = "403"
NOT_FOUND = "404"
SAVED = "saved"
REFUSED = "refused, saying why"
KEPT = "saved, with its read-only fields left as they were"


def _versioned(item, user):
    """Save `item` as a new version by `user`, as an admin save does."""
    with reversion.create_revision():
        reversion.set_user(user)
        item.save()


def _deleted(publication, user):
    """Delete `publication`, whose last version stays to recover it by."""
    _versioned(publication, user)
    pk = publication.pk
    publication.delete()
    return Version.objects.get_deleted(Publication).get(object_id=str(pk))


def _build_world():
    sync_roles()
    users = {role: member_of(f"{role.title()}s") for role in ROLES}
    editor = users["editor"]
    kind = make_type("Issue Brief")
    world = SimpleNamespace(users=users, kind=kind, author=make_author("Kim Sora"))

    # Published, with an older published version under another title.
    world.public = make_publication("Old Public Title", publication_type=kind)
    _versioned(world.public, editor)
    world.public_old = Version.objects.get_for_object(world.public).get()
    world.public.title = "Public Title"
    _versioned(world.public, editor)

    # Published once, unpublished by an editor since. Its pk is also a region's (below).
    world.unpublished = make_publication("Unpublished Brief", publication_type=kind, pk=90001)
    _versioned(world.unpublished, editor)
    world.unpublished_published = Version.objects.get_for_object(world.unpublished).get()
    policy.unpublish(world.unpublished, by=editor)
    _versioned(world.unpublished, editor)

    # A draft with an older title.
    world.draft = make_publication(
        "Old Draft Title", publication_type=kind, status="draft", published_at=None
    )
    _versioned(world.draft, editor)
    world.draft_old = Version.objects.get_for_object(world.draft).get()
    world.draft.title = "Draft Title"
    _versioned(world.draft, editor)

    # Published, with an older version that differs only in its tags.
    world.retagged = make_publication("Retagged Brief", publication_type=kind, tags=["trade"])
    _versioned(world.retagged, editor)
    world.retagged_old = Version.objects.get_for_object(world.retagged).get()
    world.retagged.tags.set(["energy"])
    _versioned(world.retagged, editor)

    # Sent for review, then taken back to draft.
    world.taken_back = make_publication(
        "Taken Back", publication_type=kind, status="review", published_at=None
    )
    _versioned(world.taken_back, editor)
    world.taken_back_in_review = Version.objects.get_for_object(world.taken_back).get()
    world.taken_back.status = "draft"
    _versioned(world.taken_back, editor)

    # Sent for review together (one revision, as a bulk action saves them), then one
    # revised and the other published: restoring the first's version restores both.
    world.bulk_a, world.bulk_b = (
        make_publication(title, publication_type=kind, status="review", published_at=None)
        for title in ["Bulk A", "Bulk B"]
    )
    with reversion.create_revision():
        reversion.set_user(editor)
        world.bulk_a.save()
        world.bulk_b.save()
    world.bulk_a_sent = Version.objects.get_for_object(world.bulk_a).get()
    world.bulk_a.title = "Bulk A, Revised"
    _versioned(world.bulk_a, editor)
    policy.publish(world.bulk_b, by=editor)
    _versioned(world.bulk_b, editor)

    world.featured = make_publication("Featured Brief", publication_type=kind, is_featured=True)
    world.deleted_public = _deleted(
        make_publication("Deleted Public", publication_type=kind), editor
    )
    world.deleted_draft = _deleted(
        make_publication("Deleted Draft", publication_type=kind, status="draft", published_at=None),
        editor,
    )

    # A region whose pk is a publication's: its History route must not open that
    # publication's versions.
    world.region = Region.objects.create(pk=90001, name="Old Region Name", slug="old-region")
    _versioned(world.region, editor)
    world.region_old = Version.objects.get_for_object(world.region).get()
    world.region.name = "Region Name"
    _versioned(world.region, editor)

    # A type and an author, each renamed since their first version.
    for item, new_name, old in [
        (kind, "Policy Brief", "kind_old"),
        (world.author, "Sora Kim", "author_old"),
    ]:
        _versioned(item, editor)
        setattr(world, old, Version.objects.get_for_object(item).get())
        item.name = new_name
        _versioned(item, editor)

    world.tags = [Tag.objects.get(name="energy"), Tag.objects.get(name="trade")]

    # Two tags merged into one, to undo.
    make_publication("Merged Tags", publication_type=kind, tags=["oil", "petroleum"])
    oil, petroleum = (Tag.objects.get(name=name) for name in ["oil", "petroleum"])
    world.merge, _ = merge([oil.pk, petroleum.pk], oil.pk)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One set of items for the whole module: each test's changes roll back into it
    (as Django's TestCase.setUpTestData)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# The doors: each is (ask, changed, expected). `ask(client, world)` knocks and returns
# the answer; `changed(world)` says whether what the door would change has changed
# (None for a page that changes nothing); `expected` is what each role should get.


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def publication(pk):
    return Publication.objects.filter(pk=pk).first()


def opened(url):
    def ask(client, world):
        return client.get(url(world))

    return ask


def posted_back(url, **changes):
    """Open the form at `url` as the role sees it, and post it back with `changes`."""

    def ask(client, world):
        page = client.get(url(world))
        data = {}
        if page.status_code == 200:
            data = form_data(page, f"{page.context['opts'].model_name}_form")
        return client.post(url(world), data | changes)

    return ask


def restored(url):
    """Open an item's version at `url` as the role sees it, and press its one button:
    "Restore this version" (a publication's edit number and nothing else; nothing at all
    where the page offers no button, as a crafted post would)."""

    def ask(client, world):
        page = client.get(url(world))
        data = form_data(page, "restore_form") if page.status_code == 200 else {}
        return client.post(url(world), data)

    return ask


def action(changelist, name, selected, **extra):
    def ask(client, world):
        chosen = [str(item.pk) for item in selected(world)]
        return client.post(
            admin_url(changelist), {"action": name, "_selected_action": chosen, **extra}
        )

    return ask


def change_url(item):
    return admin_url(f"{item._meta.app_label}_{item._meta.model_name}_change", item.pk)


def revision_url(item, version):
    return admin_url(
        f"{item._meta.app_label}_{item._meta.model_name}_revision", item.pk, version.pk
    )


def compare_url(item, older, newer):
    url = admin_url("publications_publication_compare", item.pk)
    return f"{url}?from={older}&to={newer}"


def topic_compare_url(item, older):
    """Compare a region's, type's or author's `older` version with the item now."""
    url = admin_url(f"{item._meta.app_label}_{item._meta.model_name}_compare", item.pk)
    return f"{url}?from={older.pk}&to=now"


def recover_url(version):
    return admin_url("publications_publication_recover", version.pk)


def add_a_draft(client, world):
    return client.post(
        admin_url("publications_publication_add"),
        publication_form_data(publication_type=world.kind, title="Added Draft", slug="added"),
    )


def save_the_featured_order(client, world):
    url = admin_url("publications_featured_order")
    return client.post(url, {f"{world.featured.pk}-position": "5"})


def pin(client, world):
    url = change_url(world.public)
    page = client.get(url)
    return client.post(url, form_data(page) | {"_pin": str(world.featured.pk)})


A, E, C = "analyst", "editor", "curator"


def each(outcome):
    return dict.fromkeys(ROLES, outcome)


DOORS = {
    # Changelists, forms and look-ups.
    "the publication changelist": (
        opened(lambda w: admin_url("publications_publication_changelist")),
        None,
        each(PAGE),
    ),
    "a published item's change form": (opened(lambda w: change_url(w.public)), None, each(PAGE)),
    "the add form": (
        opened(lambda w: admin_url("publications_publication_add")),
        None,
        {A: PAGE, E: PAGE, C: FORBIDDEN},
    ),
    "adding a draft": (
        add_a_draft,
        lambda w: Publication.objects.filter(title="Added Draft").exists(),
        {A: SAVED, E: SAVED, C: FORBIDDEN},
    ),
    "changing a draft's title": (
        posted_back(lambda w: change_url(w.draft), title="Changed Title"),
        lambda w: publication(w.draft.pk).title == "Changed Title",
        {A: SAVED, E: SAVED, C: KEPT},
    ),
    "changing a published item's title": (
        posted_back(lambda w: change_url(w.public), title="Changed Title"),
        lambda w: publication(w.public.pk).title == "Changed Title",
        {A: REFUSED, E: SAVED, C: KEPT},
    ),
    "deleting a publication from its page": (
        lambda client, w: client.post(
            admin_url("publications_publication_delete", w.draft.pk), {"post": "yes"}
        ),
        lambda w: publication(w.draft.pk) is None,
        {A: FORBIDDEN, E: SAVED, C: FORBIDDEN},
    ),
    "the tag look-up": (
        opened(lambda w: admin_url("publications_publication_tags")),
        None,
        each(PAGE),
    ),
    "the region changelist": (
        opened(lambda w: admin_url("publications_region_changelist")),
        None,
        each(PAGE),
    ),
    "the region add form": (
        opened(lambda w: admin_url("publications_region_add")),
        None,
        {A: FORBIDDEN, E: FORBIDDEN, C: PAGE},
    ),
    "renaming a region": (
        posted_back(lambda w: change_url(w.region), name="Renamed Region"),
        lambda w: Region.objects.get(pk=w.region.pk).name == "Renamed Region",
        {A: FORBIDDEN, E: FORBIDDEN, C: SAVED},
    ),
    "the type changelist": (
        opened(lambda w: admin_url("publications_publicationtype_changelist")),
        None,
        each(PAGE),
    ),
    "the type add form": (
        opened(lambda w: admin_url("publications_publicationtype_add")),
        None,
        {A: FORBIDDEN, E: FORBIDDEN, C: PAGE},
    ),
    "renaming a type": (
        posted_back(lambda w: change_url(w.kind), name="Renamed Type"),
        lambda w: PublicationType.objects.get(pk=w.kind.pk).name == "Renamed Type",
        {A: FORBIDDEN, E: FORBIDDEN, C: SAVED},
    ),
    "the author changelist": (
        opened(lambda w: admin_url("authors_author_changelist")),
        None,
        each(PAGE),
    ),
    "the author add form": (
        opened(lambda w: admin_url("authors_author_add")),
        None,
        {A: FORBIDDEN, E: PAGE, C: FORBIDDEN},
    ),
    "renaming an author": (
        posted_back(lambda w: change_url(w.author), name="Kim Sora-Lee"),
        lambda w: Author.objects.get(pk=w.author.pk).name == "Kim Sora-Lee",
        {A: FORBIDDEN, E: SAVED, C: FORBIDDEN},
    ),
    "the tag changelist": (
        opened(lambda w: admin_url("taggit_tag_changelist")),
        None,
        each(PAGE),
    ),
    "the tag add form": (
        opened(lambda w: admin_url("taggit_tag_add")),
        None,
        {A: FORBIDDEN, E: FORBIDDEN, C: PAGE},
    ),
    "a tag's change form": (opened(lambda w: change_url(w.tags[0])), None, each(PAGE)),
    "renaming a tag": (
        posted_back(lambda w: change_url(w.tags[0]), name="Power"),
        lambda w: Tag.objects.get(pk=w.tags[0].pk).name == "Power",
        {A: FORBIDDEN, E: FORBIDDEN, C: SAVED},
    ),
    # Changelist actions, posted whether offered or not (a list that offers its user no
    # action at all shows itself again).
    "sending a draft for review": (
        action("publications_publication_changelist", "send_for_review", lambda w: [w.draft]),
        lambda w: publication(w.draft.pk).status == "review",
        {A: SAVED, E: SAVED, C: PAGE},
    ),
    "publishing a draft": (
        action("publications_publication_changelist", "publish_now", lambda w: [w.draft]),
        lambda w: publication(w.draft.pk).is_public,
        {A: REFUSED, E: SAVED, C: PAGE},
    ),
    "unpublishing": (
        action("publications_publication_changelist", "unpublish", lambda w: [w.public]),
        lambda w: not publication(w.public.pk).is_public,
        {A: REFUSED, E: SAVED, C: PAGE},
    ),
    "featuring": (
        action("publications_publication_changelist", "feature", lambda w: [w.public]),
        lambda w: publication(w.public.pk).is_featured,
        {A: REFUSED, E: SAVED, C: PAGE},
    ),
    "unfeaturing": (
        action("publications_publication_changelist", "unfeature", lambda w: [w.featured]),
        lambda w: not publication(w.featured.pk).is_featured,
        {A: REFUSED, E: SAVED, C: PAGE},
    ),
    "deleting a publication": (
        action(
            "publications_publication_changelist",
            "delete_selected",
            lambda w: [w.draft],
            post="yes",
        ),
        lambda w: publication(w.draft.pk) is None,
        {A: REFUSED, E: SAVED, C: PAGE},
    ),
    "asking to merge tags": (
        action("taggit_tag_changelist", "merge_tags", lambda w: w.tags),
        lambda w: Tag.objects.filter(pk__in=[tag.pk for tag in w.tags]).count() == 1,
        each(PAGE),
    ),
    "confirming a merge of tags": (
        lambda client, w: confirm_merge(client, w.tags, w.tags[1]),
        lambda w: list(Tag.objects.filter(pk__in=[tag.pk for tag in w.tags])) == [w.tags[1]],
        {A: PAGE, E: PAGE, C: SAVED},
    ),
    "the page to undo a merge of tags": (
        opened(lambda w: admin_url("taggit_tag_undo_merge", w.merge.pk)),
        None,
        {A: FORBIDDEN, E: FORBIDDEN, C: PAGE},
    ),
    "undoing a merge of tags": (
        lambda client, w: client.post(admin_url("taggit_tag_undo_merge", w.merge.pk)),
        lambda w: Tag.objects.filter(name="petroleum").exists(),
        {A: FORBIDDEN, E: FORBIDDEN, C: SAVED},
    ),
    "deleting a tag": (
        action("taggit_tag_changelist", "delete_selected", lambda w: w.tags[1:], post="yes"),
        lambda w: not Tag.objects.filter(pk=w.tags[1].pk).exists(),
        {A: PAGE, E: PAGE, C: SAVED},
    ),
    "deleting a region": (
        action(
            "publications_region_changelist", "delete_selected", lambda w: [w.region], post="yes"
        ),
        lambda w: not Region.objects.filter(pk=w.region.pk).exists(),
        {A: PAGE, E: PAGE, C: SAVED},
    ),
    # Custom views.
    "the featured order page": (
        opened(lambda w: admin_url("publications_featured_order")),
        None,
        {A: FORBIDDEN, E: PAGE, C: PAGE},
    ),
    "saving the featured order": (
        save_the_featured_order,
        lambda w: publication(w.featured.pk).featured_position == 5,
        {A: FORBIDDEN, E: SAVED, C: SAVED},
    ),
    "pinning a related publication": (
        pin,
        lambda w: publication(w.public.pk).picks.filter(to_publication=w.featured).exists(),
        {A: REFUSED, E: SAVED, C: SAVED},
    ),
    # History and versions.
    "a publication's History": (
        opened(lambda w: admin_url("publications_publication_history", w.public.pk)),
        None,
        each(PAGE),
    ),
    "a publication's older version": (
        opened(lambda w: revision_url(w.public, w.public_old)),
        None,
        each(PAGE),
    ),
    "comparing two versions of a publication": (
        opened(lambda w: compare_url(w.public, w.public_old.pk, "now")),
        None,
        each(PAGE),
    ),
    "comparing another item's version through this item's History": (
        opened(lambda w: compare_url(w.draft, w.public_old.pk, w.draft_old.pk)),
        None,
        each(REFUSED),
    ),
    "restoring a published item's older title": (
        restored(lambda w: revision_url(w.public, w.public_old)),
        lambda w: publication(w.public.pk).title == "Old Public Title",
        {A: REFUSED, E: SAVED, C: REFUSED},
    ),
    "re-publishing an unpublished item through its History": (
        restored(lambda w: revision_url(w.unpublished, w.unpublished_published)),
        lambda w: publication(w.unpublished.pk).is_public,
        {A: REFUSED, E: SAVED, C: REFUSED},
    ),
    "restoring a draft's older title": (
        restored(lambda w: revision_url(w.draft, w.draft_old)),
        lambda w: publication(w.draft.pk).title == "Old Draft Title",
        {A: SAVED, E: SAVED, C: REFUSED},
    ),
    "restoring a published item's older tags": (
        restored(lambda w: revision_url(w.retagged, w.retagged_old)),
        lambda w: list(publication(w.retagged.pk).tags.names()) == ["trade"],
        {A: REFUSED, E: SAVED, C: SAVED},
    ),
    "restoring a version in review over a draft": (
        restored(lambda w: revision_url(w.taken_back, w.taken_back_in_review)),
        lambda w: publication(w.taken_back.pk).status == "review",
        {A: SAVED, E: SAVED, C: REFUSED},
    ),
    "restoring a version saved together with an item published since": (
        restored(lambda w: revision_url(w.bulk_a, w.bulk_a_sent)),
        lambda w: not publication(w.bulk_b.pk).is_public,
        {A: REFUSED, E: SAVED, C: REFUSED},
    ),
    "another item's version through this item's History": (
        restored(lambda w: revision_url(w.draft, w.public_old)),
        lambda w: publication(w.draft.pk).title == "Old Public Title",
        each(NOT_FOUND),
    ),
    "a publication's version through a region's History": (
        posted_back(lambda w: revision_url(w.region, w.unpublished_published)),
        lambda w: publication(w.unpublished.pk).is_public,
        each(NOT_FOUND),
    ),
    "a deleted item's version through its History": (
        restored(
            lambda w: admin_url(
                "publications_publication_revision", w.deleted_public.object_id, w.deleted_public.pk
            )
        ),
        lambda w: Publication.objects.filter(title="Deleted Public").exists(),
        each(NOT_FOUND),
    ),
    "a region's History": (
        opened(lambda w: admin_url("publications_region_history", w.region.pk)),
        None,
        each(PAGE),
    ),
    "a region's older version": (
        opened(lambda w: revision_url(w.region, w.region_old)),
        None,
        each(PAGE),
    ),
    "restoring a region's older name": (
        restored(lambda w: revision_url(w.region, w.region_old)),
        lambda w: Region.objects.get(pk=w.region.pk).name == "Old Region Name",
        {A: FORBIDDEN, E: FORBIDDEN, C: SAVED},
    ),
    "comparing two versions of a region": (
        opened(lambda w: topic_compare_url(w.region, w.region_old)),
        None,
        each(PAGE),
    ),
    # Recovery.
    "the recover list": (
        opened(lambda w: admin_url("publications_publication_recoverlist")),
        None,
        {A: PAGE, E: PAGE, C: FORBIDDEN},
    ),
    "a deleted published item's recover page": (
        opened(lambda w: recover_url(w.deleted_public)),
        None,
        {A: PAGE, E: PAGE, C: FORBIDDEN},
    ),
    "recovering a deleted published item": (
        posted_back(lambda w: recover_url(w.deleted_public)),
        lambda w: Publication.objects.published().filter(title="Deleted Public").exists(),
        {A: REFUSED, E: SAVED, C: FORBIDDEN},
    ),
    "recovering a deleted draft": (
        posted_back(lambda w: recover_url(w.deleted_draft)),
        lambda w: Publication.objects.filter(title="Deleted Draft").exists(),
        {A: SAVED, E: SAVED, C: FORBIDDEN},
    ),
    "recovering an item that was never deleted": (
        posted_back(lambda w: recover_url(w.unpublished_published)),
        lambda w: publication(w.unpublished.pk).is_public,
        {A: NOT_FOUND, E: NOT_FOUND, C: FORBIDDEN},
    ),
}


def _history_doors(name, item, old, back, may_restore):
    """The version page, comparison and restore of `name` ("a type"), `item(world)`,
    whose version `old(world)` has the name `back`, restored by the `may_restore` role."""
    return {
        f"{name}'s older version": (
            opened(lambda w: revision_url(item(w), old(w))),
            None,
            each(PAGE),
        ),
        f"comparing two versions of {name}": (
            opened(lambda w: topic_compare_url(item(w), old(w))),
            None,
            each(PAGE),
        ),
        f"restoring {name}'s older name": (
            restored(lambda w: revision_url(item(w), old(w))),
            lambda w: type(item(w)).objects.get(pk=item(w).pk).name == back,
            each(FORBIDDEN) | {may_restore: SAVED},
        ),
    }


DOORS |= _history_doors("a type", lambda w: w.kind, lambda w: w.kind_old, "Issue Brief", C)
DOORS |= _history_doors("an author", lambda w: w.author, lambda w: w.author_old, "Kim Sora", E)


def on_an_image(ask):
    """`ask`, on an image made first: its file lives in this test's media folder (not
    the module's world), and goes with the test."""

    def asked(client, world):
        world.image = make_image("Defence spending")
        return ask(client, world)

    return asked


def image(world):
    return Image.objects.filter(pk=world.image.pk).first()


def upload_from_the_dialog(file):
    def ask(client, world):
        data = {"file": file(), "alt": "Bar chart of defence spending.", "title": "Dialog chart"}
        return client.post(admin_url("publications_image_upload"), data)

    return ask


DOORS |= {
    "the image library": (
        opened(lambda w: admin_url("publications_image_changelist")),
        None,
        each(PAGE),
    ),
    "the image add form": (
        opened(lambda w: admin_url("publications_image_add")),
        None,
        {A: PAGE, E: PAGE, C: FORBIDDEN},
    ),
    "an image's change form": (
        on_an_image(opened(lambda w: change_url(w.image))),
        None,
        each(PAGE),
    ),
    "describing an image anew": (
        on_an_image(posted_back(lambda w: change_url(w.image), alt="A chart, described anew.")),
        lambda w: image(w).alt == "A chart, described anew.",
        {A: SAVED, E: SAVED, C: FORBIDDEN},
    ),
    "deleting an image from its page": (
        on_an_image(
            lambda client, w: client.post(
                admin_url("publications_image_delete", w.image.pk), {"post": "yes"}
            )
        ),
        lambda w: image(w) is None,
        {A: FORBIDDEN, E: SAVED, C: FORBIDDEN},
    ),
    "deleting images from the library's list": (
        on_an_image(
            action(
                "publications_image_changelist", "delete_selected", lambda w: [w.image], post="yes"
            )
        ),
        lambda w: image(w) is None,
        {A: PAGE, E: SAVED, C: PAGE},
    ),
    "the figure dialog's library": (
        on_an_image(opened(lambda w: admin_url("publications_image_library") + "?q=defence")),
        None,
        {A: PAGE, E: PAGE, C: FORBIDDEN},
    ),
    "uploading from the figure dialog": (
        upload_from_the_dialog(upload),
        lambda w: Image.objects.filter(title="Dialog chart").exists(),
        {A: SAVED, E: SAVED, C: FORBIDDEN},
    ),
    "uploading what is no picture from the figure dialog": (
        upload_from_the_dialog(lambda: upload("chart.jpg", b"not a picture")),
        lambda w: Image.objects.filter(title="Dialog chart").exists(),
        {A: REFUSED, E: REFUSED, C: FORBIDDEN},
    ),
}


def what_happened(response, changed):
    """What a person would say `response` did, `changed` telling whether the change was made."""
    said = {message.level for message in get_messages(response.wsgi_request)}
    refused = bool(said & {messages.WARNING, messages.ERROR})
    claimed = bool(said & {messages.SUCCESS, messages.INFO})
    status = response.status_code
    if changed:
        # 201: what the figure dialog's upload answers (JSON, not a page).
        return SAVED if status in (201, 302) and not refused else f"saved, but answered {status}"
    if status == 400 and response.json().get("errors"):  # the dialog's sentences
        return REFUSED
    if status == 302 and refused and not claimed:
        return REFUSED
    if status == 302 and claimed and not refused:
        return KEPT
    return {200: PAGE, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, f"answered {status}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("door", DOORS)
def test_each_role_gets_what_the_policy_allows_at_every_door(world, door, role):
    ask, changed, expected = DOORS[door]
    response = ask(client_of(world.users[role]), world)

    assert what_happened(response, changed is not None and changed(world)) == expected[role]


# The side doors, each told as a story.


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_analyst_cannot_republish_what_an_editor_unpublished_by_restoring_a_version(world):
    url = revision_url(world.unpublished, world.unpublished_published)
    client = client_of(world.users["analyst"])

    response = restored(lambda w: url)(client, world)

    assert response.status_code == 302
    assert messages_of(response) == [
        "Nothing was restored: Only editors may publish, schedule, unpublish or feature "
        "publications: save it as a draft or send it for review, and an editor will publish it."
    ]
    assert publication(world.unpublished.pk).status == "draft"


def test_an_analyst_sees_why_a_version_cannot_be_restored_before_trying(world):
    url = revision_url(world.unpublished, world.unpublished_published)

    response = client_of(world.users["analyst"]).get(url)

    assert response.status_code == 200
    assert "You may look at this version but not restore it: Only editors may publish" in (
        response.content.decode()
    )
    assert "Restore this version" not in response.content.decode()


def test_an_analyst_cannot_recover_a_deleted_published_item_into_public(world):
    url = recover_url(world.deleted_public)
    client = client_of(world.users["analyst"])

    response = client.post(url, form_data(client.get(url)))

    assert response.status_code == 302
    assert response.url == admin_url("publications_publication_recoverlist")
    assert messages_of(response)[0].startswith("Nothing was restored: Only editors may publish")
    assert not Publication.objects.filter(title="Deleted Public").exists()


def test_a_curator_cannot_restore_a_title_nor_republish_through_history(world):
    client = client_of(world.users["curator"])
    for url in [
        lambda w: revision_url(w.public, w.public_old),
        lambda w: revision_url(w.unpublished, w.unpublished_published),
    ]:
        response = restored(url)(client, world)

        assert response.status_code == 302
        assert "Nothing was restored" in messages_of(response)[0]
    assert publication(world.public.pk).title == "Public Title"
    assert publication(world.unpublished.pk).status == "draft"


def test_a_curator_cannot_republish_a_publication_through_a_regions_history(world):
    """The region has the publication's pk: the version is still the publication's."""
    url = revision_url(world.region, world.unpublished_published)
    client = client_of(world.users["curator"])

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Region Name", "slug": "old-region"}).status_code == 404
    assert publication(world.unpublished.pk).status == "draft"


def test_an_analyst_cannot_save_the_featured_order_nor_is_offered_it(world):
    client = client_of(world.users["analyst"])

    response = client.post(
        admin_url("publications_featured_order"), {f"{world.featured.pk}-position": "5"}
    )

    assert response.status_code == 403
    assert publication(world.featured.pk).featured_position == 0
    changelist = client.get(admin_url("publications_publication_changelist"))
    assert admin_url("publications_featured_order") not in changelist.content.decode()


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_who_only_views_tags_is_not_offered_the_merge_and_a_crafted_one_is_refused(world, role):
    client = client_of(world.users[role])

    changelist = client.get(admin_url("taggit_tag_changelist"))
    response = client.post(
        admin_url("taggit_tag_changelist"),
        {"action": "merge_tags", "_selected_action": [tag.pk for tag in world.tags]},
    )

    assert changelist.context["action_form"] is None
    assert response.status_code == 200  # the list again: it has no actions for them
    assert Tag.objects.filter(pk__in=[tag.pk for tag in world.tags]).count() == 2


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_the_tag_form_opens_read_only_for_who_only_views_tags(world, role):
    response = client_of(world.users[role]).get(change_url(world.tags[0]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_restoring_a_version_saved_with_others_is_refused_for_what_it_would_do_to_them(world):
    url = revision_url(world.bulk_a, world.bulk_a_sent)
    client = client_of(world.users["analyst"])

    response = restored(lambda w: url)(client, world)

    assert messages_of(response) == [
        "Nothing was restored: Restoring it also restores “Bulk B”: "
        "“Bulk B” is published or scheduled, so only an editor may change it."
    ]
    assert publication(world.bulk_b.pk).is_public
    assert publication(world.bulk_a.pk).title == "Bulk A, Revised"


def test_an_editor_still_restores_and_recovers_anything(world):
    client = client_of(world.users["editor"])
    restore = restored(lambda w: revision_url(w.unpublished, w.unpublished_published))
    recover = posted_back(lambda w: recover_url(w.deleted_public))
    for ask in [restore, recover]:
        response = ask(client, world)
        assert response.status_code == 302

    assert publication(world.unpublished.pk).is_public
    assert Publication.objects.published().filter(title="Deleted Public").exists()
