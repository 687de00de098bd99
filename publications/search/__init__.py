"""Full-text search over public publications, on PostgreSQL and on SQLite.

What is searched, per publication, is its search document (document.py): the title
(weighted highest); the lead, tag names, author names and region names (next); the
body (last). postgresql.py and sqlite.py each keep and search it in their database's
way; page.py is the search page, and the 404 page's suggestions. A search that finds
nothing may suggest another spelling from the archive's vocabulary (suggestion()).

Documents are kept fresh by signal receivers (publications.receivers), the same hooks
that retire the page cache, rather than by database triggers: the document gathers
five tables, and one declaration of it in Python, built per database, is easier to
read and to test than two dialects of triggers on each of them. Each receiver
rebuilds the documents of the publications it touched, in the same transaction.
Code that writes with `bulk_create()` or `QuerySet.update()`, which send no signals,
calls publications.receivers.changed_in_bulk().

A search answers with the ids of at most MAX_RESULTS matches, best first, in one
query; counts, facets and pages are then taken from that list, so their cost does
not grow with the archive.
"""

import re

from django.db import connection, connections

from ..caching.pages import PAGE_PARAMETER_MAX_LENGTH
from ..models import SearchWord
from ..models.search_words import WORD, words_of
from . import postgresql, sqlite
from .document import highlighted
from .sqlite import sqlite_has_fts5

# Longer input is cut before use: nobody types more, and it bounds the work. The one
# limit of a query parameter's value (publications.caching.pages).
MAX_QUERY_CHARS = PAGE_PARAMETER_MAX_LENGTH
# A search ranks at most this many matches. On PostgreSQL, the newest ones when a word
# is so common that more match: ranking, counting and faceting every match of
# "policy" in an archive of 100,000 would cost far more than a reader waits.
# Measured there when a page showed 20 results (RESULTS_PER_PAGE is 10 since; the
# README has today's figures), the whole page of a word found in nearly every
# publication took about 27 ms with 100, 33 with 200, over 100 with 1,000. Ten pages
# of the best matches, with counts to narrow them by, is what readers use; they
# refine with a filter or another word rather than read on.
MAX_RESULTS = 100

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(text):
    """The reader's words, ready to use: no control characters, at most MAX_QUERY_CHARS."""
    text = _CONTROL_CHARACTERS.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def search(publications, text, limit=None):
    """The ids of the `publications` matching `text`, best first (at most `limit`, MAX_RESULTS
    unless given).

    `publications` is a queryset of public publications, already filtered; `text` a
    cleaned query (clean_query()).
    """
    limit = limit or MAX_RESULTS
    if connection.vendor == "postgresql":
        return postgresql.search(publications, text, limit)
    if sqlite_has_fts5(connection):
        return sqlite.search_fts5(publications, text, limit)
    return sqlite.search_every_word(publications, text, limit)


def snippets(ids, text):
    """{id: a short passage of that publication with the reader's words highlighted}.

    For one page of results only: highlighting reads the text it highlights. The
    passage is safe HTML: its text is escaped, and the only markup is our <mark>.
    """
    if not ids or not text:
        return {}
    if connection.vendor == "postgresql":
        passages = postgresql.passages(ids, text)
    elif sqlite_has_fts5(connection):
        passages = sqlite.passages(ids, text)
    else:
        return {}
    return {pk: highlighted(passage) for pk, passage in passages.items()}


# How many spellings a suggestion tries (each costs a search) before giving up.
SUGGESTION_TRIES = 3


def suggestion(publications, text):
    """`text` with each word the archive does not know replaced by the closest one it
    knows, if that finds some of `publications`; None otherwise.

    For a search that found nothing: "sanctons" gives "sanctions". Each word's closest
    known words are tried in turn (the closest first), so a word that only drafts hold
    is never offered: it would find nothing public. No FTS5, no vocabulary: None.
    """
    if connection.vendor == "postgresql":
        similar_words = postgresql.similar_words
    elif sqlite_has_fts5(connection):
        similar_words = sqlite.similar_words
    else:
        return None
    asked = words_of(text)
    known = set(SearchWord.objects.filter(word__in=asked).values_list("word", flat=True))
    similar = {
        word: options
        for word, options in similar_words(sorted(asked - known), SUGGESTION_TRIES).items()
        if options
    }
    for attempt in range(max(map(len, similar.values()), default=0)):
        instead = {
            word: options[min(attempt, len(options) - 1)] for word, options in similar.items()
        }
        spelled = _respelled(text, instead)
        if search(publications, spelled, limit=1):
            return spelled
    return None


def _respelled(text, instead):
    """`text` with each word that `instead` names ({word in lower case: another}) replaced."""
    return WORD.sub(lambda match: instead.get(match[0].lower(), match[0]), text)


def refresh_search_documents(ids=None, using="default"):
    """Rebuild the search documents of the publications `ids` (of all, if None)."""
    conn = connections[using]
    if ids is not None:
        ids = sorted({pk for pk in ids if pk is not None})
        if not ids:
            return
    if conn.vendor == "postgresql":
        postgresql.refresh(conn, ids)
    elif sqlite_has_fts5(conn):
        sqlite.refresh(conn, ids)


def forget_search_documents(ids, using="default"):
    """Drop the search documents of the deleted publications `ids`.

    PostgreSQL's documents go with their rows; SQLite's FTS5 rows are a table apart.
    """
    conn = connections[using]
    if sqlite_has_fts5(conn):
        sqlite.forget(conn, ids)
