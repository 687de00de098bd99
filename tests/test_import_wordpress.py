"""manage.py import_wordpress, with a fixture export holding what real ones contain."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains

from authors.models import Author
from publications.models import (
    ContentVersion,
    LegacyURL,
    OldSlug,
    Publication,
    PublicationType,
    Region,
)

from .factories import make_publication

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
        ]
    )
    assert "1 items: private (not public on the old site)" in report
    assert "1 items: in the trash" in report
    assert "1 items: a page, not a publication" in report
    assert "category 'uncategorized'" in report


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
    assert "<figcaption>A map of the strait</figcaption>" in body
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


def test_a_second_run_updates_in_place(client):
    run_import()
    counts = (Publication.objects.count(), Author.objects.count(), LegacyURL.objects.count())

    report = run_import()

    assert (
        Publication.objects.count(),
        Author.objects.count(),
        LegacyURL.objects.count(),
    ) == counts
    assert "publications updated: 7" in report
    assert "publications created" not in report
    assert Publication.objects.filter(title="Word & Classic").count() == 2


def test_a_dry_run_reports_and_writes_nothing():
    report = run_import("--dry-run")

    assert "publications created: 7" in report
    assert "nothing was written" in report
    assert not Publication.objects.exists()
    assert not Author.objects.exists()


def test_a_failure_leaves_the_database_as_it_was(monkeypatch):
    from publications import wordpress

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
