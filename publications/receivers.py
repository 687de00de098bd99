"""Signal receivers that keep what is derived from content in step with it, whoever
saves: the content version, the search documents and old slugs.

Every item with a page keeps a valid slug, and its old slugs keep leading to it.

Regions, types, publications and authors make their own slugs when saved
(thinktank.slugs.SlugFromName). Two things cannot live in a save():

- taggit's Tag is not ours. It makes Unicode slugs itself, but a name with no
  letters or digits ("!!!") gets an empty one, which no address can hold; a
  pre_save receiver gives it the fallback "tag" instead, whichever path saves it
  (the admin, `Tag.objects.create()`, `publication.tags.add("!!!")`).
- A slug change must be noted, by any path (the admin, the shell, an import),
  for every kind of item, the authors app's Author and taggit's Tag included, so
  by receivers connected here rather than in each model's save(): the stored slug
  is read before the save and, if the save changed it, kept as an OldSlug
  afterwards. Only saves of existing items pay the one read.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks.slugs import first_free_slug, is_route_slug, slug_base

from .models import (
    Authorship,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    RelatedPick,
    TaggedPublication,
)
from .models.content_version import code_released, content_changed
from .search import (
    _LINKS,
    _forget_deleted,
    _link_saved,
    _links_changed,
    _name_before_save,
    _publication_saved,
    _renamed,
)

TAG_FALLBACK = "tag"


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


def connect_old_slugs():
    from taggit.models import Tag

    from authors.models import Author

    from .models import Publication, Region

    pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="tag-fallback-slug")
    for model in (Region, PublicationType, Publication, Author, Tag):
        name = model.__name__
        pre_save.connect(note_stored_slug, sender=model, dispatch_uid=f"slug-note-{name}")
        post_save.connect(keep_old_slug, sender=model, dispatch_uid=f"slug-keep-{name}")
        post_delete.connect(forget_old_slugs, sender=model, dispatch_uid=f"slug-forget-{name}")


def connect_content_version():
    """Any save, delete or re-link of public content renews the version.

    Signals rather than calls in each save(): tags, bylines, regions and picks
    change through the admin's inlines, taggit and m2m managers (`add()`, `set()`,
    `remove()`, `clear()` send m2m_changed with the through model as sender), and
    all of them must reach the cache.
    """
    from taggit.models import Tag

    from authors.models import Author

    from .models import (
        Authorship,
        Publication,
        Region,
        TaggedPublication,
    )

    through_models = (Authorship, RelatedPick, TaggedPublication, Publication.regions.through)
    for model in (Publication, PublicationType, Region, Author, Tag, *through_models):
        name = model.__name__
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-save-{name}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-del-{name}")
    for model in through_models:
        m2m_changed.connect(
            content_changed, sender=model, dispatch_uid=f"content-m2m-{model.__name__}"
        )
    post_migrate.connect(
        code_released, sender=apps.get_app_config("publications"), dispatch_uid="content-release"
    )


def connect_search_documents():
    """Keep every publication's search document in step with what it is built from."""
    regions = Publication.regions.through
    _LINKS.update(
        {
            TaggedPublication: ("tag", "content_object"),
            Authorship: ("author", "publication"),
            regions: ("region", "publication"),
        }
    )
    post_save.connect(_publication_saved, sender=Publication, dispatch_uid="search-publication")
    post_delete.connect(_forget_deleted, sender=Publication, dispatch_uid="search-delete")
    for through in (Authorship, TaggedPublication):
        name = through.__name__
        post_save.connect(_link_saved, sender=through, dispatch_uid=f"search-save-{name}")
        post_delete.connect(_link_saved, sender=through, dispatch_uid=f"search-del-{name}")
    for through in _LINKS:
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"search-m2m-{through.__name__}"
        )
    for model, through in ((Tag, TaggedPublication), (Author, Authorship), (Region, regions)):
        name = model.__name__
        pre_save.connect(_name_before_save, sender=model, dispatch_uid=f"search-name-{name}")
        post_save.connect(
            _renamed(through), sender=model, weak=False, dispatch_uid=f"search-renamed-{name}"
        )


def connect():
    connect_content_version()
    connect_old_slugs()
    connect_search_documents()
