"""manage.py import_wordpress with bodies as WordPress writes them (data/wordpress/
bodies.xml): pictures brought into the image library from the media folder once,
missing ones kept as links, and every change to a body in the report."""

import io

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from publications.models import Image, Publication
from publications.richtext.sanitize import image_addresses

from .test_import_wordpress import DATA, attachment_item, import_export, post_item
from .test_uploads import SCRIPT, stored_files
from .test_xss_corpus import executable_content

BODIES = DATA / "bodies.xml"
OLD_UPLOADS = "https://old.example.org/wp-content/uploads/"

pytestmark = pytest.mark.django_db


def run_import(*extra):
    out = io.StringIO()
    call_command(
        "import_wordpress", str(BODIES), "--media-dir", str(DATA / "uploads"), *extra, stdout=out
    )
    return out.getvalue()


def body_of(slug):
    return Publication.objects.get(slug=slug).body


def test_pictures_in_the_media_folder_are_shown_from_our_media_and_answer_200(client):
    run_import()

    page = client.get(Publication.objects.get(slug="ports-in-pictures").get_absolute_url())

    addresses = image_addresses(page.content.decode().split("<article", 1)[1])
    assert len(addresses) == 3
    for address in addresses:
        assert address.startswith("/media/images/"), address
        assert client.get(address).status_code == 200, address
    assertContains(page, 'alt="Cranes over a container harbour"')
    assertContains(page, "<figcaption>The harbour at dawn</figcaption>", html=True)


def test_each_picture_becomes_a_library_image_with_its_description_and_caption():
    run_import()

    harbour = Image.objects.get(imported_from=f"{OLD_UPLOADS}2024/02/harbour.jpg")
    assert (harbour.title, harbour.alt, harbour.credit) == (
        "Harbour at dawn",
        "Cranes over a container harbour",
        "The harbour at dawn",
    )
    # The original, not the 300-pixel copy the body showed; the library makes its own.
    assert (harbour.width, harbour.height) == (900, 600)
    assert harbour.rendition_widths == [480, 800]


def test_a_picture_used_by_several_posts_and_in_several_sizes_is_stored_once(settings):
    run_import()

    assert Image.objects.count() == 3  # the harbour, the chart and the map
    harbour = Image.objects.get(imported_from=f"{OLD_UPLOADS}2024/02/harbour.jpg")
    # One post shows it at 300 pixels, the other at 1024 (a copy not in the folder).
    for slug in ("ports-in-pictures", "classic-harbour"):
        assert f'src="{harbour.file.url}"' in body_of(slug)
    assert len(stored_files(settings)) == 3 + 2  # and the harbour's two renditions


def test_a_missing_picture_stays_a_link_to_its_old_address_and_is_listed(client):
    report = run_import()

    gone = f"{OLD_UPLOADS}2024/01/gone-1024x768.jpg"
    page = client.get(Publication.objects.get(slug="ports-in-pictures").get_absolute_url())
    assertContains(page, f'<a href="{gone}" rel="noopener noreferrer">A ship that sailed</a>')
    assertContains(page, "Lost at sea")
    # One line for the item, naming each picture it lost.
    assert (
        f"“Ports in Pictures”: 2 pictures are shown as links to their old addresses: "
        f"{gone} is not in {DATA / 'uploads'}; javascript:alert(1) is not in "
        f"{DATA / 'uploads'}." in report
    )


def test_a_second_run_creates_no_new_images_or_files(settings):
    run_import()
    files = sorted(stored_files(settings))
    bodies = list(Publication.objects.order_by("pk").values_list("body", flat=True))

    report = run_import()

    assert Image.objects.count() == 3
    assert sorted(stored_files(settings)) == files
    assert list(Publication.objects.order_by("pk").values_list("body", flat=True)) == bodies
    assert "images copied" not in report


def test_a_dry_run_leaves_no_images_and_writes_nothing_in_the_media_folder(settings):
    settings.MEDIA_ROOT.mkdir()

    report = run_import("--dry-run")

    assert "images copied into the library: 3" in report
    assert not Image.objects.exists()
    # Not even a folder: a storage such as a bucket could not take it back.
    assert list(settings.MEDIA_ROOT.rglob("*")) == []


def test_the_pictures_of_a_run_that_fails_are_removed_with_their_renditions(monkeypatch, settings):
    from publications.importers import wordpress

    def failing_legacy_urls(self, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wordpress.WordPressImport, "_legacy_urls", failing_legacy_urls)
    with pytest.raises(RuntimeError):
        run_import()

    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_the_report_says_what_was_changed_in_bodies_and_why():
    report = run_import()

    assert "Changed in bodies (items):" in report
    for line in (
        "2: the first paragraph became the Introduction and left the body",
        "1: the text before <!--more--> became the Introduction and left the body",
        "1: posts with no text got their Introduction from a picture's caption or alt text",
        "2: galleries became a row of figures, one per picture",
        "1: h1 headings became h2 (the editor's headings are h2 to h4)",
        "1: pictures not found in the media folder became links to their old address",
    ):
        assert line in report
    assert "images copied into the library: 3" in report


def test_the_introduction_is_shown_once(client):
    run_import()

    for slug, opening in (
        ("ports-in-pictures", "Ports are where sanctions bite."),
        ("teaser-first", "The teaser before the fold."),
    ):
        publication = Publication.objects.get(slug=slug)
        page = client.get(publication.get_absolute_url()).content.decode()
        introduction, rest = page.split('<div class="prose">', 1)
        assert opening in introduction.split('class="article__lead"', 1)[1], slug
        assert opening not in rest.split("</article>", 1)[0], slug


def test_a_post_of_only_a_picture_gets_its_introduction_from_the_caption():
    run_import()

    assert Publication.objects.get(slug="only-a-chart").lead == "Exports fell by a third in 2023"


def test_imported_bodies_pass_the_xss_checks(client):
    run_import()

    for publication in Publication.objects.published():
        assert executable_content(client.get(publication.get_absolute_url())) == []


def test_a_picture_that_is_not_a_safe_image_stays_a_link_with_the_reason(tmp_path, settings):
    item = post_item(10, "Pictured").replace(
        "<p>The text of Pictured.</p>",
        '<p>Opening.</p><img src="https://old.example.org/wp-content/uploads/drawing.png" '
        'alt="A drawing">',
    )

    report = import_export(
        tmp_path,
        item,
        files={"drawing.png": b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>"},
    )

    assert "A drawing</a>" in Publication.objects.get(title="Pictured").body
    assert "“Pictured”: the picture https://old.example.org/wp-content/uploads/drawing.png " in (
        report
    )
    assert "was not copied: This file is not an image a browser can show." in report
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_gallery_names_pictures_by_their_attachments(tmp_path):
    from .test_uploads import picture

    item = post_item(10, "Gallery").replace(
        "<p>The text of Gallery.</p>", '<p>Opening.</p>[gallery ids="11"]'
    )

    import_export(
        tmp_path,
        item,
        attachment_item(11, "harbour.png", parent=10, alt="A harbour"),
        files={"harbour.png": picture(size=(20, 10))},
    )

    image = Image.objects.get()
    assert Publication.objects.get(title="Gallery").body == (
        f'<figure><img src="{image.file.url}" alt="A harbour"></figure>'
    )


def test_a_wordpress_com_picture_is_found_by_its_month_folder(tmp_path):
    """WordPress.com serves uploads from a host of their own, without /wp-content/uploads/,
    and resizes them with ?w=; the cover comes the same way."""
    from .test_uploads import picture

    (tmp_path / "uploads" / "2024" / "02").mkdir(parents=True)
    (tmp_path / "uploads" / "2024" / "02" / "harbour.png").write_bytes(picture(size=(20, 10)))
    item = post_item(10, "Hosted", meta={"_thumbnail_id": "11"}).replace(
        "<p>The text of Hosted.</p>",
        '<p>Opening.</p><img src="https://example.files.wordpress.com/2024/02/harbour.png?w=300"'
        ' alt="A harbour">',
    )
    cover = (
        attachment_item(11, "x", parent=10)
        .replace(
            "https://old.example.org/wp-content/uploads/x",
            "https://example.files.wordpress.com/2024/02/harbour.png",
        )
        .replace("<![CDATA[x]]>", "<![CDATA[]]>")
    )

    report = import_export(tmp_path, item, cover)

    publication = Publication.objects.get(title="Hosted")
    assert f'<img src="{Image.objects.get().file.url}" alt="A harbour">' in publication.body
    assert publication.cover_image.name.endswith("harbour.png")
    assert "is not in" not in report
