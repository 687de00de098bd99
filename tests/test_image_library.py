"""The image library: pictures uploaded once, described, found again and placed in bodies."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as Picture

from publications.models import Image
from publications.models.images import ALT_REQUIRED
from publications.policy import sync_roles

from .test_roles import member_of

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publications_image_add")
CHANGELIST_URL = reverse("admin:publications_image_changelist")
NOT_AN_IMAGE = "This file is not an image a browser can show."


def picture_bytes(width=2000, height=1000, image_format="JPEG"):
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), "teal").save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name="chart.jpg", content=None):
    return SimpleUploadedFile(name, content or picture_bytes(), content_type="image/jpeg")


def make_image(title="Defence spending", alt="Bar chart of defence spending", **fields):
    fields.setdefault("file", ContentFile(picture_bytes(), name="spending.jpg"))
    return Image.objects.create(title=title, alt=alt, **fields)


def stored(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture(autouse=True)
def roles():
    sync_roles()


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def image_form(**fields):
    return {
        "file": upload(),
        "title": "Defence spending 2015-2025",
        "alt": "Bar chart: defence spending rose 40% from 2015 to 2025.",
        "credit": "Chart: Thinktank",
        "focal_x": "",
        "focal_y": "",
        **fields,
    }


# The model


def test_the_database_refuses_an_image_with_no_description_unless_it_is_decorative():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_image(alt="")

    assert make_image(alt="", decorative=True).pk


def test_the_database_refuses_a_focal_point_outside_the_picture():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_image(focal_x=1.5, focal_y=0.5)

    assert make_image(focal_x=0.25, focal_y=1).pk


def test_an_image_keeps_its_size_in_pixels():
    image = make_image(file=ContentFile(picture_bytes(1300, 700), name="wide.jpg"))

    image.refresh_from_db()
    assert (image.width, image.height) == (1300, 700)


# The admin


def test_an_analyst_uploads_an_image_which_is_stored_clean_and_signed_with_their_name(settings):
    analyst = member_of("Analysts")
    photo = io.BytesIO()
    exif = Picture.Exif()
    exif[0x010E] = "secret location"  # ImageDescription
    Picture.new("RGB", (900, 600), "navy").save(photo, format="JPEG", exif=exif.tobytes())

    response = client_of(analyst).post(
        ADD_URL, image_form(file=upload("Summit Photo.JPEG", photo.getvalue()))
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == analyst
    assert image.file.name == f"images/{timezone.now():%Y}/summit-photo.jpg"
    with image.file.open("rb") as file:
        assert b"secret location" not in file.read()


def test_an_upload_that_is_not_a_picture_is_refused_with_a_sentence_and_nothing_is_stored(
    admin_client, settings
):
    page = b"<html><script>alert(1)</script></html>"

    response = admin_client.post(ADD_URL, image_form(file=upload("chart.png", page)))

    assert response.status_code == 200
    assert NOT_AN_IMAGE in str(response.context["adminform"].form.errors)
    assert not Image.objects.exists()
    assert stored(settings) == []


def test_an_image_without_a_description_is_refused_unless_it_is_marked_decorative(admin_client):
    response = admin_client.post(ADD_URL, image_form(alt=" "))

    assert response.status_code == 200
    assert ALT_REQUIRED in str(response.context["adminform"].form.errors)
    assert not Image.objects.exists()

    response = admin_client.post(ADD_URL, image_form(alt="", decorative="on"))

    assert response.status_code == 302
    assert Image.objects.get().decorative


def test_half_a_focal_point_is_refused_with_a_sentence(admin_client):
    response = admin_client.post(ADD_URL, image_form(focal_x="0.3"))

    assert "Give the focal point both across and down, or neither." in str(
        response.context["adminform"].form.errors
    )


@pytest.mark.parametrize(
    ("role", "may_add", "may_see"),
    [("Analysts", True, True), ("Editors", True, True), ("Curators", False, True)],
)
def test_writers_add_images_and_curators_only_look(role, may_add, may_see):
    client = client_of(member_of(role))

    assert client.get(ADD_URL).status_code == (200 if may_add else 403)
    assert client.get(CHANGELIST_URL).status_code == (200 if may_see else 403)


def test_a_curators_crafted_upload_is_refused():
    client = client_of(member_of("Curators"))

    assert client.post(ADD_URL, image_form()).status_code == 403
    assert not Image.objects.exists()


def test_the_library_is_searched_by_title_description_and_credit(admin_client):
    make_image("Map of the peninsula", alt="Map", credit="Cartography: Ana Lee")
    make_image("Summit", alt="Leaders shaking hands", credit="Photo: Reuters")

    for words, found in [("peninsula", "Map of the peninsula"), ("shaking", "Summit")]:
        response = admin_client.get(CHANGELIST_URL, {"q": words})
        assert [image.title for image in response.context["cl"].result_list] == [found]
    response = admin_client.get(CHANGELIST_URL, {"q": "Ana Lee"})
    assert [image.title for image in response.context["cl"].result_list] == ["Map of the peninsula"]


def test_the_library_list_shows_thumbnails_in_the_same_few_queries_for_more_images(
    django_assert_num_queries,
):
    client = client_of(member_of("Analysts"))
    make_image()
    # session, user, their own and their groups' permissions; the count found and the
    # count in all; the images with their uploaders
    with django_assert_num_queries(7):
        response = client.get(CHANGELIST_URL)
    for number in range(5):
        make_image(f"Chart {number}", uploaded_by=member_of("Editors", f"editor{number}"))
    with django_assert_num_queries(7):
        response = client.get(CHANGELIST_URL)

    assert response.content.count(b'width="80"') == 6
