"""Small factory functions: each makes one valid object, with overrides."""

import io
import itertools
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfWriter

from authors.models import Author
from publications.models import Authorship, Publication, PublicationType, Region, RelatedPick

_numbers = itertools.count(1)


def make_type(name=None, **fields):
    number = next(_numbers)
    name = name or f"Issue Brief {number}"
    fields.setdefault("slug", f"type-{number}")
    fields.setdefault("plural_label", f"{name}s")
    return PublicationType.objects.create(name=name, **fields)


def make_region(name=None, **fields):
    number = next(_numbers)
    name = name or f"Region {number}"
    fields.setdefault("slug", f"region-{number}")
    return Region.objects.create(name=name, **fields)


def make_author(name=None, **fields):
    number = next(_numbers)
    name = name or f"Analyst Number{number}"
    fields.setdefault("slug", f"author-{number}")
    fields.setdefault("sort_name", ", ".join(reversed(name.split(" ", 1))))
    return Author.objects.create(name=name, **fields)


def make_publication(
    title=None, *, authors=(), regions=(), tags=(), days_ago=1, status="published", **fields
):
    """A published publication from `days_ago` days back unless told otherwise."""
    number = next(_numbers)
    fields.setdefault("publication_type", make_type())
    fields.setdefault(
        "lead",
        f"Publication {number} looks at how regional security shifts when alliances "
        "are tested, and what policy makers can do about it in the coming year.",
    )
    fields.setdefault("body", "<p>Body text.</p>")
    if "published_at" not in fields:
        fields["published_at"] = timezone.now() - timedelta(days=days_ago)
    publication = Publication.objects.create(
        title=title or f"Publication {number}", status=status, **fields
    )
    for position, author in enumerate(authors):
        Authorship.objects.create(publication=publication, author=author, position=position)
    if regions:
        publication.regions.add(*regions)
    if tags:
        publication.tags.add(*tags)
    return publication


def make_pick(from_publication, to_publication, position=0):
    return RelatedPick.objects.create(
        from_publication=from_publication, to_publication=to_publication, position=position
    )


def pdf_bytes(pages=1):
    """A small, valid PDF of blank A4 pages, as a PDF exporter writes one."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
