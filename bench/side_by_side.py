"""Two versions of the code served at the same time, right after an edit, each driven by
its own wrk over the same distinct cold addresses: which serves more.

Usage: DATABASE_URL=postgres://... .venv/bin/python bench/side_by_side.py --before DIR
       [--size 100000] [--kinds article,list,tag,region,author] [--duration 5] [--rounds 4]

DIR is a checkout of the code to compare with (`git worktree add DIR <commit>`); its
own bench/ is not used, and it runs on this checkout's virtual environment. On this
project's shared 2-core machine the after-edit section's rates varied by half from one
minute to the next, more than most changes move them: here both servers share the
machine and its swings, so the ratio of their rates is what the change made. Each
round is one real edit (every cached page retired), then both wrk runs at once, with
half the section's connections each, over the same addresses nobody asked for since.
Prints each round's requests/s and the median ratio per kind of page. The corpus is
the after-edit section's (bench/run.py builds it); this script builds nothing.
"""

import argparse
import os
import statistics
import tempfile
import threading
from pathlib import Path

import run


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, type=Path, help="checkout to compare with")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--kinds", default=",".join(run.COLD_KINDS))
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk a round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8, help="each wrk's")
    return parser.parse_args()


def main():
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    engine = run.engine_of(base_url)
    env = run.base_env(run.database_url_for(engine, base_url, args.size))
    kinds = args.kinds.split(",")
    ratios = {}
    with tempfile.TemporaryDirectory(prefix="bench-side-") as directory:
        count = args.duration * args.rounds * run.PATHS_PER_SECOND // 2
        run.after_edit_helper(env, "paths", directory, str(count))
        with (
            run.Server("side-before", "thinktank.wsgi:application", env, args.before) as before,
            run.Server("side-after", "thinktank.wsgi:application", env) as after,
        ):
            for kind in kinds:
                paths = (Path(directory) / f"{kind}.txt").read_text().splitlines()
                for server in (before, after):  # code loaded, templates compiled
                    for _ in range(4):
                        run.fetch_status(server.url(paths[-1]))
                share = len(paths) // args.rounds
                for number in range(args.rounds):
                    walk = Path(directory) / f"{kind}-{number}.txt"
                    walk.write_text("\n".join(paths[number * share : (number + 1) * share]))
                    run.after_edit_helper(env, "edit")
                    loads = both_at_once(before, after, walk, args)
                    ratio = loads["after"].requests_per_s / loads["before"].requests_per_s
                    ratios.setdefault(kind, []).append(ratio)
                    print(
                        f"{kind:8} round {number + 1}: before "
                        f"{loads['before'].requests_per_s:7.1f} req/s, after "
                        f"{loads['after'].requests_per_s:7.1f}, after/before {ratio:.2f}; "
                        f"non-2xx {loads['before'].non_2xx} and {loads['after'].non_2xx}",
                        flush=True,
                    )
    print(f"\nafter/before at {args.size} publications on {engine}, {args.rounds} rounds:")
    for kind, each in ratios.items():
        rounds = ", ".join(f"{ratio:.2f}" for ratio in each)
        print(f"{kind:8} median {statistics.median(each):.3f} ({rounds})")


def both_at_once(before, after, walk, args):
    loads = {}

    def drive(name, server):
        loads[name] = run.run_wrk(server.url(""), args, [str(walk), str(run.WRK_THREADS)])

    threads = [
        threading.Thread(target=drive, args=(name, server))
        for name, server in (("before", before), ("after", after))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return loads


if __name__ == "__main__":
    main()
