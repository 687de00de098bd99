"""What pages tell search engines, social sites and Google Scholar: read back from the HTML."""

import json
from collections import defaultdict
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from publications.models import PublicationType

from .factories import make_author, make_publication, make_region, make_type, pdf_bytes
from .test_admin import png_upload

# Nothing here depends on the database (the metadata is rendered from rows any database returns alike):
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

TRICKY_TITLE = 'Why "deterrence" </script><script>alert(1)</script> & Japan’s <b>bet</b>'


class Head(HTMLParser):
    """The head's title, meta tags (by name or property), links by rel, and JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.title = ""
        self.meta = defaultdict(list)
        self.links = defaultdict(list)
        self.json_ld = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]].append(attrs["content"])
        elif tag == "link":
            self.links[attrs["rel"]].append(attrs["href"])
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld[-1] += data


def head_of(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def report():
    published = datetime(2025, 3, 7, 23, 30, tzinfo=UTC)
    return make_publication(
        TRICKY_TITLE,
        publication_type=make_type("Report", slug="report", kind="Report"),
        authors=[
            make_author("Ольга Петрова", slug="petrova", sort_name="Петрова, Ольга"),
            make_author("山田 太郎", slug="yamada", sort_name="山田, 太郎"),
        ],
        regions=[make_region("Japan", slug="japan")],
        tags=["deterrence", "alliances"],
        seo_description="How Japan weighs deterrence.",
        published_at=published,
        pdf=SimpleUploadedFile("report.pdf", pdf_bytes()),
        cover_image=png_upload(),
        cover_image_alt="Ships in a “grey” harbour",
    )


def test_an_article_has_its_title_description_and_canonical_address(client, report):
    head = head_of(client, report.get_absolute_url())

    assert head.title == f"{TRICKY_TITLE} | thinktank"
    assert head.meta["description"] == ["How Japan weighs deterrence."]
    url = f"http://testserver{report.get_absolute_url()}"
    assert head.links["canonical"] == [url]


def test_an_article_has_opengraph_and_twitter_tags_with_its_cover(client, report):
    head = head_of(client, report.get_absolute_url())

    url = f"http://testserver{report.get_absolute_url()}"
    cover = f"http://testserver{report.cover_image.url}"
    expected = {
        "og:type": ["article"],
        "og:title": [TRICKY_TITLE],
        "og:description": ["How Japan weighs deterrence."],
        "og:url": [url],
        "og:site_name": ["thinktank"],
        "og:image": [cover],
        "og:image:alt": ["Ships in a “grey” harbour"],
        "article:published_time": [report.published_at.isoformat()],
        "article:modified_time": [report.updated_at.isoformat()],
        "article:author": [
            "http://testserver/authors/petrova/",
            "http://testserver/authors/yamada/",
        ],
        "article:tag": ["alliances", "deterrence"],
        "twitter:card": ["summary_large_image"],
        "twitter:title": [TRICKY_TITLE],
        "twitter:description": ["How Japan weighs deterrence."],
        "twitter:image": [cover],
        "twitter:image:alt": ["Ships in a “grey” harbour"],
    }
    assert {name: head.meta[name] for name in expected} == expected


def test_an_article_has_google_scholar_tags(client, report, settings):
    settings.THINKTANK_NAME = "Institute for Policy Studies"

    head = head_of(client, report.get_absolute_url())

    assert head.meta["citation_title"] == [TRICKY_TITLE]
    assert head.meta["citation_author"] == ["Петрова, Ольга", "山田, 太郎"]
    assert head.meta["citation_publication_date"] == ["2025/03/07"]
    assert head.meta["citation_publisher"] == ["Institute for Policy Studies"]
    assert head.meta["citation_pdf_url"] == [f"http://testserver{report.pdf.url}"]
    assert head.meta["citation_abstract_html_url"] == [
        f"http://testserver{report.get_absolute_url()}"
    ]


def test_the_scholar_date_is_the_date_in_the_sites_time_zone(client, report, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # 23:30 UTC on the 7th is the 8th in Tokyo

    head = head_of(client, report.get_absolute_url())

    assert head.meta["citation_publication_date"] == ["2025/03/08"]


def test_an_article_has_json_ld_with_every_field(client, report):
    head = head_of(client, report.get_absolute_url())

    (block,) = head.json_ld
    assert "</script" not in block.lower()
    url = f"http://testserver{report.get_absolute_url()}"
    assert json.loads(block) == {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": TRICKY_TITLE,
        "description": "How Japan weighs deterrence.",
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": "2025-03-07T23:30:00+00:00",
        "dateModified": report.updated_at.isoformat(),
        "inLanguage": "en-us",
        "author": [
            {
                "@type": "Person",
                "name": "Ольга Петрова",
                "url": "http://testserver/authors/petrova/",
            },
            {"@type": "Person", "name": "山田 太郎", "url": "http://testserver/authors/yamada/"},
        ],
        "publisher": {"@type": "Organization", "name": "thinktank", "url": "http://testserver/"},
        "keywords": ["alliances", "deterrence"],
        "spatialCoverage": [{"@type": "Place", "name": "Japan"}],
        "image": f"http://testserver{report.cover_image.url}",
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": f"http://testserver{report.pdf.url}",
            "encodingFormat": "application/pdf",
        },
    }


def test_an_article_without_cover_or_pdf_shares_our_default_image_and_has_no_pdf(client):
    publication = make_publication("Plain", lead="A plain lead. " * 30)

    head = head_of(client, publication.get_absolute_url())

    # Social sites show our default share image (static/img/share.png, 1200 by 630).
    share = "http://testserver/static/img/share.png"
    assert head.meta["og:image"] == [share]
    assert head.meta["og:image:alt"] == ["thinktank"]
    assert head.meta["twitter:image"] == [share]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert "citation_pdf_url" not in head.meta
    data = json.loads(head.json_ld[0])
    assert "image" not in data
    assert "encoding" not in data
    assert data["@type"] == "Article"
    # No search description: the lead, cut to what search engines show.
    assert head.meta["description"] == [publication.meta_description]
    assert len(publication.meta_description) == 160
    assert publication.meta_description.startswith("A plain lead. A plain lead.")


def test_the_default_share_image_is_the_size_social_sites_ask_for():
    with Image.open(finders.find("img/share.png")) as share:
        assert share.size == (1200, 630)


def test_an_article_without_a_byline_names_the_organisation_as_its_citation_author(client):
    publication = make_publication("Unsigned")

    head = head_of(client, publication.get_absolute_url())

    assert head.meta["citation_author"] == ["thinktank"]


def test_papers_are_scholarly_articles(client):
    paper = make_type("Research Paper", slug="research-paper", kind="ScholarlyArticle")
    publication = make_publication(publication_type=paper)

    head = head_of(client, publication.get_absolute_url())

    assert json.loads(head.json_ld[0])["@type"] == "ScholarlyArticle"


def test_the_addresses_use_the_host_and_scheme_the_reader_asked(client, report, settings):
    settings.ALLOWED_HOSTS = ["research.example.org"]

    head = head_of(client, report.get_absolute_url(), HTTP_HOST="research.example.org", secure=True)

    assert head.links["canonical"] == [f"https://research.example.org{report.get_absolute_url()}"]
    assert head.meta["citation_pdf_url"] == [f"https://research.example.org{report.pdf.url}"]


# Every other page


@pytest.fixture
def site():
    asia = make_region("Asia", slug="asia", description="The largest continent.")
    make_region("Europe", slug="europe")
    author = make_author("Mitra Shah", slug="mitra-shah", role="Senior Fellow")
    brief = make_type("Policy Brief", slug="policy-brief")
    make_publication(regions=[asia], authors=[author], publication_type=brief, tags=["korea"])


PAGES = [
    ("/", "Research on security and development policy", "Independent research"),
    ("/publications/", "Publications", "Every publication from thinktank"),
    ("/authors/", "Experts", "The experts who write for thinktank."),
    ("/authors/mitra-shah/", "Mitra Shah", "Mitra Shah, Senior Fellow: biography"),
    ("/regions/", "Regions", "The regions thinktank writes about"),
    ("/regions/asia/", "Asia", "The largest continent."),
    ("/regions/europe/", "Europe", "Publications from thinktank about Europe, newest first."),
    ("/tags/", "Topics", "Every topic thinktank publications cover"),
    ("/tags/korea/", "korea", "Publications from thinktank on korea, newest first."),
    ("/types/policy-brief/", "Policy Briefs", "Policy Briefs from thinktank, newest first."),
]


@pytest.mark.parametrize(("path", "title", "description"), PAGES)
def test_every_page_has_its_own_title_description_and_canonical_address(
    client, site, path, title, description
):
    head = head_of(client, path)

    assert head.title == f"{title} | thinktank"
    (meta_description,) = head.meta["description"]
    assert meta_description.startswith(description)
    assert head.links["canonical"] == [f"http://testserver{path}"]


def test_a_filtered_list_names_the_unfiltered_list_as_canonical(client, site):
    head = head_of(client, "/publications/", data={"region": "asia", "utm_source": "mail"})

    assert head.links["canonical"] == ["http://testserver/publications/"]


def test_later_pages_of_a_list_are_their_own_canonical_pages_with_their_number(client):
    for _ in range(21):
        make_publication()

    first = head_of(client, "/publications/", data={"page": "1"})
    second = head_of(client, "/publications/", data={"page": "2", "type": ""})

    assert first.links["canonical"] == ["http://testserver/publications/"]
    assert first.title == "Publications | thinktank"
    assert second.links["canonical"] == ["http://testserver/publications/?page=2"]
    assert second.title == "Publications, page 2 | thinktank"


def test_demo_reports_and_papers_tell_search_engines_what_they_are():
    call_command("seed_demo", stdout=StringIO())

    kinds = dict(PublicationType.objects.values_list("slug", "kind"))
    assert kinds["report"] == "Report"
    assert kinds["research-paper"] == "ScholarlyArticle"
    assert kinds["commentary"] == "Article"


def test_the_migration_guesses_reports_and_papers_among_existing_types():
    migration = import_module("publications.migrations.0013_publication_type_kind")
    make_type("Annual Report", slug="annual-report")
    make_type("Working Paper", slug="working-paper")
    make_type("Commentary", slug="commentary-x")

    migration.guess_kinds_of_existing_types(apps, schema_editor=None)

    kinds = dict(PublicationType.objects.values_list("slug", "kind"))
    assert kinds == {
        "annual-report": "Report",
        "working-paper": "ScholarlyArticle",
        "commentary-x": "Article",
    }
