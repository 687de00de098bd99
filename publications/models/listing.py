"""The list entries: every public list, kept ready to be counted and read in order.

A list page shows one page of "the public publications, newest first", narrowed by
facets (a type, a region with its subregions, a tag, an author, a year). Read from the
publications and their link tables, a deep page or the count of a large list joins
and sorts tens of thousands of rows. Here:

- each publication that is published (public now, or scheduled) has one ListEntry per
  list it is in: the whole archive, its type, each of its regions and every region
  above them, each tag and each author, with its publish date. A page is one range
  of one index, read in order;
- each list has a ListMonth per month of publish dates (UTC) that says how many
  entries it holds. A list's count is the sum of its past months, plus the entries
  of the current month that are public already; a page starts reading at the month
  it falls in. So neither reads more than a month of the list, at any depth. A year
  is a range of months: its first and last are counted on their entries;
- the list narrowed by a type and a region, the list page's two menus, is a list of
  its own (TYPE_REGION), so that it is counted and read as one list is;
- each list has a ListTotal, its entries in all: a list's public count, for every
  list at once (the topics and regions indexes), is its total less its entries still
  to come, which are the head of its index.

Whether a scheduled entry is public yet is judged when the list is read, as
published() judges it. A list narrowed further (a tag or author with another facet)
is counted and read on the entries of its narrowest list, looking the others up per
entry.

Derived data, rebuilt by refresh_list_entries() from the receivers that rebuild the
search documents (publications.receivers), in the saving transaction; code that writes
with update() or bulk_create() calls changed_in_bulk(), which rebuilds them too.
"""

import datetime
import functools
from collections import Counter

from django.db import connections, models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from thinktank.building_blocks import prepared_statements
from thinktank.building_blocks.compiled import as_of_now, standing_for_now
from thinktank.building_blocks.rows import converted

from .publication import (
    BYLINE_PREFETCH,
    Authorship,
    Publication,
    card_from_values,
    public_cards_sql,
)
from .taxonomy import Region, TaggedPublication

# Ids per statement: within every database's limit of parameters.
CHUNK = 500
UTC = datetime.UTC


class ListEntry(models.Model):
    """Publication `publication`, published at `published_at`, is in list (`kind`,
    `item`): the whole archive (item 0), or a type's, region's, tag's or author's
    (item: its id)."""

    class Kind(models.IntegerChoices):
        # Named after the facets (facets.FACETS). Narrower lists first: a list narrowed
        # by several is read on the first of them in this order.
        AUTHOR = 1
        TAG = 2
        REGION = 3
        TYPE = 4
        ALL = 5
        # A type's publications about a region: item is pair(type, region).
        TYPE_REGION = 6

    # Not deleted with the publication by Django: the receivers rebuild a deleted
    # publication's entries (none), which keeps its lists' months right. The database's
    # constraint, checked at commit, holds them to that.
    publication = models.ForeignKey(Publication, on_delete=models.DO_NOTHING, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    item = models.BigIntegerField()
    published_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "list entries"
        ordering = ["kind", "item", "-published_at", "-publication"]
        constraints = [
            # Also "is this publication in that list too?" for a list narrowed twice.
            models.UniqueConstraint(fields=["kind", "item", "publication"], name="list_entry_once"),
        ]
        indexes = [
            # A list read in order, from any month, and its current month counted:
            # one range of this index, read from the index alone.
            models.Index(
                fields=["kind", "item", "-published_at", "-publication"], name="list_entry_newest"
            ),
            # The tags' entries still to come (listing.topic_index()): one range, read
            # from the index alone, rather than the tags of each scheduled publication.
            models.Index(
                fields=["published_at", "item"],
                condition=models.Q(kind=2),  # Kind.TAG: the class body is out of Meta's reach
                name="list_entry_tag_to_come",
            ),
        ]

    def __str__(self):
        return f"{self.publication_id} in {self.get_kind_display()} {self.item}"


class ListMonth(models.Model):
    """List (`kind`, `item`) holds `entries` entries published in `month` (its first
    instant, UTC)."""

    kind = models.PositiveSmallIntegerField(choices=ListEntry.Kind.choices)
    item = models.BigIntegerField()
    month = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "item", "-month"]
        constraints = [
            # Also the read of one list's months, newest first.
            models.UniqueConstraint(fields=["kind", "item", "month"], name="list_month_once"),
        ]

    def __str__(self):
        return f"{self.entries} in {self.get_kind_display()} {self.item}, {self.month:%Y-%m}"


# Narrowest first: a list narrowed by several facets is read on the first of them.
NARROWEST_FIRST = [
    ListEntry.Kind.AUTHOR,
    ListEntry.Kind.TAG,
    ListEntry.Kind.TYPE_REGION,
    ListEntry.Kind.REGION,
    ListEntry.Kind.TYPE,
    ListEntry.Kind.ALL,
]


# Above any region's id.
PAIR = 2**32


def pair(type_id, region_id):
    """The item of the TYPE_REGION list of type `type_id` and region `region_id`: both
    in one number (a region's id below PAIR, as a think tank's few regions' are)."""
    return type_id * PAIR + region_id


class ListTotal(models.Model):
    """List (`kind`, `item`) holds `entries` entries in all: the sum of its months, the
    scheduled ones included."""

    kind = models.PositiveSmallIntegerField(choices=ListEntry.Kind.choices)
    item = models.BigIntegerField()
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "item"]
        constraints = [
            # Also the look-up of a list's total.
            models.UniqueConstraint(fields=["kind", "item"], name="list_total_once"),
        ]

    def __str__(self):
        return f"{self.entries} in {self.get_kind_display()} {self.item}"


def public_count(kind, at=None):
    """An expression for a queryset of the items of lists of `kind` (tags, regions): the
    count of its list's public publications at `at` (now unless given), as published()
    narrowed by the item counts them. Two look-ups per item, whatever the list's length:
    its total, less its entries still to come, read from the head of its index."""
    at = at or timezone.now()
    total = ListTotal.objects.filter(kind=kind, item=OuterRef("pk")).values("entries")
    to_come = ListEntry.objects.filter(kind=kind, item=OuterRef("pk"), published_at__gt=at)
    # Not an aggregate to Django, so the correlated subquery gets no GROUP BY.
    counted = Func(Value(1), function="COUNT", output_field=models.IntegerField())
    to_come = to_come.order_by().annotate(n=counted).values("n")
    return Coalesce(Subquery(total), 0) - Subquery(to_come)


def public_tag_count(at=None):
    """A tag's count of public publications, to annotate tags with."""
    return public_count(ListEntry.Kind.TAG, at)


def public_tags():
    """Tags on at least one public publication, each with `publication_count`, by name.

    A tag used only on drafts or scheduled items is not public: it has no page, feed
    or place in the topics index or sitemap.
    """
    at = timezone.now()
    # Whether it is public, apart from its count: an annotation filtered on is
    # computed twice, once for the filter and once for the column.
    public = ListEntry.objects.filter(
        kind=ListEntry.Kind.TAG, item=OuterRef("pk"), published_at__lte=at
    )
    counted = Tag.objects.filter(Exists(public))
    return counted.annotate(publication_count=public_tag_count(at)).order_by("name")


# The topics index's rows: every tag's list total, less its entries still to come (the
# tags of scheduled publications), where that leaves any. The entries to come are one
# range of the index list_entry_tag_to_come; the kind is written in, not a parameter,
# for the planners to match that partial index (SQLite's cannot with a parameter).
TOPIC_INDEX = """
    SELECT tag.name, tag.slug, total.entries - COALESCE(to_come.entries, 0)
    FROM {tags} tag
    JOIN {totals} total ON total.kind = {kind} AND total.item = tag.id
    LEFT JOIN (
        SELECT entry.item, COUNT(*) AS entries FROM {entries} entry
        WHERE entry.kind = {kind} AND entry.published_at > %(at)s
        GROUP BY entry.item
    ) to_come ON to_come.item = tag.id
    WHERE total.entries - COALESCE(to_come.entries, 0) > 0
    ORDER BY tag.name
"""


def topic_index(at=None):
    """[(name, slug, count of public publications at `at`, now unless given)] of every
    tag on at least one public publication, by name: what public_tags() counts, for
    the topics index, which lists them all.

    One statement, whatever the number of tags, rather than public_tag_count()'s
    look-ups for each of thousands of tags: at 100,000 publications and 2,000 tags,
    about 4 ms against 23."""
    at = at or timezone.now()
    connection = connections[ListEntry.objects.db]
    quote = connection.ops.quote_name
    sql = TOPIC_INDEX.format(
        tags=quote(Tag._meta.db_table),
        totals=quote(ListTotal._meta.db_table),
        entries=quote(ListEntry._meta.db_table),
        kind=int(ListEntry.Kind.TAG),
    )
    with connection.cursor() as cursor:
        prepared_statements.execute(cursor, "topic_index", sql, {"at": at})
        return cursor.fetchall()


def regions_with_public_counts():
    """Every region, in menu order, each with `publication_count`: its public
    publications, its subregions' included, as its page lists them."""
    counted = Region.objects.annotate(publication_count=public_count(ListEntry.Kind.REGION))
    return counted.order_by("sort_order", "name")


def month_of(moment):
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(month):
    return month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)


class PublicList:
    """The public publications in the lists `filters` names ({facet name: value}, as
    facets.FACETS names them: a type, region, tag, author or year), newest first: what
    a Paginator pages through. Public means public at `at` (now unless given).

    count() is one query, made once (exists() answers from it where it counts months);
    a slice is one statement of our own for its publications (PAGE: the entries give
    their ids in a subquery), one for their bylines, and one before them for the month
    it starts in, unless it is the first.
    Each costs about a month of the list, however long; a list narrowed by a tag or an
    author and another facet costs its narrowest list's entries.
    """

    model = Publication

    def __init__(self, filters, at=None):
        filters = dict(filters)
        year = filters.pop("year", None)
        self.at = at or timezone.now()
        # The publish dates listed: up to `at`, within the year if one is given.
        self.since, self.until = None, self.at
        if year is not None:
            start, end = year_bounds(year)
            self.since, self.until = start, min(end, self.at)
        if "type" in filters and "region" in filters:
            item = pair(filters.pop("type").pk, filters.pop("region").pk)
            lists = [(ListEntry.Kind.TYPE_REGION, item)]
        else:
            lists = []
        lists += [(ListEntry.Kind[name.upper()], value.pk) for name, value in filters.items()]
        lists.sort(key=lambda kind_item: NARROWEST_FIRST.index(kind_item[0]))
        (self.kind, self.item), self.others = (lists or [(ListEntry.Kind.ALL, 0)])[0], lists[1:]

    def _entries(self):
        """The ids of the public publications of the list, newest first."""
        # The date half of published(): entries are kept for published items only.
        entries = ListEntry.objects.filter(
            kind=self.kind, item=self.item, published_at__lte=self.until
        )
        if self.since is not None:
            entries = entries.filter(published_at__gte=self.since)
        for kind, item in self.others:
            also = ListEntry.objects.filter(
                kind=kind, item=item, publication=OuterRef("publication")
            )
            entries = entries.filter(Exists(also))
        return entries.order_by("-published_at", "-publication").values_list(
            "publication", flat=True
        )

    @property
    def _counted_by_month(self):
        # Months count one list; one narrowed further is counted on its entries.
        return not self.others

    def _on_months(self, connection, sql, **params):
        """`sql`, which reads the list's months (MONTHS) as `months`, and its parameters
        for `connection`, adapted."""
        quote = connection.ops.quote_name
        months = MONTHS.format(
            months=quote(ListMonth._meta.db_table), entries=quote(ListEntry._meta.db_table)
        )
        # Without a year, from the start of time: its month is no list's.
        since = self.since or EARLIEST
        first, last = month_of(since), month_of(self.until)
        params |= {
            "kind": int(self.kind),
            "item": self.item,
            "since": since,
            "until": self.until,
            "first": first,
            "after_first": next_month(first),
            "last": last,
        }
        adapt = connection.ops.adapt_unknown_value
        return sql.format(months=months), {name: adapt(value) for name, value in params.items()}

    @cached_property
    def _count(self):
        if self._counted_by_month:
            connection = connections[ListMonth.objects.db]
            with connection.cursor() as cursor:
                prepared_statements.execute(
                    cursor, "list_count", *self._on_months(connection, COUNT)
                )
                return cursor.fetchone()[0]
        return self._entries().count()

    def count(self):
        return self._count

    def exists(self):
        # A page that 404s when empty (a tag's) asks this before paging, which counts
        # anyway: counted on months, the answer is that count, one query for both.
        if self._counted_by_month:
            return self._count > 0
        return self._entries().exists()

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        older_than = None
        if self._counted_by_month and start:
            # Start at the month the page starts in: skip the newer months' entries.
            # None past the end, which has no entries to skip to.
            connection = connections[ListMonth.objects.db]
            with connection.cursor() as cursor:
                prepared_statements.execute(
                    cursor,
                    "list_starting_month",
                    *self._on_months(connection, STARTING_MONTH, start=start),
                )
                row = cursor.fetchone()
            if row is not None:
                _, month, before = row
                month = converted(connection, ListMonth._meta.get_field("month"), month)
                older_than = next_month(month)
                start, stop = start - before, stop - before
        return self._cards(start, stop, older_than)

    def _cards(self, start, stop, older_than):
        """The public publications of the list's entries `start` to `stop` (older than
        `older_than` if given), newest first, as for_listing() loads them: one statement
        of our own (PAGE), and one for their bylines."""
        connection = connections[ListEntry.objects.db]
        sql, params, moments = _page_statement(
            connection.vendor, self.since is not None, older_than is not None, len(self.others)
        )
        values = {
            "kind": int(self.kind),
            "item": self.item,
            "until": self.until,
            "since": self.since,
            "older_than": older_than,
            "limit": stop - start,
            "offset": start,
        }
        for n, (kind, item) in enumerate(self.others):
            values |= {f"kind_{n}": int(kind), f"item_{n}": item}
        adapt = connection.ops.adapt_unknown_value
        values = {name: adapt(value) for name, value in values.items() if value is not None}
        with connection.cursor() as cursor:
            # Not prepared: a generic plan cannot know how short the page is.
            cursor.execute(sql, {**as_of_now(connection, params, moments), **values})
            cards = [card_from_values(connection, row) for row in cursor.fetchall()]
        prefetch_related_objects(cards, BYLINE_PREFETCH)
        return cards


# A page of a list: its publications, newest first, those of its entries from %(offset)s
# on (the ids read from the list's index in its order, then each publication by key).
# On PostgreSQL the ids are read once, first (MATERIALIZED): left to plan the page as a
# semi-join, PostgreSQL without statistics (a new site, or tables grown since their last
# ANALYZE) read the whole page of entries again for each public publication, 160 ms for
# a page of two publications among forty. (SQLite before 3.35 has no MATERIALIZED.)
PAGE = """
    WITH page AS{materialized} (
        SELECT entry.publication_id FROM {entries} entry
        WHERE entry.kind = %(kind)s AND entry.item = %(item)s
            AND entry.published_at <= %(until)s{narrowed}
        ORDER BY entry.published_at DESC, entry.publication_id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    )
    SELECT {cards} FROM ({public}) publication
    WHERE publication.id IN (SELECT page.publication_id FROM page)
    ORDER BY publication.published_at DESC, publication.id DESC
"""


@functools.cache
def _page_statement(vendor, since, older, others):
    """PAGE for a list whose entries are read from a year's start (`since`), before a
    month (`older`) and in `others` other lists, with published() compiled once per
    process and database vendor: every list and facet page reads it (see
    thinktank.building_blocks.compiled). Returns (the SQL, its parameters, the names
    of those that hold the moment published() judges by)."""
    connection = connections[ListEntry.objects.db]
    quote = connection.ops.quote_name
    # Their bylines apart (BYLINE_PREFETCH): read with the page, they took PostgreSQL
    # longer than a statement of their own, prepared.
    public, params, cards, _ = public_cards_sql(connection)
    entries = quote(ListEntry._meta.db_table)
    narrowed = [" AND entry.published_at >= %(since)s"] if since else []
    narrowed += [" AND entry.published_at < %(older_than)s"] if older else []
    narrowed += [
        f" AND EXISTS (SELECT 1 FROM {entries} other WHERE other.kind = %(kind_{n})s"
        f" AND other.item = %(item_{n})s AND other.publication_id = entry.publication_id)"
        for n in range(others)
    ]
    sql = PAGE.format(
        materialized=" MATERIALIZED" if vendor == "postgresql" else "",
        cards=cards,
        public=public,
        entries=entries,
        narrowed="".join(narrowed),
    )
    return sql, params, standing_for_now(connection, params)


def year_bounds(year):
    """The first and last instants of `year` in the current time zone, as Django's
    __year lookup bounds it (from EARLIEST at the soonest)."""
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.datetime(year, 1, 1), zone)
    last = timezone.make_aware(datetime.datetime(year, 12, 31, 23, 59, 59, 999999), zone)
    return max(first, EARLIEST), last


# Before any publish date: where a list without a year starts.
EARLIEST = datetime.datetime(2, 1, 1, tzinfo=UTC)

# The months of a list (kind, item) from the `first` to the `last`, which hold its
# publish dates from `since` to `until`, with each one's entries dated within them:
# all of a month's in between, and those of the first and last months (the current
# month, when `until` is now: its scheduled entries are not public yet) counted on
# their entries. Written in SQL, as both readers of it below are: the ORM took longer
# to build these statements than the database takes to answer them.
MONTHS = """
    SELECT id, month, CASE WHEN month = %(first)s THEN (
        SELECT COUNT(*) FROM {entries}
        WHERE kind = %(kind)s AND item = %(item)s AND published_at >= %(since)s
            AND published_at < %(after_first)s AND published_at <= %(until)s
    ) WHEN month = %(last)s THEN (
        SELECT COUNT(*) FROM {entries}
        WHERE kind = %(kind)s AND item = %(item)s
            AND published_at >= %(last)s AND published_at <= %(until)s
    ) ELSE entries END AS public
    FROM {months}
    WHERE kind = %(kind)s AND item = %(item)s AND month >= %(first)s AND month <= %(last)s
"""

# The number of the list's public entries.
COUNT = "SELECT COALESCE(SUM(public), 0) FROM ({months}) months"

# The month that holds the list's public entry `start` (counted from 0, newest first),
# with how many come `before` it, in newer months: the newest month whose entries and
# its newer months' outnumber `start`. No row when the list has no more than `start`.
STARTING_MONTH = """
    SELECT id, month, through - public AS before FROM (
        SELECT id, month, public, SUM(public) OVER (ORDER BY month DESC) AS through
        FROM ({months}) months
    ) running
    WHERE through > %(start)s
    ORDER BY month DESC
    LIMIT 1
"""


# --- keeping them -------------------------------------------------------------------------


# The lists a link row puts its publication in: (kind, link model, its field for the
# publication, its field for the item).
LINKS = [
    (ListEntry.Kind.TAG, TaggedPublication, "content_object", "tag"),
    (ListEntry.Kind.AUTHOR, Authorship, "publication", "author"),
]


def refresh_list_entries(ids=None, using="default", kinds=None):
    """Rebuild the list entries, and their lists' months and totals, of the publications
    `ids` (of all, if None), of every kind of list or of `kinds` only."""
    if ids is None:
        _rebuild_all(using, kinds)
        return
    ids = sorted({pk for pk in ids if pk is not None})
    for start in range(0, len(ids), CHUNK):
        _refresh(ids[start : start + CHUNK], using, kinds)


def _refresh(ids, using, kinds):
    """Bring the entries of the publications `ids` in step, writing only what changed
    (nothing, for most saves), and move their months' counts and totals by as much."""
    # Within the saving transaction when there is one: a savepoint would cost two
    # statements more per save, for no partial undo anyone uses.
    with transaction.atomic(using=using, savepoint=False):
        # Two transactions rebuilding the same publication's entries take turns: the
        # second then reads what the first wrote, rather than colliding with it.
        locked = Publication.objects.using(using).select_for_update().filter(pk__in=ids)
        list(locked.order_by("pk").values_list("pk", flat=True))
        stored = ListEntry.objects.using(using).filter(publication__in=ids)
        if kinds is not None:
            stored = stored.filter(kind__in=kinds)
        old = {
            (kind, item, publication): (pk, published_at)
            for pk, kind, item, publication, published_at in stored.values_list(
                "pk", "kind", "item", "publication", "published_at"
            )
        }
        new = {
            (kind, item, publication): published_at
            for kind, item, publication, published_at in _entries_of(ids, using)
            if kinds is None or kind in kinds
        }
        gone = {key: at for key, (_, at) in old.items() if new.get(key) != at}
        added = {key: at for key, at in new.items() if key in gone or key not in old}
        ListEntry.objects.using(using).filter(pk__in=[old[key][0] for key in gone]).delete()
        ListEntry.objects.using(using).bulk_create(
            ListEntry(kind=kind, item=item, publication_id=publication, published_at=at)
            for (kind, item, publication), at in added.items()
        )
        changes = Counter()
        for sign, entries in [(-1, gone), (1, added)]:
            for (kind, item, _), at in entries.items():
                changes[kind, item, month_of(at)] += sign
        _move_months(changes, using)


def _entries_of(ids, using):
    """(kind, item, publication, published_at) of every entry the publications `ids`
    should have, as their status and links say now: what _insert_entries() inserts for
    them, read in a few queries rather than a statement per kind of list."""
    listed = Publication.objects.using(using).published_or_scheduled().filter(pk__in=ids)
    dates, types = {}, {}
    for pk, publication_type, published_at in listed.values_list(
        "pk", "publication_type", "published_at"
    ):
        dates[pk], types[pk] = published_at, publication_type
        yield ListEntry.Kind.ALL, 0, pk, published_at
        yield ListEntry.Kind.TYPE, publication_type, pk, published_at
    if not dates:
        return
    for kind, link, to_publication, to_item in LINKS:
        links = link.objects.using(using).filter(**{f"{to_publication}__in": list(dates)})
        for publication, item in links.values_list(to_publication, to_item):
            yield kind, item, publication, dates[publication]
    placed = Region.publications.through.objects.using(using).filter(publication__in=list(dates))
    placed = list(placed.values_list("publication", "region"))
    # The tree is read (or remembered) only when some publication is placed.
    trees = Region.objects.subtrees() if placed else {}
    regions = set()
    for publication, region in placed:
        regions |= {(ancestor, publication) for ancestor, tree in trees.items() if region in tree}
    for region, publication in regions:
        yield ListEntry.Kind.REGION, region, publication, dates[publication]
        yield (
            ListEntry.Kind.TYPE_REGION,
            pair(types[publication], region),
            publication,
            dates[publication],
        )


def _move_months(changes, using):
    """Move each (kind, item, month)'s count, and its list's total, by its number in
    `changes`."""
    changes = {key: change for key, change in sorted(changes.items()) if change}
    totals = Counter()
    for (kind, item, _), change in changes.items():
        totals[kind, item] += change
    totals = {key: change for key, change in sorted(totals.items()) if change}
    # A month or list seen for the first time: its row, which another transaction may
    # be adding too. Then each count moves, months then totals, each in one order for
    # all, so that two transactions never wait on each other.
    for model, fields, moved in [
        (ListMonth, ("kind", "item", "month"), changes),
        (ListTotal, ("kind", "item"), totals),
    ]:
        rows = model.objects.using(using)
        keys = [dict(zip(fields, key, strict=True)) for key in moved]
        rows.bulk_create([model(**key) for key in keys], ignore_conflicts=True)
        for key, change in zip(keys, moved.values(), strict=True):
            rows.filter(**key).update(entries=F("entries") + change)


def _rebuild_all(using, kinds):
    with transaction.atomic(using=using):
        for model in (ListEntry, ListMonth, ListTotal):
            stale = model.objects.using(using)
            if kinds is not None:
                stale = stale.filter(kind__in=kinds)
            stale.delete()
        _insert_entries(None, using, kinds)
        entries = ListEntry.objects.order_by()
        if kinds is not None:
            entries = entries.filter(kind__in=kinds)
        months = entries.values(
            new_kind=F("kind"),
            new_item=F("item"),
            new_month=TruncMonth("published_at", tzinfo=UTC),
        ).annotate(new_entries=Count("pk"))
        _insert(ListMonth, using, months, ["kind", "item", "month", "entries"])
        months = ListMonth.objects.order_by()
        if kinds is not None:
            months = months.filter(kind__in=kinds)
        totals = months.values(new_kind=F("kind"), new_item=F("item")).annotate(
            new_entries=Sum("entries")
        )
        _insert(ListTotal, using, totals, ["kind", "item", "entries"])


def _insert_entries(ids, using, kinds):
    """Insert the entries of the publications `ids` (all, if None), of `kinds` (all, if
    None), as their links and their publications' status say now."""
    listed = Publication.objects.published_or_scheduled().order_by()
    if ids is not None:
        listed = listed.filter(pk__in=ids)
    sources = [
        (ListEntry.Kind.ALL, listed, "pk", Value(0), "published_at"),
        (ListEntry.Kind.TYPE, listed, "pk", F("publication_type"), "published_at"),
    ]
    for kind, link, to_publication, to_item in LINKS:
        links = link.objects.filter(**{f"{to_publication}__in": listed}).order_by()
        sources.append((kind, links, to_publication, F(to_item), f"{to_publication}__published_at"))
    # A region's list holds its subregions' publications, each once: a region with
    # subregions gets one row per publication placed anywhere in its tree.
    # A type's list about a region likewise, its item pair(type, region).
    placed = Region.publications.through.objects.filter(publication__in=listed).order_by()
    for region, tree in Region.objects.subtrees().items():
        in_tree = placed.filter(region__in=tree)
        with_type = F("publication__publication_type") * Value(PAIR) + Value(region)
        for kind, item in [
            (ListEntry.Kind.REGION, Value(region)),
            (ListEntry.Kind.TYPE_REGION, with_type),
        ]:
            sources.append((kind, in_tree, "publication", item, "publication__published_at"))
    for kind, links, publication, item, published_at in sources:
        if kinds is None or kind in kinds:
            rows = links.values(
                new_kind=Value(kind),
                new_publication=F(publication),
                new_item=item,
                new_published_at=F(published_at),
            )
            if kind in (ListEntry.Kind.REGION, ListEntry.Kind.TYPE_REGION):
                rows = rows.distinct()
            _insert(ListEntry, using, rows, ["kind", "publication", "item", "published_at"])


def _insert(model, using, rows, fields):
    """INSERT INTO `model`'s table, in one statement, the rows of the values() queryset
    `rows`, which selects each of `fields` as "new_<field>" (names no model has as a
    field: the order in which the ORM selects them is its own, so they are read by name).
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    sql, params = rows.query.get_compiler(using).as_sql()
    table = quote(model._meta.db_table)
    into = ", ".join(quote(model._meta.get_field(field).column) for field in fields)
    read = ", ".join(f"source.{quote('new_' + field)}" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({into}) SELECT {read} FROM ({sql}) AS source", params)
