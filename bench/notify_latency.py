"""How soon a worker's listening connection hears of a committed change (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/notify_latency.py [--commits 2000]

publications.models.content_version lets each worker reuse the content version it read last until
a notification says the row moved on. A change committed by another process is
therefore seen by a worker once the notification has reached that worker's socket.
This commits NOTIFYs on one connection and, on another that LISTENs, prints how
often the notification had already arrived when the commit returned to the writer,
and how long after that return it arrived otherwise. Figures, not a test.
"""

import argparse
import os
import select
import sys
import time

import dj_database_url
import psycopg2

CHANNEL = "bench_notify_latency"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database")
    db = dj_database_url.parse(url)
    params = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
    }
    listener, writer = psycopg2.connect(**params), psycopg2.connect(**params)
    listener.autocommit = writer.autocommit = True
    listener.cursor().execute(f"LISTEN {CHANNEL}")
    poller = select.poll()
    poller.register(listener.fileno(), select.POLLIN)
    cursor = writer.cursor()

    already, waits = 0, []
    for _ in range(args.commits):
        cursor.execute(f"NOTIFY {CHANNEL}")  # autocommit: returns once committed
        returned = time.perf_counter()
        if poller.poll(0):
            already += 1
        else:
            if not poller.poll(5000):
                sys.exit("bench: a notification did not arrive within 5 s")
            waits.append((time.perf_counter() - returned) * 1e6)
        listener.poll()
        listener.notifies.clear()

    waits.sort()
    print(
        f"notify latency, {args.commits} commits: {already} ({already / args.commits:.1%}) "
        "had reached the listener when the commit returned"
    )
    if waits:
        print(
            f"the other {len(waits)} arrived after it: median {waits[len(waits) // 2]:.0f} µs, "
            f"p99 {waits[int(len(waits) * 0.99)]:.0f} µs, max {waits[-1]:.0f} µs"
        )


if __name__ == "__main__":
    main()
