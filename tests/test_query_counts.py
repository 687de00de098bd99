"""Every public page runs a fixed number of queries, however much content it shows.

Each page is measured twice: with a little content, then after the content grows
(ten times the publications, four authors per byline, more tags, regions, authors
and curated picks). The count is exact and the same both times, so a query per row
(a card's byline, a tag link) breaks the test at once, and so does a saving that
nobody wrote down here.

The content is committed for real, as the site does: nothing is cached from
uncommitted rows. It is built once for the module and every page is measured on it,
each with every cache emptied first, as a reader meets it right after a change. A
request may also read the content version, on the database driver's own connection,
which Django does not count: tests/test_page_cache.py and
tests/test_version_listener.py pin those reads.
"""

from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications.models import Image, Publication

from .caches import empty_caches
from .factories import make_author, make_pick, make_publication, make_region, make_type
from .test_image_library import picture_bytes


@dataclass
class Corpus:
    """Content that every public page shows some of, and that can grow."""

    type: object = None
    author: object = None
    region: object = None
    main: object = None
    others: list = field(default_factory=list)

    # Each state is committed in one transaction, as an import would: the pages see
    # the same committed rows as after a commit per row, without a commit per row.
    @classmethod
    @transaction.atomic
    def small(cls):
        corpus = cls(
            type=make_type("Policy Brief", slug="policy-brief"),
            author=make_author("Mitra Shah", slug="mitra-shah"),
            region=make_region("Asia", slug="asia", description="The largest continent."),
        )
        corpus.main = corpus.add("Main Article", co_authors=0, extra_tags=0, extra_regions=0)
        # Five, all featured: the home page features four and lists the fifth under Latest.
        corpus.add_more(4, co_authors=0, extra_tags=0, extra_regions=0)
        make_pick(corpus.main, corpus.others[0])
        return corpus

    def add(self, title, *, co_authors, extra_tags, extra_regions, days_ago=0):
        authors = [self.author] + [make_author() for _ in range(co_authors)]
        regions = [self.region] + [make_region() for _ in range(extra_regions)]
        tags = ["korea"] + [f"{title} topic {n}" for n in range(extra_tags)]
        return make_publication(
            title,
            publication_type=self.type,
            authors=authors,
            regions=regions,
            tags=tags,
            is_featured=True,
            days_ago=days_ago,
        )

    def add_more(self, count, **spread):
        start = len(self.others)
        for number in range(start, start + count):
            # Hours, not days, apart: all in the same publish year as the main article.
            publication = self.add(f"Article {number}", **spread, days_ago=0)
            self.others.append(publication)

    @transaction.atomic
    def grow(self):
        self.add_more(27, co_authors=3, extra_tags=4, extra_regions=2)
        for position, publication in enumerate(self.others[-8:], start=1):
            make_pick(self.main, publication, position=position)
        for _ in range(12):
            make_author()
        self.main.tags.add("extra one", "extra two", "extra three")
        self.main.regions.add(*(make_region() for _ in range(3)))
        for author in (make_author() for _ in range(3)):
            self.main.authorships.create(author=author, position=9)
        make_publication("Of another type", publication_type=make_type())

    def url(self, name):
        """The address of page `name`, showing as much of this corpus as it can."""
        main = self.main
        return {
            "home": reverse("publications:home"),
            "list": reverse("publications:list"),
            "list-filtered": reverse("publications:list")
            + f"?type=policy-brief&region=asia&tag=korea&author=mitra-shah"
            f"&year={main.published_at.year}",
            "list-bad-filter": reverse("publications:list") + "?region=atlantis&year=x",
            "detail": main.get_absolute_url(),
            "related": reverse("publications:related", kwargs={"slug": main.slug}),
            "cite-bib": reverse("publications:cite-bib", kwargs={"slug": main.slug}),
            "cite-ris": reverse("publications:cite-ris", kwargs={"slug": main.slug}),
            "author-list": reverse("authors:list"),
            "author-detail": self.author.get_absolute_url(),
            "region-list": reverse("publications:region-list"),
            "region-detail": self.region.get_absolute_url(),
            "tag-detail": reverse("publications:tag-detail", kwargs={"slug": "korea"}),
            "type-detail": self.type.get_absolute_url(),
            "search": reverse("publications:search") + "?q=article",
            "search-filtered": reverse("publications:search")
            + f"?q=article&type=policy-brief&region=asia&tag=korea&author=mitra-shah"
            f"&year={main.published_at.year}",
            "search-empty": reverse("publications:search"),
            "search-misspelt": reverse("publications:search") + "?q=artcle",
            "tag-list": reverse("publications:tag-list"),
            "sitemap-publications": "/sitemap-publications.xml",
            "sitemap-authors": "/sitemap-authors.xml",
            "sitemap-regions": "/sitemap-regions.xml",
            "sitemap-tags": "/sitemap-tags.xml",
            "sitemap-types": "/sitemap-types.xml",
            "feed-latest": reverse("feeds:latest"),
            "feed-region": reverse("feeds:region-atom", kwargs={"slug": "asia"}),
            "feed-author": reverse("feeds:author", kwargs={"slug": "mitra-shah"}),
            "feed-tag": reverse("feeds:tag", kwargs={"slug": "korea"}),
            "feed-type": reverse("feeds:type-atom", kwargs={"slug": "policy-brief"}),
        }[name]


# On PostgreSQL a related card's byline is read with the card, and an article's topics,
# regions and byline with the article (OwnStatement.json_sql()); elsewhere each is apart.
APART = 0 if connection.vendor == "postgresql" else 1

# The count for each page, the same for 3 publications as for 30. Each is explained:
# "list" is (count, page, bylines) and "form" is the filter form's menus: the
# years' span, then the types and regions in one query.
PAGES = [
    ("home", 5),  # featured + bylines, latest + bylines, regions
    ("list", 5),  # form, list
    ("list-filtered", 9),  # four slug lookups, form, list (a region's list holds its subregions')
    # The related ranking reads whether its worked-out list holds in the same statement.
    # Publication (regions, tags, byline apart); ranking with its cards (bylines apart).
    ("detail", 2 + 3 * APART),
    ("related", 4 + APART),  # publication; ranking with its cards (bylines apart); shared names
    ("author-list", 1),  # authors
    ("author-detail", 4),  # author, list
    ("region-list", 1),  # regions with their public counts (kept beside their lists)
    ("region-detail", 4),  # region with parent, list
    ("tag-detail", 4),  # tag, list (whose count says whether it is empty: no empty tag pages)
    ("type-detail", 4),  # type, list
    ("cite-bib", 3),  # publication with its type, bylines, tags
    ("cite-ris", 3),
    # form; the search; facets: types and years, regions, region tree, region names,
    # tags, authors; the page's cards, bylines; their highlighted passages
    ("search", 12),
    ("search-filtered", 16),  # as "search", with four slug lookups
    ("search-empty", 5),  # form, list
    # form; the search; the words known; the known words like "artcle"; "article" tried
    ("search-misspelt", 6),
    ("tag-list", 1),  # the tags with their totals, less their entries still to come
    ("sitemap-publications", 2),  # count, page
    ("sitemap-authors", 2),  # count, page
    ("sitemap-regions", 1),  # regions with their public counts (kept beside their lists)
    ("sitemap-tags", 2),  # count, page
    ("sitemap-types", 2),  # count, page
    ("feed-latest", 3),  # publications, bylines, tags
    ("feed-region", 5),  # region, region tree; publications, bylines, tags
    ("feed-author", 4),  # author; publications, bylines, tags
    ("feed-tag", 4),  # tag with public use; publications, bylines, tags
    ("feed-type", 4),  # type; publications, bylines, tags
]

# What there is more of on a grown page: links and topics, or, in a citation file, the co-authors
# (sort names "NumberN, Analyst").
GROWS = {"cite-bib": b", Analyst", "cite-ris": b", Analyst"}
# A search that finds nothing shows no more after the content grows; its suggestion
# looks through a larger vocabulary for the same queries.
FINDS_NOTHING = {"search-misspelt"}

# Once the filter menus and related lists are cached (until the next change), a page
# rendered afresh, with the page cache off, runs fewer. (The region tree is cached
# the same way.)
WARM = {"list": 3, "detail": 1 + 3 * APART, "related": 1}


@dataclass
class Measured:
    """What a request ran and answered."""

    queries: list
    status_code: int
    content: bytes

    def __str__(self):
        return f"{len(self.queries)} queries:\n" + "\n".join(
            f"{number}. {query['sql']}" for number, query in enumerate(self.queries, start=1)
        )


def measure(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Measured(list(captured.captured_queries), response.status_code, response.content)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every page measured cold on the small corpus, then on the grown one; then the
    rendered again pages of WARM (page cache off) and a list with unusable filters.

    Built once, as building the corpus is most of the cost: the measurements are kept,
    and the tables are emptied at once, as after a transactional test."""
    client = Client()
    pages = [page for page, _ in PAGES] + ["sitemap"]
    results = {}

    def cold(url):
        empty_caches()
        return measure(client, url)

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            corpus = Corpus.small()
            urls = {page: corpus.url(page) for page in pages if page != "sitemap"}
            urls["sitemap"] = reverse("sitemap")
            for page in pages:
                results[page, "small"] = cold(urls[page])
            corpus.grow()
            for page in pages:
                results[page, "grown"] = cold(urls[page])
            results["list-bad-filter", "grown"] = cold(corpus.url("list-bad-filter"))
            with override_settings(PAGE_CACHE_ENABLED=False):
                for page in WARM:
                    cold(corpus.url(page))
                    results[page, "again"] = measure(client, corpus.url(page))
        finally:
            empty_caches()
            call_command("flush", verbosity=0, interactive=False)
    return results


@pytest.mark.parametrize(("page", "queries"), PAGES)
def test_page_runs_the_same_few_queries_after_the_content_grows(measured, page, queries):
    before, after = measured[page, "small"], measured[page, "grown"]

    assert len(before.queries) == queries, before
    assert len(after.queries) == queries, after
    assert before.status_code == after.status_code == 200
    # The page really shows more (links to more publications, authors, tags, regions)
    # for not one query more.
    if page in GROWS:
        assert after.content.count(GROWS[page]) > before.content.count(GROWS[page])
    elif page in FINDS_NOTHING:
        assert b"Did you mean" in before.content
        assert b"Did you mean" in after.content
    else:
        assert links_and_topics(after) > links_and_topics(before)


def links_and_topics(measured_page):
    """Links on a page or in an Atom feed, and an RSS feed's items' topics."""
    content = measured_page.content
    return content.count(b"href=") + content.count(b"<category") + content.count(b"<loc>")


def test_the_sitemap_index_runs_the_same_few_queries_after_the_content_grows(measured):
    before, after = measured["sitemap", "small"], measured["sitemap", "grown"]

    # Each section's count and the publications' last change (the regions' counts are
    # kept beside their lists: no region tree).
    assert len(before.queries) == len(after.queries) == 6, (before, after)
    assert before.content.count(b"<sitemap>") == after.content.count(b"<sitemap>") == 6


def test_a_list_with_filters_it_cannot_use_costs_only_their_lookup(measured):
    response = measured["list-bad-filter", "grown"]

    # The region lookup, then the form's menus and the unfiltered list (count, page, bylines).
    assert len(response.queries) == 6, response
    assert "No region called “atlantis”." in response.content.decode()


@pytest.mark.parametrize(("page", "max_queries"), WARM.items())
def test_a_page_rendered_again_reuses_its_cached_menus_and_related_list(
    measured, page, max_queries
):
    again = measured[page, "again"]

    assert len(again.queries) == max_queries, again
    assert again.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_article_with_pictures_in_its_body_looks_them_all_up_in_one_query(
    client, settings, django_assert_num_queries
):
    # The body is changed around the model below, which no cached page would notice
    # (the cached related list is not about the body).
    settings.PAGE_CACHE_ENABLED = False
    corpus = Corpus.small()
    images = [
        Image.objects.create(
            title=f"Chart {number}",
            alt=f"Chart {number}",
            file=ContentFile(picture_bytes(1000, 500), name=f"chart-{number}.jpg"),
        )
        for number in range(4)
    ]

    def place(count):
        figures = "".join(
            f'<figure><img src="{image.file.url}" alt="{image.alt}"></figure>'
            for image in images[:count]
        )
        Publication.objects.filter(pk=corpus.main.pk).update(body=f"<p>Text.</p>{figures}")

    client.get(corpus.url("detail"))  # its related list and menus, cached from now on
    place(1)
    # As "detail" in WARM, and the body's pictures.
    with django_assert_num_queries(WARM["detail"] + 1):
        one = client.get(corpus.url("detail"))
    place(4)
    with django_assert_num_queries(WARM["detail"] + 1):
        four = client.get(corpus.url("detail"))

    assert one.content.count(b"srcset=") == 1
    assert four.content.count(b"srcset=") == 4
