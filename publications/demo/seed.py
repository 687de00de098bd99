"""The demo site's content (`manage.py seed_demo`), made from the data in `content`.

Every row is looked up by its slug and created only when missing, so seeding again
creates nothing and leaves alone whatever a demo viewer has edited in the admin
(including publish dates). Rows go through the models' own `save()`, so bodies are
sanitised exactly as the admin's would be.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from authors.models import Author

from ..models import Authorship, Publication, PublicationType, Region, RelatedPick
from . import content

# How each type closes (or, for papers, opens) with its list of points.
POINTS_HEADINGS = {
    "issue-brief": "Recommendations",
    "policy-brief": "Recommendations",
    "report": "Recommendations",
    "commentary": "What to watch",
    "research-paper": "Key findings",
}


def _list(items, tag="ul"):
    return f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + f"</{tag}>"


def _table(table):
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in table["columns"])
    rows = "".join(
        f'<tr><th scope="row">{escape(first)}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in rest)
        + "</tr>"
        for first, *rest in table["rows"]
    )
    return (
        f"<table><caption>{escape(table['caption'])}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def build_body(item):
    """The body HTML for one demo publication, shaped by its type.

    Research papers open with their key findings; commentaries start straight
    into the text (a section with an empty heading) and end with a numbered
    "What to watch"; briefs and reports end with recommendations. The pull quote,
    and the table where there is one, follow the first section.
    """
    kind = item["type"]
    heading = POINTS_HEADINGS[kind]
    points = _list(item["points"], "ol" if kind == "commentary" else "ul")
    parts = [f"<h2>{heading}</h2>{points}"] if kind == "research-paper" else []
    for number, (title, paragraphs) in enumerate(item["sections"]):
        if title:
            parts.append(f"<h2>{escape(title)}</h2>")
        parts.extend(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        if number == 0:
            parts.append(f"<blockquote><p>{escape(item['quote'])}</p></blockquote>")
            if "table" in item:
                parts.append(_table(item["table"]))
    if kind != "research-paper":
        parts.append(f"<h2>{heading}</h2>{points}")
    return "\n".join(parts)


def seed_demo_content():
    """Create whatever demo content is missing, in one transaction; returns how many
    of each kind were created, e.g. {"regions": 9, ..., "tags": 40}."""
    with transaction.atomic():
        tags_before = Tag.objects.count()
        created = {
            "regions": _seed_regions(),
            "publication types": _seed_types(),
            "authors": _seed_authors(),
            "publications": _seed_publications(),
            "related picks": _seed_picks(),
        }
        created["tags"] = Tag.objects.count() - tags_before
    return created


def _seed_regions():
    count = 0
    for order, data in enumerate(content.REGIONS, start=1):
        parent = Region.objects.get(slug=data["parent"]) if data["parent"] else None
        _, created = Region.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "parent": parent,
                "description": data["description"],
                "sort_order": order * 10,
            },
        )
        count += created
    return count


def _seed_types():
    count = 0
    for order, data in enumerate(content.PUBLICATION_TYPES, start=1):
        _, created = PublicationType.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "plural_label": data["plural_label"],
                "kind": data.get("kind", PublicationType.Kind.ARTICLE),
                "sort_order": order * 10,
            },
        )
        count += created
    return count


def _seed_authors():
    count = 0
    for data in content.AUTHORS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        _, created = Author.objects.get_or_create(slug=data["slug"], defaults=fields)
        count += created
    return count


def _seed_publications():
    types = {kind.slug: kind for kind in PublicationType.objects.all()}
    authors = {author.slug: author for author in Author.objects.all()}
    regions = {region.slug: region for region in Region.objects.all()}
    # Dates count back from 09:00 today, so a fresh seed always spreads over the
    # last three years; existing rows keep the dates they were created with.
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    count = 0
    for item in content.PUBLICATIONS:
        status = item.get("status", Publication.Status.PUBLISHED)
        days_ago = item.get("days_ago")
        publication, created = Publication.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "publication_type": types[item["type"]],
                "lead": item["lead"],
                "body": build_body(item),
                "status": status,
                "published_at": None if days_ago is None else base - timedelta(days=days_ago),
                "is_featured": "featured_position" in item,
                "featured_position": item.get("featured_position", 0),
            },
        )
        if not created:
            continue
        count += 1
        for position, slug in enumerate(item["authors"]):
            Authorship.objects.create(
                publication=publication, author=authors[slug], position=position
            )
        publication.regions.add(*(regions[slug] for slug in item["regions"]))
        publication.tags.add(*item["tags"])
    return count


def _seed_picks():
    publications = dict(Publication.objects.values_list("slug", "pk"))
    count = 0
    for from_slug, to_slugs in content.RELATED_PICKS.items():
        for position, to_slug in enumerate(to_slugs):
            if from_slug not in publications or to_slug not in publications:
                continue  # renamed or deleted in the admin since the first seed
            _, created = RelatedPick.objects.get_or_create(
                from_publication_id=publications[from_slug],
                to_publication_id=publications[to_slug],
                defaults={"position": position},
            )
            count += created
    return count
