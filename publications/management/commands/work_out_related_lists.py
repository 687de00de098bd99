"""`manage.py work_out_related_lists`: work out every related list not worked out yet,
here and now rather than on the worker (after a bulk load, or to time it)."""

import time

from django.core.management.base import BaseCommand

from publications.related.lists import work_out_missing


class Command(BaseCommand):
    help = "Work out every publication's related list that is missing or stale."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done, total):
            self.stdout.write(f"  {done:,}/{total:,}")

        count = work_out_missing(progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(f"Worked out {count:,} related lists in {elapsed:.1f} s.")
