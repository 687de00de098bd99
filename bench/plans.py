"""What PostgreSQL spends on an uncached page: planning against running, per statement.

Usage: DATABASE_URL=postgres://... bench/plans.py [--runs 20] [--warmup 8] [--statements]

With production settings and the page cache off (as bench/render.py), for each kind of
page that the bench's "after an edit" section walks (any article, any page of the list,
of a tag, a region, an author), it asks `warmup` distinct addresses, then `runs` more,
capturing each one's SQL and running every statement again under EXPLAIN (ANALYZE,
BUFFERS) on the same connection: prepared statements (thinktank.building_blocks.
prepared_statements) are then explained as the page ran them, with the plan PostgreSQL
keeps after its first five runs. It prints, per kind, the medians over the requests of
the planning and execution time summed over the page's statements (as EXPLAIN reports
them, its own timing included) and of the shared buffers they touched, the blocks
PostgreSQL read from outside its shared buffers per page (its statistics, over the
runs), and with --statements each statement's medians.
It only reads.
"""

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict

# Production settings, the page cache off, as render.py measures (it sets them up).
import render  # noqa: F401
from after_edit import KINDS
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def explained(sql):
    """(planning ms, execution ms, shared buffers touched) of `sql`, run under EXPLAIN
    ANALYZE: the buffers are those hit and read, each page of a table or index the
    statement looked at (a page's own run has just brought them into memory)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    top = plan["Plan"]
    return (
        plan["Planning Time"],
        plan["Execution Time"],
        top["Shared Hit Blocks"] + top["Shared Read Blocks"],
    )


def blocks_read():
    """Blocks of tables and indexes PostgreSQL has read from outside its shared buffers
    in this database so far (the OS's cache or the disk), as its statistics say: they
    are flushed about once a second, so this waits for the last to arrive."""
    time.sleep(1.2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(heap_blks_read + COALESCE(idx_blks_read, 0)"
            " + COALESCE(toast_blks_read, 0)) FROM pg_statio_user_tables"
        )
        return cursor.fetchone()[0] or 0


def label(sql):
    """A statement's first words, enough to tell it from the page's others."""
    words = " ".join(sql.split())
    if words.startswith("EXECUTE"):
        return words.split("(")[0]
    return words[:90]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--kinds", default="article,list,tag,region,author")
    parser.add_argument("--statements", action="store_true", help="each statement's medians")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("plans.py: EXPLAIN ANALYZE figures are for PostgreSQL (DATABASE_URL)")

    client = Client(HTTP_HOST="127.0.0.1")
    randomness = random.Random(1)
    print(
        f"{'ms':<10}{'plan p50':>10}{'run p50':>10}{'sum p50':>10}{'statements':>12}"
        f"{'buffers p50':>13}{'read a page':>13}"
    )
    for kind in args.kinds.split(","):
        paths = KINDS[kind]()
        randomness.shuffle(paths)
        for path in paths[: args.warmup]:
            client.get(path)
        pages, per_statement = [], defaultdict(list)
        read_before = blocks_read()
        for path in paths[args.warmup : args.warmup + args.runs]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            statements = [
                query["sql"]
                for query in captured.captured_queries
                if query["sql"].lstrip().upper().startswith(("SELECT", "WITH", "EXECUTE"))
            ]
            planning = execution = buffers = 0.0
            for sql in statements:
                plan_ms, run_ms, blocks = explained(sql)
                planning += plan_ms
                execution += run_ms
                buffers += blocks
                per_statement[label(sql)].append((plan_ms, run_ms, blocks))
            pages.append((planning, execution, len(statements), buffers))
        plan = statistics.median(p for p, _, _, _ in pages)
        run = statistics.median(r for _, r, _, _ in pages)
        total = statistics.median(p + r for p, r, _, _ in pages)
        count = statistics.median(n for _, _, n, _ in pages)
        touched = statistics.median(b for _, _, _, b in pages)
        read = (blocks_read() - read_before) / len(pages)
        print(
            f"{kind:<10}{plan:10.2f}{run:10.2f}{total:10.2f}{count:12.0f}{touched:13.0f}"
            f"{read:13.1f}"
        )
        if args.statements:
            for name, figures in sorted(per_statement.items(), key=lambda item: -len(item[1])):
                print(
                    f"    {statistics.median(p for p, _, _ in figures):6.3f}"
                    f" {statistics.median(r for _, r, _ in figures):6.3f}"
                    f" {statistics.median(b for _, _, b in figures):5.0f}"
                    f"  x{len(figures):<3} {name}"
                )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name"
        )
        for name, generic, custom in cursor.fetchall():
            print(f"prepared {name}: {generic} runs on its generic plan, {custom} on custom ones")


if __name__ == "__main__":
    main()
