from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_pdf(upload):
    """Accept only real PDF files: the name says .pdf, the first bytes say %PDF-,
    and the size is within PUBLICATION_PDF_MAX_BYTES."""
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
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    # The PDF spec allows junk before the header within the first 1024 bytes.
    if b"%PDF-" not in head:
        raise ValidationError(
            "This file is not a PDF (its contents do not start like one). "
            "Export the document as PDF and upload that file.",
            code="pdf_content",
        )
