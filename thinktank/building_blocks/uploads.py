"""Uploaded images and PDFs: what is accepted, what is stored, and under which name.

A PDF is accepted only if it is one: its first bytes, pages pypdf can read, no
password, within PUBLICATION_PDF_MAX_BYTES (validate_pdf). An image is decoded in full by Pillow within a pixel limit, and only its pixels are
stored, re-encoded in the same format: comments, EXIF (after turning the picture the
way its orientation says), text chunks and whatever follows the image data do not
survive, so a GIF that is also an HTML page is stored as a GIF only. SVG, HTML and
formats browsers do not show are refused.

Stored names keep the uploaded name readable, made ASCII-safe and cut to fit, so a
hundred-character report title is not refused and the address needs no escaping.
"""

import io
import os
import secrets
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# Names of stored files, folder included; real report titles run past Django's 100.
MAX_NAME_LENGTH = 255
# Room for the "_AbC1234" a storage adds when the name is already taken.
TAKEN_NAME_SUFFIX_ROOM = 8

# The formats browsers show, with the extension they are stored under.
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# How each is written again. JPEG and WebP are lossy: at 90 the difference does not
# show at the sizes pages use.
SAVE_OPTIONS = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {}, "GIF": {}}
# What Pillow reads into `info` that the picture needs to look the same; everything
# else there (comments, EXIF, XMP, ICC profiles, text chunks) is left behind.
KEPT_INFO = ("transparency", "duration", "loop", "background", "disposal")

NOT_AN_IMAGE = (
    "This file is not an image a browser can show. Upload a JPEG, PNG, GIF or WebP "
    "picture (SVG drawings and web pages are not accepted: export the picture as PNG)."
)
BROKEN_IMAGE = "This image is damaged and cannot be read. Export it again and upload the new file."


def image_too_large(pixels=None):
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    size = f" ({pixels / 1_000_000:,.0f} megapixels)" if pixels else ""
    return ValidationError(
        "This image is too large%(size)s; the limit is %(limit)s megapixels. "
        "Resize it, e.g. to 3000 pixels wide, and upload it again.",
        code="image_too_large",
        params={"size": size, "limit": f"{limit / 1_000_000:,.0f}"},
    )


def opened_image(file):
    """The image in `file`, its size checked against UPLOAD_IMAGE_MAX_PIXELS before
    any pixel is decoded. Raises ValidationError with a message for the editor."""
    file.seek(0)
    try:
        # Pillow's own bomb check uses its global limit: ours comes from settings and
        # is checked below. Its hard error (twice its limit) is a refusal all the same.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(IMAGE_EXTENSIONS))
            pixels = image.width * image.height * getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        raise image_too_large() from None
    except UnidentifiedImageError:
        raise ValidationError(NOT_AN_IMAGE, code="image_format") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(BROKEN_IMAGE, code="image_broken") from None
    if pixels > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise image_too_large(pixels)
    return image


def reencoded_image(file):
    """(bytes, extension): the picture in `file`, decoded in full and written again
    with nothing but its pixels. Raises ValidationError when it cannot be."""
    image = opened_image(file)
    image_format = image.format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if getattr(image, "n_frames", 1) == 1:
                # Turned upright as the camera said, since the EXIF saying so is dropped.
                frames = [bare_frame(ImageOps.exif_transpose(image))]
            else:
                frames = [bare_frame(frame) for frame in ImageSequence.Iterator(image)]
            output = io.BytesIO()
            options = {**SAVE_OPTIONS[image_format], **frames[0].info}
            if len(frames) > 1:
                options.update(save_all=True, append_images=frames[1:])
            frames[0].save(output, format=image_format, **options)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(BROKEN_IMAGE, code="image_broken") from None
    return output.getvalue(), IMAGE_EXTENSIONS[image_format]


def resized_image(file, width):
    """The stored picture in `file` (already re-encoded by reencoded_image) scaled down
    to `width` pixels wide, as bytes in its own format with the same save options.
    Only still pictures are resized: see is_resizable()."""
    file.seek(0)
    with Image.open(file, formats=list(IMAGE_EXTENSIONS)) as image:
        image_format = image.format
        if image.mode == "P":
            # Scaled by its palette's colours, not its indices, which would blur to others.
            image = image.convert("RGBA")
        height = max(1, round(image.height * width / image.width))
        smaller = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        output = io.BytesIO()
        smaller.save(output, format=image_format, **SAVE_OPTIONS[image_format])
    return output.getvalue()


def is_resizable(name):
    """Whether a stored image of this name can be resized: a GIF may be animated, and a
    resized copy would keep only its first frame."""
    return split_extension(name)[1].lower() in {"jpg", "png", "webp"}


def bare_frame(frame):
    """A new image with the frame's pixels and palette, and none of its metadata."""
    frame.load()
    bare = Image.frombytes(frame.mode, frame.size, frame.tobytes())
    if frame.palette is not None and frame.mode in ("P", "PA"):
        bare.putpalette(frame.getpalette(rawmode="RGBA"), rawmode="RGBA")
    bare.info = {key: frame.info[key] for key in KEPT_INFO if key in frame.info}
    return bare


def split_extension(name):
    """(stem, extension without its dot) of a file name.

    Unlike os.path.splitext, a name that is all extension (".pdf", "....pdf") is
    read as a file manager shows it, an extension with no stem, so the stored file
    keeps it and is served as what it is.
    """
    _, dot, extension = os.path.basename(name).rpartition(".")
    return (name.removesuffix(f".{extension}"), extension) if dot else (name, "")


@deconstructible
class SafeUploadName:
    """upload_to: `folder` (strftime codes allowed) and the uploaded name, ASCII-safe.

    "Côte d'Ivoire: Outlook 2026.pdf" becomes "cote-divoire-outlook-2026.pdf"; a name
    with no Latin letters or digits becomes `fallback` plus the extension. `unguessable`
    adds 16 random hexadecimal digits ("summit-chart-3f9c…e1.png"), for files served to
    anyone who has the address before what uses them is public.
    """

    def __init__(self, folder, fallback="file", unguessable=False):
        self.folder = folder
        self.fallback = fallback
        self.unguessable = unguessable

    def __call__(self, instance, filename):
        folder = timezone.now().strftime(self.folder)
        stem, extension = split_extension(os.path.basename(filename))
        extension = slugify(extension)[:10]
        token = f"-{secrets.token_hex(8)}" if self.unguessable else ""
        room = (
            MAX_NAME_LENGTH - len(folder) - len(extension) - 1 - len(token) - TAKEN_NAME_SUFFIX_ROOM
        )
        stem = (slugify(stem)[:room].strip("-") or self.fallback) + token
        return f"{folder}{stem}.{extension}" if extension else f"{folder}{stem}"

    def __eq__(self, other):
        return isinstance(other, SafeUploadName) and (
            self.folder,
            self.fallback,
            self.unguessable,
        ) == (other.folder, other.fallback, other.unguessable)


class LongNameMixin:
    """Names up to MAX_NAME_LENGTH, and no length check on the uploaded name in the
    form: SafeUploadName cuts it to fit instead."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_NAME_LENGTH)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": None, **kwargs})


class UploadFileField(LongNameMixin, models.FileField):
    pass


class ImageUploadField(forms.ImageField):
    """Refuses what opened_image() refuses, with its messages."""

    # The extension says nothing about the content, which is checked; the stored
    # name gets the extension of the format found.
    default_validators = ()

    def to_python(self, data):
        # forms.FileField's checks (empty, missing name), not forms.ImageField's
        # Pillow check: opened_image() does that with the settings' pixel limit.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        image = opened_image(upload)
        upload.image = image
        upload.content_type = Image.MIME[image.format]
        upload.seek(0)
        return upload


class CleanImageField(LongNameMixin, models.ImageField):
    """An image stored as its pixels only: see reencoded_image()."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and not value._committed:
            # Decoded in full here, so a file that is damaged past its header is a
            # form error, not a failure while saving.
            reencoded_image(value)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            content, extension = reencoded_image(file)
            file.name = f"{split_extension(file.name)[0]}.{extension}"
            file.file = ContentFile(content, name=file.name)
        return super().pre_save(model_instance, add)


# --- PDFs -------------------------------------------------------------------------------
# What may come before the header: a byte-order mark some exporters write, and space.
PDF_PREAMBLE = b"\xef\xbb\xbf \t\r\n\f\x00"

NOT_A_PDF = (
    "This file is not a PDF (its contents do not start like one). "
    "Export the document as PDF and upload that file."
)
BROKEN_PDF = (
    "This PDF is damaged and cannot be read. Open it in a PDF reader, save or export "
    "it again, and upload the new file."
)
ENCRYPTED_PDF = (
    "This PDF is protected with a password, so readers could not open or print it "
    "freely. Save a copy without protection and upload that."
)


def validate_pdf(upload):
    """Accept only real PDF files: the name says .pdf, the file starts with %PDF-
    (after a byte-order mark or space at most), pypdf reads its pages, it is not
    encrypted, and the size is within PUBLICATION_PDF_MAX_BYTES."""
    limit = settings.PUBLICATION_PDF_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            "This PDF is %(size)s; the limit is %(limit)s. Compress it or split it.",
            code="pdf_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError("Upload a file whose name ends in .pdf.", code="pdf_extension")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        if not upload.read(1024).lstrip(PDF_PREAMBLE).startswith(b"%PDF-"):
            raise ValidationError(NOT_A_PDF, code="pdf_content")
        upload.seek(0)
        check_pdf_structure(upload)
    finally:
        upload.seek(position)


def check_pdf_structure(upload):
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(ENCRYPTED_PDF, code="pdf_encrypted")
        if len(reader.pages) == 0:
            raise ValidationError(BROKEN_PDF, code="pdf_broken")
    # pypdf reports most damage as its own errors, but a hostile file can also trip
    # it into these while it follows references; each means "cannot be read".
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
    ):
        raise ValidationError(BROKEN_PDF, code="pdf_broken") from None
