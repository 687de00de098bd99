"""Fill the database with a large, realistic archive for benchmarks
(built by publications.demo.corpus)."""

from django.core.management.base import BaseCommand, CommandError

from publications.demo.corpus import corpus_size, generate_corpus


class Command(BaseCommand):
    help = "Generate a large, reproducible archive of publications for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--publications", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--authors", type=int, default=300)
        parser.add_argument("--regions", type=int, default=25)
        parser.add_argument("--tags", type=int, default=2000)

    def handle(self, *args, **options):
        target = options["publications"]
        if target < 1:
            raise CommandError("--publications must be at least 1.")
        existing = corpus_size()
        if existing == target:
            self.stdout.write(f"A corpus of {target} publications is already here; reusing it.")
            return
        if existing:
            raise CommandError(
                f"This database holds a corpus of {existing} publications, not {target}. "
                "Use another database (DATABASE_URL) for each corpus size."
            )
        generate_corpus(
            target,
            seed=options["seed"],
            authors=options["authors"],
            regions=options["regions"],
            tags=options["tags"],
            progress=lambda created: self.stdout.write(f"  {created}/{target}"),
        )
        self.stdout.write(self.style.SUCCESS(f"Generated {target} publications."))
