"""Uploads through the admin: what is refused (a form error, nothing written to media),
what is stored (re-encoded pictures, safe names), and who may fetch a draft's files."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from authors.models import Author

from .factories import make_author, make_publication, pdf_bytes
from .test_admin import change_url, errors_of, publication_form_data

# Nothing here depends on the database (what an upload is checked for (Pillow, pypdf, names) happens in Python):
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

ALT = "Delegates at the summit table"
TOO_LARGE = "This image is too large"
NOT_AN_IMAGE = "This file is not an image a browser can show."
BROKEN_IMAGE = "This image is damaged and cannot be read."
NOT_A_PDF = "This file is not a PDF"
BROKEN_PDF = "This PDF is damaged and cannot be read."
ENCRYPTED_PDF = "This PDF is protected with a password"
SCRIPT = b"<script>alert(1)</script>"


def picture(image_format="PNG", size=(4, 4), mode="RGB", **options):
    output = io.BytesIO()
    Image.new(mode, size, "navy").save(output, format=image_format, **options)
    return output.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def encrypted_pdf(owner_only=False):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("" if owner_only else "secret", "owner")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def save_in_admin(admin_client, publication, **fields):
    """Posts the publication's change form with these fields; returns the response."""
    data = publication_form_data(
        publication_type=publication.publication_type,
        title=publication.title,
        slug=publication.slug,
        **fields,
    )
    return admin_client.post(change_url(publication), data)


def saved_in_admin(admin_client, **fields):
    publication = make_publication(status="draft")
    response = save_in_admin(admin_client, publication, **fields)
    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()
    return publication


def stored_bytes(field_file):
    with field_file.open("rb") as file:
        return file.read()


# Refused: a form error that says why, and nothing written to media


def gif_frames(count, size):
    colours = ["red", "green", "blue", "white"][:count]
    frames = [Image.new("RGB", size, colour) for colour in colours]
    output = io.BytesIO()
    frames[0].save(output, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return output.getvalue()


REFUSED_COVERS = {
    # 144 megapixels in 17 KB: decoding it would take over 400 MB of memory.
    "a 12,000 x 12,000 PNG": ("huge.png", lambda: picture(size=(12000, 12000), mode="1")),
    "past Pillow's own bomb limit": ("bomb.png", lambda: picture(size=(20000, 20000), mode="1")),
    "an SVG drawing": ("drawing.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT),
    "an HTML page named .png": ("cover.png", lambda: b"<!doctype html><html>" + SCRIPT),
    "a TIFF, which browsers do not show": ("scan.tiff", lambda: picture("TIFF")),
    "a PNG cut short": ("cut.png", lambda: picture(size=(64, 64))[:-40]),
    "an empty file": ("empty.png", lambda: b""),
}
REFUSED_COVER_MESSAGES = {
    "a 12,000 x 12,000 PNG": "This image is too large (144 megapixels); the limit is 40 megapixels.",
    "past Pillow's own bomb limit": "This image is too large; the limit is 40 megapixels.",
    "an SVG drawing": NOT_AN_IMAGE,
    "an HTML page named .png": NOT_AN_IMAGE,
    "a TIFF, which browsers do not show": NOT_AN_IMAGE,
    "a PNG cut short": BROKEN_IMAGE,
    "an empty file": "The submitted file is empty.",
}


@pytest.mark.parametrize("case", REFUSED_COVERS)
def test_a_cover_that_is_not_a_safe_picture_is_refused_with_the_reason(
    admin_client, settings, case
):
    publication = make_publication(status="draft")
    name, content = REFUSED_COVERS[case]

    response = save_in_admin(
        admin_client, publication, cover_image=upload(name, content()), cover_image_alt=ALT
    )

    assert response.status_code == 200
    assert REFUSED_COVER_MESSAGES[case] in errors_of(response)
    assert stored_files(settings) == []
    publication.refresh_from_db()
    assert not publication.cover_image


def test_the_pixel_limit_comes_from_the_settings_and_counts_every_frame(admin_client, settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 150  # an 8 x 8 frame is 64 pixels
    publication = make_publication(status="draft")

    one_frame = save_in_admin(
        admin_client,
        publication,
        cover_image=upload("a.gif", gif_frames(2, (8, 8))),
        cover_image_alt=ALT,
    )
    three_frames = save_in_admin(
        admin_client,
        publication,
        cover_image=upload("b.gif", gif_frames(3, (8, 8))),
        cover_image_alt=ALT,
    )

    assert one_frame.status_code == 302, errors_of(one_frame)
    assert three_frames.status_code == 200
    assert TOO_LARGE in errors_of(three_frames)


REFUSED_PDFS = {
    "an HTML page with %PDF- in a comment": (
        b"<html><!-- %PDF-1.7 --><body>" + SCRIPT + b"</body></html>",
        NOT_A_PDF,
    ),
    "a Word document renamed": (b"PK\x03\x04word/document.xml", NOT_A_PDF),
    "text before the header": (b"Hello\n" + pdf_bytes(), NOT_A_PDF),
    "a PDF cut in half": (pdf_bytes()[:200], BROKEN_PDF),
    "a header and nothing else": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", BROKEN_PDF),
    "a header then noise": (b"%PDF-1.7\n" + bytes(range(256)) * 40, BROKEN_PDF),
    "a PDF that needs a password to open": (encrypted_pdf(), ENCRYPTED_PDF),
    "a PDF locked with an owner password": (encrypted_pdf(owner_only=True), ENCRYPTED_PDF),
}


@pytest.mark.parametrize("case", REFUSED_PDFS)
def test_a_pdf_that_is_not_a_readable_pdf_is_refused_with_the_reason(admin_client, settings, case):
    publication = make_publication(status="draft")
    content, message = REFUSED_PDFS[case]

    response = save_in_admin(admin_client, publication, pdf=upload("report.pdf", content))

    assert response.status_code == 200
    assert message in errors_of(response)
    assert stored_files(settings) == []


def test_an_author_photo_that_is_a_drawing_is_refused(admin_client, settings):
    author = make_author("Mitch Shin")
    data = {
        "name": author.name,
        "sort_name": author.sort_name,
        "slug": author.slug,
        "is_active": "on",
        "photo": upload("portrait.svg", b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT),
    }

    response = admin_client.post(reverse("admin:authors_author_change", args=[author.pk]), data)

    assert response.status_code == 200
    assert NOT_AN_IMAGE in str(response.context["adminform"].form.errors)
    assert stored_files(settings) == []


# Accepted: what is stored is a clean copy, under a safe name


def test_a_gif_that_is_also_a_web_page_is_stored_as_a_gif_only(admin_client):
    polyglot = picture("GIF", comment=SCRIPT) + b"<html><body>" + SCRIPT + b"</body></html>"

    publication = saved_in_admin(
        admin_client, cover_image=upload("cover.gif", polyglot), cover_image_alt=ALT
    )

    stored = stored_bytes(publication.cover_image)
    assert stored.startswith(b"GIF8")
    assert b"<script" not in stored
    assert b"<html" not in stored
    assert Image.open(io.BytesIO(stored)).size == (4, 4)


def test_a_photo_loses_its_exif_but_stays_the_right_way_up(admin_client):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to view
    exif[0x010F] = "Camera Maker Co"
    exif[0x8298] = "Home address of the photographer"
    photo = picture("JPEG", size=(40, 20), exif=exif.tobytes())

    publication = saved_in_admin(
        admin_client, cover_image=upload("photo.jpg", photo), cover_image_alt=ALT
    )

    stored = stored_bytes(publication.cover_image)
    assert b"Exif" not in stored
    assert b"Camera Maker Co" not in stored
    assert b"Home address" not in stored
    assert Image.open(io.BytesIO(stored)).size == (20, 40)
    assert publication.cover_image.name.endswith(".jpg")


def test_a_png_loses_its_text_chunks(admin_client):
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "<html><script>alert(1)</script></html>")

    publication = saved_in_admin(
        admin_client, cover_image=upload("cover.png", picture(pnginfo=text)), cover_image_alt=ALT
    )

    stored = stored_bytes(publication.cover_image)
    assert b"<script" not in stored
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.new("RGB", (4, 4), "navy").tobytes()


def test_an_animated_gif_keeps_its_frames(admin_client):
    publication = saved_in_admin(
        admin_client, cover_image=upload("loop.gif", gif_frames(3, (8, 8))), cover_image_alt=ALT
    )

    assert Image.open(io.BytesIO(stored_bytes(publication.cover_image))).n_frames == 3


def test_a_picture_is_stored_under_the_extension_of_its_format(admin_client):
    publication = saved_in_admin(
        admin_client, cover_image=upload("summit.html", picture("WEBP")), cover_image_alt=ALT
    )

    assert publication.cover_image.name.startswith(f"covers/{timezone.now():%Y}/summit")
    assert publication.cover_image.name.endswith(".webp")


def test_a_picture_saved_outside_the_admin_is_stored_clean_too():
    polyglot = picture("GIF") + b"<html>" + SCRIPT

    publication = make_publication(cover_image=upload("cover.gif", polyglot), cover_image_alt=ALT)
    author = Author.objects.create(
        name="Mitch Shin",
        slug="mitch-shin",
        sort_name="Shin, Mitch",
        photo=upload("me.gif", polyglot),
    )

    assert b"<script" not in stored_bytes(publication.cover_image)
    assert b"<script" not in stored_bytes(author.photo)
    assert author.photo.name.startswith("authors/me")


@pytest.mark.parametrize(
    ("uploaded_name", "stored_name"),
    [
        ("Alliance Report.pdf", "alliance-report.pdf"),
        ("Côte d'Ivoire: Outlook 2026.PDF", "cote-divoire-outlook-2026.pdf"),
        ("한반도 전망.pdf", "publication.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
    ],
)
def test_a_pdf_is_stored_under_a_readable_ascii_name(admin_client, uploaded_name, stored_name):
    publication = saved_in_admin(admin_client, pdf=upload(uploaded_name, pdf_bytes()))

    assert publication.pdf.name == f"pdfs/{timezone.now():%Y}/{stored_name}"


@pytest.mark.parametrize("uploaded_name", [".pdf", "....pdf", " .pdf", ". . .pdf", "-.pdf"])
def test_a_pdf_named_only_by_its_extension_is_stored_and_served_as_a_pdf(
    admin_client, uploaded_name
):
    publication = saved_in_admin(admin_client, pdf=upload(uploaded_name, pdf_bytes()))

    assert publication.pdf.name == f"pdfs/{timezone.now():%Y}/publication.pdf"
    assert admin_client.get(publication.pdf.url)["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("uploaded_name", [".png", "....png", " .png", "...", " . ", "-"])
def test_a_cover_with_a_name_of_dots_or_spaces_is_stored_and_served_as_a_picture(
    admin_client, uploaded_name
):
    publication = saved_in_admin(
        admin_client, cover_image=upload(uploaded_name, picture()), cover_image_alt=ALT
    )

    assert publication.cover_image.name == f"covers/{timezone.now():%Y}/cover.png"
    assert admin_client.get(publication.cover_image.url)["Content-Type"] == "image/png"


def test_a_pdf_with_a_long_title_as_its_name_is_accepted_and_cut_to_fit(admin_client):
    title = "Extended Deterrence on the Korean Peninsula after the Summit " * 5

    publication = saved_in_admin(admin_client, pdf=upload(title + ".pdf", pdf_bytes()))
    again = saved_in_admin(admin_client, pdf=upload(title + ".pdf", pdf_bytes(pages=2)))

    assert publication.pdf.name.startswith(f"pdfs/{timezone.now():%Y}/extended-deterrence-on-the")
    assert publication.pdf.name.endswith(".pdf")
    # The second is renamed by the storage with a suffix, and still fits.
    assert again.pdf.name != publication.pdf.name
    assert len(publication.pdf.name) <= 255
    assert len(again.pdf.name) <= 255
    assert stored_bytes(again.pdf) == pdf_bytes(pages=2)


def test_a_pdf_with_a_byte_order_mark_and_space_before_its_header_is_accepted(admin_client):
    content = b"\xef\xbb\xbf \r\n" + pdf_bytes()

    publication = saved_in_admin(admin_client, pdf=upload("report.pdf", content))

    assert stored_bytes(publication.pdf) == content


# A draft's files


def with_files(publication):
    publication.pdf.save("report.pdf", io.BytesIO(pdf_bytes()))
    publication.cover_image.save("cover.png", io.BytesIO(picture()))
    return publication


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "review"},
        {"status": "published", "published_at": timezone.now() + timedelta(days=3)},
    ],
    ids=["draft", "in review", "scheduled"],
)
def test_the_files_of_a_publication_that_is_not_public_are_not_found_by_readers(client, fields):
    publication = with_files(make_publication(cover_image_alt=ALT, **fields))

    assert client.get(publication.pdf.url).status_code == 404
    assert client.get(publication.cover_image.url).status_code == 404


def test_staff_can_fetch_a_drafts_files_which_nobody_may_cache(admin_client):
    publication = with_files(make_publication(cover_image_alt=ALT, status="draft"))

    response = admin_client.get(publication.pdf.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Cache-Control"] == "private, no-store"


def test_a_drafts_replaced_files_are_not_public_under_their_first_names(client, admin_client):
    """Replacing a file keeps the old one (History can bring it back) under the name
    guessed from the title; nobody holds it now, and that does not make it public."""
    publication = with_files(make_publication(cover_image_alt=ALT, status="draft"))
    first_files = [publication.pdf.url, publication.cover_image.url]

    with_files(publication)

    assert publication.pdf.url not in first_files
    for url in first_files:
        assert client.get(url).status_code == 404, url
        preview = admin_client.get(url)
        assert (preview.status_code, preview["Cache-Control"]) == (200, "private, no-store")


def test_a_deleted_drafts_files_are_not_found_by_readers(client):
    publication = with_files(make_publication(cover_image_alt=ALT, status="draft"))
    urls = [publication.pdf.url, publication.cover_image.url]

    publication.delete()

    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_once_published_its_files_are_public_with_one_query_each(client, django_assert_num_queries):
    publication = with_files(make_publication(cover_image_alt=ALT, status="draft"))
    publication.publish()
    publication.save()

    with django_assert_num_queries(1):
        response = client.get(publication.pdf.url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_authors_photo_is_public(client):
    author = make_author(photo=upload("portrait.png", picture()))

    assert client.get(author.photo.url).status_code == 200
