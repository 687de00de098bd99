"""/sitemap.xml and its sections, and robots.txt naming it: only public pages, absolute addresses."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from .factories import make_author, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SECTIONS = ["pages", "publications", "authors", "regions", "tags", "types"]


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//s:loc", NS)]


def test_the_index_points_to_every_section_on_the_requests_host(client):
    sitemaps = locations(client, "/sitemap.xml")

    assert sitemaps == [f"http://testserver/sitemap-{section}.xml" for section in SECTIONS]


def test_the_index_uses_the_host_and_scheme_the_reader_asked(client, settings):
    settings.ALLOWED_HOSTS = ["research.example.org"]

    response = client.get("/sitemap.xml", HTTP_HOST="research.example.org", secure=True)

    assert b"<loc>https://research.example.org/sitemap-publications.xml</loc>" in response.content


def test_the_publications_section_lists_only_public_ones_with_their_last_change(client):
    public = make_publication("Public", days_ago=3)
    make_publication("A draft", status="draft")
    make_publication("In review", status="review")
    make_publication("Scheduled", published_at=timezone.now() + timedelta(days=1))

    response = client.get("/sitemap-publications.xml")

    root = ET.fromstring(response.content)
    (url,) = root.findall("s:url", NS)
    assert url.find("s:loc", NS).text == "http://testserver" + public.get_absolute_url()
    assert url.find("s:lastmod", NS).text == public.updated_at.date().isoformat()


def test_facet_sections_list_only_facets_with_public_publications(client):
    asia = make_region("Asia", slug="asia")
    japan = make_region("Japan", slug="japan", parent=asia)
    make_region("Empty", slug="empty")
    brief = make_type("Brief", slug="brief")
    make_type("Unused", slug="unused")
    writer = make_author("Writer", slug="writer")
    drafter = make_author("Drafter", slug="drafter")
    make_publication(authors=[writer], regions=[japan], tags=["korea"], publication_type=brief)
    make_publication(
        "A draft",
        status="draft",
        authors=[drafter],
        regions=[make_region(slug="hidden")],
        tags=["secret-plan"],
        publication_type=make_type(slug="hidden-type"),
    )

    host = "http://testserver"
    assert locations(client, "/sitemap-authors.xml") == [f"{host}/authors/writer/"]
    # Asia's page lists Japan's publications, so it is not empty either.
    assert locations(client, "/sitemap-regions.xml") == [
        f"{host}/regions/asia/",
        f"{host}/regions/japan/",
    ]
    assert locations(client, "/sitemap-tags.xml") == [f"{host}/tags/korea/"]
    assert locations(client, "/sitemap-types.xml") == [f"{host}/types/brief/"]


def test_the_pages_section_lists_home_and_the_lists(client):
    assert locations(client, "/sitemap-pages.xml") == [
        "http://testserver/",
        "http://testserver/publications/",
        "http://testserver/authors/",
        "http://testserver/regions/",
        "http://testserver/tags/",
    ]


@pytest.mark.parametrize(
    "url",
    ["/sitemap-nothing.xml", "/sitemap-publications.xml?p=9", "/sitemap-publications.xml?p=x"],
)
def test_an_unknown_section_or_page_answers_404(client, url):
    assert client.get(url).status_code == 404


def test_robots_txt_names_the_sitemap_with_its_full_address(client, settings):
    settings.ALLOWED_HOSTS = ["research.example.org"]

    response = client.get("/robots.txt", HTTP_HOST="research.example.org", secure=True)

    assert "Sitemap: https://research.example.org/sitemap.xml\n" in response.content.decode()
