"""Fill a database with the original demo content (publications.demo.seed)."""

from django.core.management.base import BaseCommand

from publications.demo.seed import seed_demo_content
from publications.models import Publication


class Command(BaseCommand):
    help = "Create the original demo content (regions, types, authors, tags, publications)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any publication already exists.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Publication.objects.exists():
            self.stdout.write("Demo content already present; skipping.")
            return
        created = seed_demo_content()
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content created: {summary}."))
