"""Search: /search/, its filters and facets, the search documents kept fresh, the 404 page.

Each test runs on the database the suite runs on (SQLite with FTS5 by default,
PostgreSQL with DATABASE_URL); the ones about SQLite without FTS5 say so.
"""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from publications import search
from publications.models import Authorship
from publications.search import document, page, sqlite

from .admin_forms import confirm_merge
from .factories import make_author, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

SEARCH = reverse("publications:search")


def found_titles(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return [publication.title for publication, _ in response.context["found"].results]


def test_it_finds_publications_by_a_word_of_the_title(client):
    make_publication("Sanctions on North Korea")
    make_publication("Energy Security in Europe")
    assert found_titles(client, q="korea") == ["Sanctions on North Korea"]


def test_it_finds_other_forms_of_a_word(client):
    make_publication("Sanctions on North Korea")
    assert found_titles(client, q="sanction") == ["Sanctions on North Korea"]


def test_accents_do_not_matter(client):
    make_publication("Sécurité alimentaire au Sahel")
    make_publication("Food markets")
    assert found_titles(client, q="securite") == ["Sécurité alimentaire au Sahel"]
    assert found_titles(client, q="Sahél") == ["Sécurité alimentaire au Sahel"]


def test_it_never_shows_drafts_items_in_review_or_scheduled_items(client):
    make_publication("Korea published")
    make_publication("Korea draft", status="draft", published_at=None)
    make_publication("Korea in review", status="review", published_at=None)
    make_publication("Korea scheduled", published_at=timezone.now() + timedelta(days=3))
    response = client.get(SEARCH, {"q": "korea"})
    assert [p.title for p, _ in response.context["found"].results] == ["Korea published"]
    assert response.context["found"].page.paginator.count == 1
    type_counts = [facet.count for facet in response.context["found"].facets["Type"]]
    assert type_counts == [1]
    assert "draft" not in response.content.decode()


def test_a_title_match_ranks_above_a_newer_body_match(client):
    make_publication("Deterrence Today", days_ago=30)
    make_publication("Alliances", body="<p>A word on deterrence.</p>", days_ago=1)
    assert found_titles(client, q="deterrence") == ["Deterrence Today", "Alliances"]


def test_equally_good_matches_come_newest_first(client):
    make_publication("Deterrence one", days_ago=30)
    make_publication("Deterrence two", days_ago=1)
    assert found_titles(client, q="deterrence") == ["Deterrence two", "Deterrence one"]


def test_it_finds_tags_author_names_regions_and_the_body(client):
    author = make_author("Mitra Shahabadi")
    make_publication("By author", authors=[author])
    make_publication("Tagged", tags=["nonproliferation"])
    make_publication("Placed", regions=[make_region("Mongolia")])
    make_publication("Body", body="<p>The <strong>Mekong</strong> basin.</p>")
    assert found_titles(client, q="shahabadi") == ["By author"]
    assert found_titles(client, q="nonproliferation") == ["Tagged"]
    assert found_titles(client, q="mongolia") == ["Placed"]
    assert found_titles(client, q="mekong") == ["Body"]


def test_a_quoted_phrase_matches_only_those_words_together(client):
    make_publication("Export controls on chips")
    make_publication("Controls on capital export")
    assert found_titles(client, q='"export controls"') == ["Export controls on chips"]


def test_a_minus_leaves_a_word_out_and_or_offers_either(client):
    make_publication("Korea and Japan", days_ago=3)
    make_publication("Korea alone", days_ago=2)
    make_publication("Mongolia alone", days_ago=1)
    assert found_titles(client, q="korea -japan") == ["Korea alone"]
    assert found_titles(client, q="japan or mongolia") == ["Mongolia alone", "Korea and Japan"]
    assert found_titles(client, q="korea japan") == ["Korea and Japan"]


def test_non_latin_words_are_found(client):
    make_publication("한국 안보 전망")
    make_publication("Россия и Китай")
    make_publication("الأمن الغذائي")
    assert found_titles(client, q="한국") == ["한국 안보 전망"]
    assert found_titles(client, q="Китай") == ["Россия и Китай"]
    assert found_titles(client, q="الغذائي") == ["الأمن الغذائي"]


@pytest.mark.parametrize(
    "query",
    [
        "the",
        "the and of",
        "!!! ??? ...",
        '"unbalanced quote',
        'both "quoted" and "not',
        "'; DROP TABLE publications_publication; --",
        "title) OR 1=1 --",
        "NEAR(a b) * ^ : + AND NOT",
        "-",
        "or",
        "-korea",
        "korea" * 2000,
        "한국 Россия العربية",
        "   ",
    ],
)
def test_odd_input_gets_a_page_not_an_error(client, query):
    make_publication("Korea Sanctions")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert response.context["form"].is_valid()


def test_a_very_long_query_is_cut_before_use(client):
    make_publication("Korea Sanctions")
    response = client.get(SEARCH, {"q": "korea " + "x" * 10_000})
    assert len(response.context["form"].cleaned_data["q"]) == search.MAX_QUERY_CHARS


def test_a_nul_byte_in_the_address_gets_a_clear_400(client):
    # thinktank.building_blocks.middleware.RejectNulBytesMiddleware, as on every page.
    make_publication("Korea Sanctions")
    response = client.get(SEARCH, {"q": "korea\x00sanctions"})
    assert response.status_code == 400
    assert "characters that are not allowed" in response.content.decode()


def test_control_characters_are_dropped_from_words_that_reach_the_search():
    # The 404 page's suggestions search the words of any address.
    assert search.clean_query("korea\x00sanctions\x07") == "korea sanctions"


def test_an_empty_query_shows_the_filters_and_the_latest(client):
    make_publication("Older", days_ago=5)
    make_publication("Newer", days_ago=1)
    response = client.get(SEARCH)
    assert [p.title for p, _ in response.context["found"].results] == ["Newer", "Older"]
    assert 'name="type"' in response.content.decode()


def test_the_filters_combine_with_the_words(client):
    brief = make_type("Brief", slug="brief")
    make_publication("Korea brief", publication_type=brief)
    make_publication("Korea report", publication_type=make_type("Report", slug="report"))
    make_publication("Japan brief", publication_type=brief)
    assert found_titles(client, q="korea", type="brief") == ["Korea brief"]


def test_an_unknown_filter_gets_a_message(client):
    response = client.get(SEARCH, {"q": "korea", "type": "nope"})
    assert response.status_code == 200
    assert "No type called “nope”." in response.content.decode()


def test_facets_count_the_matches_per_filter_value(client):
    brief = make_type("Brief", slug="brief")
    asia = make_region("Asia", slug="asia")
    japan = make_region("Japan", slug="japan", parent=asia)
    make_publication("Korea one", publication_type=brief, regions=[japan], tags=["nuclear"])
    make_publication("Korea two", publication_type=brief, regions=[asia], tags=["nuclear"])
    make_publication("Korea three", regions=[japan])
    make_publication("Japan only", publication_type=brief, regions=[japan], tags=["nuclear"])
    facets = client.get(SEARCH, {"q": "korea"}).context["found"].facets
    counts = {label: {f.label: f.count for f in values} for label, values in facets.items()}
    assert counts["Type"]["Brief"] == 2
    assert counts["Region"] == {"Asia": 3, "Japan": 2}
    assert counts["Topic"] == {"nuclear": 2}
    japan_link = next(f for f in facets["Region"] if f.label == "Japan").url
    assert found_titles(client, **dict(pair.split("=") for pair in japan_link[1:].split("&"))) == [
        "Korea three",
        "Korea one",
    ]


def test_results_are_paginated(client):
    for n in range(page.RESULTS_PER_PAGE + 3):
        make_publication(f"Korea {n}", days_ago=n + 1)
    response = client.get(SEARCH, {"q": "korea", "page": 2})
    assert len(response.context["found"].results) == 3
    assert response.context["found"].page.paginator.count == page.RESULTS_PER_PAGE + 3


def test_a_very_common_word_shows_a_limited_number_of_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr(page, "MAX_RESULTS", 3)
    for n in range(5):
        make_publication(f"Korea {n}", days_ago=n + 1)
    response = client.get(SEARCH, {"q": "korea"})
    assert len(response.context["found"].results) == 3
    assert "Many matches: the first 3, best first." in response.content.decode()


def test_a_passage_with_the_words_highlighted_is_shown_and_escaped(client):
    make_publication(
        "Markets",
        lead="Tom & Jerry <img src=x onerror=alert(1)> discuss sanctions at length today.",
    )
    response = client.get(SEARCH, {"q": "sanctions"})
    content = response.content.decode()
    assert "<mark>sanctions</mark>" in content
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def passage_of(client, query):
    """The one result's passage for `query`, as the page shows it (safe HTML)."""
    (result,) = client.get(SEARCH, {"q": query}).context["found"].results
    return str(result[1])


def test_a_passage_comes_from_the_lead_never_from_tag_author_or_region_names(client):
    make_publication(
        "Energy transition",
        lead="Buyers sign long contracts for liquefied gas to keep the lights on.",
        tags=["climate change", "energy transition"],
        authors=[make_author("Mariko Hayashida"), make_author("Tomasz Wielgosz")],
        regions=[make_region("Japan")],
    )
    for query in ("hayashida", "climate", "japan"):
        passage = passage_of(client, query)
        assert passage.startswith("Buyers sign long contracts for liquefied gas"), query
        assert "Hayashida" not in passage
        assert "Wielgosz" not in passage
        assert "climate" not in passage
        assert "Japan" not in passage


def test_a_passage_marks_the_words_found_in_the_body(client):
    make_publication(
        "Alliances",
        lead="A short lead about alliances and partners.",
        body="<p>Some text first.</p><p>Shipping insurers now <b>refuse</b> tankers that "
        "carried sanctioned crude.</p>",
        tags=["shipping"],
    )
    passage = passage_of(client, "insurers")
    assert "<mark>insurers</mark>" in passage
    assert "<b>" not in passage


def test_a_misspelt_word_suggests_the_archive_s_own_spelling_as_a_link(client):
    make_publication("Sanctions on North Korea")
    make_publication("Energy Security in Europe")
    response = client.get(SEARCH, {"q": "sanctons", "year": ""})
    assert response.context["found"].results == []
    assert response.context["found"].suggestion == "sanctions"
    assert (
        f'Did you mean <a href="{SEARCH}?q=sanctions">sanctions</a>?' in response.content.decode()
    )
    assert "No publications match “sanctons”." in response.content.decode()


def test_a_suggestion_keeps_the_filters_and_the_words_it_knows(client):
    brief = make_type("Brief", slug="brief")
    make_publication("Sanctions on North Korea", publication_type=brief)
    found = client.get(SEARCH, {"q": "korea sanctons", "type": "brief"}).context["found"]
    assert found.suggestion == "korea sanctions"
    assert found.suggestion_url == "?q=korea+sanctions&type=brief"


def test_no_word_is_suggested_that_only_a_draft_holds(client):
    make_publication("Sanctions on North Korea", status="draft", published_at=None)
    response = client.get(SEARCH, {"q": "sanctons"})
    assert response.context["found"].suggestion == ""
    assert "Did you mean" not in response.content.decode()


def test_known_words_that_find_nothing_together_suggest_nothing(client):
    make_publication("Sanctions on North Korea")
    make_publication("Energy Security in Europe")
    assert client.get(SEARCH, {"q": "sanctions energy"}).context["found"].suggestion == ""


def test_highlighting_keeps_only_our_own_markers():
    marked = f"a {document.MARK_START}b{document.MARK_STOP} <i>c</i> {document.MARK_STOP}&amp; d"
    assert document.highlighted(marked) == "a <mark>b</mark> &lt;i&gt;c&lt;/i&gt; &amp; d"


def test_every_page_has_a_search_box_in_its_header(client):
    content = client.get(reverse("publications:home")).content.decode()
    assert f'action="{SEARCH}"' in content
    assert (
        '<label class="visually-hidden" for="site-search-q">Search publications</label>' in content
    )


# --- the documents are kept fresh ---------------------------------------------------------


def test_a_renamed_tag_is_found_by_its_new_name_only(client):
    make_publication("Tagged", tags=["nukes"])
    tag = Tag.objects.get(name="nukes")
    tag.name = "nonproliferation"
    tag.save()
    assert found_titles(client, q="nonproliferation") == ["Tagged"]
    assert found_titles(client, q="nukes") == []


def test_a_renamed_author_is_found_by_the_new_name(client):
    author = make_author("Mitra Shahabadi")
    make_publication("By author", authors=[author])
    author.name = "Mitra Farrokhzad"
    author.save()
    assert found_titles(client, q="farrokhzad") == ["By author"]
    assert found_titles(client, q="shahabadi") == []


def test_a_renamed_region_is_found_by_the_new_name(client):
    region = make_region("Burma")
    make_publication("Placed", regions=[region])
    region.name = "Myanmar"
    region.save()
    assert found_titles(client, q="myanmar") == ["Placed"]


def test_links_added_and_removed_from_either_side_are_searched(client):
    publication = make_publication("Plain")
    region = make_region("Mongolia")
    region.publications.add(publication)
    assert found_titles(client, q="mongolia") == ["Plain"]
    region.publications.clear()
    assert found_titles(client, q="mongolia") == []
    publication.tags.add("steppe")
    assert found_titles(client, q="steppe") == ["Plain"]
    publication.tags.clear()
    assert found_titles(client, q="steppe") == []
    author = make_author("Oyun Bold")
    Authorship.objects.create(publication=publication, author=author)
    assert found_titles(client, q="oyun") == ["Plain"]
    Authorship.objects.filter(publication=publication).delete()
    assert found_titles(client, q="oyun") == []


def test_an_edited_title_is_searched_and_a_deleted_publication_is_gone(client):
    publication = make_publication("Old words")
    publication.title = "New words"
    publication.save()
    assert found_titles(client, q="new") == ["New words"]
    assert found_titles(client, q="old") == []
    publication.delete()
    assert found_titles(client, q="new") == []


def test_merged_tags_are_searched_under_the_kept_name(admin_client):
    make_publication("One", tags=["nuclear", "atomic"])
    make_publication("Two", tags=["nuclear"])
    make_publication("Three", tags=["atomic"])
    make_publication("Four", tags=["nuclear"])
    tags = Tag.objects.filter(name__in=["nuclear", "atomic"])
    confirm_merge(admin_client, tags, Tag.objects.get(name="nuclear"))
    assert sorted(found_titles(admin_client, q="nuclear")) == ["Four", "One", "Three", "Two"]
    assert found_titles(admin_client, q="atomic") == []


def test_documents_can_be_rebuilt_for_every_publication(client):
    make_publication("Korea")
    search.refresh_search_documents()
    assert found_titles(client, q="korea") == ["Korea"]


# --- SQLite without FTS5 ------------------------------------------------------------------

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the fallback is SQLite's, without FTS5"
)


@sqlite_only
def test_without_fts5_every_word_must_appear_somewhere_newest_first(client, monkeypatch):
    monkeypatch.setattr(search, "sqlite_has_fts5", lambda conn: False)
    make_publication("Korea talks", tags=["sanctions"], days_ago=5)
    make_publication("Korea", body="<p>Sanctions again.</p>", days_ago=1)
    make_publication("Korea alone", days_ago=2)
    assert found_titles(client, q="korea sanctions") == ["Korea", "Korea talks"]
    assert found_titles(client, q="korea -sanctions") == ["Korea alone"]
    for odd in ['"unbalanced', "'; DROP TABLE x; --", "", "한국"]:
        assert client.get(SEARCH, {"q": odd}).status_code == 200


def test_fts5_queries_quote_every_term():
    assert sqlite.fts5_query('korea "export controls" -japan or NEAR(x') == (
        '(("korea" AND "export controls") OR ("NEAR(x")) NOT "japan"'
    )
    assert sqlite.fts5_query('say "a""b') == '(("say" AND "a" AND "b"))'
    assert sqlite.fts5_query("-korea") is None
    assert sqlite.fts5_query("!!!") is None


# --- the 404 page -------------------------------------------------------------------------


def test_the_404_page_suggests_publications_matching_the_missing_address(client):
    make_publication("North Korea Sanctions Revisited")
    make_publication("Korea draft", status="draft", published_at=None)
    make_publication("Energy in Europe")
    response = client.get("/publications/north-korea-sanctions-2019/")
    assert response.status_code == 404
    titles = [publication.title for publication in response.context["suggestions"]]
    assert titles == ["North Korea Sanctions Revisited"]
    assert "North Korea Sanctions Revisited" in response.content.decode()


def test_the_404_page_suggests_at_most_five(client):
    for n in range(7):
        make_publication(f"Korea {n}")
    response = client.get("/publications/korea/")
    assert len(response.context["suggestions"]) == page.SUGGESTIONS


def test_the_404_page_renders_when_the_search_fails(client, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("search is down")

    monkeypatch.setattr(page, "search", fail)
    make_publication("North Korea")
    response = client.get("/publications/north-korea-2019/")
    assert response.status_code == 404
    assert response.context["suggestions"] == []
    assert "Page not found" in response.content.decode()


def test_the_404_page_without_words_suggests_nothing(client):
    response = client.get("/publications/2019/")
    assert response.status_code == 404
    assert response.context["suggestions"] == []


def test_the_404_page_reads_words_in_any_script(client):
    make_publication("한국 안보 전망")
    response = client.get("/publications/한국-안보-2020/")
    assert response.status_code == 404
    assert [p.title for p in response.context["suggestions"]] == ["한국 안보 전망"]


@pytest.mark.django_db(transaction=True)
def test_a_cached_search_page_is_retired_when_a_publication_changes(client):
    """Committed for real, as the site runs: the page cache keeps the first answer."""
    publication = make_publication("Korea talks", regions=[make_region("Asia", slug="asia")])
    assert found_titles(client, region="asia") == ["Korea talks"]
    assert client.get(SEARCH, {"region": "asia"}).context is None  # served from the cache

    publication.title = "Japan talks"
    publication.save()

    assert found_titles(client, region="asia") == ["Japan talks"]


@pytest.mark.django_db(transaction=True)
def test_search_words_are_answered_afresh_never_from_the_cache(client):
    """Any mix of words is a new address, and many match something: kept, they would
    fill the cache (tests/test_page_cache.py has the flood)."""
    make_publication("Korea talks")
    assert found_titles(client, q="korea") == ["Korea talks"]

    assert found_titles(client, q="korea") == ["Korea talks"]  # rendered again
