"""Every item with a page keeps a valid slug, and its old slugs keep leading to it.

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

from django.db.models.signals import post_delete, post_save, pre_save

from thinktank.slugs import SUFFIX_ROOM, first_free_slug, is_route_slug, slug_from

TAG_FALLBACK = "tag"


def give_tag_a_slug(sender, instance, raw=False, **kwargs):
    """A pre_save receiver for taggit's Tag: never an empty slug, or one no address can hold."""
    if raw or (instance.slug and is_route_slug(instance.slug)):
        return
    room = sender._meta.get_field("slug").max_length - SUFFIX_ROOM
    base = slug_from(instance.slug, max_length=room, fallback="") or slug_from(
        instance.name, max_length=room, fallback=TAG_FALLBACK
    )
    instance.slug = first_free_slug(base, sender._default_manager.exclude(pk=instance.pk))


def note_stored_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or (update_fields is not None and "slug" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True)
    instance._stored_slug = stored.first()


def keep_old_slug(sender, instance, raw=False, **kwargs):
    from .models import OldSlug

    stored = instance.__dict__.pop("_stored_slug", None)
    if stored and stored != instance.slug:
        OldSlug.objects.record(instance, stored)


def forget_old_slugs(sender, instance, **kwargs):
    from .models import OldSlug

    OldSlug.objects.of(sender).filter(object_id=instance.pk).delete()


def connect_signals():
    from taggit.models import Tag

    from authors.models import Author

    from .models import Publication, PublicationType, Region

    pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="tag-fallback-slug")
    for model in (Region, PublicationType, Publication, Author, Tag):
        name = model.__name__
        pre_save.connect(note_stored_slug, sender=model, dispatch_uid=f"slug-note-{name}")
        post_save.connect(keep_old_slug, sender=model, dispatch_uid=f"slug-keep-{name}")
        post_delete.connect(forget_old_slugs, sender=model, dispatch_uid=f"slug-forget-{name}")
