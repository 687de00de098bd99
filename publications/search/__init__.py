"""Full-text search over public publications, on PostgreSQL and on SQLite.

What is searched, per publication, is its search document (document.py): the title
(weighted highest); the lead, tag names, author names and region names (next); the
body (last). postgresql.py and sqlite.py each keep and search it in their database's
way; page.py is the search page, and the 404 page's suggestions.

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
