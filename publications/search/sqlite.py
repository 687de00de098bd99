"""Search on SQLite: the document as a row of an FTS5 table of its own (rowid = the
publication's id, made by migration 0022), ranked with bm25 and highlighted with
snippet(). The reader's words are rebuilt into a quoted FTS5 query, so no raw syntax
ever reaches it. Each rebuild also adds the documents' words to the vocabulary
(SearchWord), which difflib compares for "Did you mean …?".

If this SQLite was built without FTS5, every word must appear somewhere in the
document's parts, and the newest come first.
"""

import difflib
import functools
import operator
import re
import sqlite3

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length

from ..models import Publication, SearchWord
from ..models.search_words import words_of
from .document import DOCUMENT, MARK_START, MARK_STOP, SNIPPET_WORDS, texts_of

FTS_TABLE = "publications_search"
# bm25 weights of the FTS5 columns, for PostgreSQL's weights of the same parts.
FTS_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 1.0}
# Rows rebuilt per statement: SQLite limits the parameters of one.
_FTS5_BATCH = 500

# A quoted phrase (the closing quote may be missing), or a run of other characters;
# either may start with "-" to exclude it.
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@functools.cache
def _fts5_compiled_in():
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


# --- the reader's words ---------------------------------------------------------------------


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


def search_fts5(publications, text, limit):
    query = fts5_query(text)
    if query is None:
        return []
    candidates, params = publications.values("pk").query.sql_with_params()
    meta = publications.model._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    published_at = quote(meta.get_field("published_at").column)
    weights = [FTS_WEIGHTS[part.weight] for part in DOCUMENT]
    # bm25 ranks every match here, unlike on PostgreSQL: FTS5 does it from its own index
    # (10 ms for a word in all of 10,000). The unary + keeps FTS5 from looking each
    # candidate up by rowid, and the publications' rows (long bodies) are read only
    # for the few results, to order equal scores newest first.
    sql = f"""
        SELECT best.rowid FROM (
            SELECT rowid, bm25({FTS_TABLE}, {_marks(weights)}) AS score FROM {FTS_TABLE}
            WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({candidates})
            ORDER BY score LIMIT %s
        ) AS best JOIN {table} ON {table}.{pk} = best.rowid
        ORDER BY best.score, {table}.{published_at} DESC, {table}.{pk} DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*weights, query, *params, limit])
        return [pk for (pk,) in cursor.fetchall()]


def search_every_word(publications, text, limit):
    for words, excluded in _terms(text):
        if words == "or":  # without FTS5, every word is required
            continue
        anywhere = _anywhere_in_the_document(words)
        publications = publications.exclude(anywhere) if excluded else publications.filter(anywhere)
    return list(publications.newest_first().values_list("pk", flat=True)[:limit])


def _anywhere_in_the_document(words):
    """A condition on publications: `words` appear in one of the document's parts."""
    conditions = []
    for part in DOCUMENT:
        conditions += [Q(**{f"{field}__icontains": words}) for field in part.fields]
        conditions += [
            Exists(
                names.link.objects.filter(
                    **{
                        names.publication_field: OuterRef("pk"),
                        f"{names.field}__name__icontains": words,
                    }
                )
            )
            for names in part.names
        ]
    return functools.reduce(operator.or_, conditions)


def passages(ids, text):
    """{id: a passage of its lead or body, the reader's words between the markers}.

    The lead's passage, unless the body's has more of the reader's words; without any
    in either (they were in the title or the names), the start of the lead.
    """
    query = fts5_query(text)
    if query is None:
        return {}
    columns = [number for number, part in enumerate(DOCUMENT) if part.passage]
    snippets = ", ".join(f"snippet({FTS_TABLE}, {number}, %s, %s, '…', %s)" for number in columns)
    sql = f"""
        SELECT rowid, {snippets} FROM {FTS_TABLE}
        WHERE {FTS_TABLE} MATCH %s AND rowid IN ({_marks(ids)})
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[MARK_START, MARK_STOP, SNIPPET_WORDS] * len(columns), query, *ids])
        return {
            pk: max(candidates, key=lambda passage: passage.count(MARK_START))
            for pk, *candidates in cursor.fetchall()
        }


def similar_words(words, limit):
    """{word: up to `limit` known words like it, most alike first}, by difflib's ratio.

    Only words of about the same length are compared (two letters more or fewer), which
    keeps this quick on a large vocabulary: a typo seldom adds or drops more.
    """
    similar = {}
    for word in words:
        lengths = range(max(len(word) - 2, 1), len(word) + 3)
        known = (
            SearchWord.objects.annotate(length=Length("word"))
            .filter(length__in=lengths)
            .values_list("word", flat=True)
        )
        similar[word] = difflib.get_close_matches(word, list(known), n=limit, cutoff=0.7)
    return similar


# --- keeping documents fresh ----------------------------------------------------------------


def refresh(conn, ids):
    """Rewrite the FTS5 rows of the publications `ids` (of all, if None)."""
    columns = ", ".join(part.name for part in DOCUMENT)
    insert = f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES (%s, {_marks(DOCUMENT)})"
    with conn.cursor() as cursor:
        if ids is None:
            every = Publication.objects.using(conn.alias).order_by()
            ids = list(every.values_list("pk", flat=True))
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for start in range(0, len(ids), _FTS5_BATCH):
            batch = ids[start : start + _FTS5_BATCH]
            _delete(cursor, batch)
            rows = [(pk, *texts) for pk, texts in texts_of(batch, cursor)]
            cursor.executemany(insert, rows)
            words = set().union(*(words_of(" ".join(texts)) for _pk, *texts in rows))
            SearchWord.objects.using(conn.alias).bulk_create(
                [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True
            )


def forget(conn, ids):
    """Delete the FTS5 rows of the publications `ids` (deleted ones)."""
    with conn.cursor() as cursor:
        _delete(cursor, ids)


def _delete(cursor, ids):
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({_marks(ids)})", list(ids))


def _marks(values):
    return ", ".join(["%s"] * len(values))
