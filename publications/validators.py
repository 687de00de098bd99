from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PyPdfError

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
