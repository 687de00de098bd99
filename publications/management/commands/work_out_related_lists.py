"""`manage.py work_out_related_lists`: work out every related list not worked out yet,
here and now rather than on the worker (after a bulk load, or to time it)."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from publications.related.lists import work_out_missing


class Command(BaseCommand):
    help = "Work out every publication's related list that is missing or stale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--share",
            default="1/1",
            help="K/N: work out the K-th of N shares, for N processes side by side.",
        )

    def handle(self, *args, **options):
        try:
            part, parts = (int(number) for number in options["share"].split("/"))
        except ValueError:
            raise CommandError("--share is K/N, two whole numbers, e.g. 1/2.") from None
        if not 1 <= part <= parts:
            raise CommandError("--share K/N needs 1 <= K <= N.")
        started, cpu = time.monotonic(), time.process_time()

        def progress(done, total):
            self.stdout.write(f"  {done:,}/{total:,}")

        count = work_out_missing(progress=progress, share=(part - 1, parts))
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.stdout.write(
            f"Worked out {count:,} related lists in {elapsed:.1f} s "
            f"({cpu:.1f} s of this process's CPU time; peak memory {peak:.0f} MiB)."
        )
