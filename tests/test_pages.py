"""The public pages: what a reader sees, and what they must never see."""

from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.db.models import prefetch_related_objects
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from authors.models import Author
from publications.forms import PublicationFilterForm
from publications.models import (
    BYLINE_PREFETCH,
    REGIONS_PREFETCH,
    TOPICS_PREFETCH,
    Authorship,
    Publication,
    public_by_slug,
)
from publications.templatetags.dates import time_element
from thinktank.building_blocks.views import server_error

from .caches import empty_caches
from .factories import (
    make_author,
    make_pick,
    make_publication,
    make_region,
    make_type,
    pdf_bytes,
)
from .test_admin import png_upload

pytestmark = pytest.mark.django_db

LONG_LEAD = (
    "North Korea's latest tests are read in many capitals as a bid for attention, "
    "but the record of its party plenums points instead to a five-year plan for new "
    "weapons that no offer of talks is likely to change before the year is out."
)


def text_of(response):
    return response.content.decode()


def hidden_publications(**fields):
    """A draft, an item in review and a scheduled item, sharing `fields` with visible ones."""
    return [
        make_publication("Secret Draft", status="draft", **fields),
        make_publication("Secret In Review", status="review", **fields),
        make_publication(
            "Secret Scheduled", published_at=timezone.now() + timedelta(days=3), **fields
        ),
    ]


def assert_no_hidden(response):
    for title in ("Secret Draft", "Secret In Review", "Secret Scheduled"):
        assertNotContains(response, title)


def assert_in_order(text, *parts):
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions), f"{parts} are not in this order"


# Home


def test_home_shows_featured_in_their_order_then_latest_and_regions(client):
    make_publication("Featured Second", is_featured=True, featured_position=2, days_ago=1)
    make_publication("Featured First", is_featured=True, featured_position=1, days_ago=5)
    make_publication("Just Latest", days_ago=0)
    make_region("Korean Peninsula")

    response = client.get(reverse("publications:home"))

    assertContains(response, "Just Latest")
    assertContains(response, "Korean Peninsula")
    assert_in_order(
        text_of(response), "Featured", "Featured First", "Featured Second", "Latest publications"
    )


def test_home_latest_leaves_out_what_featured_shows_and_still_lists_ten(client):
    featured = [
        make_publication(f"Featured {n}", is_featured=True, featured_position=n, days_ago=n)
        for n in range(4)
    ]
    others = [make_publication(f"Other {n}", days_ago=10 + n) for n in range(12)]
    response = client.get(reverse("publications:home"))
    assert list(response.context["featured"]) == featured
    assert list(response.context["latest"]) == others[:10]
    assert text_of(response).count("Featured 0") == 1


def test_home_hides_drafts_review_and_scheduled_items_even_when_featured(client):
    make_publication("Visible")
    hidden_publications(is_featured=True)

    assert_no_hidden(client.get(reverse("publications:home")))


# The list and its filters


def test_list_shows_publications_newest_first(client):
    make_publication("Older", days_ago=10)
    make_publication("Newer", days_ago=1)

    response = client.get(reverse("publications:list"))

    assertContains(response, "2 publications")
    assert_in_order(text_of(response), "Newer", "Older")


def test_list_hides_drafts_review_and_scheduled_items(client):
    make_publication("Visible")
    hidden_publications()

    assert_no_hidden(client.get(reverse("publications:list")))


def test_list_filters_by_type_region_tag_author_and_year(client):
    brief = make_type("Policy Brief", slug="policy-brief")
    asia = make_region("Asia", slug="asia")
    author = make_author("Mina Park", slug="mina-park")
    match = make_publication(
        "Everything Matches",
        publication_type=brief,
        regions=[asia],
        tags=["nuclear"],
        authors=[author],
        published_at=timezone.now().replace(year=2023, month=6, day=1),
    )
    make_publication("Wrong Type", regions=[asia], tags=["nuclear"], authors=[author])
    make_publication("Wrong Region", publication_type=brief, tags=["nuclear"], authors=[author])

    for query in ("type=policy-brief", "region=asia", "tag=nuclear", "author=mina-park"):
        response = client.get(reverse("publications:list") + "?" + query)
        assertContains(response, match.title, msg_prefix=query)

    response = client.get(
        reverse("publications:list"),
        {"type": "policy-brief", "region": "asia", "tag": "nuclear", "author": "mina-park",
         "year": "2023"},
    )  # fmt: skip

    assertContains(response, "Everything Matches")
    assertNotContains(response, "Wrong Type")
    assertNotContains(response, "Wrong Region")
    assertContains(response, "1 publication")


def test_list_year_filter_keeps_only_that_year(client):
    make_publication("From 2021", published_at=timezone.now().replace(year=2021, month=3))
    make_publication("From 2022", published_at=timezone.now().replace(year=2022, month=3))

    response = client.get(reverse("publications:list"), {"year": "2021"})

    assertContains(response, "From 2021")
    assertNotContains(response, "From 2022")


def test_a_list_with_nothing_to_show_says_so_and_an_empty_home_page_too(client):
    make_publication("From 2022", published_at=timezone.now().replace(year=2022, month=3))

    filtered = client.get(reverse("publications:list"), {"year": "2021"})
    empty_caches()
    Publication.objects.all().delete()
    home = client.get(reverse("publications:home"))

    assertContains(filtered, '<p class="empty">No publications match these filters.</p>', count=1)
    assertNotContains(filtered, 'class="card-list"')
    assertContains(home, '<p class="empty">No publications yet.</p>')


def test_list_shows_active_filters_with_links_to_remove_each_and_clear_all(client):
    make_region("Asia", slug="asia")
    make_type("Commentary", slug="commentary")
    make_publication("Anything")

    response = client.get(reverse("publications:list"), {"region": "asia", "type": "commentary"})

    assertContains(response, "Region: Asia")
    assertContains(response, "Type: Commentary")
    assertContains(response, 'href="/publications/?type=commentary"')
    assertContains(response, 'href="/publications/?region=asia"')
    assertContains(response, "Clear all filters")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"region": "atlantis"}, "No region called “atlantis”."),
        ({"type": "novel"}, "No type called “novel”."),
        ({"tag": "nothing-here"}, "No tag called “nothing-here”."),
        ({"author": "nobody"}, "No author called “nobody”."),
        ({"year": "last-year"}, "The year must be a number like 2024."),
        ({"year": "99999"}, "The year must be a number like 2024."),
    ],
)
def test_list_explains_a_filter_it_cannot_use_and_lists_without_it(client, query, message):
    make_publication("Anything")

    response = client.get(reverse("publications:list"), query)

    assertContains(response, message)
    # The filter it could not use narrows nothing (tests/test_odd_input.py: the others do).
    assertContains(response, "Anything")
    assertContains(response, "Clear all filters")


def test_list_escapes_an_unknown_filter_value_in_its_message(client):
    response = client.get(reverse("publications:list"), {"region": "<script>x</script>"})

    assertNotContains(response, "<script>x</script>")
    assertContains(response, "&lt;script&gt;")


def test_list_menus_are_the_html_djangos_select_writes(client):
    """The menus are written without Django's templates (forms.MenuSelect), to the letter
    of what those templates write: the chosen option, escaping, a refused choice."""
    make_region("Asia & <Pacific>", slug="asia-pacific")
    make_type("Policy “Brief”", slug="policy-brief")
    make_publication("Anything", published_at=timezone.now().replace(year=2024))
    form = PublicationFilterForm(QueryDict("region=asia-pacific&year=2024&type=novel"))
    form.is_valid()

    written = {name: str(form[name]) for name in ("type", "region", "year")}

    for name, html in written.items():
        form.fields[name].widget = forms.Select(choices=form.fields[name].widget.choices)
        assert html == str(form[name])
    assert (
        '<option value="asia-pacific" selected>Asia &amp; &lt;Pacific&gt;</option>'
        in written["region"]
    )
    assert '<option value="2024" selected>2024</option>' in written["year"]


def test_list_hidden_filters_are_the_html_djangos_hidden_input_writes():
    make_publication("Tagged", tags=["arms & <control>"])
    for query in ("tag=arms-control", "author=nobody", ""):
        form = PublicationFilterForm(QueryDict(query))
        form.is_valid()

        written = {name: str(form[name]) for name in ("tag", "author")}

        for name, html in written.items():
            form.fields[name].widget = forms.HiddenInput()
            assert html == str(form[name]), query


def test_list_filters_pick_only_what_may_be_picked_now(client):
    make_publication("Public", tags=["ports"], regions=[make_region("Asia", slug="asia")])
    make_publication("Draft only", status="draft", tags=["drafted"])

    for query, message in [
        ("tag=drafted", "No tag called “drafted”."),
        ("region=nowhere", "No region called “nowhere”."),
        ("tag=" + "x" * 300, "No tag called"),
    ]:
        form = PublicationFilterForm(QueryDict(query))
        assert not form.is_valid()
        assert message in str(form.errors), query
    form = PublicationFilterForm(QueryDict("tag=ports&region=asia"))
    assert form.is_valid()
    assert [value.slug for value in form.chosen().values()] == ["asia", "ports"]


def test_list_pages_by_twenty_and_keeps_the_filters_in_page_links(client):
    asia = make_region("Asia", slug="asia")
    for number in range(25):
        make_publication(f"Numbered {number:02d}", regions=[asia], days_ago=number + 1)

    first = client.get(reverse("publications:list"), {"region": "asia"})
    second = client.get(reverse("publications:list"), {"region": "asia", "page": "2"})

    assertContains(first, "Numbered 00")
    assertNotContains(first, "Numbered 20")
    assertContains(first, "Page 1 of 2")
    assertContains(first, "?region=asia&amp;page=2")
    assertContains(second, "Numbered 20")
    assertNotContains(second, "Numbered 00")


def test_list_answers_404_for_a_page_that_does_not_exist(client):
    make_publication()

    assert client.get(reverse("publications:list"), {"page": "9"}).status_code == 404
    assert client.get(reverse("publications:list"), {"page": "abc"}).status_code == 404


# The article page


def test_article_page_shows_type_title_byline_date_introduction_and_body(client):
    brief = make_type("Issue Brief", slug="issue-brief")
    first = make_author("Mitra Shah", slug="mitra-shah")
    second = make_author("Jonas Berg", slug="jonas-berg")
    publication = make_publication(
        "Recalibrating Policy on the Peninsula",
        publication_type=brief,
        authors=[first, second],
        lead=LONG_LEAD,
        body="<h2>Background</h2><p>Body paragraph.</p><script>alert(1)</script>",
        seo_description="A short summary for search engines.",
    )

    response = client.get(publication.get_absolute_url())

    assertContains(response, "<h1>Recalibrating Policy on the Peninsula</h1>")
    assertContains(response, 'href="/types/issue-brief/">Issue Brief</a>')
    text = text_of(response)
    assert_in_order(text, ">Mitra Shah</a>", " and ", ">Jonas Berg</a>")
    assertContains(response, 'href="/authors/mitra-shah/"')
    assertContains(response, f'<time datetime="{publication.published_at.isoformat()}')
    assert_in_order(text, "Introduction", "North Korea&#x27;s latest tests", "Background")
    assertContains(response, "<p>Body paragraph.</p>")
    assertNotContains(response, "alert(1)")
    assertContains(
        response, '<meta name="description" content="A short summary for search engines.">'
    )


def test_an_article_is_read_whole_as_the_queryset_reads_it(client):
    # Public articles are read by a statement compiled once (public_by_slug()), with
    # each value converted as the ORM converts it.
    publication = make_publication(
        "Whole",
        publication_type=make_type("Report", slug="report"),
        pdf=SimpleUploadedFile("paper.pdf", pdf_bytes()),
        cover_image=png_upload(),
        cover_image_alt="A harbour at dawn",
        keep_out_of_suggestions=True,
    )
    loaded = Publication.objects.select_related("publication_type").get(pk=publication.pk)

    read = public_by_slug(publication.slug)

    # The search document, long and never shown, is left to the database by both.
    assert read.get_deferred_fields() == loaded.get_deferred_fields() == {"search_document"}
    for field in Publication._meta.concrete_fields:
        if field.attname != "search_document":
            assert getattr(read, field.attname) == getattr(loaded, field.attname), field.name
    assert read.published_at.tzinfo is not None
    assert read.pdf.url == loaded.pdf.url
    assert read.publication_type.kind == loaded.publication_type.kind
    page = client.get(publication.get_absolute_url())
    assertContains(page, f'href="{loaded.pdf.url}" download')
    assertContains(page, 'href="/types/report/">Report</a>')


def rows_of(items):
    """What a byline, topic or region list holds, each item's every loaded field."""
    return [
        {name: value for name, value in vars(item).items() if not name.startswith("_")}
        for item in items
    ]


def test_an_article_is_read_with_its_topics_regions_and_byline_as_their_prefetches_read_them(
    django_assert_num_queries,
):
    # On PostgreSQL the article's statement reads them too (OwnStatement.json_sql()).
    europe = make_region("Europe", sort_order=2)
    regions = [make_region("Zeta Strait", sort_order=1), make_region("Baltic", parent=europe)]
    # Given out of byline order, with what JSON must escape in their names.
    authors = [make_author('Zoë "Quote" Ruiz'), make_author("Ben \\ Okafor"), make_author("Ana Li")]
    publication = make_publication(
        "Whole", authors=authors, regions=[*regions, europe], tags=["water", "Energy", "trade"]
    )
    Authorship.objects.filter(publication=publication, author=authors[0]).update(position=5)
    bare = make_publication("Bare")
    prefetches = (TOPICS_PREFETCH, REGIONS_PREFETCH, BYLINE_PREFETCH)

    for public in (publication, bare):
        loaded = Publication.objects.prefetch_related(*prefetches).get(pk=public.pk)
        read = public_by_slug(public.slug)
        with django_assert_num_queries(0 if connection.vendor == "postgresql" else 3):
            prefetch_related_objects([read], *prefetches)

        for prefetch in prefetches:
            assert rows_of(getattr(read, prefetch.to_attr)) == rows_of(
                getattr(loaded, prefetch.to_attr)
            ), prefetch.to_attr
    read = public_by_slug(publication.slug)
    prefetch_related_objects([read], *prefetches)
    assert [author.name for author in read.byline] == [
        "Ben \\ Okafor",
        "Ana Li",
        'Zoë "Quote" Ruiz',
    ]
    assert [region.name for region in read.region_list] == ["Baltic", "Zeta Strait", "Europe"]
    assert [tag.name for tag in read.topics] == ["Energy", "trade", "water"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL reads them with the article"
)
def test_an_articles_topics_and_byline_are_looked_up_by_key_however_many_the_site_has():
    """With thousands of tags, reading an article's few by joining the tag table had
    PostgreSQL hash the whole table on every uncached article: a cost that grew with
    each tag the site added, whatever the article's own."""
    Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(2000))
    Author.objects.bulk_create(
        Author(name=f"Analyst {n}", slug=f"analyst-{n}", sort_name=f"Analyst {n}")
        for n in range(2000)
    )
    topics = [f"Topic {n}" for n in (7, 70, 700, 1700, 17, 170, 1070, 1007)]
    authors = [make_author(name) for name in ("Ana Li", "Ben Okafor", "Chen Wu")]
    publication = make_publication("Tagged", authors=authors, tags=topics)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE taggit_tag, authors_author, publications_taggedpublication, "
            "publications_authorship"
        )

    with CaptureQueriesContext(connection) as queries:
        read = public_by_slug(publication.slug)
    (statement,) = [query["sql"] for query in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(line for (line,) in cursor.fetchall())

    assert [tag.name for tag in read.prefetched_topics] == sorted(topics)
    assert [author.name for author in read.prefetched_byline] == [
        "Ana Li",
        "Ben Okafor",
        "Chen Wu",
    ]
    assert "Seq Scan on taggit_tag" not in plan
    assert "Seq Scan on authors_author" not in plan


def test_an_article_is_read_only_while_public_and_only_by_its_own_slug():
    public = make_publication("Out")
    draft = make_publication("Draft", status="draft")
    scheduled = make_publication("Soon", published_at=timezone.now() + timedelta(hours=1))

    assert public_by_slug(public.slug) == public
    assert public_by_slug(draft.slug) is None
    assert public_by_slug(scheduled.slug) is None
    assert public_by_slug(public.slug.upper()) is None
    assert public_by_slug("slug stand-in") is None


def test_bylines_join_their_authors_as_a_sentence_on_articles_and_cards(client):
    names = ["Ana <Ruiz>", "Ben Okafor", "Chen Li"]
    authors = [make_author(name, slug=f"author-{n}") for n, name in enumerate(names)]
    make_publication("Three Authors", authors=authors)
    make_publication("Two Authors", authors=authors[1:])
    alone = make_publication("One Author", authors=authors[2:])

    listed = text_of(client.get(reverse("publications:list")))
    article = text_of(client.get(alone.get_absolute_url()))

    ana, ben, chen = (
        f'<a href="/authors/author-{n}/">{escape(name)}</a>' for n, name in enumerate(names)
    )
    assert f'<span class="card__byline">{ana}, {ben} and {chen}</span>' in listed
    assert f'<span class="card__byline">{ben} and {chen}</span>' in listed
    assert f'<span class="card__byline">{chen}</span>' in listed
    assert f'<p class="article__byline">By {chen}</p>' in article


def test_bylines_follow_their_positions_not_the_order_authors_were_added(client):
    """An analyst who reorders a byline reorders it on every page, whatever order the
    rows were added in, and an author shared by several cards is on each."""
    ana, ben, chen = (make_author(name, slug=name.lower()) for name in ["Ana", "Ben", "Chen"])
    reordered = make_publication("Reordered")
    for author, position in [(ana, 3), (ben, 1), (chen, 2)]:
        Authorship.objects.create(publication=reordered, author=author, position=position)
    make_publication("Ana Alone", authors=[ana])

    listed = text_of(client.get(reverse("publications:list")))
    article = text_of(client.get(reordered.get_absolute_url()))

    ana, ben, chen = (
        f'<a href="/authors/{slug}/">{slug.title()}</a>' for slug in ["ana", "ben", "chen"]
    )
    assert f'<span class="card__byline">{ben}, {chen} and {ana}</span>' in listed
    assert f'<span class="card__byline">{ana}</span>' in listed
    assert f'<p class="article__byline">By {ben}, {chen} and {ana}</p>' in article


def test_cards_show_markup_typed_into_titles_and_types_as_text(client):
    region = make_region("Sahel & <b>Maghreb</b>", slug="sahel")
    kind = make_type("Brief <i>&</i> Note")
    fields = {"publication_type": kind, "regions": [region], "tags": ["deterrence"]}
    article = make_publication("Main", **fields)
    make_publication("Gaza <script>alert(1)</script>", lead="Aid & <em>access</em>.", **fields)

    for url in (
        reverse("publications:list"),
        article.get_absolute_url(),
        reverse("publications:related", args=[article.slug]),
    ):
        page = text_of(client.get(url))
        assert '<p class="card__type">Brief &lt;i&gt;&amp;&lt;/i&gt; Note</p>' in page
        assert "Gaza &lt;script&gt;alert(1)&lt;/script&gt;</a></h3>" in page
        # The excerpt is the introduction's plain text: tags pasted into it are dropped.
        assert '<p class="card__excerpt">Aid &amp; access. […]</p>' in page
        assert "<script>alert" not in page
    related = text_of(client.get(reverse("publications:related", args=[article.slug])))
    assert "Also about: Sahel &amp; &lt;b&gt;Maghreb&lt;/b&gt;, deterrence</p>" in related


def test_pages_date_publications_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # 23:30 UTC on the 7th is the 8th in Tokyo
    utc_evening = datetime(2025, 3, 7, 23, 30, tzinfo=UTC)
    publication = make_publication("Late Evening", published_at=utc_evening)
    dated = '<time datetime="2025-03-08T08:30:00+09:00">8 March 2025</time>'

    assertContains(client.get(publication.get_absolute_url()), dated)
    assertContains(client.get(reverse("publications:list")), dated)


def test_every_day_of_a_leap_year_is_written_as_the_date_filter_writes_it():
    first = datetime(2024, 1, 1, 12, tzinfo=UTC)
    for moment in (first + timedelta(days=n) for n in range(366)):
        written = time_element(moment)
        assert written.endswith(f">{date_format(moment, 'j F Y')}</time>"), written


def test_article_page_links_its_regions_and_tags(client):
    publication = make_publication(
        regions=[make_region("Korean Peninsula", slug="korean-peninsula")],
        tags=["Missile Tests", 'Arms <b>Control</b> & "Trade"'],
    )

    response = client.get(publication.get_absolute_url())

    assertContains(response, 'href="/regions/korean-peninsula/">Korean Peninsula</a>')
    assertContains(response, 'href="/tags/missile-tests/">Missile Tests</a>')
    escaped = "Arms &lt;b&gt;Control&lt;/b&gt; &amp; &quot;Trade&quot;"
    assertContains(response, f'href="/tags/arms-bcontrolb-trade/">{escaped}</a>')
    assertNotContains(response, "<b>Control</b>")


def test_article_page_lists_regions_in_menu_order_and_topics_by_name(client):
    """As the menus and the topics index order them, whatever order they were added in."""
    regions = [
        make_region("Zambia", slug="zambia", sort_order=1),
        make_region("Sahel", slug="sahel", sort_order=2),
        make_region("Andes", slug="andes", sort_order=2),
    ]
    publication = make_publication(regions=regions, tags=["Water", "Energy", "Drought"])

    text = text_of(client.get(publication.get_absolute_url()))

    assert_in_order(text, ">Zambia</a>", ">Andes</a>", ">Sahel</a>", ">Drought</a>")
    assert_in_order(text, ">Drought</a>", ">Energy</a>", ">Water</a>")


def test_article_page_offers_the_pdf_and_shows_the_cover_with_its_description(client):
    publication = make_publication(
        pdf=SimpleUploadedFile("brief.pdf", pdf_bytes()),
        cover_image=png_upload(),
        cover_image_alt="Soldiers at the demilitarised zone at dawn",
    )

    response = client.get(publication.get_absolute_url())

    # Near the top, before the introduction, and again after the text.
    assertContains(response, f'href="{publication.pdf.url}" download>Download the PDF', count=2)
    page = response.content.decode()
    assert page.index("Download the PDF") < page.index("Introduction:")
    assert page.rindex("Download the PDF") > page.index('class="prose"')
    assertContains(response, f'src="{publication.cover_image.url}"')
    assertContains(response, 'alt="Soldiers at the demilitarised zone at dawn"')


def test_article_page_without_pdf_or_cover_shows_neither(client):
    publication = make_publication()

    response = client.get(publication.get_absolute_url())

    assertNotContains(response, "Download the PDF")
    assertNotContains(response, "article__cover")


def test_article_page_shows_six_related_publications_in_order_with_excerpts(client):
    analyst = make_author("Ana Lyst")
    publication = make_publication("Main Article", tags=["korea", "missiles"])
    picked = make_publication("Curated Pick", days_ago=100)
    make_pick(publication, picked)
    two_tags = make_publication("Shares Two Tags", tags=["korea", "missiles"], days_ago=50)
    one_tag = [
        make_publication(f"Shares One Tag {n}", tags=["korea"], days_ago=n, lead=LONG_LEAD,
                         authors=[analyst])
        for n in range(2, 8)
    ]  # fmt: skip

    response = client.get(publication.get_absolute_url())

    text = text_of(response)
    related = text[text.index("Related Publications") :]
    assert_in_order(
        related, "Curated Pick", "Shares Two Tags", "Shares One Tag 2", "Shares One Tag 5"
    )
    assert "Shares One Tag 6" not in related
    assert "Ana Lyst" in related
    assert one_tag[0].excerpt.endswith("[…]")
    assert escape(one_tag[0].excerpt) in related
    assert f'href="{two_tags.get_absolute_url()}"' in related
    assert 'href="/publications/main-article/related/"' in related


def test_related_page_lists_more_than_six(client):
    publication = make_publication("Main Article", tags=["korea"])
    for n in range(10):
        make_publication(f"Also About Korea {n}", tags=["korea"], days_ago=n + 2)

    response = client.get(reverse("publications:related", kwargs={"slug": publication.slug}))

    assertContains(response, "10 related publications")
    assert_in_order(
        text_of(response), "Also About Korea 0", "Also About Korea 6", "Also About Korea 9"
    )


def test_related_page_shows_only_what_shares_something_and_says_why(client):
    japan = make_region("Japan", slug="japan")
    publication = make_publication("Main Article", tags=["deterrence"], regions=[japan])
    make_pick(publication, make_publication("Editors’ Pick", days_ago=40))
    make_publication("About Japan", tags=["deterrence"], regions=[japan], days_ago=3)
    make_publication("Unrelated but Newest", days_ago=1)

    response = client.get(reverse("publications:related", args=[publication.slug]))

    assertContains(response, "2 related publications")
    assertNotContains(response, "Unrelated but Newest")
    assertNotContains(response, "Recently published")
    assert_in_order(
        text_of(response),
        "Editors’ Pick",
        "Chosen by our editors",
        "About Japan",
        "Also about: Japan, deterrence",
    )


def test_related_page_says_so_when_nothing_is_shared(client):
    publication = make_publication("Main Article", tags=["deterrence"])
    make_publication("Unrelated but Newest", days_ago=1)

    response = client.get(reverse("publications:related", args=[publication.slug]))

    assertContains(response, "0 related publications")
    assertContains(response, "Nothing else shares a topic or region with this publication yet.")
    assertNotContains(response, "Unrelated but Newest")


def test_article_page_shows_the_newest_that_share_nothing_as_recently_published(client):
    publication = make_publication("Main Article", tags=["deterrence"])
    make_publication("Shares a Tag", tags=["deterrence"], days_ago=5)
    make_publication("Shares Nothing", days_ago=1)

    text = text_of(client.get(publication.get_absolute_url()))

    assert_in_order(
        text, "Related Publications", "Shares a Tag", "Recently Published", "Shares Nothing"
    )


def test_article_page_with_nothing_shared_has_no_related_heading_nor_full_list_link(client):
    publication = make_publication("Main Article", tags=["deterrence"])
    make_publication("Shares Nothing", days_ago=1)

    response = client.get(publication.get_absolute_url())

    assertNotContains(response, "Related Publications")
    assertNotContains(response, "More related publications")
    assert_in_order(text_of(response), "Recently Published", "Shares Nothing")


def test_related_lists_never_show_hidden_items_even_when_picked_or_sharing_tags(client):
    publication = make_publication("Main Article", tags=["korea"])
    for hidden in hidden_publications(tags=["korea"]):
        make_pick(publication, hidden)

    assert_no_hidden(client.get(publication.get_absolute_url()))
    assert_no_hidden(client.get(reverse("publications:related", args=[publication.slug])))


@pytest.mark.parametrize("url_name", ["publications:detail", "publications:related"])
def test_drafts_review_and_scheduled_items_answer_404(client, url_name):
    for hidden in hidden_publications():
        response = client.get(reverse(url_name, kwargs={"slug": hidden.slug}))
        assert response.status_code == 404, hidden.title


def test_a_scheduled_item_appears_once_its_time_comes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    scheduled = make_publication("Soon", published_at=timezone.now() + timedelta(hours=2))
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    time_machine.shift(timedelta(hours=3))

    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assertContains(client.get(reverse("publications:list")), "Soon")


def test_unknown_publication_answers_404(client):
    assert client.get(reverse("publications:detail", args=["no-such-thing"])).status_code == 404


# Authors


def test_experts_page_lists_active_authors_only(client):
    make_author("Current Fellow", role="Senior Fellow")
    make_author("Former Fellow", is_active=False)

    response = client.get(reverse("authors:list"))

    assertContains(response, "Current Fellow")
    assertContains(response, "Senior Fellow")
    assertNotContains(response, "Former Fellow")


def test_author_page_shows_bio_role_links_and_their_public_publications(client):
    author = make_author(
        "Mitra Shah",
        role="Senior Fellow",
        bio="First paragraph.\n\nSecond paragraph.",
        website="https://example.org/mitra",
        orcid="0000-0002-1825-0097",
        social_url="https://social.example/@mitra",
    )
    make_publication("Her Brief", authors=[author])
    make_publication("Someone Else's Brief")
    hidden_publications(authors=[author])

    response = client.get(author.get_absolute_url())

    assert_no_hidden(response)
    assertContains(response, "<h1>Mitra Shah</h1>")
    assertContains(response, "Senior Fellow")
    assertContains(response, "<p>First paragraph.</p><p>Second paragraph.</p>")
    assertContains(response, 'href="https://example.org/mitra"')
    assertContains(response, 'href="https://orcid.org/0000-0002-1825-0097"')
    assertContains(response, 'href="https://social.example/@mitra"')
    assertContains(response, "Her Brief")
    assertNotContains(response, "Someone Else")


def test_author_page_is_paginated(client):
    author = make_author()
    for number in range(21):
        make_publication(f"Numbered {number:02d}", authors=[author], days_ago=number + 1)

    first = client.get(author.get_absolute_url())
    second = client.get(author.get_absolute_url(), {"page": 2})

    assertContains(first, "Numbered 19")
    assertNotContains(first, "Numbered 20")
    assertContains(second, "Numbered 20")


def test_a_former_authors_page_stays_up(client):
    author = make_author("Former Fellow", is_active=False)

    assert client.get(author.get_absolute_url()).status_code == 200


def test_unknown_author_answers_404(client):
    assert client.get(reverse("authors:detail", args=["nobody"])).status_code == 404


# Regions and tags


def test_regions_page_lists_regions_with_their_public_publication_counts(client):
    asia = make_region("Asia", description="The largest continent.")
    make_region("Europe")
    make_publication(regions=[asia])
    hidden_publications(regions=[asia])

    response = client.get(reverse("publications:region-list"))

    assertContains(response, "0 publications")
    assert_in_order(text_of(response), "Asia", "The largest continent.", "1 publication", "Europe")


def test_region_page_shows_description_and_only_its_public_publications(client):
    parent = make_region("Asia")
    region = make_region("Korean Peninsula", parent=parent, description="Both Koreas.")
    make_publication("About Korea", regions=[region])
    make_publication("About Elsewhere")
    hidden_publications(regions=[region])

    response = client.get(region.get_absolute_url())

    assert_no_hidden(response)
    assertContains(response, "Both Koreas.")
    assertContains(response, "About Korea")
    assertNotContains(response, "About Elsewhere")
    assertContains(response, f'href="{parent.get_absolute_url()}"')


def test_region_page_includes_its_subregions_publications_once_each(client):
    asia = make_region("Asia")
    northeast = make_region("Northeast Asia", parent=asia)
    japan = make_region("Japan", parent=northeast)
    make_publication("About Japan", regions=[japan])
    make_publication("About Japan and Northeast Asia", regions=[japan, northeast])
    make_publication("About Europe", regions=[make_region("Europe")])
    hidden_publications(regions=[japan])

    response = client.get(asia.get_absolute_url())

    assertContains(response, "About Japan and Northeast Asia", count=1)
    assertContains(response, "About Japan")
    assertNotContains(response, "About Europe")
    assertContains(client.get(reverse("publications:region-list")), "2 publications")


def test_regions_list_counts_a_region_with_its_subregions(client):
    northeast = make_region("Northeast Asia")
    japan = make_region("Japan", parent=northeast)
    make_publication(regions=[japan])
    make_publication(regions=[japan, northeast])
    make_publication(regions=[northeast])

    text = text_of(client.get(reverse("publications:region-list")))

    assert_in_order(text, "Japan", "2 publications", "Northeast Asia", "3 publications")


def test_tag_page_shows_only_its_public_publications(client):
    make_publication("Tagged", tags=["Nuclear Policy"])
    make_publication("Untagged")
    hidden_publications(tags=["Nuclear Policy"])

    response = client.get(reverse("publications:tag-detail", args=["nuclear-policy"]))

    assert_no_hidden(response)
    assertContains(response, "<h1>Nuclear Policy</h1>")
    assertContains(response, "Tagged")
    assertNotContains(response, "Untagged")


def test_unknown_tags_and_tags_used_only_on_hidden_items_answer_404(client):
    hidden_publications(tags=["Secret Topic"])

    assert client.get(reverse("publications:tag-detail", args=["nothing"])).status_code == 404
    assert client.get(reverse("publications:tag-detail", args=["secret-topic"])).status_code == 404


def test_type_page_shows_only_public_publications_of_that_type(client):
    briefs = make_type("Policy Brief", slug="policy-brief", plural_label="Policy Briefs")
    make_publication("A Brief", publication_type=briefs)
    make_publication("A Commentary")
    hidden_publications(publication_type=briefs)

    response = client.get(briefs.get_absolute_url())

    assert briefs.get_absolute_url() == "/types/policy-brief/"
    assert_no_hidden(response)
    assertContains(response, "<h1>Policy Briefs</h1>", html=False)
    assertContains(response, "A Brief")
    assertNotContains(response, "A Commentary")


def test_the_type_filter_and_the_type_page_list_the_same(client):
    briefs = make_type("Policy Brief", slug="policy-brief")
    for number in range(3):
        make_publication(f"Brief {number}", publication_type=briefs)
    make_publication("Other")

    page = client.get(briefs.get_absolute_url())
    filtered = client.get(reverse("publications:list"), {"type": "policy-brief"})

    for title in ("Brief 0", "Brief 1", "Brief 2"):
        assertContains(page, title)
        assertContains(filtered, title)
    assertNotContains(page, "Other")
    assertNotContains(filtered, "Other")


def test_unknown_type_answers_404(client):
    assert client.get(reverse("publications:type-detail", args=["nothing"])).status_code == 404


# Site-wide


def test_pages_have_a_skip_link_landmarks_and_the_stylesheet(client):
    response = client.get(reverse("publications:home"))

    assertContains(response, '<html lang="en">')
    assert_in_order(
        text_of(response), 'href="#main">Skip to main content', "<header", "<nav", '<main id="main"'
    )
    assertContains(response, "<footer")
    assertContains(response, "css/site.css")


def test_our_404_page_is_shown_for_unknown_addresses(client):
    response = client.get("/no-such-page/")

    assertContains(response, "Page not found", status_code=404)
    assertContains(response, "Skip to main content", status_code=404)


def test_our_500_page_renders_without_a_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assertContains(response, "Something went wrong", status_code=500)


def test_every_page_names_the_site_as_configured_even_the_error_pages(client, settings):
    settings.THINKTANK_NAME = "Asia Policy Institute"
    make_publication("Alliances Under Strain")
    pages = [client.get("/"), client.get("/no-such-page/"), server_error(RequestFactory().get("/"))]
    try:
        raise OperationalError("the database is away")
    except OperationalError:
        pages.append(server_error(RequestFactory().get("/")))

    for response in pages:
        assert "Asia Policy Institute" in text_of(response)
        assert "thinktank" not in text_of(response).lower()


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"database ok\ncache ok\n"


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("database is down")

    monkeypatch.setattr("thinktank.building_blocks.views.connection", BrokenConnection())

    assert client.get("/healthz").status_code == 503


def test_robots_txt_allows_all_but_the_admin(client):
    response = client.get("/robots.txt")

    assertContains(response, "User-agent: *")
    assertContains(response, "Disallow: /admin/")
    assert response["Content-Type"].startswith("text/plain")


def test_no_template_uses_the_safe_filter():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    offenders = [path.name for path in templates.rglob("*.html") if "|safe" in path.read_text()]
    assert offenders == []
