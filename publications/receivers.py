"""Signal receivers that keep what is derived from content in step with it, whoever
saves (the admin, the shell, an import): the content version, the search documents,
the related lists, the list entries, old slugs and which images bodies place.

One list, CONTENT_MODELS, names what readers see and the rows that link it to
publications; each concern connects its receivers to the models of that list it
needs. Signals rather than calls in each save(): tags, bylines, regions and picks
change through the admin's inlines, taggit and m2m managers (`add()`, `set()`,
`remove()`, `clear()` send m2m_changed with the through model as sender), and taggit's
Tag and the authors app's Author are not ours to change.

Code that writes with `QuerySet.update()` or `bulk_create()`, which send no signals,
calls changed_in_bulk() instead.
"""

from django.apps import apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks.slugs import first_free_slug, slug_base
from thinktank.building_blocks.urls import is_route_slug

from .models import (
    Authorship,
    Image,
    ImageUse,
    ListEntry,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    RelatedList,
    RelatedPick,
    TaggedPublication,
    refresh_list_entries,
)
from .models.content_version import code_released, content_changed
from .related.lists import lists_missing, mark_stale
from .search import forget_search_documents, refresh_search_documents
from .search.document import LINKED_NAMES
from .tasks import refresh_related_lists_later, work_out_missing_related_lists_later

CONTENT_MODELS = (
    # What readers see...
    Publication,
    PublicationType,
    Region,
    Author,
    Tag,
    Image,  # a body's pictures: their sizes and widths are written into its page
    # ...and the rows that tie it to publications.
    TaggedPublication,
    Authorship,
    Publication.regions.through,
    RelatedPick,
)


def _links_publications(model):
    """Whether `model` ties something to publications: m2m_changed names it as its sender."""
    return any(field.related_model is Publication for field in model._meta.fields)


def _has_slug(model):
    return any(field.name == "slug" for field in model._meta.fields)


def changed_in_bulk(publication_ids=None):
    """What the signals would have said, for a write that sends none (`QuerySet.update()`,
    `bulk_create()`) of content or its links: the content version moves on (once the
    transaction commits, if there is one), the search documents and list entries of the
    publications `publication_ids` (of every publication, if None: after a bulk load)
    are rebuilt, with the images their bodies place, and their related lists are left
    to the worker to work out again.
    """
    content_changed()
    _rebuild(publication_ids)
    _note_images_placed(publication_ids)
    mark_stale(publication_ids)
    if publication_ids is None:
        work_out_missing_related_lists_later()
    else:
        refresh_related_lists_later(publication_ids)


def connect():
    connect_content_version()
    connect_old_slugs()
    connect_search_documents()
    connect_related_lists()
    connect_region_tree()
    connect_image_uses()


# --- the content version -------------------------------------------------------------------


def connect_content_version():
    """Any save, delete or re-link of public content renews the version, and so retires
    every cached page (publications.models.content_version)."""
    for model in CONTENT_MODELS:
        name = model.__name__
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{name}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-del-{name}")
        if _links_publications(model):
            m2m_changed.connect(content_changed, sender=model, dispatch_uid=f"content-m2m-{name}")
    post_migrate.connect(
        code_released, sender=apps.get_app_config("publications"), dispatch_uid="content-release"
    )


# --- the search documents and list entries -------------------------------------------------

# Both are rebuilt, per publication, from its own fields and its links to tags, authors
# and regions; the search document also holds their names.


def _rebuild(ids, using="default"):
    refresh_search_documents(ids, using=using)
    refresh_list_entries(ids, using=using)


# Link model -> the search document's Names read through it (tags, authors, regions).
_LINKS = {names.link: names for names in LINKED_NAMES}
# Tag, Author, Region -> the same.
_NAMED = {names.model: names for names in LINKED_NAMES}


def connect_search_documents():
    """Keep every publication's search document and list entries in step with what they
    are built from: its own fields, its links to tags, authors and regions, and (the
    document) their names."""
    for model in CONTENT_MODELS:
        name = model.__name__
        if model is Publication:
            post_save.connect(_publication_saved, sender=model, dispatch_uid="search-publication")
            post_delete.connect(_forget_deleted, sender=model, dispatch_uid="search-delete")
        elif model in _LINKS:
            m2m_changed.connect(_links_changed, sender=model, dispatch_uid=f"search-m2m-{name}")
            if not model._meta.auto_created:  # rows of its own: the admin's inlines, taggit
                post_save.connect(_link_saved, sender=model, dispatch_uid=f"search-save-{name}")
                post_delete.connect(_link_saved, sender=model, dispatch_uid=f"search-del-{name}")
        elif model in _NAMED:
            pre_save.connect(_name_before_save, sender=model, dispatch_uid=f"search-name-{name}")
            post_save.connect(_renamed, sender=model, dispatch_uid=f"search-renamed-{name}")


def _publication_saved(sender, instance, using, **kwargs):
    _rebuild([instance.pk], using=using)


def _forget_deleted(sender, instance, using, **kwargs):
    forget_search_documents([instance.pk], using=using)
    refresh_list_entries([instance.pk], using=using)


def _link_saved(sender, instance, using, **kwargs):
    """A tagging or authorship row saved or deleted (the admin's inlines, taggit)."""
    publication_field = _LINKS[sender].publication_field
    _rebuild([getattr(instance, f"{publication_field}_id")], using=using)


def _links_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """add(), remove(), set() or clear() on tags, authors or regions, from either side."""
    if not reverse:
        if action.startswith("post_"):
            _rebuild([instance.pk], using=using)
    elif action == "pre_clear":  # afterwards the links are gone: remember them now
        instance._search_cleared = list(_publications_of(instance, _LINKS[sender]))
    elif action == "post_clear":
        _rebuild(getattr(instance, "_search_cleared", []), using=using)
    elif action.startswith("post_"):
        _rebuild(pk_set or [], using=using)


def _publications_of(thing, names):
    """The ids of the publications linked to `thing` (a tag, author or region)."""
    linked = names.link.objects.filter(**{names.field: thing})
    return linked.values_list(f"{names.publication_field}_id", flat=True)


def _name_before_save(sender, instance, **kwargs):
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        instance._search_renamed = old != instance.name


def _renamed(sender, instance, using, **kwargs):
    """A tag, author or region renamed: the documents of its publications name it."""
    if getattr(instance, "_search_renamed", False):
        refresh_search_documents(_publications_of(instance, _NAMED[sender]), using=using)


# --- the related lists --------------------------------------------------------------------

# The links that decide what a publication shares with others (publications.related).
_SHARED = (TaggedPublication, Publication.regions.through)


def connect_related_lists():
    """A publication saved, or its tags or regions changed, by any path: its own related
    list no longer holds if what it shares changed (its page ranks afresh until the
    worker has worked it out again), and the worker places it anew in the others'."""
    pre_save.connect(_note_ranked_fields, sender=Publication, dispatch_uid="lists-pub-before")
    post_save.connect(_publication_saved_for_lists, sender=Publication, dispatch_uid="lists-pub")
    for model in _SHARED:
        name = model.__name__
        m2m_changed.connect(_shared_links_changed, sender=model, dispatch_uid=f"lists-m2m-{name}")
        post_delete.connect(_shared_link_saved, sender=model, dispatch_uid=f"lists-del-{name}")
        if not model._meta.auto_created:  # rows of its own: taggit saves them one by one
            post_save.connect(_shared_link_saved, sender=model, dispatch_uid=f"lists-save-{name}")
    post_migrate.connect(
        _lists_after_migrate,
        sender=apps.get_app_config("publications"),
        dispatch_uid="lists-migrate",
    )


def _shared_changed(publication_ids):
    mark_stale(publication_ids)
    refresh_related_lists_later(publication_ids)


# A publication's own fields that decide whether, and where, the others' lists hold it
# (publications.related.lists.place()); what it shares comes through _SHARED.
_RANKED_FIELDS = ("status", "published_at", "keep_out_of_suggestions")


def _note_ranked_fields(sender, instance, raw=False, update_fields=None, **kwargs):
    """Whether the save about to be made changes a ranked field: a corrected title, lead
    or body (most saves) leaves every list as it is, and the worker with nothing to do."""
    if raw or instance._state.adding:
        instance._ranked_fields_changed = True
    elif update_fields is not None and not set(_RANKED_FIELDS) & set(update_fields):
        instance._ranked_fields_changed = False
    else:
        stored = Publication.objects.filter(pk=instance.pk).values_list(*_RANKED_FIELDS)
        saving = tuple(getattr(instance, name) for name in _RANKED_FIELDS)
        instance._ranked_fields_changed = stored.first() != saving


def _publication_saved_for_lists(sender, instance, raw=False, **kwargs):
    if not raw and instance.__dict__.pop("_ranked_fields_changed", True):
        refresh_related_lists_later([instance.pk])


def _shared_link_saved(sender, instance, **kwargs):
    publication_field = "content_object" if sender is TaggedPublication else "publication"
    _shared_changed([getattr(instance, f"{publication_field}_id")])


def _shared_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """add(), remove(), set() or clear() on tags or regions, from either side."""
    if not reverse:
        if action.startswith("post_"):
            _shared_changed([instance.pk])
        return
    field = "tag" if sender is TaggedPublication else "region"
    publication_field = "content_object" if sender is TaggedPublication else "publication"
    if action == "pre_clear":  # afterwards the links are gone: remember them now
        linked = sender.objects.filter(**{field: instance})
        instance._lists_cleared = list(linked.values_list(f"{publication_field}_id", flat=True))
    elif action == "post_clear":
        _shared_changed(getattr(instance, "_lists_cleared", []))
    elif action.startswith("post_"):
        _shared_changed(pk_set or [])


def _lists_after_migrate(sender, using, **kwargs):
    """A first deploy with content, or a database restored: the worker works out what
    is missing. Nothing is enqueued when nothing is missing (a new, empty site), or
    after migrating back to before the lists existed."""
    if RelatedList._meta.db_table not in connections[using].introspection.table_names():
        return
    if lists_missing().exists():
        work_out_missing_related_lists_later()


# --- the region tree -----------------------------------------------------------------------

# A region's list holds its subregions' publications: when a region moves in the tree
# or goes, the region lists of every publication are rebuilt (regions are tens, and
# rarely move).


def connect_region_tree():
    pre_save.connect(_note_parent, sender=Region, dispatch_uid="lists-region-parent")
    post_save.connect(_region_saved, sender=Region, dispatch_uid="lists-region-saved")
    post_delete.connect(_rebuild_region_lists, sender=Region, dispatch_uid="lists-region-gone")


def _note_parent(sender, instance, raw=False, **kwargs):
    """Whether the save moves the region: a new one has no publications yet."""
    if instance._state.adding:
        instance._lists_moved = False
    else:
        stored = Region.objects.filter(pk=instance.pk).values_list("parent", flat=True)
        instance._lists_moved = list(stored) != [instance.parent_id]


def _region_saved(sender, instance, using, **kwargs):
    if instance.__dict__.pop("_lists_moved", True):
        _rebuild_region_lists(sender, instance, using)


def _rebuild_region_lists(sender, instance, using, **kwargs):
    refresh_list_entries(using=using, kinds=[ListEntry.Kind.REGION, ListEntry.Kind.TYPE_REGION])


# --- old slugs -----------------------------------------------------------------------------

# Every item with a page keeps a valid slug, and its old slugs keep leading to it.
#
# Regions, types, publications and authors make their own slugs when saved
# (thinktank.building_blocks.slugs.SlugFromName). Two things cannot live in a save():
#
# - taggit's Tag is not ours. It makes Unicode slugs itself, but a name with no
#   letters or digits ("!!!") gets an empty one, which no address can hold; a
#   pre_save receiver gives it the fallback "tag" instead, whichever path saves it
#   (the admin, `Tag.objects.create()`, `publication.tags.add("!!!")`).
# - A slug change must be noted, by any path, for every kind of item, Author and Tag
#   included: the stored slug is read before the save and, if the save changed it,
#   kept as an OldSlug afterwards. Only saves of existing items pay the one read.

TAG_FALLBACK = "tag"


def connect_old_slugs():
    pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="tag-fallback-slug")
    for model in filter(_has_slug, CONTENT_MODELS):
        name = model.__name__
        pre_save.connect(note_stored_slug, sender=model, dispatch_uid=f"slug-note-{name}")
        post_save.connect(keep_old_slug, sender=model, dispatch_uid=f"slug-keep-{name}")
        post_delete.connect(forget_old_slugs, sender=model, dispatch_uid=f"slug-forget-{name}")


def give_tag_a_slug(sender, instance, raw=False, **kwargs):
    """A pre_save receiver for taggit's Tag: never an empty slug, or one no address can hold."""
    if raw or (instance.slug and is_route_slug(instance.slug)):
        return
    base = slug_base(sender, instance.slug, instance.name, TAG_FALLBACK)
    instance.slug = first_free_slug(base, sender._default_manager.exclude(pk=instance.pk))


def note_stored_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or (update_fields is not None and "slug" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True)
    instance._stored_slug = stored.first()


def keep_old_slug(sender, instance, raw=False, **kwargs):
    stored = instance.__dict__.pop("_stored_slug", None)
    if stored and stored != instance.slug:
        OldSlug.objects.record(instance, stored)


def forget_old_slugs(sender, instance, **kwargs):
    OldSlug.objects.of(sender).filter(object_id=instance.pk).delete()


# --- the images bodies place -------------------------------------------------------------

# Which library images each body places (models.images.ImageUse): readers get an image
# only once a public publication places it, and an image placed anywhere is not deleted.

# Bodies read at a time after a bulk write: a few MB.
BODIES_PER_BATCH = 500


def connect_image_uses():
    post_save.connect(_body_saved, sender=Publication, dispatch_uid="image-uses-publication")


def _body_saved(sender, instance, using, update_fields=None, **kwargs):
    # A restored version (django-reversion saves it raw) brings its body back: noted too.
    if update_fields is None or "body" in update_fields:
        ImageUse.objects.record({instance.pk: instance.body}, using=using)


def _note_images_placed(publication_ids):
    if publication_ids is None:
        publication_ids = Publication.objects.values_list("pk", flat=True)
    ids = sorted(publication_ids)
    for start in range(0, len(ids), BODIES_PER_BATCH):
        batch = Publication.objects.filter(pk__in=ids[start : start + BODIES_PER_BATCH])
        ImageUse.objects.record(dict(batch.values_list("pk", "body")))
