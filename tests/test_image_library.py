"""The image library: pictures uploaded once, described, found again and placed in bodies."""

import html
import importlib
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image as Picture

from publications.models import Image, ImageUse, Publication
from publications.models.images import ALT_REQUIRED
from publications.policy import ONLY_WRITERS, sync_roles
from publications.receivers import changed_in_bulk
from thinktank.building_blocks.uploads import NOT_AN_IMAGE

from .factories import make_publication
from .test_roles import member_of

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publications_image_add")
CHANGELIST_URL = reverse("admin:publications_image_changelist")


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


def test_a_pictures_address_cannot_be_guessed_from_its_name():
    """A chart uploaded for an embargoed brief is served to anyone with its address:
    the name alone must not lead there."""
    first, second = (make_image(file=ContentFile(picture_bytes(), name="chart.jpg")) for _ in "12")

    year = timezone.now().year
    for image in (first, second):
        assert re.fullmatch(rf"images/{year}/chart-[0-9a-f]{{16}}\.jpg", image.file.name)
    assert first.file.name != second.file.name


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
    assert re.fullmatch(
        rf"images/{timezone.now():%Y}/summit-photo-[0-9a-f]{{16}}\.jpg", image.file.name
    )
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
    ("role", "may_add", "may_delete"),
    [("Analysts", True, False), ("Editors", True, True), ("Curators", False, False)],
)
def test_writers_add_images_editors_delete_them_and_curators_only_look(role, may_add, may_delete):
    client = client_of(member_of(role))
    image = make_image()
    delete_url = reverse("admin:publications_image_delete", args=[image.pk])

    assert client.get(ADD_URL).status_code == (200 if may_add else 403)
    assert client.get(CHANGELIST_URL).status_code == 200
    assert client.post(delete_url, {"post": "yes"}).status_code == (302 if may_delete else 403)
    assert Image.objects.exists() is not may_delete


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


# Renditions


def widths_stored(settings, image):
    """{width: stored file's width} of each rendition of `image` on disk."""
    stem = image.file.name.rsplit(".", 1)[0]
    found = {}
    for path in (settings.MEDIA_ROOT / stem).parent.glob(f"{stem.rsplit('/', 1)[1]}.*w.jpg"):
        with Picture.open(path) as picture:
            found[int(path.name.split(".")[-2].removesuffix("w"))] = picture.width
    return found


def test_an_upload_is_kept_at_each_width_smaller_than_itself(settings):
    wide = make_image(file=ContentFile(picture_bytes(2000, 1000), name="wide.jpg"))
    narrow = make_image(file=ContentFile(picture_bytes(900, 300), name="narrow.jpg"))

    assert widths_stored(settings, wide) == {480: 480, 800: 800, 1200: 1200, 1600: 1600}
    assert widths_stored(settings, narrow) == {480: 480, 800: 800}
    narrow_stem, wide_stem = (image.file.name.removesuffix(".jpg") for image in (narrow, wide))
    assert stored(settings) == sorted(
        [f"{narrow_stem}.{ending}" for ending in ["480w.jpg", "800w.jpg", "jpg"]]
        + [
            f"{wide_stem}.{ending}"
            for ending in ["1200w.jpg", "1600w.jpg", "480w.jpg", "800w.jpg", "jpg"]
        ]
    )


def test_renditions_are_made_once(settings):
    image = make_image()
    first = {name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in stored(settings)}

    assert image.make_renditions() == []
    image.title = "Renamed"
    image.save()

    assert {
        name: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for name in stored(settings)
    } == first


def test_an_animated_gif_is_kept_only_as_it_is():
    frames = [Picture.new("P", (900, 500), colour) for colour in (1, 2)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])

    image = make_image(file=ContentFile(buffer.getvalue(), name="moving.gif"))

    assert image.rendition_widths == []
    assert image.srcset == f"{image.file.url} 900w"


def test_readers_get_a_placed_library_image_and_its_renditions_and_not_other_names(client):
    image = make_image()
    make_publication(body=body_with(image))
    rendition = image.file.url.replace(".jpg", ".800w.jpg")

    response = client.get(rendition)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    with Picture.open(io.BytesIO(b"".join(response.streaming_content))) as picture:
        assert picture.size == (800, 400)
    assert client.get(image.file.url).status_code == 200
    assert client.get(image.file.url.replace(".jpg", ".700w.jpg")).status_code == 404


# Who may see a picture: readers once a public publication places it


def answers(client, image):
    """The status of `image` and of its smallest rendition, for `client`."""
    rendition = image.file.url.replace(".jpg", ".480w.jpg")
    return client.get(image.file.url).status_code, client.get(rendition).status_code


def test_a_picture_placed_only_in_a_draft_is_not_found_by_readers_but_previewers_see_it(client):
    image = make_image()
    make_publication(body=body_with(image), status="draft")
    unplaced = make_image("Not placed anywhere")
    analyst = client_of(member_of("Analysts"))

    assert answers(client, image) == (404, 404)
    assert answers(client, unplaced) == (404, 404)
    assert answers(analyst, image) == (200, 200)
    assert analyst.get(image.file.url)["Cache-Control"] == "private, no-store"


def test_a_picture_is_public_from_the_moment_a_publication_placing_it_is_and_not_before(
    client, settings
):
    image = make_image()
    scheduled = make_publication(
        body=body_with(image), published_at=timezone.now() + timedelta(hours=1)
    )
    assert answers(client, image) == (404, 404)

    scheduled.publish()
    scheduled.save()
    assert answers(client, image) == (200, 200)
    assert client.get(image.file.url)["Cache-Control"] == settings.MEDIA_CACHE_CONTROL

    scheduled.unpublish()
    scheduled.save()
    assert answers(client, image) == (404, 404)


def test_a_picture_taken_out_of_the_only_public_body_placing_it_is_no_longer_public(client):
    image = make_image()
    kept = make_image("Kept", alt="Kept")
    publication = make_publication(body=body_with(image, kept))

    publication.body = body_with(kept)
    publication.save()

    assert answers(client, image) == (404, 404)
    assert answers(client, kept) == (200, 200)


def test_a_picture_placed_in_a_draft_and_a_public_publication_is_public(client):
    image = make_image()
    make_publication(body=body_with(image), status="draft")
    make_publication(body=body_with(image))

    assert answers(client, image) == (200, 200)


def test_what_a_body_places_is_noted_when_it_is_written_in_bulk_and_said_so(client):
    image = make_image()
    publication = make_publication()
    Publication.objects.filter(pk=publication.pk).update(body=body_with(image))
    assert answers(client, image) == (404, 404)

    changed_in_bulk([publication.pk])
    assert answers(client, image) == (200, 200)

    Publication.objects.filter(pk=publication.pk).update(body="<p>No picture.</p>")
    changed_in_bulk()
    assert answers(client, image) == (404, 404)


def test_saving_a_body_again_notes_nothing_twice_and_a_deleted_publication_places_nothing():
    chart, map_ = make_image("Chart"), make_image("Map", alt="A map")
    publication = make_publication(body=body_with(chart, chart, map_))
    publication.save()
    other = make_publication(body=body_with(map_))

    def placed():
        return sorted(ImageUse.objects.values_list("publication", "image"))

    assert placed() == sorted(
        [(publication.pk, chart.pk), (publication.pk, map_.pk), (other.pk, map_.pk)]
    )
    other.delete()
    assert placed() == sorted([(publication.pk, chart.pk), (publication.pk, map_.pk)])


def test_saving_other_fields_only_leaves_the_images_placed_alone():
    image = make_image()
    publication = make_publication(body=body_with(image))
    listed = Publication.objects.defer("body").get(pk=publication.pk)

    listed.is_featured = True
    with CaptureQueriesContext(connection) as queries:
        listed.save(update_fields=["is_featured"])

    assert queries.captured_queries
    assert not [query for query in queries.captured_queries if "imageuse" in query["sql"]]
    assert list(ImageUse.objects.values_list("image", flat=True)) == [image.pk]


# Pages


def body_with(*images):
    return "<p>Intro.</p>" + "".join(
        f'<figure><img src="{image.file.url}" alt="{image.alt}">'
        f"<figcaption>{image.credit}</figcaption></figure><p>More.</p>"
        for image in images
    )


def test_a_reader_sees_each_library_picture_at_every_width_with_its_size_and_lazy_below_the_first(
    client,
):
    chart = make_image("Chart", alt="A chart", credit="Chart: us")
    map_ = make_image(
        "Map", alt="A map", file=ContentFile(picture_bytes(1000, 800), name="map.jpg")
    )
    publication = make_publication(body=body_with(chart, map_))
    chart_name = chart.file.url.removesuffix(".jpg")
    map_name = map_.file.url.removesuffix(".jpg")

    response = client.get(publication.get_absolute_url())

    sizes = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"
    assert (
        f'<img src="{chart.file.url}" alt="A chart" width="2000" height="1000" '
        f'srcset="{chart_name}.480w.jpg 480w, {chart_name}.800w.jpg 800w, '
        f'{chart_name}.1200w.jpg 1200w, {chart_name}.1600w.jpg 1600w, {chart.file.url} 2000w" '
        f'sizes="{sizes}">'
    ) in response.content.decode()
    assert (
        f'<img src="{map_.file.url}" alt="A map" width="1000" height="800" '
        f'srcset="{map_name}.480w.jpg 480w, {map_name}.800w.jpg 800w, {map_.file.url} 1000w" '
        f'sizes="{sizes}" loading="lazy">'
    ) in response.content.decode()


def test_a_crafted_srcset_is_dropped_and_readers_get_only_the_librarys_widths(client):
    chart = make_image()
    crafted = (
        f'<img src="{chart.file.url}" alt="x" srcset="https://evil.example/x.jpg 800w" '
        'sizes="100vw" loading="eager" data-image="7">'
    )
    publication = make_publication(body=crafted)

    assert publication.body == f'<img src="{chart.file.url}" alt="x">'
    # Written around the model, as an old import might: cleaned again on the way out.
    type(publication).objects.filter(pk=publication.pk).update(body=crafted)
    response = client.get(publication.get_absolute_url())

    assert b"evil.example" not in response.content
    assert b'loading="eager"' not in response.content
    assert f"{chart.file.url} 2000w".encode() in response.content


# The figure dialog's library and upload

LIBRARY_URL = reverse("admin:publications_image_library")
UPLOAD_URL = reverse("admin:publications_image_upload")


def test_writers_search_the_library_from_the_figure_dialog_a_page_at_a_time():
    client = client_of(member_of("Analysts"))
    for number in range(13):
        make_image(f"Chart {number}", file=ContentFile(picture_bytes(600, 300), name="c.jpg"))
    make_image("Map of the peninsula", alt="A map", credit="Cartography: Ana Lee")

    first = client.get(LIBRARY_URL).json()
    second = client.get(LIBRARY_URL, {"page": "2"}).json()
    found = client.get(LIBRARY_URL, {"q": "Ana Lee"}).json()

    assert (first["count"], first["pages"], len(first["images"])) == (14, 2, 12)
    assert first["images"][0]["title"] == "Map of the peninsula"
    assert [image["title"] for image in second["images"]] == ["Chart 1", "Chart 0"]
    [the_map] = found["images"]
    image = Image.objects.get(title="Map of the peninsula")
    assert the_map == {
        "id": image.pk,
        "title": "Map of the peninsula",
        "src": image.file.url,
        "alt": "A map",
        "caption": "Cartography: Ana Lee",
        "thumbnail": image.file.url.replace(".jpg", ".480w.jpg"),
        "width": 2000,
        "height": 1000,
    }


def test_the_dialogs_library_runs_the_same_few_queries_for_more_pictures(
    django_assert_num_queries,
):
    client = client_of(member_of("Analysts"))
    make_image()
    # session, user, their own and their groups' permissions; the count, the page
    with django_assert_num_queries(6):
        client.get(LIBRARY_URL)
    for number in range(20):
        make_image(f"Chart {number}")
    with django_assert_num_queries(6):
        response = client.get(LIBRARY_URL)

    assert len(response.json()["images"]) == 12


def test_only_signed_in_writers_use_the_dialogs_library():
    make_image()

    curator = client_of(member_of("Curators")).get(LIBRARY_URL)
    stranger = Client().get(LIBRARY_URL)

    assert curator.status_code == 403
    assert curator.json() == {"errors": [ONLY_WRITERS]}
    assert stranger.status_code == 302
    assert stranger["Location"].startswith(reverse("admin:login"))


def test_an_analyst_uploads_a_picture_from_the_figure_dialog_and_gets_it_to_insert():
    analyst = member_of("Analysts")

    response = client_of(analyst).post(
        UPLOAD_URL,
        {
            "file": upload("Summit Table.jpg"),
            "alt": "Delegates at the table",
            "credit": "Photo: us",
        },
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert (image.title, image.uploaded_by) == ("Summit Table", analyst)
    assert response.json()["image"]["src"] == image.file.url
    assert response.json()["image"]["caption"] == "Photo: us"
    assert LogEntry.objects.get().get_change_message() == "Added."


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"file": upload("chart.png", b"<svg onload=alert(1)>"), "alt": "A chart"}, NOT_AN_IMAGE),
        ({"file": upload(), "alt": ""}, ALT_REQUIRED),
        ({"alt": "A chart"}, "Choose a picture to upload."),
    ],
    ids=["not a picture", "no description", "no file"],
)
def test_an_upload_from_the_dialog_is_refused_with_sentences_and_nothing_is_stored(
    settings, fields, sentence
):
    response = client_of(member_of("Analysts")).post(UPLOAD_URL, fields)

    assert response.status_code == 400
    assert response.json() == {"errors": [sentence]}
    assert not Image.objects.exists()
    assert stored(settings) == []


def test_a_curators_crafted_upload_from_the_dialog_is_refused():
    response = client_of(member_of("Curators")).post(UPLOAD_URL, {"file": upload(), "alt": "A"})

    assert response.status_code == 403
    assert not Image.objects.exists()


def test_the_body_editor_is_told_where_the_library_is(admin_client):
    response = admin_client.get(reverse("admin:publications_publication_add"))

    told = f'"Figure":{{"libraryUrl":"{LIBRARY_URL}","uploadUrl":"{UPLOAD_URL}"}}'
    assert html.escape(told) in response.content.decode()


# Deleting


def delete_url(image):
    return reverse("admin:publications_image_delete", args=[image.pk])


def test_a_picture_placed_in_a_body_is_not_deleted_and_the_page_names_each_publication():
    image = make_image("Summit table")
    draft = make_publication("Alliance draft", body=body_with(image), status="draft")
    public = make_publication("Alliance report", body=body_with(image))
    editor = client_of(member_of("Editors"))

    page = editor.get(delete_url(image))
    refused = editor.post(delete_url(image), {"post": "yes"})

    for response in (page, refused):
        assert response.status_code == 200
        content = response.content.decode()
        assert "“Summit table” cannot be deleted" in content
        assert "Yes, I’m sure" not in content
        for publication, state in [(draft, "draft"), (public, "published")]:
            change_url = reverse("admin:publications_publication_change", args=[publication.pk])
            assert (
                f'<a href="{change_url}">{publication.title}</a> ({state}) shows “Summit table”'
            ) in content
    assert Image.objects.filter(pk=image.pk).exists()
    with pytest.raises(ProtectedError):
        image.delete()


def test_pictures_selected_for_deletion_are_kept_if_any_is_placed_in_a_body():
    placed, unplaced = make_image("Placed"), make_image("Unplaced", alt="Unplaced")
    make_publication("Alliance report", body=body_with(placed))
    editor = client_of(member_of("Editors"))
    selected = {"action": "delete_selected", "_selected_action": [placed.pk, unplaced.pk]}

    response = editor.post(CHANGELIST_URL, {**selected, "post": "yes"})

    assert "The selected pictures cannot be deleted" in response.content.decode()
    assert "Alliance report</a> (published) shows “Placed”" in response.content.decode()
    assert Image.objects.count() == 2


def test_a_picture_no_body_places_any_more_is_deleted(settings):
    image = make_image()
    publication = make_publication(body=body_with(image))
    publication.body = "<p>The picture went.</p>"
    publication.save()

    response = client_of(member_of("Editors")).post(delete_url(image), {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.exists()


def test_make_renditions_stores_only_the_missing_ones_and_says_which_file_is_gone(settings):
    whole = make_image("Whole")
    partial = make_image("Partial", file=ContentFile(picture_bytes(900, 300), name="p.jpg"))
    gone = make_image("Gone")
    for name in stored(settings):
        if ".800w." in name or ".1600w." in name:
            (settings.MEDIA_ROOT / name).unlink()
    (settings.MEDIA_ROOT / gone.file.name).unlink()
    for name in stored(settings):
        if name.startswith(gone.file.name.removesuffix(".jpg")):
            (settings.MEDIA_ROOT / name).unlink()
    out, err = io.StringIO(), io.StringIO()

    call_command("make_renditions", stdout=out, stderr=err)

    assert out.getvalue() == "Made 3 renditions for 3 library pictures.\n"
    assert err.getvalue() == (
        f"“Gone” (#{gone.pk}): its file {gone.file.name} is not in the storage; upload it again.\n"
    )
    assert widths_stored(settings, whole) == {480: 480, 800: 800, 1200: 1200, 1600: 1600}
    assert widths_stored(settings, partial) == {480: 480, 800: 800}
    again = io.StringIO()
    call_command("make_renditions", stdout=again, stderr=io.StringIO())
    assert again.getvalue() == "Made 0 renditions for 3 library pictures: none was missing.\n"


def test_the_migration_notes_the_pictures_bodies_placed_before_it(client):
    """Pictures placed before uses were noted stay public after the upgrade."""
    migration = importlib.import_module("publications.migrations.0024_image_uses")
    image, unplaced = make_image(), make_image("Unplaced")
    published = make_publication(body=body_with(image))
    make_publication(body="<p>No picture.</p>")
    ImageUse.objects.all().delete()

    # What RunPython hands it reads only the connection.
    migration.note_the_images_bodies_place(django_apps, SimpleNamespace(connection=connection))

    assert list(ImageUse.objects.values_list("publication", "image")) == [(published.pk, image.pk)]
    assert answers(client, image) == (200, 200)
    assert answers(client, unplaced) == (404, 404)
