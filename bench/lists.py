"""How long a list or facet page takes, cold, at any depth: figures, not a test.

Usage: DATABASE_URL=... bench/lists.py [--runs 40] [--kinds list,region,...]

For each kind of list (home, the topics and regions indexes, the publication list
alone and with filters, a region's, tag's, type's and author's page) it asks, through Django's test client with the page
cache off and a dummy cache (nothing remembered from one request to the next, as
right after an edit), the deepest page RUNS times, and RUNS distinct random pages
(seed 1), and prints the median and 95th percentile in ms of each, the 95th
percentile of the time spent in the database over both, and the SQL queries of one
request. Uses the database of DATABASE_URL as it is (a generated
corpus: `manage.py generate_corpus`); it writes nothing.
"""

import argparse
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
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "bench" / "data" / "static"))
os.environ["THINKTANK_PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from taggit.models import Tag  # noqa: E402

from authors.models import Author  # noqa: E402
from publications.facets import FACETS  # noqa: E402
from publications.models import Publication, PublicationType, Region  # noqa: E402

PER_PAGE = 20
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def first(model, prefix):
    return model.objects.filter(slug__startswith=prefix).order_by("pk").first()


def kinds():
    """(name, path, filters {facet: item}) of each list measured."""
    region = first(Region, "corpus-region-")
    tag = first(Tag, "corpus-topic-0")
    rare_tag = Tag.objects.filter(slug="corpus-topic-500").first()
    kind = first(PublicationType, "corpus-")
    author = first(Author, "corpus-author-")
    return [
        ("home", "/", None),
        ("tags", "/tags/", None),
        ("regions", "/regions/", None),
        ("list", "/publications/", {}),
        ("list?region", f"/publications/?region={region.slug}", {"region": region}),
        (
            "list?type&region",
            f"/publications/?type={kind.slug}&region={region.slug}",
            {"type": kind, "region": region},
        ),
        ("list?year", "/publications/?year=2015", {"year": 2015}),
        ("region", region.get_absolute_url(), {"region": region}),
        ("tag", f"/tags/{tag.slug}/", {"tag": tag}),
        ("tag-rare", f"/tags/{rare_tag.slug}/", {"tag": rare_tag}),
        ("type", kind.get_absolute_url(), {"type": kind}),
        ("author", author.get_absolute_url(), {"author": author}),
    ]


def pages_of(filters):
    publications = Publication.objects.published()
    for name, item in filters.items():
        publications = FACETS[name].narrow(publications, item)
    return max(1, -(-publications.count() // PER_PAGE))


class Queries:
    """The SQL a request ran, and how long the database took over it (an execute wrapper)."""

    def __init__(self):
        self.statements, self.ms = [], 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - start) * 1000
            self.statements.append(sql)


def timed(client, paths, database_ms):
    """Median and 95th percentile of the requests for `paths`, in ms; each request's
    time in the database is added to `database_ms`."""
    samples = []
    for path in paths:
        queries = Queries()
        start = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        database_ms.append(queries.ms)
        if response.status_code != 200:
            print(f"  {path} answered {response.status_code}", file=sys.stderr)
    return statistics.median(samples), percentile(samples, 0.95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--kinds", default="")
    args = parser.parse_args()
    wanted = set(filter(None, args.kinds.split(",")))
    rng = random.Random(1)
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    print(f"{connection.vendor}, {Publication.objects.count()} publications, runs {args.runs}")
    print(
        f"{'page':18} {'pages':>6} {'deepest p50':>12} {'p95':>7} {'random p50':>11} {'p95':>7}"
        f" {'db p95':>7} {'queries':>8}"
    )
    with override_settings(CACHES=NO_CACHE, PAGE_CACHE_ENABLED=False):
        client.get("/")  # load code and templates once
        for name, path, filters in kinds():
            if wanted and name not in wanted:
                continue
            if filters is None:
                pages, deepest, randoms = 1, [path] * args.runs, [path] * args.runs
            else:
                pages = pages_of(filters)
                join = "&" if "?" in path else "?"
                deepest = [f"{path}{join}page={pages}"] * args.runs
                numbers = rng.sample(range(1, pages + 1), min(pages, args.runs))
                randoms = [f"{path}{join}page={n}" for n in numbers]
            queries = Queries()
            with connection.execute_wrapper(queries):
                client.get(deepest[0])
            database_ms = []
            deep = timed(client, deepest, database_ms)
            rand = timed(client, randoms, database_ms)
            print(
                f"{name:18} {pages:>6} {deep[0]:>12.1f} {deep[1]:>7.1f} {rand[0]:>11.1f}"
                f" {rand[1]:>7.1f} {percentile(database_ms, 0.95):>7.1f}"
                f" {len(queries.statements):>8}"
            )


if __name__ == "__main__":
    main()
