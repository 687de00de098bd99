"""What an uncached page costs beside its SQL: the template and Python work of rendering it.

Usage: .venv/bin/python bench/render.py [--runs 200] [--profile article] [--distinct]

On the 10,000-publication SQLite corpus that `make bench` builds (bench/data, with its
collected static files), or the database of DATABASE_URL, with production settings
(DEBUG off) and the page cache off. For each page (article, list page 1, a deep list
page, region, tag and author pages) it prints the median and 95th percentile of the
whole request through Django's test client (wall clock, and the process's CPU time,
steadier on a shared machine), of the time spent in the database driver's execute()
(on SQLite, reading the rows comes after it and counts as render), and of the rest
("render": views, templates, middleware, making model instances). With --profile NAME
it prints that page's cProfile instead. With --distinct, each run of a kind of page asks
a different address of that kind (random articles, any page of the list and of any tag,
region or author, as the bench's "after an edit" section does), after `--warmup` other
addresses of that kind: what a crawler meets right after an edit. With --calls it
prints instead how many Python function calls each kind of page makes (cProfile's
count, per request): a measure of the work done that a busy or shared machine does not
move, for comparing two versions of the code where timings vary by a fifth.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))
# As bench/run.py runs the site (base_env), with the page cache off.
for name, value in {
    "DATABASE_URL": f"sqlite:///{DATA / 'bench_10000.sqlite3'}",
    "DJANGO_SETTINGS_MODULE": "thinktank.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_STATIC_ROOT": str(DATA / "static"),
    "THINKTANK_PAGE_CACHE": "0",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from inprocess import percentile, pick_article  # noqa: E402

from authors.models import Author  # noqa: E402
from publications.models import Region  # noqa: E402

TAG = "corpus-topic-0"


def pages():
    article = pick_article()
    region = Region.objects.filter(slug__startswith="corpus-region-").order_by("pk").first()
    author = Author.objects.filter(slug__startswith="corpus-author-").order_by("pk").first()
    return [
        ("article", f"/publications/{article.slug}/"),
        ("list", "/publications/"),
        ("list-deep", "/publications/?page=400"),
        ("region", f"/regions/{region.slug}/"),
        ("tag", f"/tags/{TAG}/"),
        ("author", f"/authors/{author.slug}/"),
    ]


class SqlTimer:
    """Adds up the time the database driver takes, as a connection execute wrapper."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def distinct_pages(runs):
    """(kind, [runs distinct addresses]) for each kind the after-edit section walks."""
    from after_edit import KINDS

    randomness = random.Random(1)
    chosen = []
    for kind, paths_of in KINDS.items():
        paths = paths_of()
        randomness.shuffle(paths)
        chosen.append((kind, paths[:runs]))
    return chosen


def measure(client, paths):
    totals, cpus, sqls = [], [], []
    for path in paths:
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            total, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert response.status_code == 200, (path, response.status_code)
        totals.append(total * 1000)
        cpus.append(cpu * 1000)
        sqls.append(timer.seconds * 1000)
    renders = [t - s for t, s in zip(totals, sqls, strict=True)]
    return [(statistics.median(v), percentile(v, 0.95)) for v in (totals, cpus, sqls, renders)]


def print_calls(client, chosen):
    for name, paths in chosen:
        profiler = cProfile.Profile()
        profiler.enable()
        for path in paths:
            client.get(path)
        profiler.disable()
        calls = pstats.Stats(profiler).total_calls / len(paths)
        print(f"{name:<10} {calls:9.0f} Python calls a page")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", metavar="NAME")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    parser.add_argument("--lines", type=int, default=60, help="how much of the profile")
    parser.add_argument("--distinct", action="store_true", help="a new address each run")
    parser.add_argument("--calls", action="store_true", help="Python calls per page instead")
    args = parser.parse_args()

    client = Client(HTTP_HOST="127.0.0.1")
    if args.distinct:
        # `warmup` distinct addresses of each kind first, unmeasured: the process's
        # first requests compile the templates and fill its per-process caches.
        chosen = []
        for name, paths in distinct_pages(args.warmup + args.runs):
            for path in paths[: args.warmup]:
                client.get(path)
            chosen.append((name, paths[args.warmup :]))
    else:
        chosen = [(name, [path] * args.runs) for name, path in pages()]
        for _, paths in chosen:
            for _ in range(args.warmup):
                client.get(paths[0])

    if args.profile:
        paths = dict(chosen)[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for path in paths:
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        return

    if args.calls:
        print_calls(client, chosen)
        return

    columns = ("total", "cpu", "sql", "render")
    print(f"{'ms':<10}" + "".join(f"{name + ' p50':>11}{'p95':>7}" for name in columns))
    for name, paths in chosen:
        figures = measure(client, paths)
        print(f"{name:<10}" + "".join(f"{p50:11.2f}{p95:7.2f}" for p50, p95 in figures))


if __name__ == "__main__":
    main()
