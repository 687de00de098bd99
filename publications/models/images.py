"""The image library: pictures uploaded once, described once, and placed in any body.

A body holds a library image by its own address (`<img src="/media/images/…">`), never a
copy. Each image is also kept at a few smaller widths (its renditions), made when it is
uploaded and stored beside it under names that follow from its own, so a page can offer
them (`srcset`) from the image's row alone: publications.richtext.images writes them.

Which publications place which image (ImageUse) is read from their bodies whenever they
are saved (publications.receivers), so that readers get an image, and its renditions,
only once a public publication places it (the media view asks placed_in_public()); and
so that an image still placed somewhere cannot be deleted from under a body.
"""

import io
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from thinktank.building_blocks.uploads import (
    CleanImageField,
    SafeUploadName,
    is_resizable,
    resized_image,
    split_extension,
)

from ..richtext.sanitize import image_addresses
from .publication import Publication

# The widths a page may ask for, in pixels: a phone, a tablet or a column, a wide
# screen, and a wide screen at twice the density. None is larger than the upload.
RENDITION_WIDTHS = (480, 800, 1200, 1600)
# "images/2026/chart.800w.png" is the 800-pixel rendition of "images/2026/chart.png".
# Uploaded names never look like it: SafeUploadName leaves no dot in a stem.
_RENDITION_NAME = re.compile(r"(?P<stem>.+)\.(?P<width>[0-9]+)w\.(?P<extension>[a-z]+)")

ALT_REQUIRED = (
    "Describe the picture for readers who cannot see it, or tick “Decorative” if it "
    "adds nothing to the text."
)


def rendition_name(name, width):
    stem, extension = split_extension(name)
    return f"{stem}.{width}w.{extension}"


def original_name(name):
    """The stored name of the image that `name` is a rendition of, or `name` itself."""
    match = _RENDITION_NAME.fullmatch(name)
    if match is None or int(match["width"]) not in RENDITION_WIDTHS:
        return name
    return f"{match['stem']}.{match['extension']}"


class ImageQuerySet(models.QuerySet):
    def matching(self, words):
        """Those whose title, description or credit contains `words` (all if blank)."""
        words = words.strip()
        if not words:
            return self
        return self.filter(
            Q(title__icontains=words) | Q(alt__icontains=words) | Q(credit__icontains=words)
        )

    def holding_file(self, name):
        """The image stored as `name`, or of which `name` is a rendition."""
        return self.filter(file=original_name(name))

    def at_addresses(self, addresses):
        """{address: image} for those of `addresses` that are library images, in one
        query (none when there are no addresses)."""
        names = stored_names(addresses)
        if not names:
            return {}
        images = self.filter(file__in=names).only("file", "width", "height")
        return {image.file.url: image for image in images}

    def decorative_at(self, addresses):
        """Those of `addresses` that are library images marked decorative, in one query
        (none when there are no addresses)."""
        names = stored_names(addresses)
        if not names:
            return set()
        found = set(self.filter(file__in=names, decorative=True).values_list("file", flat=True))
        return {address for address in addresses if stored_names([address]) & found}

    def placed_in_public(self):
        """Those the body of a public publication places (Publication.objects.published())."""
        public = Publication.objects.published().filter(pk=OuterRef("publication"))
        return self.filter(Exists(ImageUse.objects.filter(Exists(public), image=OuterRef("pk"))))


def stored_names(addresses):
    """The stored file names that `addresses` (a body's image addresses) lead to."""
    return {
        address.removeprefix(settings.MEDIA_URL)
        for address in addresses
        if address.startswith(settings.MEDIA_URL)
    }


class Image(models.Model):
    file = CleanImageField(
        "picture",
        upload_to=SafeUploadName("images/%Y/", fallback="image", unguessable=True),
        width_field="width",
        height_field="height",
        help_text="A JPEG, PNG, GIF or WebP picture. It is stored again with its pixels "
        "only (no camera data), and at smaller widths for phones.",
    )
    title = models.CharField(
        max_length=255, help_text="For finding it in the library; readers do not see it."
    )
    alt = models.CharField(
        "description (alt text)",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it: "
        "“Bar chart: defence spending rose 40% from 2015 to 2025.”",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only if the picture adds nothing to the text; screen readers then "
        "skip it, and it needs no description.",
    )
    credit = models.CharField(
        "credit or caption",
        max_length=300,
        blank=True,
        help_text="Shown under the picture when it is placed in a text: "
        "“Photo: Jane Doe / Reuters”. It can be changed there.",
    )
    focal_x = models.FloatField(
        "focal point across",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Where the subject is, from 0 (left edge) to 1 (right edge), kept for "
        "showing it cut to another shape (the site shows every picture whole for now). "
        "Optional; give both or neither.",
    )
    focal_y = models.FloatField(
        "focal point down",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="From 0 (top edge) to 1 (bottom edge).",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("uploaded", auto_now_add=True)
    imported_from = models.CharField(
        max_length=1000,
        blank=True,
        editable=False,
        help_text="For a picture brought over from WordPress: the address of its original "
        "on the old site, by which importing again finds it instead of copying it twice.",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One row per stored file; also the index at_addresses() and the media
            # view's holding_file() look names up by.
            models.UniqueConstraint(fields=["file"], name="image_file_unique"),
            # The importer looks a picture up by it (import_wordpress, once per picture).
            models.UniqueConstraint(
                fields=["imported_from"],
                condition=~Q(imported_from=""),
                name="image_imported_once",
            ),
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt=""), name="image_has_alt_or_is_decorative"
            ),
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        uploaded = bool(self.file) and not self.file._committed
        super().save(*args, **kwargs)
        if uploaded:
            self.make_renditions()

    def get_absolute_url(self):
        return self.file.url

    def clean(self):
        super().clean()
        errors = {}
        if not self.decorative and not self.alt.strip():
            errors["alt"] = ALT_REQUIRED
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            errors[missing] = "Give the focal point both across and down, or neither."
        if errors:
            raise ValidationError(errors)

    @property
    def rendition_widths(self):
        """The widths it is kept at besides its own: those smaller than it."""
        if not is_resizable(self.file.name):
            return []
        return [width for width in RENDITION_WIDTHS if width < self.width]

    def make_renditions(self):
        """Store each rendition that is not stored yet; return the names written."""
        storage = self.file.storage
        missing = [
            (width, rendition_name(self.file.name, width))
            for width in self.rendition_widths
            if not storage.exists(rendition_name(self.file.name, width))
        ]
        if not missing:
            return []
        with self.file.open("rb") as stored:
            original = io.BytesIO(stored.read())
        for width, name in missing:
            storage.save(name, ContentFile(resized_image(original, width)))
        return [name for _, name in missing]

    @property
    def srcset(self):
        """Every width it is kept at, for an <img srcset>: renditions, then itself."""
        storage = self.file.storage
        sources = [
            (storage.url(rendition_name(self.file.name, width)), width)
            for width in self.rendition_widths
        ]
        sources.append((self.file.url, self.width))
        return ", ".join(f"{url} {width}w" for url, width in sources)

    @property
    def thumbnail_url(self):
        """The smallest it is kept at, for lists of images."""
        widths = self.rendition_widths
        if not widths:
            return self.file.url
        return self.file.storage.url(rendition_name(self.file.name, widths[0]))


class ImageUseQuerySet(models.QuerySet):
    def record(self, bodies, using="default"):
        """Note which library images each body places: `bodies` maps a publication's id
        to its body as saved. Two queries (the images the bodies name, the uses noted
        before), and one each to forget the uses gone and note those new, if any."""
        placed = {
            pk: {original_name(name) for name in stored_names(image_addresses(body))}
            for pk, body in bodies.items()
        }
        names = set().union(*placed.values())
        images = Image.objects.using(using).filter(file__in=names).values_list("file", "pk")
        image_ids = dict(images) if names else {}
        wanted = {
            (pk, image_ids[name])
            for pk, found in placed.items()
            for name in found
            if name in image_ids
        }
        noted = self.using(using).filter(publication__in=bodies)
        before = {
            (pk, image): use for use, pk, image in noted.values_list("pk", "publication", "image")
        }
        gone = [before[pair] for pair in before.keys() - wanted]
        if gone:
            self.using(using).filter(pk__in=gone).delete()
        if new := wanted - before.keys():
            self.using(using).bulk_create(
                [ImageUse(publication_id=pk, image_id=image) for pk, image in new],
                ignore_conflicts=True,  # noted meanwhile by a save in another transaction
            )


class ImageUse(models.Model):
    """That the body of `publication` places `image`: read from the body when it is
    saved (ImageUseQuerySet.record), never typed in."""

    image = models.ForeignKey(
        Image,
        # An image placed in a body is not deleted from under it (ImageAdmin names the
        # publications instead); a publication deleted takes its uses with it.
        on_delete=models.PROTECT,
        related_name="uses",
    )
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")

    objects = ImageUseQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "use of an image"
        constraints = [
            # One row per image a body places; also the index record() reads a
            # publication's by. The image's own index (a ForeignKey's) answers
            # placed_in_public().
            models.UniqueConstraint(fields=["publication", "image"], name="image_use_unique"),
        ]

    def __str__(self):
        return f"“{self.image}” in “{self.publication}”"
