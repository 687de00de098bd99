"""How long reading the archive into memory and ranking every publication's related
candidates from it take (publications.related.archive): figures, not a test.

Usage: DATABASE_URL=... bench/related_in_bulk.py [--compare N]

Prints the time and the process's peak memory after reading the archive, and after
ranking every publication's best KEPT + 1 from it (nothing written). With --compare N,
then takes N random publications (seed 1) and checks that their stored lists (worked
out by `manage.py work_out_related_lists`) are what work_out() stores: it works them
out again one by one, so it WRITES; use it on your own copy of a corpus only.
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # no server: the development settings do

import django  # noqa: E402

django.setup()

from publications.models import Publication, RelatedCandidate, RelatedList  # noqa: E402
from publications.related import lists  # noqa: E402
from publications.related.archive import Archive  # noqa: E402


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def stored(publication_id):
    state = RelatedList.objects.get(publication_id=publication_id)
    candidates = set(
        RelatedCandidate.objects.filter(publication_id=publication_id).values_list(
            "candidate_id", "shared_tags", "shared_regions"
        )
    )
    return state.stale, state.floor, candidates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", type=int, default=0)
    args = parser.parse_args()
    ids = list(Publication.objects.order_by("pk").values_list("pk", flat=True))
    print(f"{len(ids):,} publications; peak memory {peak_mib():.0f} MiB before reading")

    started = time.monotonic()
    archive = Archive.read()
    print(f"archive read in {time.monotonic() - started:.2f} s; peak memory {peak_mib():.0f} MiB")

    started = time.monotonic()
    for publication_id in ids:
        archive.best_candidates(publication_id, lists.KEPT + 1)
    elapsed = time.monotonic() - started
    print(
        f"every publication ranked in {elapsed:.1f} s "
        f"({1000 * elapsed / len(ids):.2f} ms each); peak memory {peak_mib():.0f} MiB"
    )

    if args.compare:
        differ = 0
        for publication_id in random.Random(1).sample(ids, args.compare):
            before = stored(publication_id)
            lists.work_out(publication_id)
            differ += before != stored(publication_id)
        print(f"{args.compare} lists compared with work_out()'s: {differ} differ")


if __name__ == "__main__":
    main()
