"""Back up the database and the media files into a new folder: see thinktank/backups.py."""

import time

from django.core.management.base import BaseCommand

from thinktank.backups import back_up


class Command(BaseCommand):
    help = "Write the database, the media files and a manifest into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="where to write the backup; it must not exist yet")

    def handle(self, *args, **options):
        started = time.monotonic()
        manifest = back_up(options["folder"])
        if manifest["media"] is None:
            self.stdout.write(
                "Media files are in the S3 bucket and were not copied: protect them with "
                "the bucket's versioning and replication."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(manifest['tables'].values())} rows in "
                f"{len(manifest['tables'])} tables and {len(manifest['media'] or {})} media "
                f"files to {options['folder']} in {time.monotonic() - started:.1f} s."
            )
        )
