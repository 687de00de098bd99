"""The search page (/search/): one page of matches, with how many carry each filter
value; and the 404 page's suggestions."""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.http import urlencode

from ..facets import FACETS
from ..models import Authorship, Publication, Region, TaggedPublication
from . import MAX_RESULTS, clean_query, search, snippets, suggestion

logger = logging.getLogger(__name__)

# Ten, as web search engines show: a reader scans the best few, then narrows or
# pages on; each result also costs a highlighted passage.
RESULTS_PER_PAGE = 10
FACET_TOP = 10


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
    suggestion: str = ""  # nothing matched: the words spelled as the archive spells them
    suggestion_url: str = ""  # the same search with those words


def search_page(form, page_number):
    """One page of what `form` (a valid facets.SearchForm) asks for.

    Without words, the newest publications under the chosen filters. With words,
    the matches best first, each with a highlighted passage, and how many of them
    carry each filter value, all taken from one search; with no match, another
    spelling that finds some, if there is one.
    """
    publications = form.filter(Publication.objects.published())
    query = form.cleaned_data["q"]
    if not query:
        newest = publications.for_listing().newest_first()
        page = Paginator(newest, RESULTS_PER_PAGE).get_page(page_number)
        return SearchPage(page=page, results=[(p, None) for p in page.object_list])
    ids = search(publications, query, limit=MAX_RESULTS)
    page = Paginator(ids, RESULTS_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    loaded = Publication.objects.filter(pk__in=shown).for_listing().in_bulk()
    passages = snippets(shown, query)
    spelled = "" if ids else suggestion(publications, query)
    return SearchPage(
        page=page,
        results=[(loaded[pk], passages.get(pk)) for pk in shown],
        facets=_facets(facet_counts(ids), form),
        ranked=True,
        limited=len(ids) >= MAX_RESULTS,
        suggestion=spelled or "",
        suggestion_url=_with_words(form, spelled) if spelled else "",
    )


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
    regions = Region.objects.counted_among(ids)
    return {
        "type": [(slug, name, count) for (_, name, slug), count in sorted(types.items())],
        "region": [(region.slug, region.name, region.publication_count) for region in regions],
        "year": [(year, year, count) for year, count in sorted(years.items(), reverse=True)],
        "tag": list(tags),
        "author": list(authors),
    }


def _asked(form):
    """The words and filters the reader sent, without the page number."""
    asked = {name: value for name, value in form.data.items() if value and name in form.fields}
    asked.pop("page", None)
    return asked


def _with_words(form, words):
    """The query string of the same search with other `words`."""
    asked = _asked(form)
    asked.pop("q", None)
    return f"?{urlencode({'q': words, **asked})}"


def _facets(counts, form):
    asked = _asked(form)
    facets = {}
    for name, values in counts.items():
        chosen = str(form.data.get(name, ""))
        facets[FACETS[name].label] = []
        for value, label, count in values:
            is_chosen = str(value) == chosen
            narrowed = {**asked, name: value}
            if is_chosen:  # its link widens the search again
                del narrowed[name]
            facets[FACETS[name].label].append(
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
