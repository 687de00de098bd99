"""The RSS and Atom feeds, read with a real feed parser as a feed reader would."""

import html
from datetime import timedelta

import feedparser
import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from .factories import make_author, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

FEEDS = ["feeds:latest", "feeds:latest-atom"]
# Every feed an item with one author, region, tag and type appears in, as (facet, format).
FEEDS_OF_AN_ITEM = [
    (facet, atom)
    for facet in ("latest", "tag", "region", "author", "type")
    for atom in ("", "-atom")
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def feed_of(publication, facet, atom):
    """The address of `publication`'s `facet` feed (its first author's, its region's...)."""
    if facet == "latest":
        return reverse(f"feeds:latest{atom}")
    slug = {
        "tag": lambda: publication.tags.get().slug,
        "region": lambda: publication.regions.get().slug,
        "author": lambda: publication.byline[0].slug,
        "type": lambda: publication.publication_type.slug,
    }[facet]()
    return reverse(f"feeds:{facet}{atom}", kwargs={"slug": slug})


def shown(detail):
    """The text a feed reader shows for a field feedparser read: an HTML field is
    rendered, so it must be escaped text with no markup of its own."""
    if detail.type == "text/html":
        assert "<" not in detail.value, detail.value
        return html.unescape(detail.value)
    return detail.value


@pytest.fixture
def article():
    return make_publication(
        "Ядерная политика “after” 2025",
        authors=[
            make_author("Kim Min-jun", slug="kim"),
            make_author("Ольга Петрова", slug="petrova"),
            make_author("山田 太郎", slug="yamada"),
        ],
        tags=["deterrence", "沖縄"],
        lead="<p>A lead   with\n markup.</p>",
        days_ago=2,
    )


@pytest.mark.parametrize("name", FEEDS)
def test_an_item_carries_every_field(client, article, name):
    feed = parse(client, reverse(name))

    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert entry.title == "Ядерная политика “after” 2025"
    assert entry.link == "http://testserver" + article.get_absolute_url()
    assert entry.summary == "A lead with markup."
    assert [author.name for author in entry.authors] == [
        "Kim Min-jun",
        "Ольга Петрова",
        "山田 太郎",
    ]
    assert sorted(tag.term for tag in entry.tags) == ["deterrence", "沖縄"]
    published = article.published_at.replace(microsecond=0)
    assert entry.published_parsed[:6] == published.utctimetuple()[:6]


def test_the_atom_feed_gives_the_updated_time_and_author_pages(client, article):
    feed = parse(client, reverse("feeds:latest-atom"))

    (entry,) = feed.entries
    updated = article.updated_at.replace(microsecond=0)
    assert entry.updated_parsed[:6] == updated.utctimetuple()[:6]
    assert entry.authors[1].href == "http://testserver/authors/petrova/"


@pytest.mark.parametrize("name", ["feeds:latest", "feeds:latest-atom"])
def test_an_item_without_a_byline_names_the_organisation_as_its_author(client, name):
    make_publication("Unsigned")

    (entry,) = parse(client, reverse(name)).entries

    assert [author.name for author in entry.authors] == ["thinktank"]
    if name == "feeds:latest-atom":
        assert entry.authors[0].href == "http://testserver/"


def test_feeds_answer_with_their_own_content_types(client):
    assert client.get(reverse("feeds:latest"))["Content-Type"].startswith("application/rss+xml")
    atom = client.get(reverse("feeds:latest-atom"))["Content-Type"]
    assert atom.startswith("application/atom+xml")


@pytest.mark.parametrize("name", FEEDS)
def test_drafts_items_in_review_and_scheduled_items_never_appear(client, name):
    make_publication("Public one")
    make_publication("A draft", status="draft")
    make_publication("In review", status="review")
    make_publication("Scheduled", published_at=timezone.now() + timedelta(days=1))

    feed = parse(client, reverse(name))

    assert [entry.title for entry in feed.entries] == ["Public one"]


def test_the_latest_feed_holds_the_twenty_newest_newest_first(client):
    for days_ago in range(1, 23):
        make_publication(f"Day {days_ago}", days_ago=days_ago)

    feed = parse(client, reverse("feeds:latest"))

    assert [entry.title for entry in feed.entries] == [f"Day {n}" for n in range(1, 21)]


def test_a_region_feed_includes_its_subregions(client):
    asia = make_region("Asia", slug="asia")
    japan = make_region("Japan", slug="japan", parent=asia)
    make_publication("About Japan", regions=[japan])
    make_publication("About Asia", regions=[asia], days_ago=2)
    make_publication("Elsewhere", regions=[make_region()])

    for name in ("feeds:region", "feeds:region-atom"):
        feed = parse(client, reverse(name, kwargs={"slug": "asia"}))
        assert [entry.title for entry in feed.entries] == ["About Japan", "About Asia"]
        assert feed.feed.title == "thinktank: Asia"


@pytest.mark.parametrize("atom", ["", "-atom"])
def test_author_tag_and_type_feeds_hold_only_their_own(client, atom):
    author = make_author("Mitra Shah", slug="mitra-shah")
    brief = make_type("Policy Brief", slug="policy-brief")
    make_publication("Hers", authors=[author])
    make_publication("Tagged", tags=["korea"])
    make_publication("A brief", publication_type=brief)

    for facet, slug, title in [
        ("author", "mitra-shah", "Hers"),
        ("tag", "korea", "Tagged"),
        ("type", "policy-brief", "A brief"),
    ]:
        feed = parse(client, reverse(f"feeds:{facet}{atom}", kwargs={"slug": slug}))
        assert [entry.title for entry in feed.entries] == [title]


@pytest.mark.parametrize("facet", ["region", "author", "tag", "type"])
def test_an_unknown_slug_answers_404(client, facet):
    assert client.get(reverse(f"feeds:{facet}", kwargs={"slug": "atlantis"})).status_code == 404
    url = reverse(f"feeds:{facet}-atom", kwargs={"slug": "atlantis"})
    assert client.get(url).status_code == 404


def test_a_tag_only_on_drafts_has_no_feed(client):
    make_publication("A draft", status="draft", tags=["secret-plan"])

    url = reverse("feeds:tag", kwargs={"slug": "secret-plan"})
    assert client.get(url).status_code == 404


def test_pages_link_to_their_feeds_visibly_and_in_the_head(client):
    region = make_region("Asia", slug="asia")
    author = make_author("Mitra Shah", slug="mitra-shah")
    brief = make_type("Policy Brief", slug="policy-brief")
    make_publication(regions=[region], authors=[author], publication_type=brief, tags=["korea"])

    for page, feed in [
        (reverse("publications:home"), reverse("feeds:latest")),
        (reverse("publications:list"), reverse("feeds:latest")),
        (region.get_absolute_url(), reverse("feeds:region", kwargs={"slug": "asia"})),
        (author.get_absolute_url(), reverse("feeds:author", kwargs={"slug": "mitra-shah"})),
        ("/tags/korea/", reverse("feeds:tag", kwargs={"slug": "korea"})),
        (brief.get_absolute_url(), reverse("feeds:type", kwargs={"slug": "policy-brief"})),
    ]:
        html = client.get(page).content.decode()
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{feed}">' in html
        )
        assert f'<a href="{feed}" type="application/rss+xml">Subscribe (RSS)</a>' in html
        atom = feed + "atom/"
        assert f'type="application/atom+xml" title="Atom" href="{atom}">' in html


@pytest.mark.django_db(transaction=True)  # nothing uncommitted is cached
def test_a_feed_is_cached_and_revalidates_with_304(client):
    make_publication()

    first = client.get(reverse("feeds:latest"))
    again = client.get(reverse("feeds:latest"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"]
    assert again.status_code == 304


def test_author_links_use_the_host_each_request_asked_and_leave_the_shared_feed_alone(
    client, settings
):
    settings.ALLOWED_HOSTS = ["research.example.org", "testserver"]
    make_publication(authors=[make_author("Mitra Shah", slug="mitra-shah")])
    url = reverse("feeds:latest-atom")

    there = client.get(url, HTTP_HOST="research.example.org", secure=True)
    here = client.get(url)

    assert feedparser.parse(there.content).entries[0].authors[0].href == (
        "https://research.example.org/authors/mitra-shah/"
    )
    assert feedparser.parse(here.content).entries[0].authors[0].href == (
        "http://testserver/authors/mitra-shah/"
    )
    # One feed object serves every thread: no request may stay on it.
    assert not hasattr(resolve(url).func, "request")


@pytest.mark.parametrize(("facet", "atom"), FEEDS_OF_AN_ITEM)
def test_control_characters_pasted_into_any_field_are_dropped_and_every_feed_still_answers(
    client, facet, atom
):
    """A Word paste brings U+000B; XML 1.0 cannot carry it, nor U+0001 or U+FFFE."""
    publication = make_publication(
        "Sanctions\x0bafter the vote\ufffe",
        lead="Pasted\x01 from\x0bWord.",
        authors=[make_author("Kim\x08 Min-jun", slug="kim")],
        regions=[make_region("Korea\x1f", slug="korea")],
        tags=["alliances\x02"],
        publication_type=make_type("Brief\uffff", slug="brief"),
    )

    feed = parse(client, feed_of(publication, facet, atom))

    assert not feed.bozo, feed.bozo_exception
    assert (
        feed.feed.title
        == {
            "latest": "thinktank: latest publications",
            "tag": "thinktank: alliances",
            "region": "thinktank: Korea",
            "author": "thinktank: Kim Min-jun",
            "type": "thinktank: Brief",
        }[facet]
    )
    (entry,) = feed.entries
    assert entry.title == "Sanctions after the vote"
    assert entry.summary == "Pasted from Word."
    assert [author.name for author in entry.authors] == ["Kim Min-jun"]
    assert [tag.term for tag in entry.tags] == ["alliances"]


@pytest.mark.parametrize("name", FEEDS)
def test_markup_in_a_lead_reaches_feed_readers_as_text_not_as_an_image(client, name):
    """strip_tags leaves a tag that never closes; the reader's page would close it."""
    make_publication(lead="Intro <img src=x onerror=alert(1)//")

    (entry,) = parse(client, reverse(name)).entries

    assert entry.summary_detail.type == "text/html"
    assert "<img" not in entry.summary
    assert shown(entry.summary_detail) == "Intro <img src=x onerror=alert(1)//"


MARKUP = "<b>bold</b> & \"quoted\" 'it' &amp;"


@pytest.mark.parametrize(("facet", "atom"), FEEDS_OF_AN_ITEM)
def test_titles_and_facet_names_with_markup_reach_feed_readers_as_text(client, facet, atom):
    publication = make_publication(
        f"Title {MARKUP}",
        authors=[make_author(f"Author {MARKUP}", slug="author")],
        regions=[make_region(f"Region {MARKUP}", slug="region")],
        tags=[f"Tag {MARKUP}"],
        publication_type=make_type(f"Type {MARKUP}", slug="type"),
    )
    facet_name = "latest publications" if facet == "latest" else f"{facet.title()} {MARKUP}"

    feed = parse(client, feed_of(publication, facet, atom))

    assert shown(feed.feed.title_detail) == f"thinktank: {facet_name}"
    if not atom:  # Atom feeds carry no description.
        assert shown(feed.feed.subtitle_detail) == (
            "The newest publications from thinktank."
            if facet == "latest"
            else f"The newest publications from thinktank in “{facet_name}”."
        )
    (entry,) = feed.entries
    assert shown(entry.title_detail) == f"Title {MARKUP}"
    assert [author.name for author in entry.authors] == [f"Author {MARKUP}"]
    assert [tag.term for tag in entry.tags] == [f"Tag {MARKUP}"]
