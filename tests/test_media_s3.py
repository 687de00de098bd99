"""With MEDIA_STORAGE=s3, uploads go to a private S3-compatible bucket.

Pages link the app's own /media/ addresses as with files on the local disk; the app
asks there who may see a file and sends those who may on to a short-lived signed URL.
The bucket is a real local S3 server (moto's server mode) on a free port, which, like
AWS, refuses unsigned requests to a bucket without a public policy; the storage
settings are the ones thinktank.settings builds from the environment.
"""

import io
import json
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from publications.models import Image as LibraryImage
from publications.models import Publication

from .factories import make_publication, make_type, pdf_bytes
from .servers import gunicorn, prepare_site
from .test_admin import ADD_URL, errors_of, png_upload, publication_form_data
from .test_image_library import body_with, picture_bytes
from .test_media import (
    FILES_OF_EACH_KIND,
    NOT_PUBLIC,
    answers_to_every_spelling,
    embargoed_files,
    other_spellings,
    raw_spellings,
)
from .test_settings import PRODUCTION, load_settings, run_python

# The bucket, not the database, holds the files:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

REGION = "us-east-1"
PDF = pdf_bytes()


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint, monkeypatch):
    # Read by django-storages and boto3 alike; moto accepts any.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "thinktank-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "thinktank-test")
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)


def use_bucket(settings, s3_client, s3_endpoint, **environment):
    """A new private bucket, and default storage switched to it as the settings say."""
    bucket = f"thinktank-media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    result = load_settings(
        **PRODUCTION,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        **environment,
    )
    loaded = json.loads(result.stdout)
    settings.STORAGES = {**settings.STORAGES, "default": loaded["MEDIA"]}
    settings.MEDIA_CACHE_CONTROL = loaded["MEDIA_CACHE_CONTROL"]
    return bucket


@pytest.fixture
def bucket(settings, s3_client, s3_endpoint):
    return use_bucket(settings, s3_client, s3_endpoint)


def pdf_upload(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_in_admin(admin_client, **fields):
    """Add a publication from the admin's form (one to publish has no byline or tag: "anyway")."""
    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), **fields)
    )
    assert response.status_code == 302, errors_of(response)
    return Publication.objects.get(slug=fields["slug"])


def stored_bytes(s3_client, bucket, key):
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_a_pdf_and_cover_uploaded_in_the_admin_land_in_the_bucket(admin_client, s3_client, bucket):
    cover = png_upload()
    publication = add_in_admin(
        admin_client,
        slug="summit-brief",
        pdf=pdf_upload(),
        cover_image=cover,
        cover_image_alt="Delegates at the summit table",
    )

    listed = s3_client.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(item["Key"] for item in listed) == sorted(
        [publication.pdf.name, publication.cover_image.name]
    )
    assert stored_bytes(s3_client, bucket, publication.pdf.name) == PDF
    # Stored re-encoded (see test_uploads.py): the same picture, the bytes written anew.
    cover.seek(0)
    stored_cover = stored_bytes(s3_client, bucket, publication.cover_image.name)
    assert Image.open(io.BytesIO(stored_cover)).tobytes() == Image.open(cover).tobytes()


def fetch(url, **headers):
    """The bucket's answer to a plain GET of `url`: (status, headers, body)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.headers, refusal.read()


def signed_for(response, s3_endpoint, bucket, name):
    """The signed URL a redirect from /media/<name> leads to, checked to be the object's."""
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_endpoint}/{bucket}/{name}?")
    assert "X-Amz-Signature" in parse_qs(urlsplit(location).query)
    return location


def test_an_article_links_its_pdf_and_cover_at_the_apps_media_address(client, admin_client, bucket):
    """Pages, feeds and metadata link the same address whatever the storage."""
    publication = add_in_admin(
        admin_client,
        slug="published-brief",
        _anyway="publish",
        pdf=pdf_upload(),
        cover_image=png_upload(),
        cover_image_alt="Delegates at the summit table",
    )

    page = client.get(publication.get_absolute_url()).text

    assert f'<a class="button" href="/media/{publication.pdf.name}" download>' in page
    assert f'<img src="/media/{publication.cover_image.name}" alt="Delegates' in page
    assert (
        f'<meta name="citation_pdf_url" content="http://testserver/media/{publication.pdf.name}">'
        in page
    )


def test_a_published_pdf_redirects_to_a_short_lived_signed_url_that_serves_it(
    client, admin_client, s3_endpoint, bucket
):
    publication = add_in_admin(
        admin_client, slug="published-brief", _anyway="publish", pdf=pdf_upload()
    )

    response = client.get(f"/media/{publication.pdf.name}")
    signed = signed_for(response, s3_endpoint, bucket, publication.pdf.name)

    # Kept by caches for half the signature's life, so a kept redirect still works.
    assert response["Cache-Control"] == "public, max-age=150"
    assert parse_qs(urlsplit(signed).query)["X-Amz-Expires"] == ["300"]
    status, headers, body = fetch(signed)
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert headers["Cache-Control"] == "public, max-age=150"
    # Readers jump around a large PDF: the bucket answers byte ranges itself.
    status, headers, body = fetch(signed, Range="bytes=0-7")
    assert (status, body) == (206, PDF[:8])


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("page.html", "text/html"), ("drawing.svg", "image/svg+xml")],
)
def test_other_files_are_downloaded_from_the_bucket_never_shown(client, name, content_type, bucket):
    """As from the disk (test_media.py), whatever type the object was stored with."""
    publication = make_publication()
    publication.pdf.save(name, ContentFile(b"<script>alert(1)</script>"))

    signed = client.get(f"/media/{publication.pdf.name}")["Location"]

    status, headers, _ = fetch(signed)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Content-Disposition"] == f'attachment; filename="{name}"'


def test_the_signatures_life_is_set_by_aws_querystring_expire(
    client, admin_client, settings, s3_client, s3_endpoint
):
    use_bucket(settings, s3_client, s3_endpoint, AWS_QUERYSTRING_EXPIRE="120")
    publication = make_publication()
    publication.pdf.save("report.pdf", ContentFile(PDF))

    response = client.get(f"/media/{publication.pdf.name}")

    assert response["Cache-Control"] == "public, max-age=60"
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["120"]


def test_the_bucket_serves_no_object_to_an_unsigned_request(admin_client, s3_endpoint, bucket):
    """Not even a published one: every file is reached through the app's checks."""
    publication = add_in_admin(
        admin_client, slug="published-brief", _anyway="publish", pdf=pdf_upload()
    )

    status, _, body = fetch(f"{s3_endpoint}/{bucket}/{publication.pdf.name}")

    assert status == 403
    assert PDF not in body


def test_objects_are_not_stored_with_a_public_cache_header(admin_client, s3_client, bucket):
    """The signed answer says how long it may be kept; the object says nothing."""
    publication = add_in_admin(admin_client, slug="a-draft", pdf=pdf_upload())

    stored = s3_client.head_object(Bucket=bucket, Key=publication.pdf.name)

    assert "CacheControl" not in stored


@NOT_PUBLIC
def test_a_non_public_pdf_or_cover_is_not_found_by_readers_and_not_served_by_the_bucket(
    client, fields, s3_endpoint, bucket
):
    for name in embargoed_files(fields, PDF):
        for path in [f"/media/{name}", *other_spellings(name)]:
            response = client.get(path)
            assert response.status_code == 404, path
            assert "public" not in response.get("Cache-Control", ""), path
        assert fetch(f"{s3_endpoint}/{bucket}/{name}")[0] == 403


@NOT_PUBLIC
def test_staff_previewing_a_non_public_file_get_a_signed_url_that_is_never_kept(
    admin_client, fields, s3_endpoint, bucket
):
    for name in embargoed_files(fields, PDF):
        response = admin_client.get(f"/media/{name}")
        signed = signed_for(response, s3_endpoint, bucket, name)
        assert response["Cache-Control"] == "private, no-store"
        status, headers, _ = fetch(signed)
        assert (status, headers["Cache-Control"]) == (200, "private, no-store")
        for path in other_spellings(name):
            assert admin_client.get(path).status_code == 404, path


def test_a_public_file_answers_under_its_own_name_only(client, bucket):
    publication = make_publication()
    publication.pdf.save("report.pdf", ContentFile(PDF))

    assert client.get(f"/media/{publication.pdf.name}").status_code == 302
    for path in other_spellings(publication.pdf.name):
        assert client.get(path).status_code == 404, path


def test_a_second_upload_under_the_same_name_leaves_the_first_file_alone(
    admin_client, s3_client, bucket
):
    first = add_in_admin(admin_client, slug="first", pdf=pdf_upload())
    longer = pdf_bytes(pages=2)
    second = add_in_admin(admin_client, slug="second", pdf=pdf_upload(content=longer))

    assert first.pdf.name != second.pdf.name
    assert stored_bytes(s3_client, bucket, first.pdf.name) == PDF
    assert stored_bytes(s3_client, bucket, second.pdf.name) == longer


@pytest.mark.parametrize(
    "environment", [{}, {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "think-media"}]
)
def test_the_app_answers_media_addresses_whatever_the_storage(environment):
    result = run_python(
        "import django; django.setup();"
        "from django.urls import reverse\n"
        "print(reverse('media', args=['pdfs/report.pdf']))",
        DJANGO_SETTINGS_MODULE="thinktank.settings",
        **PRODUCTION,
        **environment,
    )

    assert result.stdout.strip() == "/media/pdfs/report.pdf"


@pytest.mark.servers
def test_through_gunicorn_no_spelling_of_a_non_public_file_answers_and_a_public_one_redirects(
    tmp_path_factory, s3_client, s3_endpoint
):
    """Files uploaded to the disk and copied into the bucket under the same keys, as the
    README says to when switching; gunicorn passes on "//", ".", ".." and %2F as sent."""
    site = prepare_site(tmp_path_factory.mktemp("bucket-site"))
    files = json.loads(site.shell(FILES_OF_EACH_KIND, pdf=PDF))
    bucket = f"thinktank-media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    for names in files.values():
        for name in names:
            s3_client.upload_file(str(site.folder / "media" / name), bucket, name)
    public = files.pop("published")

    with gunicorn(
        site,
        "bucket-media",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        AWS_ACCESS_KEY_ID="thinktank-test",
        AWS_SECRET_ACCESS_KEY="thinktank-test",
    ) as server:
        # Images are redirected to the bucket, and the policy checks every hop.
        policy = server.get("/").headers["Content-Security-Policy"]
        assert f"img-src 'self' {s3_endpoint};" in policy + ";"
        answers = answers_to_every_spelling(server, files)
        for name in public:
            answer = server.get(f"/media/{name}")
            assert (answer.status, answer.headers["Cache-Control"]) == (302, "public, max-age=150")
            location = answer.headers["Location"]
            assert location.startswith(f"{s3_endpoint}/{bucket}/{name}?")
            assert fetch(location)[2] == (site.folder / "media" / name).read_bytes()
            for path in raw_spellings(name):
                answers["published", path] = (server.get(path).status, None)

    served = {request: answer for request, answer in answers.items() if answer[0] != 404}
    assert served == {}


def test_a_library_image_and_its_renditions_are_made_once_in_the_bucket_and_served_from_it(
    client, admin_client, s3_client, s3_endpoint, bucket
):
    admin_client.post(
        reverse("admin:publications_image_add"),
        {
            "file": SimpleUploadedFile("chart.jpg", picture_bytes(1000, 500)),
            "title": "Chart",
            "alt": "A chart",
        },
    )
    image = LibraryImage.objects.get()
    stem = image.file.name.removesuffix(".jpg")

    listed = s3_client.list_objects_v2(Bucket=bucket)["Contents"]
    assert sorted(item["Key"] for item in listed) == [
        f"{stem}.480w.jpg",
        f"{stem}.800w.jpg",
        image.file.name,
    ]
    with Image.open(io.BytesIO(stored_bytes(s3_client, bucket, f"{stem}.800w.jpg"))) as picture:
        assert picture.size == (800, 400)
    assert image.make_renditions() == []

    # Readers are sent to it once a public publication places it (test_image_library.py).
    make_publication(body=body_with(image))
    response = client.get(f"/media/{stem}.480w.jpg")
    status, headers, body = fetch(signed_for(response, s3_endpoint, bucket, f"{stem}.480w.jpg"))
    assert (status, headers["Content-Type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(body)).size == (480, 240)
