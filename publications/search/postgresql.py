"""Search on PostgreSQL: the document as a weighted tsvector in Publication.search_document,
with a GIN index, in the `thinktank_english` configuration (English stemming, accents
ignored through unaccent: migration 0012).

The reader's words go through websearch_to_tsquery, so quoted phrases, -word and "or"
work as on web search engines; ts_rank orders the matches and ts_headline highlights
them.
"""

import functools
import operator

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat, Left
from django.db.models.sql import UpdateQuery

from ..models import Publication
from .document import DOCUMENT, MARK_START, MARK_STOP, SNIPPET_BODY_CHARS, SNIPPET_WORDS

CONFIG = "thinktank_english"
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
    """Rebuild the documents of the publications `ids` (of all, if None) in one UPDATE."""
    sql, params = _update_every_document(conn.alias)
    if ids is not None:
        pk = conn.ops.quote_name(Publication._meta.pk.column)
        sql, params = f"{sql} WHERE {pk} = ANY(%s)", (*params, list(ids))
    with conn.cursor() as cursor:
        cursor.execute(sql, params)


@functools.cache
def _update_every_document(alias):
    """The UPDATE that rebuilds every document, as SQL and parameters, made once per process.

    Every save of a publication, byline or tag runs it: compiling the document's
    expressions each time would cost several times what the database spends on it.
    """
    query = UpdateQuery(Publication)
    query.add_update_fields([(Publication._meta.get_field("search_document"), None, _document())])
    return query.get_compiler(alias).as_sql()


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
