"""Full-text search over public publications, on PostgreSQL and on SQLite.

What is searched, per publication: the title (weighted highest); the lead, tag
names, author names and region names (next); the body (last).

- PostgreSQL: a tsvector column (Publication.search_document) with a GIN index,
  in the `thinktank_english` configuration (English stemming, accents ignored
  through unaccent); the reader's words go through websearch_to_tsquery, so
  quoted phrases, -word and "or" work as on web search engines; ts_rank orders
  the matches and ts_headline highlights them.
- SQLite: an FTS5 table (publications_search), ranked with bm25 and highlighted
  with snippet(); the reader's words are rebuilt into a quoted FTS5 query, so
  no raw syntax ever reaches it. If this SQLite was built without FTS5, every
  word must appear somewhere (title, lead, body, tags, authors, regions), and
  the newest come first.

Both are kept fresh by signal receivers (connect_signals()), the same hooks that
retire the page cache, rather than by database triggers: the document gathers
five tables, and one Python function building it per database is easier to read
and to test than two dialects of triggers on each of them. Each receiver
rebuilds the documents of the publications it touched, in the same transaction.
Code that writes with `bulk_create()` or `QuerySet.update()`, which send no
signals, calls `refresh_search_documents()` itself (as it calls
`content_changed()`).

A search answers with the ids of at most MAX_RESULTS matches, best first, in one
query; counts, facets and pages are then taken from that list, so their cost does
not grow with the archive.
"""

import functools
import html
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from ..models import Authorship, Publication, Region, TaggedPublication

logger = logging.getLogger(__name__)

# Longer input is cut before use: nobody types more, and it bounds the work.
MAX_QUERY_CHARS = 200
# A search ranks at most this many matches. On PostgreSQL, the newest ones when a word
# is so common that more match: ranking, counting and faceting every match of
# "policy" in an archive of 100,000 would cost far more than a reader waits.
# Measured there when a page showed 20 results (RESULTS_PER_PAGE is 10 since; the
# README has today's figures), the whole page of a word found in nearly every
# publication took about 27 ms with 100, 33 with 200, over 100 with 1,000. Ten pages
# of the best matches, with counts to narrow them by, is what readers use; they
# refine with a filter or another word rather than read on.
MAX_RESULTS = 100
# Highlighting reads the text it highlights: the lead and this much of the body's
# HTML. A whole long body costs 1.5 ms a result, this 0.2.
SNIPPET_BODY_CHARS = 1000
CONFIG = "thinktank_english"
FTS_TABLE = "publications_search"
# bm25 weights of the FTS5 columns, in the order PostgreSQL's A, B and C weigh them.
FTS_WEIGHTS = (10.0, 4.0, 1.0)
# Around each highlighted word; the markers are private-use characters, so any that
# the text itself carries can be told from ours and dropped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 30

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A quoted phrase (the closing quote may be missing), or a run of other characters;
# either may start with "-" to exclude it.
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_HIGHLIGHT = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_TAG = re.compile(r"<[^>]*>")


def clean_query(text):
    """The reader's words, ready to use: no control characters, at most MAX_QUERY_CHARS."""
    text = _CONTROL_CHARACTERS.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def _terms(text):
    """[(words, excluded)], with "or" kept as the word "or", quoted phrases as one term."""
    terms = []
    for match in _TERM.finditer(text):
        minus, phrase, word_minus, word = match.groups()
        excluded = bool(minus or word_minus)
        words = phrase if phrase is not None else word
        if words.lower() == "or" and phrase is None:
            terms.append(("or", False))
        elif any(character.isalnum() for character in words):
            terms.append((words, excluded))
    return terms


def fts5_query(text):
    """An FTS5 query for the reader's words: each term quoted, never raw syntax.

    Words are required, quoted phrases match as phrases, "-word" excludes and "or"
    offers alternatives, as websearch_to_tsquery reads them. None when no word is left.
    """
    groups, current, excluded = [], [], []
    for words, exclude in _terms(text):
        if words == "or" and not exclude:
            if current:
                groups.append(current)
            current = []
        elif exclude:
            excluded.append(_fts5_string(words))
        else:
            current.append(_fts5_string(words))
    if current:
        groups.append(current)
    if not groups:  # FTS5 cannot match "everything except"; nor do we
        return None
    query = " OR ".join(f"({' AND '.join(group)})" for group in groups)
    return " ".join([f"({query})", *(f"NOT {term}" for term in excluded)])


def _fts5_string(words):
    return '"{}"'.format(words.replace('"', '""'))


# --- searching ------------------------------------------------------------------------------


def search(publications, text, limit=None):
    """The ids of the `publications` matching `text`, best first (at most `limit`, MAX_RESULTS
    unless given).

    `publications` is a queryset of public publications, already filtered; `text` a
    cleaned query (clean_query()).
    """
    limit = limit or MAX_RESULTS
    if connection.vendor == "postgresql":
        return _search_postgresql(publications, text, limit)
    if connection.vendor == "sqlite" and sqlite_has_fts5(connection):
        return _search_fts5(publications, text, limit)
    return _search_every_word(publications, text, limit)


def _search_postgresql(publications, text, limit):
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    newest = publications.filter(search_document=query).order_by("-published_at", "-pk")
    return list(
        publications.model.objects.filter(pk__in=newest.values("pk")[:limit])
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )


def _search_fts5(publications, text, limit):
    query = fts5_query(text)
    if query is None:
        return []
    candidates, params = publications.values("pk").query.sql_with_params()
    table = publications.model._meta.db_table
    # bm25 ranks every match here, unlike on PostgreSQL: FTS5 does it from its own index
    # (10 ms for a word in all of 10,000). The unary + keeps FTS5 from looking each
    # candidate up by rowid, and the publications' rows (long bodies) are read only
    # for the few results, to order equal scores newest first.
    sql = f"""
        SELECT best.rowid FROM (
            SELECT rowid, bm25({FTS_TABLE}, %s, %s, %s) AS score FROM {FTS_TABLE}
            WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({candidates})
            ORDER BY score LIMIT %s
        ) AS best JOIN {table} ON {table}.id = best.rowid
        ORDER BY best.score, {table}.published_at DESC, {table}.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*FTS_WEIGHTS, query, *params, limit])
        return [pk for (pk,) in cursor.fetchall()]


def _search_every_word(publications, text, limit):
    regions = publications.model.regions.through
    for words, excluded in _terms(text):
        if words == "or":  # without FTS5, every word is required
            continue
        anywhere = (
            Q(title__icontains=words)
            | Q(lead__icontains=words)
            | Q(body__icontains=words)
            | Exists(
                TaggedPublication.objects.filter(
                    content_object=OuterRef("pk"), tag__name__icontains=words
                )
            )
            | Exists(
                Authorship.objects.filter(publication=OuterRef("pk"), author__name__icontains=words)
            )
            | Exists(
                regions.objects.filter(publication=OuterRef("pk"), region__name__icontains=words)
            )
        )
        publications = publications.exclude(anywhere) if excluded else publications.filter(anywhere)
    return list(publications.newest_first().values_list("pk", flat=True)[:limit])


def snippets(ids, text):
    """{id: a short passage of that publication with the reader's words highlighted}.

    For one page of results only: highlighting reads the text it highlights. The
    passage is safe HTML: its text is escaped, and the only markup is our <mark>.
    """
    if not ids or not text:
        return {}
    if connection.vendor == "postgresql":
        sql = """
            SELECT id, ts_headline(
                %(config)s::regconfig,
                lead || ' ' || regexp_replace(left(body, %(body_chars)s), '<[^>]*(>|$)', ' ', 'g'),
                websearch_to_tsquery(%(config)s::regconfig, %(text)s),
                %(options)s
            )
            FROM publications_publication WHERE id = ANY(%(ids)s)
        """
        params = {
            "config": CONFIG,
            "text": text,
            "ids": list(ids),
            "body_chars": SNIPPET_BODY_CHARS,
            "options": (
                f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords={SNIPPET_WORDS}, "
                'MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
            ),
        }
    elif connection.vendor == "sqlite" and sqlite_has_fts5(connection):
        query = fts5_query(text)
        if query is None:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        sql = f"""
            SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, '…', %s) FROM {FTS_TABLE}
            WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})
        """
        params = [MARK_START, MARK_STOP, SNIPPET_WORDS, query, *ids]
    else:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: highlighted(passage) for pk, passage in cursor.fetchall()}


def highlighted(passage):
    """The passage as safe HTML: everything escaped, our markers made into <mark>."""
    text = html.unescape(passage or "")
    parts, position = [], 0
    for match in _HIGHLIGHT.finditer(text):
        parts.append(_escape_unmarked(text[position : match.start()]))
        parts.append(f"<mark>{_escape_unmarked(match.group(1))}</mark>")
        position = match.end()
    parts.append(_escape_unmarked(text[position:]))
    return mark_safe("".join(parts))  # every piece was escaped above


def _escape_unmarked(text):
    return html.escape(text.replace(MARK_START, "").replace(MARK_STOP, ""), quote=False)


# --- facets ---------------------------------------------------------------------------------


FACET_TOP = 10


def facet_counts(ids):
    """How many of the results carry each type, region, year, tag and author.

    {"type": [(slug, name, count)], ...}, each list in its menu's order (tags and
    authors: the FACET_TOP most frequent). A region counts what its filter finds:
    publications about it or any region under it.
    """
    if not ids:
        return {}
    # Types and years in one query: few of each.
    by_type_and_year = (
        Publication.objects.filter(pk__in=ids)
        .values_list(
            "publication_type__sort_order",
            "publication_type__slug",
            "publication_type__name",
            ExtractYear("published_at"),
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    types, years = Counter(), Counter()
    for sort_order, slug, name, year, count in by_type_and_year:
        types[sort_order, name, slug] += count
        years[year] += count
    tags = (
        TaggedPublication.objects.filter(content_object__in=ids)
        .values_list("tag__slug", "tag__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "tag__name")[:FACET_TOP]
    )
    authors = (
        Authorship.objects.filter(publication__in=ids)
        .values_list("author__slug", "author__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "author__name")[:FACET_TOP]
    )
    return {
        "type": [(slug, name, count) for (_, name, slug), count in sorted(types.items())],
        "region": _region_counts(ids),
        "year": [(year, year, count) for year, count in sorted(years.items(), reverse=True)],
        "tag": list(tags),
        "author": list(authors),
    }


def _region_counts(ids):
    placed = defaultdict(set)
    for publication, region in Region.publications.through.objects.filter(
        publication__in=ids
    ).values_list("publication", "region"):
        placed[region].add(publication)
    # A region counts its subregions' publications too (a parent may have none of its own).
    counts = {
        region: len(set().union(*(placed[pk] for pk in tree)))
        for region, tree in Region.objects.subtrees().items()
    }
    regions = Region.objects.filter(pk__in=[pk for pk, n in counts.items() if n])
    return [(region.slug, region.name, counts[region.pk]) for region in regions]


# --- keeping documents fresh ------------------------------------------------------------------


@functools.cache
def _fts5_compiled_in():
    import sqlite3

    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def sqlite_has_fts5(conn):
    """Whether this SQLite can search with FTS5 (checked once per process)."""
    return conn.vendor == "sqlite" and _fts5_compiled_in()


def refresh_search_documents(ids=None, using="default"):
    """Rebuild the search documents of the publications `ids` (of all, if None)."""
    conn = connections[using]
    if ids is not None:
        ids = sorted({pk for pk in ids if pk is not None})
        if not ids:
            return
    if conn.vendor == "postgresql":
        _refresh_postgresql(conn, ids)
    elif sqlite_has_fts5(conn):
        _refresh_fts5(conn, ids)


# One UPDATE builds the documents from the five tables, for any number of rows.
_POSTGRES_DOCUMENT = """
UPDATE publications_publication AS p SET search_document =
    setweight(to_tsvector(%(config)s::regconfig, p.title), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, concat_ws(' ', p.lead,
        (SELECT string_agg(t.name, ' ') FROM publications_taggedpublication tp
         JOIN taggit_tag t ON t.id = tp.tag_id WHERE tp.content_object_id = p.id),
        (SELECT string_agg(a.name, ' ') FROM publications_authorship au
         JOIN authors_author a ON a.id = au.author_id WHERE au.publication_id = p.id),
        (SELECT string_agg(r.name, ' ') FROM publications_publication_regions pr
         JOIN publications_region r ON r.id = pr.region_id WHERE pr.publication_id = p.id)
    )), 'B')
    -- The parser skips HTML tags by itself.
    || setweight(to_tsvector(%(config)s::regconfig, p.body), 'C')
"""


def _refresh_postgresql(conn, ids):
    sql, params = _POSTGRES_DOCUMENT, {"config": CONFIG}
    if ids is not None:
        sql += " WHERE p.id = ANY(%(ids)s)"
        params["ids"] = ids
    with conn.cursor() as cursor:
        cursor.execute(sql, params)


_FTS5_BATCH = 500


def _refresh_fts5(conn, ids):
    with conn.cursor() as cursor:
        if ids is None:
            cursor.execute("SELECT id FROM publications_publication")
            ids = [pk for (pk,) in cursor.fetchall()]
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for start in range(0, len(ids), _FTS5_BATCH):
            batch = ids[start : start + _FTS5_BATCH]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", batch)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, about, body) VALUES (%s, %s, %s, %s)",
                _fts5_rows(cursor, batch, marks),
            )


def _fts5_rows(cursor, ids, marks):
    names = defaultdict(list)
    for sql in (
        "SELECT tp.content_object_id, t.name FROM publications_taggedpublication tp"
        " JOIN taggit_tag t ON t.id = tp.tag_id WHERE tp.content_object_id IN ({})",
        "SELECT au.publication_id, a.name FROM publications_authorship au"
        " JOIN authors_author a ON a.id = au.author_id WHERE au.publication_id IN ({})",
        "SELECT pr.publication_id, r.name FROM publications_publication_regions pr"
        " JOIN publications_region r ON r.id = pr.region_id WHERE pr.publication_id IN ({})",
    ):
        cursor.execute(sql.format(marks), ids)
        for pk, name in cursor.fetchall():
            names[pk].append(name)
    cursor.execute(
        f"SELECT id, title, lead, body FROM publications_publication WHERE id IN ({marks})", ids
    )
    return [
        (pk, title, " ".join([lead, *names[pk]]), html.unescape(_TAG.sub(" ", body)))
        for pk, title, lead, body in cursor.fetchall()
    ]


def _forget_deleted(sender, instance, **kwargs):
    conn = connections[kwargs.get("using") or "default"]
    if sqlite_has_fts5(conn):
        with conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])


def _publication_saved(sender, instance, using, **kwargs):
    refresh_search_documents([instance.pk], using=using)


# Through model -> (its field for the tag, author or region; its field for the publication).
_LINKS = {}


def _link_saved(sender, instance, using, **kwargs):
    """An authorship or tagging row saved or deleted (the admin's inlines, taggit)."""
    publication_field = _LINKS[sender][1]
    refresh_search_documents([getattr(instance, f"{publication_field}_id")], using=using)


def _links_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """add(), remove(), set() or clear() on tags, authors or regions, from either side."""
    if not reverse:
        if action.startswith("post_"):
            refresh_search_documents([instance.pk], using=using)
    elif action == "pre_clear":  # afterwards the links are gone: remember them now
        instance._search_cleared = list(_publications_of(instance, sender))
    elif action == "post_clear":
        refresh_search_documents(getattr(instance, "_search_cleared", []), using=using)
    elif action.startswith("post_"):
        refresh_search_documents(pk_set or [], using=using)


def _publications_of(thing, through):
    """The ids of the publications linked to `thing` (a tag, author or region)."""
    thing_field, publication_field = _LINKS[through]
    linked = through.objects.filter(**{thing_field: thing})
    return linked.values_list(f"{publication_field}_id", flat=True)


def _name_before_save(sender, instance, **kwargs):
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        instance._search_renamed = old != instance.name


def _renamed(through):
    def receiver(sender, instance, using, **kwargs):
        """A tag, author or region renamed: the documents of its publications name it."""
        if getattr(instance, "_search_renamed", False):
            refresh_search_documents(_publications_of(instance, through), using=using)

    return receiver


# --- the search page ----------------------------------------------------------------------

# Ten, as web search engines show: a reader scans the best few, then narrows or
# pages on; each result also costs a highlighted passage.
RESULTS_PER_PAGE = 10
FACET_LABELS = {
    "type": "Type",
    "region": "Region",
    "year": "Year",
    "tag": "Topic",
    "author": "Author",
}


@dataclass
class Facet:
    label: str
    count: int
    url: str  # the same search narrowed by it, or widened again if it is chosen
    chosen: bool


@dataclass
class SearchPage:
    page: object  # a Paginator page
    results: list  # [(publication, highlighted snippet or None)], in the page's order
    facets: dict = field(default_factory=dict)  # {"Type": [Facet]}
    ranked: bool = False  # best matches first, rather than newest first
    limited: bool = False  # MAX_RESULTS matched, and likely more: only those are shown


def search_page(form, page_number):
    """One page of what `form` (a valid forms.SearchForm) asks for.

    Without words, the newest publications under the chosen filters. With words,
    the matches best first, each with a highlighted passage, and how many of them
    carry each filter value, all taken from one search.
    """
    publications = form.filter(Publication.objects.published())
    query = form.cleaned_data["q"]
    if not query:
        newest = publications.for_listing().newest_first()
        page = Paginator(newest, RESULTS_PER_PAGE).get_page(page_number)
        return SearchPage(page=page, results=[(p, None) for p in page.object_list])
    ids = search(publications, query)
    page = Paginator(ids, RESULTS_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    loaded = Publication.objects.filter(pk__in=shown).for_listing().in_bulk()
    passages = snippets(shown, query)
    return SearchPage(
        page=page,
        results=[(loaded[pk], passages.get(pk)) for pk in shown],
        facets=_facets(facet_counts(ids), form),
        ranked=True,
        limited=len(ids) >= MAX_RESULTS,
    )


def _facets(counts, form):
    asked = {name: value for name, value in form.data.items() if value and name in form.fields}
    asked.pop("page", None)
    facets = {}
    for name, values in counts.items():
        chosen = str(form.data.get(name, ""))
        facets[FACET_LABELS[name]] = []
        for value, label, count in values:
            is_chosen = str(value) == chosen
            narrowed = {**asked, name: value}
            if is_chosen:  # its link widens the search again
                del narrowed[name]
            facets[FACET_LABELS[name]].append(
                Facet(str(label), count, f"?{urlencode(narrowed)}", is_chosen)
            )
    return facets


# --- the 404 page -------------------------------------------------------------------------

SUGGESTIONS = 5
_SLUG_WORD = re.compile(r"[^\W\d_]+")


def suggestions_for_path(path):
    """Up to SUGGESTIONS public publications matching the words of a missing address.

    "/publications/north-korea-sanctions-2019/" looks for "north or korea or
    sanctions", best first. For the 404 page, which must render whatever happens:
    a database error gives no suggestions rather than a second error.
    """
    segments = [segment for segment in path.split("/") if segment]  # path is decoded
    words = _SLUG_WORD.findall(segments[-1]) if segments else []
    if not words:
        return []
    query = clean_query(" or ".join(words[:10]))
    try:
        # A savepoint: a failed search must not break a surrounding transaction.
        with transaction.atomic():
            ids = search(Publication.objects.published(), query, limit=SUGGESTIONS)
            found = Publication.objects.filter(pk__in=ids).for_listing().in_bulk()
    except DatabaseError:
        logger.exception("Could not suggest publications for the missing page %s", path)
        return []
    return [found[pk] for pk in ids if pk in found]
