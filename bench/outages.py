"""Outage figures: what readers get while Redis or PostgreSQL is away, and how fast
a change reaches every worker. Figures, not a test (tests/test_deployment.py and
tests/test_outages.py check the same behaviour).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/outages.py [--requests 300]

Uses the harness of tests/test_deployment.py (tests/servers.py): a demo site in a
database of its own, gunicorn with 2 workers whose PostgreSQL and Redis connections
go through TCP proxies, and `manage.py shell` as another process. For each state
(everything up; Redis stopped; Redis hung; PostgreSQL frozen; PostgreSQL stopped) it
sends the same number of requests, one after another, to a page cached before the
outage and to one that was not, and prints requests/s and the statuses that came back.
"""

import argparse
import os
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import dj_database_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import TcpProxy, gunicorn, prepare_site, with_port

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
CACHE_RETRY_SECONDS = 5  # the default of the setting
CACHED = "/publications/crisis-hotlines-that-actually-ring/"
# A different year each request (each state its own thousand), so every request is
# for a page nobody has asked for before.
UNCACHED = "/publications/?year={}"
UNPUBLISH = """
from publications.models import Publication
publication = Publication.objects.get(slug=slug)
publication.unpublish()
publication.save()
"""


def drive(server, path_for, requests):
    """`requests` GETs one after another; (requests/s, Counter of statuses)."""
    started = time.monotonic()
    statuses = Counter(server.get(path_for(number)).status for number in range(requests))
    return requests / (time.monotonic() - started), statuses


def row(state, server, requests, years_from):
    for kind, path_for in (
        ("cached page", lambda number: CACHED),
        ("uncached pages", lambda number: UNCACHED.format(years_from + number)),
    ):
        rate, statuses = drive(server, path_for, requests)
        answers = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
        print(f"{state:<20} {kind:<15} {rate:8.1f} req/s   {answers}", flush=True)


def unpublish_reaches_every_worker(site, server, requests=40):
    """Seconds from the other process's exit to the first 404, and stale answers after it."""
    server.warm(CACHED)
    site.shell(UNPUBLISH, slug=CACHED.split("/")[2])
    done = time.monotonic()
    statuses = [server.get(CACHED).status for _ in range(requests)]
    first_404 = statuses.index(404) if 404 in statuses else None
    stale = sum(status == 200 for status in statuses)
    print(
        f"\nunpublish from `manage.py shell`: request 1 after it answered {statuses[0]}; "
        f"{stale} of {requests} following requests still answered 200 "
        f"(first 404 at request {first_404 + 1 if first_404 is not None else '-'}, "
        f"{time.monotonic() - done:.2f} s for all {requests})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per row")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("outages: set DATABASE_URL to a PostgreSQL server (postgres://...)")

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory() as folder:
        site = prepare_site(Path(folder))
        postgres_port = dj_database_url.parse(site.database_url)["PORT"] or 5432
        redis_port = urllib.parse.urlsplit(REDIS_URL).port
        with (
            TcpProxy(postgres_port) as database,
            TcpProxy(redis_port) as cache,
            gunicorn(
                site,
                "outages",
                DATABASE_URL=with_port(site.database_url, database.port),
                REDIS_URL=with_port(REDIS_URL, cache.port),
            ) as server,
        ):
            server.warm(CACHED)
            print(f"gunicorn, 2 workers, Redis; {args.requests} requests per row, one at a time\n")
            row("all up", server, args.requests, years_from=1000)
            cache.close()
            row("Redis stopped", server, args.requests, years_from=2000)
            cache.hang()
            row("Redis hung", server, args.requests, years_from=3000)
            cache.resume()
            # Each worker tries Redis again once its breaker's interval has passed.
            time.sleep(CACHE_RETRY_SECONDS + 1)
            server.warm(CACHED)
            database.hang()
            row("PostgreSQL frozen", server, args.requests, years_from=4000)
            database.resume()
            # Each worker tries a new connection every second until one answers.
            time.sleep(2)
            database.close()
            row("PostgreSQL stopped", server, args.requests, years_from=5000)
            database.resume()
        for settings, label in (({}, "defaults, no Redis"), ({"REDIS_URL": REDIS_URL}, "Redis")):
            # A log of its own each: the harness tells workers apart in it.
            with gunicorn(site, f"unpublish-{len(settings)}", **settings) as server:
                print(f"\n{label}:", end="")
                unpublish_reaches_every_worker(site, server)
                site.shell(UNPUBLISH.replace("unpublish()", "publish()"), slug=CACHED.split("/")[2])


if __name__ == "__main__":
    main()
