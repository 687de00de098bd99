"""Uploaded PDFs and cover images are served by the app itself, with production settings."""

import json
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.http import http_date

from .factories import make_publication
from .servers import gunicorn, prepare_site
from .test_admin import png_upload

pytestmark = pytest.mark.django_db

# Longer than FileResponse's block, so ranges span several reads; every byte differs
# from its neighbours, so a wrong offset shows.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
SIZE = len(PDF)
YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def store(name, content=PDF):
    """Saves a file into the temporary MEDIA_ROOT as a published publication's PDF;
    returns its URL."""
    name = default_storage.save(name, ContentFile(content))
    make_publication(pdf=name)
    return default_storage.url(name)


def body(response):
    return b"".join(response.streaming_content)


def test_a_pdf_opens_in_the_browser_under_its_own_name(client):
    response = client.get(store("pdfs/2026/alliance-report.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="alliance-report.pdf"'
    assert response["Content-Length"] == str(SIZE)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == PDF


def test_a_pdf_with_a_korean_name_keeps_it_when_saved(client):
    response = client.get(store("pdfs/2026/한반도_전망.pdf"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%ED%95%9C%EB%B0%98%EB%8F%84_%EC%A0%84%EB%A7%9D.pdf"
    )


def test_a_cover_image_is_shown_not_downloaded(client):
    response = client.get(store("covers/2026/summit.png", png_upload().read()))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.thinktank-draft", "application/octet-stream"),
        ("page.html", "text/html"),
        ("drawing.svg", "image/svg+xml"),
        ("archive.pdf.gz", "application/octet-stream"),
    ],
)
def test_other_files_are_downloaded_never_shown_as_a_page_of_the_site(client, name, content_type):
    response = client.get(store(name, b"<script>alert(1)</script>"))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_files_are_cached_for_a_year_and_say_when_they_changed(client):
    url = store("pdfs/2026/report.pdf")
    modified = os.stat(default_storage.path("pdfs/2026/report.pdf")).st_mtime

    response = client.get(url)

    assert response["Cache-Control"] == YEAR_IMMUTABLE
    assert response["Last-Modified"] == http_date(modified)
    assert response["Accept-Ranges"] == "bytes"


def test_a_browser_with_the_current_copy_gets_304_and_an_older_copy_the_file(client):
    url = store("pdfs/2026/report.pdf")
    last_modified = client.get(url)["Last-Modified"]

    unchanged = client.get(url, headers={"If-Modified-Since": last_modified})
    older = client.get(url, headers={"If-Modified-Since": http_date(0)})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["Cache-Control"] == YEAR_IMMUTABLE
    assert older.status_code == 200
    assert body(older) == PDF


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-9000", 100, 9000),
        ("bytes=10000-", 10000, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=9000-999999", 9000, SIZE - 1),
        ("bytes=-999999", 0, SIZE - 1),
    ],
)
def test_a_single_byte_range_answers_206_with_exactly_those_bytes(client, header, first, last):
    response = client.get(store("pdfs/2026/long-report.pdf"), headers={"Range": header})

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == PDF[first : last + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_a_range_past_the_end_answers_416_with_the_size(client, header):
    response = client.get(store("pdfs/2026/report.pdf"), headers={"Range": header})

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,4-5", "bytes=9-3", "bytes=-", "bytes=a-b", "pages=1-2", "bytes 0-9"]
)
def test_a_malformed_or_multi_part_range_gets_the_whole_file(client, header):
    response = client.get(store("pdfs/2026/report.pdf"), headers={"Range": header})

    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body(response) == PDF


def test_a_range_on_a_changed_file_gets_the_whole_new_file(client):
    """If-Range: resume a download only if the file is still the one partly fetched."""
    url = store("pdfs/2026/report.pdf")
    last_modified = client.get(url)["Last-Modified"]

    same = client.get(url, headers={"Range": "bytes=0-9", "If-Range": last_modified})
    changed = client.get(url, headers={"Range": "bytes=0-9", "If-Range": http_date(0)})

    assert same.status_code == 206
    assert body(same) == PDF[:10]
    assert changed.status_code == 200
    assert body(changed) == PDF


def test_head_answers_with_the_files_headers(client):
    response = client.head(store("pdfs/2026/report.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(SIZE)


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/pdfs/%2E%2E/%2E%2E/secret.txt",
        "/media/..%5csecret.txt",
        "/media/pdfs%5c..%5c..%5csecret.txt",
        "/media/" + "a" * 5000 + ".pdf",
    ],
)
def test_paths_out_of_the_media_folder_are_not_found(client, settings, path):
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("not for readers")
    store("pdfs/2026/report.pdf")

    response = client.get(path)

    assert response.status_code == 404
    assert b"not for readers" not in response.content


def test_a_path_with_a_nul_byte_is_refused_before_the_media_folder_is_read(client, settings):
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("not for readers")

    response = client.get("/media/secret.txt%00.pdf")

    assert response.status_code == 400
    assert response.content == b"This address contains characters that are not allowed."


def test_an_absolute_path_is_not_found(client, settings):
    secret = settings.MEDIA_ROOT.parent / "secret.txt"
    secret.write_text("not for readers")
    store("pdfs/2026/report.pdf")

    response = client.get(f"/media/{secret}")

    assert response.status_code == 404
    assert b"not for readers" not in response.content


@pytest.mark.parametrize("path", ["/media/pdfs/", "/media/pdfs", "/media/pdfs/2026/", "/media/"])
def test_folders_are_not_listed(client, path):
    store("pdfs/2026/report.pdf")

    response = client.get(path)

    assert response.status_code == 404
    assert b"report.pdf" not in response.content


def test_a_missing_file_is_not_found(client):
    store("pdfs/2026/report.pdf")

    assert client.get("/media/pdfs/2026/other-report.pdf").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_files_can_only_be_read(client, method):
    url = store("pdfs/2026/report.pdf")

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert default_storage.exists("pdfs/2026/report.pdf")


def test_files_are_not_kept_in_the_page_cache(client):
    """The page cache stores anonymous pages and tags them with an ETag; files stream past it."""
    url = store("pdfs/2026/report.pdf")

    first, second = client.get(url), client.get(url)

    assert "ETag" not in first
    assert "ETag" not in second
    assert body(second) == PDF


def test_a_published_articles_pdf_and_cover_links_answer_with_the_files(client, settings):
    assert settings.DEBUG is False
    publication = make_publication(cover_image_alt="Delegates at the summit table")
    publication.pdf.save("Deterrence After the Summit.pdf", ContentFile(PDF))
    publication.cover_image.save("summit.png", png_upload())

    page = client.get(publication.get_absolute_url()).text
    pdf_url = re.search(r'<a class="button" href="([^"]+)" download>', page).group(1)
    cover_url = re.search(r'<img src="([^"]+)" alt="Delegates', page).group(1)

    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert body(pdf) == PDF
    assert pdf["Content-Disposition"] == 'inline; filename="deterrence-after-the-summit.pdf"'
    assert client.get(cover_url).status_code == 200


# One name for each file: the draft check is asked of the name the database holds, so
# any other spelling of it must not reach the file.

PDF_NAME = "pdfs/2026/embargoed-report.pdf"


def other_spellings(name):
    """Addresses of `name` that the file system would open as the same file."""
    folder, _, file = name.rpartition("/")
    return [
        f"/media/{folder}//{file}",
        f"/media//{folder}/{file}",
        f"/media/{folder}/./{file}",
        f"/media/./{folder}/{file}",
        f"/media/{folder}/elsewhere/../{file}",
        f"/media/{folder}/{file}/",
        f"/media/{folder}\\{file}",
    ]


# Each kind of publication that is not public yet, as make_publication() fields.
NOT_PUBLIC = pytest.mark.parametrize(
    "fields",
    [{"status": "draft"}, {"status": "review"}, {"status": "published", "days_ago": -3}],
    ids=["draft", "in review", "scheduled"],
)


def embargoed_files(fields, pdf=PDF):
    """The stored names of the PDF and cover of a new publication made with `fields`."""
    publication = make_publication(cover_image_alt="Delegates at the summit table", **fields)
    publication.pdf.save("Embargoed Report.pdf", ContentFile(pdf))
    publication.cover_image.save("embargoed.png", png_upload())
    return publication.pdf.name, publication.cover_image.name


@NOT_PUBLIC
def test_a_non_public_pdf_or_cover_is_not_found_under_any_other_spelling_of_its_name(
    client, admin_client, fields
):
    """Not by readers, and not by staff either: a file has one address."""
    for name in embargoed_files(fields):
        for path in [f"/media/{name}", *other_spellings(name)]:
            response = client.get(path)
            assert response.status_code == 404, path
            assert "public" not in response.get("Cache-Control", ""), path
        for path in other_spellings(name):
            assert admin_client.get(path).status_code == 404, path
        assert admin_client.get(f"/media/{name}")["Cache-Control"] == "private, no-store"


def test_a_public_file_answers_under_its_own_name_only(client):
    store(PDF_NAME)

    assert client.get(f"/media/{PDF_NAME}")["Cache-Control"] == YEAR_IMMUTABLE
    for path in other_spellings(PDF_NAME):
        assert client.get(path).status_code == 404, path


# The same through a real server: gunicorn hands the path to Django as the client
# sent it, "//", "." and ".." segments and all, and decodes %2F to "/" on the way.

FILES_OF_EACH_KIND = """
import io, json
from datetime import timedelta
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from publications.models import Publication, PublicationType

cover = io.BytesIO()
Image.new("RGB", (4, 4), "navy").save(cover, format="PNG")
names = {}
for kind, status, days_ahead in [
    ("draft", "draft", None), ("in review", "review", None),
    ("scheduled", "published", 3), ("published", "published", -1),
]:
    publication = Publication.objects.create(
        title=f"Embargo test {kind}", lead="Files under every spelling.", status=status,
        published_at=days_ahead and timezone.now() + timedelta(days=days_ahead),
        publication_type=PublicationType.objects.first(), cover_image_alt="A cover",
    )
    publication.pdf.save(f"{kind} report.pdf", ContentFile(pdf))
    publication.cover_image.save(f"{kind}.png", ContentFile(cover.getvalue()))
    names[kind] = [publication.pdf.name, publication.cover_image.name]
print(json.dumps(names))
"""


def raw_spellings(name):
    """other_spellings(), and those a client can only send percent-encoded."""
    folder, _, file = name.rpartition("/")
    top, _, year = folder.partition("/")
    return [
        *other_spellings(name),
        f"/media/{top}%2F{year}%2F{file}",
        f"/media/{folder}%2f{file}",
        f"/media/{folder}/{file}%2F",
        f"/media/{folder}%5C{file}",
        f"/media/{folder}/%2e/{file}",
        f"/media/{folder}/elsewhere/%2e%2e/{file}",
        f"/media/%2E/{folder}/{file}",
        f"//media/{name}",
        f"/./media/{name}",
        f"/static/../media/{name}",
    ]


def answers_to_every_spelling(server, files):
    """{(kind, path): (status, Cache-Control)} for each of `files` ({kind: names}) asked
    at its own address and at every other spelling of it."""
    answers = {}
    for kind, names in files.items():
        for name in names:
            for path in [f"/media/{name}", *raw_spellings(name)]:
                answer = server.get(path)
                answers[kind, path] = (answer.status, answer.headers["Cache-Control"])
    return answers


@pytest.mark.servers
def test_through_gunicorn_no_spelling_of_a_non_public_file_answers_and_a_public_one_has_one(
    tmp_path_factory,
):
    site = prepare_site(tmp_path_factory.mktemp("media-site"))
    files = json.loads(site.shell(FILES_OF_EACH_KIND, pdf=PDF))
    public = files.pop("published")

    with gunicorn(site, "media") as server:
        answers = answers_to_every_spelling(server, files)
        for name in public:
            answer = server.get(f"/media/{name}")
            assert (answer.status, answer.headers["Cache-Control"]) == (200, YEAR_IMMUTABLE)
            for path in raw_spellings(name):
                answers["published", path] = (server.get(path).status, None)

    served = {request: answer for request, answer in answers.items() if answer[0] != 404}
    assert served == {}
