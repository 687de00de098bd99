"""The search document: what a publication is found by, declared once.

Four parts, each with PostgreSQL's weight (A counts most):
- A: the title;
- B: the lead; and, apart, the names of its tags, authors and regions;
- C: the body, by its text (it is HTML).

postgresql.py builds a tsvector from them in one UPDATE; sqlite.py writes them as
the columns of an FTS5 row, and without FTS5 looks for each word in all of them.
The link models named here are the ones whose changes rebuild documents
(publications.receivers).

And a passage: what a search result shows of its document, taken from the lead or
the body only (a list of names is no passage to read), the reader's words between
two markers that highlighted() turns into <mark>.
"""

import functools
import html
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.utils.safestring import mark_safe

from ..models import Authorship, Publication, TaggedPublication
from ..richtext.text import plain_text


@dataclass(frozen=True)
class Names:
    """The names of what one link model ties to publications: tags, authors or regions."""

    link: type  # the link (through) model
    field: str  # its field for the tag, author or region
    publication_field: str  # its field for the publication

    @property
    def model(self):
        """Tag, Author or Region."""
        return self.link._meta.get_field(self.field).related_model

    def of(self, publication_ids, cursor):
        """[(publication id, name)] for the publications `publication_ids`."""
        marks = ", ".join(["%s"] * len(publication_ids))
        cursor.execute(_names_sql(self, cursor.db.alias).format(marks=marks), publication_ids)
        return cursor.fetchall()


@dataclass(frozen=True)
class Part:
    name: str  # its column in SQLite's FTS5 table (migration 0022)
    weight: str  # PostgreSQL's: A, B or C
    fields: tuple  # the publication's fields it holds, in this order
    names: tuple = ()  # then the names linked to the publication
    html: bool = False  # its fields hold HTML: only their text is searched
    passage: bool = False  # a search result's passage may be taken from it


TAGS = Names(TaggedPublication, "tag", "content_object")
AUTHORS = Names(Authorship, "author", "publication")
REGIONS = Names(Publication.regions.through, "region", "publication")

DOCUMENT = (
    Part("title", "A", fields=("title",)),
    Part("lead", "B", fields=("lead",), passage=True),
    Part("names", "B", fields=(), names=(TAGS, AUTHORS, REGIONS)),
    Part("body", "C", fields=("body",), html=True, passage=True),
)
LINKED_NAMES = tuple(names for part in DOCUMENT for names in part.names)


def texts_of(publication_ids, cursor):
    """[(publication id, [the text of each part])] for the publications `publication_ids`,
    in DOCUMENT's order, for a search index that stores text."""
    linked = defaultdict(list)
    for names in LINKED_NAMES:
        for pk, name in names.of(publication_ids, cursor):
            linked[names, pk].append(name)
    fields = [field for part in DOCUMENT for field in part.fields]
    marks = ", ".join(["%s"] * len(publication_ids))
    cursor.execute(_fields_sql(cursor.db.alias).format(marks=marks), publication_ids)
    documents = []
    for pk, *values in cursor.fetchall():
        value_of = dict(zip(fields, values, strict=True))
        documents.append((pk, [_text(part, value_of, linked, pk) for part in DOCUMENT]))
    return documents


# Every save of a publication, byline or tag rebuilds its document: the two queries are
# written out once per process from the models' tables and columns, as building them
# with the ORM each time would cost several times what the database spends on them.


@functools.cache
def _names_sql(names, alias):
    quote = connections[alias].ops.quote_name
    link, named = names.link._meta, names.model._meta
    publication = quote(link.get_field(names.publication_field).column)
    return (
        f"SELECT l.{publication}, n.{quote(named.get_field('name').column)}"
        f" FROM {quote(link.db_table)} l JOIN {quote(named.db_table)} n"
        f" ON n.{quote(named.pk.column)} = l.{quote(link.get_field(names.field).column)}"
        f" WHERE l.{publication} IN ({{marks}})"
    )


@functools.cache
def _fields_sql(alias):
    quote = connections[alias].ops.quote_name
    meta = Publication._meta
    columns = [meta.pk.column] + [
        meta.get_field(field).column for part in DOCUMENT for field in part.fields
    ]
    return (
        f"SELECT {', '.join(map(quote, columns))} FROM {quote(meta.db_table)}"
        f" WHERE {quote(meta.pk.column)} IN ({{marks}})"
    )


def _text(part, value_of, linked, pk):
    values = [value_of[field] for field in part.fields]
    if part.html:
        values = [plain_text(value) for value in values]
    return " ".join([*values, *(name for names in part.names for name in linked[names, pk])])


# --- passages ------------------------------------------------------------------------------

# Around each highlighted word; the markers are private-use characters, so any that
# the text itself carries can be told from ours and dropped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 30
# Highlighting reads the text it highlights: the lead and this much of the body's
# HTML. A whole long body costs 1.5 ms a result, this 0.2.
SNIPPET_BODY_CHARS = 1000

_HIGHLIGHT = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


def highlighted(passage):
    """The passage as safe HTML: everything escaped, our markers made into <mark>.

    A passage may still carry the body's character references (PostgreSQL's are cut
    from the HTML), so they are decoded first, and escaped again with the rest.
    """
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
