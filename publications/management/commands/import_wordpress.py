import zoneinfo
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publications.importers.wordpress import Options, WordPressImportError, import_wordpress


class Command(BaseCommand):
    help = "Import a WordPress export (Tools → Export, WXR 1.0 to 1.2) as publications."

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The exported .xml file.")
        parser.add_argument(
            "--post-type",
            action="append",
            default=[],
            dest="post_types",
            help="A post type imported besides 'post' (repeatable).",
        )
        parser.add_argument(
            "--regions-category",
            default="regions",
            help="The category whose subcategories are regions (none is needed).",
        )
        parser.add_argument(
            "--types-category",
            default="types",
            help="The category whose children are publication types; without one, "
            "items get the type 'Publication' and the report lists the categories.",
        )
        parser.add_argument("--media-dir", type=Path, help="A copy of wp-content/uploads.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report; write nothing, no row and no file."
        )
        parser.add_argument(
            "--site-time-zone",
            help="e.g. Asia/Seoul, for items without a GMT date; "
            "when omitted, the offset the file's dates show.",
        )

    def handle(self, *args, export, **options):
        if not export.is_file():
            raise CommandError(f"{export}: no such file.")
        if options["media_dir"] and not options["media_dir"].is_dir():
            raise CommandError(f"--media-dir {options['media_dir']}: no such folder.")
        zone = None
        if options["site_time_zone"]:
            try:
                zone = zoneinfo.ZoneInfo(options["site_time_zone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
                raise CommandError(
                    f"--site-time-zone {options['site_time_zone']}: not a time zone "
                    "(use a name such as Europe/Brussels)."
                ) from error
        settings = Options(
            post_types=("post", *options["post_types"]),
            regions_category=options["regions_category"],
            types_category=options["types_category"],
            media_dir=options["media_dir"],
            site_time_zone=zone,
            dry_run=options["dry_run"],
        )
        try:
            report = import_wordpress(export, settings, progress=self._progress())
        except WordPressImportError as error:
            raise CommandError(f"{export}: {error}") from error
        if self.stdout.isatty():
            self.stdout.write("")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written; this is what a run would do.")
        for line in report.lines():
            self.stdout.write(line)

    def _progress(self):
        on_terminal = self.stdout.isatty()

        def progress(done):
            if on_terminal:
                self.stdout.write(f"\r{done} items read", ending="")
                self.stdout.flush()
            elif done % 1000 == 0:
                self.stdout.write(f"{done} items read")

        return progress
