"""Uploads: only real PDFs within the size limit, with a message an analyst understands."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from thinktank.building_blocks.uploads import validate_pdf

from .factories import pdf_bytes

# Files are checked before anything is stored:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PDF_BYTES = pdf_bytes()


def test_a_real_pdf_passes():
    validate_pdf(SimpleUploadedFile("brief.pdf", PDF_BYTES))


def test_a_pdf_with_bytes_before_its_header_passes():
    validate_pdf(SimpleUploadedFile("brief.PDF", b"\xef\xbb\xbf" + PDF_BYTES))


def test_a_renamed_word_document_is_refused():
    fake = SimpleUploadedFile("brief.pdf", b"PK\x03\x04word/document.xml")

    with pytest.raises(ValidationError, match="This file is not a PDF"):
        validate_pdf(fake)


def test_a_pdf_with_another_name_is_refused():
    with pytest.raises(ValidationError, match=r"name ends in \.pdf"):
        validate_pdf(SimpleUploadedFile("brief.exe", PDF_BYTES))


def test_a_pdf_over_the_limit_is_refused_with_both_sizes(settings):
    settings.PUBLICATION_PDF_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        validate_pdf(SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048))

    assert "the limit is 1.0\xa0KB" in refused.value.messages[0]


def test_checking_leaves_the_file_ready_to_be_saved():
    upload = SimpleUploadedFile("brief.pdf", PDF_BYTES)

    validate_pdf(upload)

    assert upload.read() == PDF_BYTES
