"""manage.py import_wordpress, with a fixture export holding what real ones contain."""

import io
import struct
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from authors.models import Author
from publications.models import (
    ContentVersion,
    LegacyURL,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    normalise_legacy_path,
)

from .factories import make_publication, pdf_bytes
from .test_uploads import SCRIPT, encrypted_pdf, picture, stored_files

DATA = Path(__file__).parent / "data" / "wordpress"
EXPORT = DATA / "export.xml"

pytestmark = pytest.mark.django_db


def run_import(*extra, export=EXPORT):
    out = io.StringIO()
    call_command(
        "import_wordpress",
        str(export),
        "--post-type",
        "publication",
        "--media-dir",
        str(DATA / "uploads"),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def write(tmp_path, text):
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_what_is_a_publication_and_reports_what_is_skipped():
    report = run_import()

    titles = sorted(Publication.objects.values_list("title", flat=True))
    assert titles == sorted(
        [
            "Sanctions & Their Limits",
            "Word & Classic",
            "Word & Classic",
            "A Secret Draft",
            "Pending Review",
            "Coming Soon",
            "Annual Report 2023",
            "Private Note",
        ]
    )
    assert "publications kept as drafts (private or password-protected): 1" in report
    assert "1 items: in the trash" in report
    assert "1 items: a page, not a publication" in report
    assert "1 categories, neither a region nor a type: uncategorized (1)" in report


def test_a_custom_post_type_is_skipped_unless_named():
    call_command("import_wordpress", str(EXPORT), stdout=io.StringIO())

    assert not Publication.objects.filter(title="Annual Report 2023").exists()


def test_statuses_and_dates():
    run_import()
    by_title = {p.title: p for p in Publication.objects.all()}

    assert by_title["Sanctions & Their Limits"].published_at == datetime(
        2023, 5, 2, 9, 30, tzinfo=UTC
    )
    assert by_title["A Secret Draft"].status == Publication.Status.DRAFT
    assert by_title["Pending Review"].status == Publication.Status.REVIEW
    coming = by_title["Coming Soon"]
    assert coming in Publication.objects.scheduled()
    assert coming not in Publication.objects.published()


def test_an_item_without_a_gmt_date_uses_the_inferred_site_zone():
    report = run_import()

    # The file's other items say the site is nine hours ahead of UTC.
    classic = Publication.objects.get(slug="word-classic")
    assert classic.published_at == datetime(2023, 6, 1, 3, 0, tzinfo=UTC)
    assert "UTC+09:00" in report


def test_an_explicit_site_time_zone_wins():
    run_import("--site-time-zone", "Europe/Brussels")

    classic = Publication.objects.get(slug="word-classic")
    assert classic.published_at == datetime(2023, 6, 1, 10, 0, tzinfo=UTC)


def test_fields_of_a_gutenberg_post():
    run_import()
    publication = Publication.objects.get(slug="sanctions-limits")

    assert publication.lead == "How far & how long sanctions work."
    assert publication.seo_description == "What sanctions can and cannot do."
    assert "<!--" not in publication.body
    assert '<a href="https://www.youtube.com/watch?v=abc"' in publication.body
    assert "OEMBEDCACHE" not in publication.body
    assert publication.publication_type.name == "Issue Brief"
    assert [tag.name for tag in publication.tags.all()] == ["Sanctions"]


def test_regions_come_with_their_parents_but_not_the_container():
    run_import()
    publication = Publication.objects.get(slug="sanctions-limits")

    (region,) = publication.regions.all()
    assert region.name == "Korean Peninsula"
    assert region.parent.name == "Northeast Asia"
    assert region.parent.parent is None
    assert not Region.objects.filter(slug="regions").exists()


def test_a_region_made_by_hand_is_reused_not_duplicated():
    existing = Region.objects.create(name="Korean Peninsula", slug="korea")

    run_import()

    assert list(Publication.objects.get(slug="sanctions-limits").regions.all()) == [existing]


def test_a_type_made_by_hand_is_reused_not_duplicated():
    existing = PublicationType.objects.create(
        name="Issue Brief", slug="brief", plural_label="Issue Briefs"
    )

    run_import()

    assert Publication.objects.get(slug="sanctions-limits").publication_type == existing
    assert PublicationType.objects.filter(name="Issue Brief").count() == 1


def test_co_authors_keep_their_byline_order_and_apostrophes():
    run_import()
    publication = Publication.objects.get(slug="sanctions-limits")

    assert [author.name for author in publication.byline] == ["Siobhán O'Connor", "Mitch Shin"]
    assert Author.objects.get(wordpress_login="soconnor").sort_name == "O'Connor, Siobhán"


def test_a_creator_missing_from_the_authors_becomes_an_author_with_a_warning():
    report = run_import()

    assert Author.objects.filter(wordpress_login="ghostwriter").exists()
    assert "'ghostwriter' is not among the file's authors" in report


def test_an_empty_creator_gives_no_byline():
    run_import()

    assert Publication.objects.get(slug="secret-draft").byline == []


def test_a_classic_body_is_cleaned_and_gets_paragraphs():
    run_import()
    body = Publication.objects.get(slug="word-classic").body

    assert "Mso" not in body
    assert "o:p" not in body
    assert "<p>A classic second paragraph<br>" in body
    # Its picture is not in the media folder: a link to its old address, and the caption.
    assert "<p>A map of the strait</p>" in body
    assert '<a href="https://vimeo.com/123"' in body
    assert '<a href="https://www.youtube.com/embed/xyz"' in body
    assert "<iframe" not in body
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in body


def test_the_lead_falls_back_to_the_text_before_more_then_the_first_paragraph():
    run_import()

    assert Publication.objects.get(slug="word-classic").lead == "Pasted from Word."
    duplicate = Publication.objects.get(legacy_urls__wordpress_id=30)
    assert duplicate.lead == "The first paragraph of a duplicate title."


def test_a_non_latin_slug_is_kept_when_the_site_can_route_it(client):
    run_import()

    # Kept as Unicode where the URLs accept it, else transliterated from the title.
    publication = Publication.objects.get(legacy_urls__wordpress_id=30)
    assert publication.slug in ("한국어", "word-classic-2")
    assert client.get(publication.get_absolute_url()).status_code == 200


def test_an_item_without_a_type_gets_the_fallback_type_with_a_warning():
    report = run_import()

    classic = Publication.objects.get(slug="word-classic")
    assert classic.publication_type == PublicationType.objects.get(name="Publication")
    assert "it gets the type “Publication”" in report


def test_cover_image_and_pdf_come_from_the_media_dir():
    report = run_import()
    publication = Publication.objects.get(slug="sanctions-limits")

    assert publication.cover_image.name.endswith("cover.png")
    assert publication.cover_image_alt == "A cargo ship in port"
    assert publication.pdf.read().startswith(b"%PDF")
    # The missing file is a warning, not a failure.
    assert "2023/06/gone.jpg is not in" in report
    assert not Publication.objects.get(slug="word-classic").cover_image


def test_old_links_redirect_permanently_to_the_new_page(client):
    run_import()
    publication = Publication.objects.get(slug="sanctions-limits")

    for old in (
        "/2023/05/sanctions-limits/",
        "/2023/05/sanctions-limits",
        "/?p=10",
        "/2023/05/sanctions-limits/sanctions-pdf/",
        "/?attachment_id=12",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == publication.get_absolute_url()


def test_the_home_page_with_p_is_not_served_from_the_page_cache(client):
    run_import()
    assert client.get("/").status_code == 200  # now cached

    assert client.get("/?p=20").status_code == 301


def test_a_percent_encoded_old_path_redirects_in_either_case(client):
    run_import()

    for old in ("/2023/07/%ED%95%9C%EA%B5%AD%EC%96%B4/", "/2023/07/%ed%95%9c%ea%b5%ad%ec%96%b4"):
        response = client.get(old)
        assert response.status_code == 301
        assert (
            response["Location"]
            == Publication.objects.get(legacy_urls__wordpress_id=30).get_absolute_url()
        )


def test_a_drafts_old_link_does_not_redirect_or_name_it(client):
    run_import()

    response = client.get("/?p=40")
    assert response.status_code == 200  # the home page, as for any unknown id
    assert b"Secret Draft" not in response.content
    response = client.get("/2023/08/pending/")
    assert response.status_code == 404
    assert b"Pending Review" not in response.content


def test_old_paths_never_shadow_our_pages(client):
    run_import()
    publication = Publication.objects.get(slug="sanctions-limits")
    LegacyURL.objects.create(
        site_url="https://old.example.org", wordpress_id=999, path="/", publication=publication
    )

    assert client.get("/").status_code == 200


def import_with_old_link(tmp_path, link):
    """The fixture export, with the sanctions item's old address changed to `link`."""
    old = "<link>https://old.example.org/2023/05/sanctions-limits/</link>"
    text = EXPORT.read_text(encoding="utf-8")
    assert old in text
    run_import(export=write(tmp_path, text.replace(old, f"<link>{link}</link>")))


@pytest.mark.parametrize("path", ["/publications/", "/regions/northeast-asia/"])
def test_an_old_link_to_one_of_our_lists_leaves_its_no_such_page_answer(client, tmp_path, path):
    import_with_old_link(tmp_path, f"https://old.example.org{path}")

    response = client.get(f"{path}?page=999")

    assertContains(response, "There is no page 999", status_code=404)


def test_an_old_link_under_our_publications_path_still_redirects(client, tmp_path):
    import_with_old_link(tmp_path, "https://old.example.org/publications/sanctions-old/")

    response = client.get("/publications/sanctions-old/")

    assert response.status_code == 301
    assert (
        response["Location"] == Publication.objects.get(slug="sanctions-limits").get_absolute_url()
    )


def test_an_imported_item_skips_a_slug_that_still_leads_elsewhere(client):
    moved = make_publication("Sanctions, Renamed", slug="sanctions-renamed")
    OldSlug.objects.record(moved, "sanctions-limits")

    run_import()

    assert Publication.objects.filter(slug="sanctions-limits-2").exists()
    assert client.get("/publications/sanctions-limits/")["Location"] == (
        "/publications/sanctions-renamed/"
    )


def test_an_imported_slug_that_is_another_publications_old_address_is_left_to_it(client, tmp_path):
    first = make_publication("A Slug", slug="a-slug")
    first.slug = "b-slug"
    first.save()

    import_export(tmp_path, post_item(70, "Another Title", slug="a-slug"))

    assert Publication.objects.get(legacy_urls__wordpress_id=70).slug == "a-slug-2"
    response = client.get("/publications/a-slug/")
    assert response.status_code == 301
    assert response["Location"] == "/publications/b-slug/"


def test_an_imported_author_gets_the_address_the_admin_would_give_them(client, tmp_path):
    """Made from the name in its own script, accents and all."""
    terms = (
        term("category", "commentary", "Commentary")
        + term("author", "cap-mkim", "김민준")
        + term("author", "cap-jnunez", "José Núñez")
    )
    import_export(tmp_path, post_item(71, terms=terms))

    assert Author.objects.get(name="김민준").slug == "김민준"
    assert Author.objects.get(name="José Núñez").slug == "josé-núñez"
    response = client.get(Author.objects.get(name="김민준").get_absolute_url())
    assertContains(response, "김민준")


def test_a_second_run_updates_in_place(client):
    run_import()
    counts = (Publication.objects.count(), Author.objects.count(), LegacyURL.objects.count())

    report = run_import()

    assert (
        Publication.objects.count(),
        Author.objects.count(),
        LegacyURL.objects.count(),
    ) == counts
    assert "publications updated: 8" in report
    assert "publications created" not in report
    assert Publication.objects.filter(title="Word & Classic").count() == 2


def test_a_dry_run_reports_and_writes_nothing():
    report = run_import("--dry-run")

    assert "publications created: 8" in report
    assert "nothing was written" in report
    assert not Publication.objects.exists()
    assert not Author.objects.exists()


def test_a_failure_leaves_the_database_as_it_was(monkeypatch):
    from publications.importers import wordpress

    calls = []

    def failing_legacy_urls(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")

    monkeypatch.setattr(wordpress.WordPressImport, "_legacy_urls", failing_legacy_urls)
    with pytest.raises(RuntimeError):
        run_import()

    assert not Publication.objects.exists()
    assert not Author.objects.exists()


def test_an_unknown_types_category_names_the_top_level_categories():
    with pytest.raises(CommandError, match="regions, types, uncategorized"):
        run_import("--types-category", "kinds")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("<rss><channel>", "not well-formed"),
        ("<html><body>hi</body></html>", "not a WordPress export"),
        ("<rss><channel><title>x</title></channel></rss>", "not a WordPress export"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss>&lol2;</rss>',
            "XML bomb",
        ),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        run_import(export=write(tmp_path, content))

    assert not Publication.objects.exists()


def test_imported_pages_pass_the_xss_checks(client):
    run_import()

    for publication in Publication.objects.published():
        content = client.get(publication.get_absolute_url()).content.decode()
        assert "alert(" not in content, publication.title
        assert "javascript:" not in content


@pytest.mark.django_db(transaction=True)
def test_a_run_moves_the_content_version_on_exactly_once():
    before = ContentVersion.objects.get_or_create(pk=ContentVersion.ROW)[0].version

    run_import()

    assert ContentVersion.objects.get().version == before + 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([str(DATA / "missing.xml")], "no such file"),
        ([str(EXPORT), "--media-dir", str(DATA / "nowhere")], "no such folder"),
        ([str(EXPORT), "--site-time-zone", "Mars/Olympus"], "not a time zone"),
    ],
)
def test_bad_arguments_get_a_clear_message(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_wordpress", *arguments, stdout=io.StringIO())


def test_imported_publications_are_found_by_search_and_drafts_are_not(client):
    run_import()

    def found(words):
        response = client.get("/search/", {"q": words})
        assert response.status_code == 200
        return [publication.title for publication, _ in response.context["found"].results]

    # The search document (PostgreSQL) or FTS row (SQLite) is written as items import.
    assert found("sanctions limits") == ["Sanctions & Their Limits"]
    assert found("annual report") == ["Annual Report 2023"]
    assert found("secret draft") == []


# Hostile files and values: an export is input from outside, checked like an upload


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_declaring(width, height):
    """A tiny PNG whose header claims width x height: what a decompression bomb
    looks like before its pixels are decoded."""
    data = picture()
    assert data.startswith(PNG_SIGNATURE)
    header = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(header))
    return data[:12] + header + crc + data[33:]


def jpeg_with_location():
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 34.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 0.0)
    return picture("JPEG", exif=exif)


def export_of(*items, site_url="https://old.example.org", categories=""):
    """A minimal WordPress export holding these <item>s and categories."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site_url}</wp:base_site_url>
<wp:category><wp:category_nicename>types</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Types</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>commentary</wp:category_nicename><wp:category_parent>types</wp:category_parent><wp:cat_name>Commentary</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>regions</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Regions</wp:cat_name></wp:category>
{categories}
{"".join(items)}
</channel>
</rss>"""


def post_item(
    post_id,
    title="A Brief",
    *,
    link=None,
    terms=None,
    meta=None,
    creator="mshin",
    slug="",
    excerpt="",
):
    meta_xml = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (meta or {}).items()
    )
    link = link or f"https://old.example.org/?p={post_id}"
    if terms is None:
        terms = term("category", "commentary", "Commentary")
    return f"""<item>
<title>{title}</title>
<link>{link}</link>
<dc:creator><![CDATA[{creator}]]></dc:creator>
<content:encoded><![CDATA[<p>The text of {title}.</p>]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_name>{slug}</wp:post_name>
<wp:post_date_gmt>2024-03-01 09:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
{terms}{meta_xml}
</item>"""


def attachment_item(attachment_id, file, parent, alt="A picture"):
    return f"""<item>
<title>{file}</title>
<link>https://old.example.org/?attachment_id={attachment_id}</link>
<wp:post_id>{attachment_id}</wp:post_id>
<wp:post_parent>{parent}</wp:post_parent>
<wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status>
<wp:attachment_url>https://old.example.org/wp-content/uploads/{file}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value><![CDATA[{file}]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
</item>"""


def import_export(tmp_path, *items, files=None, **export_options):
    """Runs the import of an export holding `items`, with `files` ({name: bytes}) in
    its media folder; returns the report."""
    uploads = tmp_path / "uploads"
    uploads.mkdir(exist_ok=True)
    for name, content in (files or {}).items():
        (uploads / name).write_bytes(content)
    export = write(tmp_path, export_of(*items, **export_options))
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--media-dir", str(uploads), stdout=out)
    return out.getvalue()


def test_an_old_address_that_is_one_of_the_sites_own_pages_is_reported(tmp_path, client):
    report = import_export(
        tmp_path,
        post_item(72, "Search Tips", link="https://old.example.org/search"),
        post_item(73, "Ports", link="https://old.example.org/2024/ports/"),
    )

    assert (
        "“Search Tips”: its old address /search is this site's own page /search/, which "
        "answers there: links to it do not reach the publication." in report
    )
    assert "“Ports”: its old address" not in report
    assert client.get("/2024/ports/").status_code == 301


REFUSED_COVERS = {
    "an HTML page named .jpg": (
        "page.jpg",
        b"<!doctype html><html><body>" + SCRIPT,
        "This file is not an image a browser can show.",
    ),
    "an HTML page": (
        "page.html",
        b"<!doctype html><html>" + SCRIPT,
        "This file is not an image a browser can show.",
    ),
    "an SVG drawing": (
        "drawing.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        "This file is not an image a browser can show.",
    ),
    "an SVG drawing named .png": (
        "drawing.png",
        b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        "This file is not an image a browser can show.",
    ),
    "a 30,000 x 30,000 PNG": (
        "huge.png",
        png_declaring(30000, 30000),
        "This image is too large; the limit is 40 megapixels.",
    ),
    "a 10,000 x 10,000 PNG, within Pillow's own limit": (
        "large.png",
        png_declaring(10000, 10000),
        "This image is too large (100 megapixels); the limit is 40 megapixels.",
    ),
}


@pytest.mark.parametrize("case", REFUSED_COVERS)
def test_an_imported_cover_that_is_not_a_safe_picture_is_left_out_with_the_reason(
    tmp_path, settings, case
):
    name, content, reason = REFUSED_COVERS[case]

    report = import_export(
        tmp_path,
        post_item(10, "Sanctions Brief", meta={"_thumbnail_id": "11"}),
        attachment_item(11, name, parent=10),
        files={name: content},
    )

    publication = Publication.objects.get(title="Sanctions Brief")
    assert not publication.cover_image
    assert publication.cover_image_alt == ""
    assert f"“Sanctions Brief”: {name} not imported: " in report
    assert reason in report
    assert stored_files(settings) == []


def test_an_imported_cover_is_stored_without_its_exif_location(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Sanctions Brief", meta={"_thumbnail_id": "11"}),
        attachment_item(11, "harbour.jpg", parent=10),
        files={"harbour.jpg": jpeg_with_location()},
    )

    publication = Publication.objects.get(title="Sanctions Brief")
    assert "files copied: 1" in report
    assert publication.cover_image.name.endswith("harbour.jpg")
    with publication.cover_image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert len(image.getexif()) == 0


REFUSED_PDFS = {
    "a PDF that needs a password": (
        encrypted_pdf(),
        "This PDF is protected with a password",
    ),
    "an HTML page named .pdf": (
        b"<html><!-- %PDF-1.7 --><body>" + SCRIPT,
        "This file is not a PDF",
    ),
}


@pytest.mark.parametrize("case", REFUSED_PDFS)
def test_an_imported_pdf_that_is_not_a_readable_pdf_is_left_out_with_the_reason(
    tmp_path, settings, case
):
    content, reason = REFUSED_PDFS[case]

    report = import_export(
        tmp_path,
        post_item(10, "Annual Report"),
        attachment_item(12, "report.pdf", parent=10),
        files={"report.pdf": content},
    )

    publication = Publication.objects.get(title="Annual Report")
    assert not publication.pdf
    assert f"“Annual Report”: report.pdf not imported: {reason}" in report
    assert stored_files(settings) == []


def test_the_files_of_a_run_that_fails_are_removed(monkeypatch, settings):
    from publications.importers import wordpress

    def failing_legacy_urls(self, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wordpress.WordPressImport, "_legacy_urls", failing_legacy_urls)
    with pytest.raises(RuntimeError):
        run_import()

    assert not Publication.objects.exists()
    assert stored_files(settings) == []


def test_a_dry_run_leaves_the_media_folder_untouched(settings):
    """No file and no folder: the default storage makes a cover's folders as it
    stores it, and a bucket cannot be rolled back."""
    settings.MEDIA_ROOT.mkdir()

    report = run_import("--dry-run")

    assert "files copied: 2" in report
    assert list(settings.MEDIA_ROOT.rglob("*")) == []


def test_a_committed_run_keeps_its_files(settings):
    run_import()

    publication = Publication.objects.get(slug="sanctions-limits")
    stored = {path.relative_to(settings.MEDIA_ROOT).as_posix() for path in stored_files(settings)}
    assert stored == {publication.cover_image.name, publication.pdf.name}


def category(nicename, name, parent):
    return (
        f"<wp:category><wp:category_nicename>{nicename}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>"
    )


def term(domain, nicename, name):
    return f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'


def test_an_excerpt_of_several_paragraphs_becomes_a_lead_with_their_words_apart(tmp_path):
    excerpt = "<p>Sanctions bite.</p><p>Talks <em>resume</em> &amp; stall.</p>"
    import_export(tmp_path, post_item(7, "Two paragraphs", excerpt=excerpt))

    lead = Publication.objects.get(title="Two paragraphs").lead
    assert lead == "Sanctions bite. Talks resume & stall."


def test_an_item_with_an_over_long_title_is_skipped_with_the_reason(tmp_path):
    report = import_export(tmp_path, post_item(10, "T" * 300), post_item(20, "Kept"))

    assert list(Publication.objects.values_list("title", flat=True)) == ["Kept"]
    assert "(WordPress id “10”) skipped: Ensure this value has at most 255 characters" in report
    assert not LegacyURL.objects.filter(wordpress_id=10).exists()


@pytest.mark.parametrize("post_id", ["abc", "-5", "99999999999999999999", "", "12.5"], ids=repr)
def test_an_item_whose_id_is_not_a_wordpress_id_is_skipped_with_the_reason(tmp_path, post_id):
    report = import_export(tmp_path, post_item(post_id, "Odd Id"), post_item(20, "Kept"))

    assert list(Publication.objects.values_list("title", flat=True)) == ["Kept"]
    assert f"“Odd Id” (WordPress id “{post_id}”) skipped: " in report
    assert "items: with a value the site cannot store (see the warnings)" in report


def test_an_item_whose_old_address_is_over_long_is_skipped_with_the_reason(tmp_path):
    link = "https://old.example.org/" + "a/" * 550

    report = import_export(tmp_path, post_item(10, "Deep", link=link), post_item(20, "Kept"))

    assert list(Publication.objects.values_list("title", flat=True)) == ["Kept"]
    assert (
        "“Deep” (WordPress id “10”) skipped: Ensure this value has at most 1000 characters"
        in report
    )


def test_an_item_whose_old_address_is_not_a_web_address_is_skipped_with_the_reason(tmp_path):
    report = import_export(
        tmp_path, post_item(10, "Broken", link="https://[old.example.org/x/"), post_item(20, "Kept")
    )

    assert list(Publication.objects.values_list("title", flat=True)) == ["Kept"]
    assert "“Broken” (WordPress id “10”) skipped: its address “https://[old" in report


def test_a_file_name_with_a_nul_byte_is_reported_as_missing(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Pictured", meta={"_thumbnail_id": "11"}),
        attachment_item(11, "harbour%00.png", parent=10),
    )

    assert not Publication.objects.get(title="Pictured").cover_image
    assert "“Pictured”: harbour%00.png is not in " in report


def dated(item, local, gmt):
    return item.replace(
        "<wp:post_date_gmt>2024-03-01 09:00:00</wp:post_date_gmt>",
        f"<wp:post_date>{local}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>",
    )


def test_a_local_date_out_of_range_in_utc_is_reported_and_the_item_dated_now(tmp_path):
    report = import_export(
        tmp_path,
        dated(post_item(10, "Ancient"), "0001-01-01 00:00:00", "0000-00-00 00:00:00"),
        dated(post_item(20, "Seoul"), "2024-03-01 18:00:00", "2024-03-01 09:00:00"),
    )

    published_at = Publication.objects.get(title="Ancient").published_at
    assert abs(published_at - timezone.now()) < timedelta(minutes=5)
    assert "“Ancient”: its date 0001-01-01 00:00:00 is out of range." in report
    assert "“Ancient” has no date: it is dated now." in report


def test_dates_further_apart_than_any_time_zone_are_no_evidence_of_the_sites(tmp_path):
    report = import_export(
        tmp_path, dated(post_item(10, "Odd Dates"), "9999-12-31 23:00:00", "0001-01-01 00:00:00")
    )

    assert Publication.objects.get(title="Odd Dates").published_at == datetime(1, 1, 1, tzinfo=UTC)
    assert "Site time zone inferred" not in report


def test_a_site_address_that_cannot_be_stored_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(CommandError, match="has at most 300 characters"):
        import_export(tmp_path, post_item(10), site_url="https://old.example.org/" + "a" * 300)

    assert not Publication.objects.exists()


def test_a_pdf_whose_attachment_id_is_not_a_wordpress_id_keeps_the_file_but_not_its_old_address(
    tmp_path,
):
    report = import_export(
        tmp_path,
        post_item(10, "Annual Report"),
        attachment_item("-12", "report.pdf", parent=10),
        files={"report.pdf": pdf_bytes()},
    )

    publication = Publication.objects.get(title="Annual Report")
    assert publication.pdf.name.endswith("report.pdf")
    assert list(LegacyURL.objects.values_list("wordpress_id", flat=True)) == [10]
    assert (
        "“Annual Report”: the old address of report.pdf (WordPress id “-12”) is not kept: "
        in report
    )


def test_an_over_long_region_name_is_left_out_and_the_item_imports(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Far Away", terms=term("category", "far", "Far")),
        categories=category("far", "R" * 500, "regions"),
    )

    publication = Publication.objects.get(title="Far Away")
    assert list(publication.regions.all()) == []
    assert not Region.objects.exists()
    assert "“Far Away”: the region “RRRRR" in report
    assert "Ensure this value has at most 100 characters (it has 500)." in report


def test_an_over_long_region_name_leaves_out_its_subregions_too(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Far Away", terms=term("category", "far", "Far")),
        categories=category("wide", "W" * 150, "regions") + category("far", "Far", "wide"),
    )

    assert list(Publication.objects.get(title="Far Away").regions.all()) == []
    assert not Region.objects.exists()
    assert "“Far Away”: the region “WWWW" in report
    assert "at most 100 characters (it has 150)" in report


def test_a_region_whose_old_slug_is_over_long_gets_one_made_from_its_name(tmp_path):
    import_export(
        tmp_path,
        post_item(10, "Far Away", terms=term("category", "n" * 150, "Far")),
        categories=category("asia", "Asia", "regions") + category("n" * 150, "Far", "asia"),
    )

    (region,) = Publication.objects.get(title="Far Away").regions.all()
    assert (region.name, region.slug, region.parent.slug) == ("Far", "far", "asia")


def test_an_over_long_tag_is_left_out_and_the_others_kept(tmp_path):
    report = import_export(
        tmp_path,
        post_item(
            10,
            "Tagged",
            terms=term("post_tag", "long", "T" * 150) + term("post_tag", "sanctions", "Sanctions"),
        ),
    )

    publication = Publication.objects.get(title="Tagged")
    assert [tag.name for tag in publication.tags.all()] == ["Sanctions"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Sanctions"]
    assert "“Tagged”: the tag “TTTT" in report
    assert "at most 100 characters (it has 150)" in report


def test_an_over_long_type_name_gives_the_fallback_type(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Typed", terms=term("category", "odd", "Odd")),
        categories=category("odd", "K" * 150, "types"),
    )

    publication = Publication.objects.get(title="Typed")
    assert publication.publication_type.name == "Publication"
    assert not PublicationType.objects.exclude(name="Publication").exists()
    assert "“Typed”: the type “KKKK" in report
    assert "at most 100 characters (it has 150)" in report


@pytest.mark.parametrize(
    ("login", "name", "length"),
    [
        ("long", "N" * 250, "at most 200 characters (it has 250)"),
        ("l" * 100, "Long Login", "at most 60 characters (it has 100)"),
    ],
    ids=["name", "login"],
)
def test_an_author_who_cannot_be_stored_is_left_out_of_the_byline(tmp_path, login, name, length):
    coauthors = term("author", f"cap-{login}", name) + term("author", "cap-mshin", "Mitch Shin")

    report = import_export(tmp_path, post_item(10, "Signed", terms=coauthors))

    publication = Publication.objects.get(title="Signed")
    assert [author.name for author in publication.byline] == ["Mitch Shin"]
    assert list(Author.objects.values_list("name", flat=True)) == ["Mitch Shin"]
    assert "“Signed”: the author " in report
    assert length in report


def test_an_over_long_search_description_is_left_out_with_the_reason(tmp_path):
    report = import_export(
        tmp_path, post_item(10, "Described", meta={"_yoast_wpseo_metadesc": "D" * 400})
    )

    assert Publication.objects.get(title="Described").seo_description == ""
    assert "“Described”: the search description is left out: " in report
    assert "at most 300 characters (it has 400)" in report


def test_an_over_long_alt_text_gives_way_to_the_attachment_title(tmp_path):
    report = import_export(
        tmp_path,
        post_item(10, "Pictured", meta={"_thumbnail_id": "11"}),
        attachment_item(11, "harbour.png", parent=10, alt="A" * 400),
        files={"harbour.png": picture()},
    )

    publication = Publication.objects.get(title="Pictured")
    assert publication.cover_image
    assert publication.cover_image_alt == "harbour.png"
    assert "“Pictured”: the cover image's description is left out: " in report
    assert "at most 300 characters (it has 400)" in report


# Exports as WordPress writes them: our own small files under data/wordpress/, each
# shaped like a kind of real export (see the comment at the top of each).


def run_plain(name, *extra):
    """The command with no flag but `extra`, as someone with any export would run it."""
    out = io.StringIO()
    call_command("import_wordpress", str(DATA / name), *extra, stdout=out)
    return out.getvalue()


def test_a_wordpress_com_export_of_posts_only_imports_with_the_plain_command():
    report = run_plain("wordpress-com.xml")

    assert Publication.objects.count() == 3
    assert set(Publication.objects.values_list("publication_type__name", flat=True)) == {
        "Publication"
    }
    assert report.count("There is no category 'types' in the file") == 1
    assert "3 items got the type “Publication”" in report
    assert "analysis (2), korea (2)" in report
    assert "export again with “All content”" in report
    assert "--types-category SLUG" in report
    assert "has no category under" not in report


def test_an_item_without_an_id_is_reported_and_skipped():
    report = run_plain("wordpress-com.xml")

    assert not Publication.objects.filter(title="No Id").exists()
    assert "“No Id” (WordPress id “”) skipped: its <wp:post_id>, which keys it, is missing" in (
        report
    )


def test_a_wordpress_com_export_is_keyed_by_the_blogs_own_address():
    run_plain("wordpress-com.xml")

    assert set(LegacyURL.objects.values_list("site_url", flat=True)) == {
        "https://peninsulanotes.wordpress.com"
    }


def test_titles_are_plain_text_with_their_entities_decoded_once(tmp_path):
    run_plain("wordpress-com.xml")
    import_export(tmp_path, post_item(10, "Q&amp;amp;A &amp;lt;draft&amp;gt;"))

    assert Publication.objects.filter(title="Sanctions & Trade").exists()
    assert Publication.objects.filter(title="Q&A <draft>").exists()


@pytest.mark.parametrize(
    ("old_path", "slug"),
    [
        ("/2024/03/01/sanctions-and-trade/", "sanctions-trade"),
        ("/2024/03/01/draft-title", "sanctions-trade"),
        ("/2024/03/01/sanctions-trade/", "sanctions-trade"),
        ("/2024/03/02/double-slashed/", "double-slashed"),
        ("/2024/03/02/double-slashed", "double-slashed"),
    ],
)
def test_earlier_slugs_double_slashes_and_trailing_slashes_still_redirect(client, old_path, slug):
    run_plain("wordpress-com.xml")

    response = client.get(old_path)

    assert response.status_code == 301
    assert response["Location"] == Publication.objects.get(slug=slug).get_absolute_url()


@pytest.mark.only_in_sqlite_pass
def test_an_old_path_is_compared_with_one_slash_between_segments():
    assert normalise_legacy_path("//2024//03/x/") == "/2024/03/x"
    assert normalise_legacy_path("//") == "/"


@pytest.mark.parametrize("renamed_first", [False, True])
def test_an_earlier_slug_never_takes_another_posts_current_address(client, tmp_path, renamed_first):
    """As WordPress, which followed an old slug only where no post answered."""
    now = post_item(10, "Now", link="https://old.example.org/2024/now/", slug="now")
    renamed = post_item(
        20,
        "Renamed",
        link="https://old.example.org/2024/renamed/",
        slug="renamed",
        meta={"_wp_old_slug": "now"},
    )
    import_export(tmp_path, *([renamed, now] if renamed_first else [now, renamed]))

    response = client.get("/2024/now/")

    assert response["Location"] == Publication.objects.get(title="Now").get_absolute_url()


def test_tags_keep_the_case_of_the_sites_list_of_tags():
    run_plain("wordpress-com.xml")

    assert list(Tag.objects.values_list("name", flat=True)) == ["NATO"]
    assert Publication.objects.filter(tags__name="NATO").count() == 2


def test_an_inferred_offset_is_reported_with_how_to_name_the_zone():
    report = run_plain("wordpress-com.xml")

    local = Publication.objects.get(title="Local Time Only")
    assert local.published_at == datetime(2024, 3, 3, 9, 0, tzinfo=UTC)
    assert "1 items have no GMT date and the export does not name the site's time zone" in report
    assert "dated in UTC+09:00, the offset inferred" in report
    assert "--site-time-zone (a name such as Europe/Brussels)" in report


def test_a_second_run_of_a_real_shaped_export_creates_nothing():
    run_plain("wordpress-com.xml")
    models = (Publication, LegacyURL, Tag, PublicationType, Author, Region)
    counts = [model.objects.count() for model in models]

    report = run_plain("wordpress-com.xml")

    assert [model.objects.count() for model in models] == counts
    assert "created" not in report
    assert "earlier addresses kept" not in report
    assert "publications updated: 3" in report


def test_a_wxr_1_0_export_imports_with_its_tags():
    report = run_plain("wxr-1.0.xml")

    hello = Publication.objects.get(title="Hello Again")
    assert [tag.name for tag in hello.tags.all()] == ["News"]
    assert Publication.objects.filter(title="Second Words").exists()
    # WXR 1.0 lists no authors: the login is reported once, not once per item.
    assert report.count("the author 'admin' is not among the file's authors") == 1


# Words of the protected and the private post: their text, titles and slugs.
PRIVATE_WORDS = [
    "protectedword",
    "Protectedlead",
    "Members",
    "members",
    "privateword",
    "Board",
    "board",
]


def test_private_and_password_protected_posts_are_drafts_named_in_the_report():
    report = run_plain("private.xml")

    drafts = Publication.objects.filter(status=Publication.Status.DRAFT)
    assert sorted(drafts.values_list("title", flat=True)) == ["Board Minutes", "Members Briefing"]
    assert "publications kept as drafts (private or password-protected): 2" in report
    assert "“Members Briefing” was password-protected on the old site: imported as a draft" in (
        report
    )
    assert "“Board Minutes” was private on the old site: imported as a draft" in report


def test_private_and_password_protected_text_is_on_no_public_page_feed_sitemap_or_search(client):
    run_plain("private.xml")
    tag = Tag.objects.get(name="Sanctions")
    public = [
        "/",
        "/?p=202",
        reverse("publications:list"),
        tag.get_absolute_url(),
        reverse("feeds:latest"),
        reverse("feeds:tag", args=[tag.slug]),
        reverse("sitemap-section", args=["publications"]),
        reverse("publications:search") + "?q=sanctions",
    ]

    for address in public:
        response = client.get(address)
        assertContains(response, "/publications/open-letter/", msg_prefix=address)
        for word in PRIVATE_WORDS:
            assertNotContains(response, word, msg_prefix=address)
    drafts = Publication.objects.filter(status=Publication.Status.DRAFT)
    own_addresses = [draft.get_absolute_url() for draft in drafts]
    for address in [*own_addresses, "/2024/04/members-briefing/", "/2024/04/board-minutes/"]:
        assert client.get(address).status_code == 404, address


def test_a_quotations_citation_and_a_table_cell_keep_no_line_break_at_their_ends():
    run_plain("quotes-and-tables.xml")

    body = Publication.objects.get(title="Quoted Ministers").body
    assert "<p>The First Minister</p>" in body
    assert "<p><em>The Second Minister</em></p>" in body
    assert "<td></td>" in body
    assert "<td>Imports</td>" in body
    assert "<br>" not in body


def test_a_post_that_is_only_a_quotation_is_reported_and_its_page_shows_no_empty_introduction(
    client,
):
    report = run_plain("quotes-and-tables.xml")

    publication = Publication.objects.get(title="A Quotation Only")
    assert publication.lead == ""
    assert "“A Quotation Only”: it has no excerpt, paragraph or picture caption" in report
    page = client.get(publication.get_absolute_url())
    assertContains(page, "Only one thing is certain")
    assertNotContains(page, "Introduction:")
