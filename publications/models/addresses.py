"""Old addresses that still lead somewhere: earlier slugs of any item, and the old
WordPress site's links."""

import re
from urllib.parse import parse_qs, quote, unquote

from django.db import models
from django.db.models import Q


class OldSlugQuerySet(models.QuerySet):
    def of(self, model):
        return self.filter(kind=model._meta.label_lower)

    def moved(self, queryset, slug):
        """The item of `queryset` whose slug was `slug` before, or None.

        Through the caller's queryset, so what it hides (a draft, for the public
        publication pages) is never reached through an old slug either.
        """
        previous = self.of(queryset.model).filter(slug=slug).values("object_id")
        return queryset.filter(pk__in=previous).first()

    def kept_for_others(self, model, base, but=None):
        """The old slugs of `model` from `base` that lead to an item (but the one with pk
        `but`): they still answer 301, so a slug made for another item skips them."""
        old = self.of(model).exclude(object_id=but).filter(slug__startswith=base)
        return old.values_list("slug", flat=True)

    def hand_over(self, item, to):
        """`item` is merged into `to` and goes: its address and old slugs lead to `to`."""
        self.of(type(item)).filter(object_id=item.pk).update(object_id=to.pk)
        self.record(to, item.slug)

    def record(self, item, old_slug):
        """Send `old_slug` to `item` from now on (the latest item to leave a slug has it)."""
        self.update_or_create(
            kind=item._meta.label_lower, slug=old_slug, defaults={"object_id": item.pk}
        )


class OldSlug(models.Model):
    """A slug an item had before, so that its old address answers 301 to the current one.

    Written whenever a region's, type's, publication's, author's or tag's slug
    changes (publications.receivers), by any path. Looked up only when no item has the
    slug now: a current slug always wins over an old one.
    """

    # The item's model as "app_label.model", e.g. "publications.region", "taggit.tag".
    kind = models.CharField(max_length=100)
    slug = models.CharField(max_length=255)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OldSlugQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "slug"]
        constraints = [
            # Also the index of the look-up by kind and slug.
            models.UniqueConstraint(fields=["kind", "slug"], name="unique_old_slug"),
        ]

    def __str__(self):
        return f"{self.kind} {self.slug} → {self.object_id}"


def normalise_legacy_path(path):
    """One spelling per old path: percent-decoded, re-encoded the same way, one slash
    between segments, no trailing slash.

    WordPress links may encode non-Latin slugs in upper or lower case hex, a site
    whose address ends in "/" writes links with "//" in them, and a browser may or
    may not add the slash, so both sides are compared in this form.
    """
    path = re.sub("/{2,}", "/", quote(unquote(path), safe="/"))
    return path.rstrip("/") or "/"


# The largest id LegacyURL.wordpress_id (a PositiveIntegerField) holds on every database.
WORDPRESS_ID_MAX = 2_147_483_647


def wordpress_id(text):
    """The WordPress id `text` spells: ASCII digits, at most WORDPRESS_ID_MAX; else None.

    str.isdigit() alone accepts "²" and "٢", which int() refuses or reads as another
    number, and a long run of digits would cost a huge int (or int()'s refusal).
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(WORDPRESS_ID_MAX)):
        return None
    number = int(digits)
    return number if number <= WORDPRESS_ID_MAX else None


def legacy_query_id(query):
    """The WordPress id in an old `?p=`, `?page_id=` or `?attachment_id=` link, if any."""
    values = parse_qs(query)
    for key in ("p", "page_id", "attachment_id"):
        for value in values.get(key, []):
            if (found := wordpress_id(value)) is not None:
                return found
    return None


class LegacyURL(models.Model):
    """An address of the old (WordPress) site that now answers 301 to a publication.

    Consulted only when no page of ours answers (publications.middleware), or for
    the old `/?p=<id>` style links on the home page, so it never shadows a page of ours.
    The WordPress post id and site URL key the import: a re-run updates in place. A
    post's earlier addresses (is_old_slug) are kept beside its current one.
    """

    site_url = models.CharField(max_length=300, help_text="The WordPress site's own address.")
    wordpress_id = models.PositiveIntegerField(help_text="The post or attachment id there.")
    is_attachment = models.BooleanField(
        default=False, help_text="The attachment page of the publication's PDF."
    )
    is_old_slug = models.BooleanField(
        default=False,
        help_text="An address the post had under an earlier slug (WordPress's _wp_old_slug).",
    )
    path = models.CharField(
        max_length=1000, blank=True, help_text="The old path, percent-encoded consistently."
    )
    publication = models.ForeignKey(
        "Publication", on_delete=models.CASCADE, related_name="legacy_urls"
    )

    class Meta:
        verbose_name = "old WordPress address"
        constraints = [
            # A post has one current address, and any number of earlier ones.
            models.UniqueConstraint(
                fields=["site_url", "wordpress_id"],
                condition=Q(is_old_slug=False),
                name="unique_legacy_wordpress_id",
            ),
            models.UniqueConstraint(
                fields=["path"], condition=~Q(path=""), name="unique_legacy_path"
            ),
        ]

    def __str__(self):
        return self.path or f"?p={self.wordpress_id}"
