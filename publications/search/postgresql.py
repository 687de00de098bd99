"""Search on PostgreSQL: the document as a weighted tsvector in Publication.search_document,
with a GIN index, in the `thinktank_english` configuration (English stemming, accents
ignored through unaccent: migration 0012).

The reader's words go through websearch_to_tsquery, so quoted phrases, -word and "or"
work as on web search engines; ts_rank orders the matches and ts_headline highlights
them. Each rebuild also adds the documents' words, as written, to the vocabulary
(SearchWord), which pg_trgm's similarity searches for "Did you mean …?".
"""

import functools
import operator

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat, Left
from django.db.models.sql import UpdateQuery

from ..models import Publication, SearchWord
from ..models.search_words import MAX_WORD_LENGTH, MIN_WORD_LENGTH
from .document import DOCUMENT, MARK_START, MARK_STOP, SNIPPET_BODY_CHARS, SNIPPET_WORDS

CONFIG = "thinktank_english"
# The vocabulary's words are kept as written: lower case, not stemmed.
WORDS_CONFIG = "simple"
# SearchWord.WORD, in SQL: letters only, of a suggestible length.
VOCABULARY_WORD = f"^[[:alpha:]]{{{MIN_WORD_LENGTH},{MAX_WORD_LENGTH}}}$"
# Where refresh() narrows the statements below to the publications it rebuilds.
_WHERE = "/* where */"
# A tag, or the start of one that the cut at SNIPPET_BODY_CHARS left open.
_TAG_OR_ITS_START = "<[^>]*(>|$)"


def _query(text):
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def search(publications, text, limit):
    query = _query(text)
    newest = publications.filter(search_document=query).order_by("-published_at", "-pk")
    return list(
        publications.model.objects.filter(pk__in=newest.values("pk")[:limit])
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )


def passages(ids, text):
    """{id: the lead and the start of the body, the reader's words between the markers}.

    ts_headline reads text, so the body's tags are cut out here in the database;
    its character references stay, and highlighted() decodes them.
    """
    body = Func(
        Left("body", SNIPPET_BODY_CHARS),
        Value(_TAG_OR_ITS_START),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    headline = SearchHeadline(
        Concat("lead", Value(" "), body, output_field=TextField()),
        _query(text),
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=SNIPPET_WORDS,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    found = Publication.objects.filter(pk__in=ids).order_by().annotate(passage=headline)
    return dict(found.values_list("pk", "passage"))


def refresh(conn, ids):
    """Rebuild the documents of the publications `ids` (of all, if None) in one UPDATE,
    and add their words to the vocabulary in one INSERT."""
    pk = conn.ops.quote_name(Publication._meta.pk.column)
    where, where_params = (f"WHERE {pk} = ANY(%s)", [list(ids)]) if ids is not None else ("", [])
    with conn.cursor() as cursor:
        for sql, before, after in (
            _update_every_document(conn.alias),
            _remember_every_word(conn.alias),
        ):
            cursor.execute(sql.replace(_WHERE, where), [*before, *where_params, *after])


def similar_words(words, limit):
    """{word: up to `limit` known words like it, most alike first}, by trigram similarity
    (pg_trgm's % operator, which the trigram index on SearchWord.word answers)."""
    return {
        word: list(
            SearchWord.objects.filter(TrigramSimilar(F("word"), Value(word)))
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:limit]
        )
        for word in words
    }


@functools.cache
def _update_every_document(alias):
    """The UPDATE that rebuilds every document, as SQL and the parameters before and after
    its WHERE, made once per process.

    Every save of a publication, byline or tag runs it: compiling the document's
    expressions each time would cost several times what the database spends on it.
    """
    query = UpdateQuery(Publication)
    query.add_update_fields([(Publication._meta.get_field("search_document"), None, _document())])
    sql, params = query.get_compiler(alias).as_sql()
    return f"{sql} {_WHERE}", params, ()


@functools.cache
def _remember_every_word(alias):
    """The INSERT that adds the words of every document to the vocabulary, made once per
    process (as _update_every_document())."""
    every_part = SearchVector(
        *(field for part in DOCUMENT for field in part.fields),
        *(_names(names) for part in DOCUMENT for names in part.names),
        config=WORDS_CONFIG,
    )
    words = Func(
        Func(every_part, function="tsvector_to_array"), function="unnest", output_field=TextField()
    )
    every_word = Publication.objects.order_by().annotate(word=words).values("word")
    select, params = every_word.query.get_compiler(alias).as_sql()
    table = SearchWord._meta.db_table
    return (
        f"INSERT INTO {table} (word) SELECT DISTINCT word FROM ({select} {_WHERE}) AS words"
        " WHERE word ~ %s ON CONFLICT (word) DO NOTHING",
        params,
        (VOCABULARY_WORD,),
    )


def _document():
    # The body's HTML goes in as it is: the text search parser skips tags by itself.
    parts = (
        SearchVector(*part.fields, *map(_names, part.names), config=CONFIG, weight=part.weight)
        for part in DOCUMENT
    )
    return functools.reduce(operator.add, parts)


def _names(names):
    """The names `names` links to the publication being updated, in one string."""
    linked = names.link.objects.filter(**{names.publication_field: OuterRef("pk")}).order_by()
    return Subquery(
        linked.values(names.publication_field)
        .annotate(joined=StringAgg(f"{names.field}__name", " "))
        .values("joined")
    )
