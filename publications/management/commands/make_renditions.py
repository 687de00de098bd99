"""`manage.py make_renditions`: store every rendition a library picture lacks (pictures
uploaded before the renditions existed, a width added to RENDITION_WIDTHS, files
restored without them). What is stored already is left alone, so it can run again."""

from django.core.management.base import BaseCommand

from publications.models import Image


class Command(BaseCommand):
    help = "Store the smaller widths of each library picture that does not have them yet."

    def handle(self, *args, **options):
        pictures = made = 0
        missing = []
        for image in Image.objects.order_by("pk").iterator():
            pictures += 1
            try:
                made += len(image.make_renditions())
            except FileNotFoundError:
                missing.append(image)
        self.stdout.write(
            f"Made {made:,} renditions for {pictures:,} library pictures"
            + ("." if made else ": none was missing.")
        )
        for image in missing:
            self.stderr.write(
                f"“{image}” (#{image.pk}): its file {image.file.name} is not in the storage; "
                "upload it again."
            )
