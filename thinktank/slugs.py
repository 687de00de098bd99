"""Page addresses for names in any script: Unicode slugs, never empty, unique under races.

A region called 한반도 or Україна gets the address /regions/한반도/, not a
transliteration: readers of those scripts recognise their own words, and no
transliteration table is right for Hangul, Cyrillic and Arabic at once. Django's
`slugify(allow_unicode=True)` makes them, as django-taggit already does for tags, and
the `unicode_slug` path converter accepts exactly what it makes (letters and digits
of any script, underscores and hyphens). `reverse()` percent-encodes them as UTF-8,
and browsers show them decoded.

A name with no letters or digits at all ("!!!", "🌍🔥") has no slug of its own: it
gets its model's fallback word ("region", "region-2"...).
"""

import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify

# What `slugify(value, allow_unicode=True)` can produce, and all the routes accept.
SLUG_PATTERN = r"[-\w]+"
# A slug made from a name leaves room for a "-2", "-3"... suffix within max_length.
SUFFIX_ROOM = 15
# Saves lost to a concurrent save of the same name before giving up (and raising).
SLUG_ATTEMPTS = 10


class UnicodeSlugConverter:
    """`<unicode_slug:slug>`: like Django's `<slug:...>`, in every script."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def is_route_slug(value):
    return re.fullmatch(SLUG_PATTERN, value) is not None


def slug_from(text, *, max_length, fallback):
    """A route-valid slug for `text` within `max_length`, or `fallback` if it gives none."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-_") or fallback


def save_with_unique_slug(instance, save, *, name, fallback):
    """Run `save()`, having given `instance` a unique, route-valid slug if it needs one.

    It needs one when its slug is blank, not valid in an address, or, for a new row,
    the one its `name` gives (the admin fills that in as the name is typed): then the
    first of base, base-2, base-3... that nobody has. A slug an editor chose is kept
    as it is (the form has checked that it is free).

    Two people saving the same name at the same moment both find the same slug free;
    the unique constraint refuses the second insert, and that save tries again with
    the next free slug, inside a savepoint so that an enclosing transaction goes on.
    """
    field = instance._meta.get_field("slug")
    base = slug_from(name, max_length=field.max_length - SUFFIX_ROOM, fallback=fallback)
    if instance.slug and not is_route_slug(instance.slug):
        given = slug_from(instance.slug, max_length=field.max_length - SUFFIX_ROOM, fallback="")
        base = given or base
    elif instance.slug and not (instance._state.adding and instance.slug == base):
        return save()
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    for _ in range(SLUG_ATTEMPTS):
        instance.slug = first_free_slug(base, others)
        try:
            with transaction.atomic(using=others.db):
                return save()
        except IntegrityError:
            if not others.filter(slug=instance.slug).exists():
                raise  # another constraint refused the row, not the slug's
    raise IntegrityError(f"No free slug for {name!r} after {SLUG_ATTEMPTS} attempts.")


def first_free_slug(base, others):
    """`base`, or the first of base-2, base-3... that none of `others` has."""
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
