"""With MEDIA_STORAGE=s3, uploads go to an S3-compatible bucket, which serves them.

The bucket is a real local S3 server (moto's server mode) on a free port, and the
storage settings are the ones thinktank.settings builds from the environment.
"""

import io
import json
import re
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from publications.models import Publication

from .factories import make_type, pdf_bytes
from .test_admin import ADD_URL, errors_of, png_upload, publication_form_data
from .test_settings import load_settings, run_python

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
    """A new bucket, and default storage switched to it as the settings configure it."""
    bucket = f"thinktank-media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    # What the operator sets up: anyone may read the files, as readers follow plain URLs.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    s3_client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read))
    result = load_settings(
        DJANGO_SECRET_KEY="k",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        **environment,
    )
    settings.STORAGES = {**settings.STORAGES, "default": json.loads(result.stdout)["MEDIA"]}
    return bucket


@pytest.fixture
def bucket(settings, s3_client, s3_endpoint):
    return use_bucket(settings, s3_client, s3_endpoint)


def pdf_upload(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_in_admin(admin_client, **fields):
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


def test_the_article_links_the_pdf_in_the_bucket_which_answers_with_the_same_bytes(
    client, admin_client, s3_endpoint, bucket
):
    publication = add_in_admin(
        admin_client, slug="published-brief", status="published", pdf=pdf_upload()
    )

    page = client.get(publication.get_absolute_url()).text
    pdf_url = re.search(r'<a class="button" href="([^"]+)" download>', page).group(1)

    assert pdf_url == f"{s3_endpoint}/{bucket}/{publication.pdf.name}"
    with urllib.request.urlopen(pdf_url) as reply:
        assert reply.read() == PDF
        assert reply.headers["Content-Type"] == "application/pdf"
        assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_second_upload_under_the_same_name_leaves_the_first_file_alone(
    admin_client, s3_client, bucket
):
    first = add_in_admin(admin_client, slug="first", pdf=pdf_upload())
    longer = pdf_bytes(pages=2)
    second = add_in_admin(admin_client, slug="second", pdf=pdf_upload(content=longer))

    assert first.pdf.name != second.pdf.name
    assert stored_bytes(s3_client, bucket, first.pdf.name) == PDF
    assert stored_bytes(s3_client, bucket, second.pdf.name) == longer


def test_with_a_custom_domain_pages_link_files_there(
    client, admin_client, settings, s3_client, s3_endpoint
):
    use_bucket(settings, s3_client, s3_endpoint, AWS_S3_CUSTOM_DOMAIN="media.think.example.org")
    publication = add_in_admin(admin_client, slug="cdn-brief", status="published", pdf=pdf_upload())

    page = client.get(publication.get_absolute_url()).text

    assert f'href="https://media.think.example.org/{publication.pdf.name}"' in page


@pytest.mark.parametrize(
    ("environment", "media_url_routed"),
    [({}, True), ({"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "think-media"}, False)],
)
def test_the_app_serves_media_urls_only_for_files_on_its_own_disk(environment, media_url_routed):
    result = run_python(
        "import django; django.setup();"
        "from django.urls import NoReverseMatch, reverse\n"
        "try: reverse('media', args=['pdfs/report.pdf'])\n"
        "except NoReverseMatch: print('not routed')\n"
        "else: print('routed')",
        DJANGO_SETTINGS_MODULE="thinktank.settings",
        DJANGO_SECRET_KEY="k",
        **environment,
    )

    assert result.stdout.strip() == ("routed" if media_url_routed else "not routed")
