"""In-process timings for one corpus, run by bench/run.py in a subprocess.

Usage: inprocess.py OUTPUT.json RUNS WARMUP

Uses the database and settings from the environment (run.py sets them). Picks the
pages to measure from the corpus, times the related ranking and each public page
through Django's test client (median and 95th percentile), counts the SQL queries
of one request, and writes everything as JSON to OUTPUT.json.
"""

import json
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from authors.models import Author  # noqa: E402
from publications.models import Publication, Region  # noqa: E402
from publications.related import lists, related_publications  # noqa: E402

POPULAR_TAG = "corpus-topic-0"
HOST = "127.0.0.1"
# Searches, as `make bench` names them: a word in nearly every corpus publication
# (its sentences), a word in one (a title's note number), and a two-word phrase.
SEARCHES = [
    ("s-common", "/search/?q=budget"),
    ("s-rare", "/search/?q=4567"),
    ("s-phrase", "/search/?q=%22public+opinion%22"),
]
# The related ranking is timed for this many random articles, each once.
RANDOM_ARTICLES = 1000
# The app may cache the ranking; with this, every call does the real work.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def timed(func, runs, warmup):
    """Median and 95th percentile of `func()` in milliseconds."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(samples), "p95_ms": percentile(samples, 0.95)}


def count_queries(func):
    with CaptureQueriesContext(connection) as captured:
        result = func()
    return len(captured.captured_queries), result


def pick_article():
    """A published corpus publication carrying the most popular tag (lowest pk)."""
    return (
        Publication.objects.published()
        .filter(slug__startswith="corpus-", tags__slug=POPULAR_TAG)
        .order_by("pk")
        .first()
    )


def pick_pages(article):
    """(name, path) of each public page to measure, in table order."""
    region = Region.objects.filter(slug__startswith="corpus-region-").order_by("pk").first()
    author = Author.objects.filter(slug__startswith="corpus-author-").order_by("pk").first()
    pages = [("home", "/"), ("list", "/publications/")]
    if article:
        pages.append(("article", f"/publications/{article.slug}/"))
        pages.append(("related", f"/publications/{article.slug}/related/"))
    if region:
        pages.append(("region", f"/regions/{region.slug}/"))
    if author:
        pages.append(("author", f"/authors/{author.slug}/"))
    pages.append(("tag", f"/tags/{POPULAR_TAG}/"))
    pages.extend(SEARCHES)
    return pages


def measure_related(article, runs, warmup):
    """The ranking computed every time (cache off), and as the app runs it (cache on)."""

    def rank():
        return related_publications(article)

    with override_settings(CACHES=NO_CACHE):
        cold = timed(rank, runs, warmup)
        cold["queries"], suggestions = count_queries(rank)
    warm = timed(rank, runs, warmup)
    warm["queries"], _ = count_queries(rank)
    return {
        "slug": article.slug,
        "tags": article.tags.count(),
        "suggestions": len(suggestions),
        "cold": cold,
        "warm": warm,
    }


def measure_random_rankings(count):
    """The related ranking (lists.ranked_ids, what an article page asks for) of `count`
    random public publications (seed 1), each once, nothing warmed: median, 95th
    percentile and slowest in ms, and how many were read from a worked-out list."""
    ids = list(Publication.objects.published().values_list("pk", flat=True))
    chosen = random.Random(1).sample(ids, min(count, len(ids)))
    samples, from_lists = [], 0
    for publication in Publication.objects.filter(pk__in=chosen).only("pk"):
        from_lists += lists.RelatedList.objects.filter(
            publication_id=publication.pk, stale=False
        ).exists()
        start = time.perf_counter()
        lists.ranked_ids(publication, 6)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "articles": len(samples),
        "from_lists": from_lists,
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "max_ms": max(samples),
    }


def measure_page(client, path, runs, warmup):
    def get():
        return client.get(path)

    for _ in range(warmup):
        get()
    queries, response = count_queries(get)
    result = {"status": response.status_code, "queries": queries}
    result.update(timed(get, runs, warmup=0))
    return result


def main():
    output, runs, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    article = pick_article()
    report = {"article": article.slug if article else None, "related": None, "pages": []}

    if article:
        report["related"] = measure_related(article, runs, warmup)
        report["related"]["random"] = measure_random_rankings(RANDOM_ARTICLES)

    # A page that fails is reported by its status in the table, not raised.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    for name, path in pick_pages(article):
        entry = {"name": name, "path": path}
        entry.update(measure_page(client, path, runs, warmup))
        if entry["status"] != 200:
            print(f"bench: {path} answered {entry['status']}", file=sys.stderr)
        report["pages"].append(entry)

    Path(output).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
