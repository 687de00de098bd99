"""Restore a folder written by `manage.py backup`: see thinktank/backups.py."""

import time

from django.core.management.base import BaseCommand

from thinktank.backups import restore
from thinktank.building_blocks.planner import refresh_planner_statistics


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database and MEDIA_ROOT, and check every "
        "count and checksum against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database even if it holds data, and add to media files already there",
        )
        parser.add_argument(
            "--skip-media",
            action="store_true",
            help="restore the database only (media in an S3 bucket are restored there)",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        manifest = restore(
            options["folder"], force=options["force"], skip_media=options["skip_media"]
        )
        # A dump carries rows, not the planner's statistics about them.
        refresh_planner_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and checked {sum(manifest['tables'].values())} rows in "
                f"{len(manifest['tables'])} tables and {len(manifest['media'] or {})} media "
                f"files in {time.monotonic() - started:.1f} s."
            )
        )
