"""Page addresses for names in any script: Unicode slugs, never empty, unique under races.

A region called 한반도 or Україна gets the address /regions/한반도/, not a
transliteration: readers of those scripts recognise their own words, and no
transliteration table is right for Hangul, Cyrillic and Arabic at once. Django's
`slugify(allow_unicode=True)` makes them, as django-taggit already does for tags, and
the `unicode_slug` path converter (building_blocks.urls) accepts exactly what it makes
(letters and digits of any script, underscores and hyphens). `reverse()`
percent-encodes them as UTF-8, and browsers show them decoded.

A name with no letters or digits at all ("!!!", "🌍🔥") has no slug of its own: it
gets its model's fallback word ("region", "region-2"...).
"""

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from .urls import is_route_slug

# A slug made from a name leaves room for a "-2", "-3"... suffix within max_length.
SUFFIX_ROOM = 15
# Saves lost to a concurrent save of the same name before giving up (and raising).
SLUG_ATTEMPTS = 10


def slug_from(text, *, max_length, fallback):
    """A route-valid slug for `text` within `max_length`, or `fallback` if it gives none."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-_") or fallback


def slug_base(model, wanted, name, fallback):
    """What a slug made for an item of `model` starts from: the slug of `wanted` if it
    gives one, else of `name`, else `fallback`; short enough to take a "-2" suffix."""
    room = model._meta.get_field("slug").max_length - SUFFIX_ROOM
    from_wanted = slug_from(wanted, max_length=room, fallback="")
    return from_wanted or slug_from(name, max_length=room, fallback=fallback)


class SlugFromName(models.Model):
    """A model whose `slug` is made from another field when left blank (see above).

    Subclasses name that field (`slug_source`) and the word a name without letters
    or digits gets (`slug_fallback`).
    """

    slug_source = "name"
    slug_fallback = None
    # The text to make the slug from instead of the name (see make_slug_from()).
    _slug_wanted = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Save, having given the item a unique, route-valid slug if it needs one.

        Two people saving the same name at the same moment both find the same slug
        free; the unique constraint refuses the second insert, and that save tries
        again with the next free slug, inside a savepoint so that an enclosing
        transaction goes on.
        """
        base = self._slug_base()
        if not self._needs_slug(base):
            return super().save(*args, **kwargs)
        neighbours = self._slug_neighbours()
        kept = self._slugs_kept_for_others(base)
        for _ in range(SLUG_ATTEMPTS):
            self.slug = first_free_slug(base, neighbours, kept)
            try:
                with transaction.atomic(using=neighbours.db):
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not neighbours.filter(slug=self.slug).exists():
                    raise  # another constraint refused the row, not the slug's
        raise IntegrityError(f"No free slug from {base!r} after {SLUG_ATTEMPTS} attempts.")

    def clean(self):
        super().clean()
        # The form then checks the constraints and uniqueness of the slug it will save.
        base = self._slug_base()
        if self._needs_slug(base):
            self.slug = self._filled_in_slug = first_free_slug(
                base, self._slug_neighbours(), self._slugs_kept_for_others(base)
            )

    def make_slug_from(self, text):
        """Have save() make the slug from `text` rather than from the name (an import
        keeps the old site's slug this way): the first free slug from it, numbered on
        and skipping kept slugs as a slug made from the name would be. A `text` with
        no letters or digits leaves the slug to the name."""
        self.slug = ""
        self._slug_wanted = text

    def _slug_base(self):
        # A slug no address can hold is still the best guess at the one wanted.
        invalid = self.slug and not is_route_slug(self.slug)
        wanted = self.slug if invalid else self._slug_wanted
        name = str(getattr(self, self.slug_source))
        return slug_base(type(self), wanted, name, self.slug_fallback)

    def _needs_slug(self, base):
        """Blank, not valid in an address, or, for a new row, made from the name.

        The admin fills in the slug from the name as it is typed, and clean() may
        have numbered it, so such a slug on a new row is still the site's to number.
        Any other slug an editor chose is kept as it is (the form has checked that it
        is free).
        """
        if not self.slug or not is_route_slug(self.slug):
            return True
        made_here = self.slug in (base, getattr(self, "_filled_in_slug", None))
        return self._state.adding and made_here

    def _slug_neighbours(self):
        return type(self)._default_manager.exclude(pk=self.pk)

    def _slugs_kept_for_others(self, base):
        """Slugs from `base` that no item has, but that a made slug must not take
        either (a subclass's old addresses that still lead somewhere)."""
        return ()


def first_free_slug(base, others, kept=()):
    """`base`, or the first of base-2, base-3... that none of `others` has, nor is `kept`."""
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    taken.update(kept)
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
