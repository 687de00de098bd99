"""A large, realistic, reproducible archive for benchmarks (`manage.py generate_corpus`).

Rows go in with bulk inserts, so `Publication.save()` does not run: the generated
bodies are built here from plain, already-safe markup, and slugs are made unique by
construction. Every generated slug starts with "corpus-", which is how a later run
recognises an existing corpus and reuses it.
"""

import random
from datetime import timedelta
from itertools import accumulate

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks.planner import refresh_planner_statistics

from ..models import (
    Authorship,
    Publication,
    PublicationType,
    Region,
    RelatedPick,
    TaggedPublication,
)
from ..receivers import changed_in_bulk

PREFIX = "corpus-"
BATCH = 2000

SUBJECTS = [
    "deterrence",
    "alliance burden-sharing",
    "export controls",
    "maritime claims",
    "energy transition",
    "missile defence",
    "sanctions enforcement",
    "election integrity",
    "supply chains",
    "nuclear diplomacy",
    "cyber norms",
    "food security",
    "arms control",
    "development finance",
    "migration",
    "semiconductor policy",
    "critical minerals",
    "climate adaptation",
    "public health",
    "regional trade pacts",
]
VERBS = [
    "Rethinking",
    "The Limits of",
    "Why",
    "After",
    "Beyond",
    "Reassessing",
    "The Politics of",
    "What Next for",
    "Managing",
    "The Cost of",
]
SENTENCES = [
    "Governments in the region have moved faster than most observers expected.",
    "The evidence from the past decade points in two directions at once.",
    "Budget pressures will shape the choices available to policy makers.",
    "Allies disagree less about ends than about the pace of change.",
    "Domestic politics constrain what negotiators can offer at the table.",
    "Markets have already priced in much of the announced policy shift.",
    "The legal framework leaves important questions unanswered.",
    "Public opinion has hardened since the last round of talks.",
    "Regional institutions lack the mandate to enforce their own rules.",
    "A narrow focus on short-term gains risks longer-term instability.",
    "Several scenarios remain plausible over the next five years.",
    "Data from independent monitors suggest a more complicated picture.",
]


def zipf_weights(count, exponent=0.9):
    """Cumulative weights for a long-tailed popularity: a few tags on very many items."""
    return list(accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


def corpus_size():
    """How many publications of a generated corpus the database holds (0 for none)."""
    return Publication.objects.filter(slug__startswith=PREFIX).count()


def generate_corpus(target, *, seed=1, authors=300, regions=25, tags=2000, progress=None):
    """Generate `target` publications, with their authors, regions and tags, in one
    transaction; the same `seed` gives the same corpus. `progress(created)` is
    called after each batch."""
    rng = random.Random(seed)
    with transaction.atomic():
        _generate(rng, target, authors, regions, tags, progress)
    refresh_planner_statistics()


def _generate(rng, target, author_count, region_count, tag_count, progress):
    types = [
        PublicationType.objects.get_or_create(
            slug=f"{PREFIX}{slug}", defaults={"name": name, "plural_label": f"{name}s"}
        )[0]
        for slug, name in [
            ("issue-brief", "Corpus Issue Brief"),
            ("policy-brief", "Corpus Policy Brief"),
            ("commentary", "Corpus Commentary"),
            ("paper", "Corpus Research Paper"),
        ]
    ]
    regions = Region.objects.bulk_create(
        Region(name=f"Corpus Region {n}", slug=f"{PREFIX}region-{n}", sort_order=n)
        for n in range(region_count)
    )
    authors = Author.objects.bulk_create(
        Author(
            name=f"Corpus Author {n}",
            slug=f"{PREFIX}author-{n}",
            sort_name=f"Author {n}, Corpus",
            role=rng.choice(["Senior Fellow", "Research Fellow", "Non-Resident Fellow"]),
            bio=" ".join(rng.sample(SENTENCES, 3)),
        )
        for n in range(author_count)
    )
    tags = Tag.objects.bulk_create(
        Tag(name=f"corpus topic {n}", slug=f"{PREFIX}topic-{n}") for n in range(tag_count)
    )
    tag_weights = zipf_weights(len(tags))
    paragraphs = []
    for _ in range(300):
        text = " ".join(rng.choices(SENTENCES, k=rng.randint(6, 12)))
        paragraphs.append((f"<p>{text}</p>", len(text.split())))
    now = timezone.now()
    span = timedelta(days=25 * 365).total_seconds()

    created = 0
    while created < target:
        size = min(BATCH, target - created)
        batch = []
        for n in range(created, created + size):
            roll = rng.random()
            status = "draft" if roll < 0.03 else "review" if roll < 0.04 else "published"
            if roll > 0.99:  # scheduled: published, but the date is still ahead
                published_at = now + timedelta(days=rng.randint(1, 60))
            elif status == "published":
                published_at = now - timedelta(seconds=rng.random() * span)
            else:
                published_at = None
            subject = rng.choice(SUBJECTS)
            body = _body(rng, paragraphs)
            batch.append(
                Publication(
                    title=f"{rng.choice(VERBS)} {subject.title()}: Note {n}",
                    slug=f"{PREFIX}{n}",
                    publication_type=rng.choice(types),
                    lead=" ".join(rng.sample(SENTENCES, 4)),
                    body=body,
                    status=status,
                    published_at=published_at,
                    is_featured=n < 6,
                    featured_position=n if n < 6 else 0,
                )
            )
        publications = Publication.objects.bulk_create(batch)
        _link(rng, publications, authors, regions, tags, tag_weights)
        created += size
        if progress:
            progress(created)
    # bulk_create sends no signals: say so once, and one statement indexes the corpus.
    changed_in_bulk()


def _body(rng, paragraphs):
    """800-3,000 words of paragraphs, with a heading every few paragraphs."""
    wanted, words, parts = rng.randint(800, 3000), 0, []
    while words < wanted:
        if len(parts) % 5 == 0:
            parts.append(f"<h2>Section {len(parts) // 5 + 1}</h2>")
        html, count = rng.choice(paragraphs)
        parts.append(html)
        words += count
    return "".join(parts)


def _link(rng, publications, authors, regions, tags, tag_weights):
    authorships, region_links, tag_links, picks = [], [], [], []
    regions_through = Publication.regions.through
    for publication in publications:
        for position, author in enumerate(rng.sample(authors, rng.randint(1, 4))):
            authorships.append(
                Authorship(publication=publication, author=author, position=position)
            )
        for region in rng.sample(regions, rng.randint(1, 3)):
            region_links.append(regions_through(publication=publication, region=region))
        chosen = set()
        wanted = rng.randint(3, 8)
        while len(chosen) < wanted:
            chosen.add(rng.choices(tags, cum_weights=tag_weights)[0])
        tag_links.extend(TaggedPublication(content_object=publication, tag=t) for t in chosen)
        if rng.random() < 0.05 and len(publications) > 4:
            others = [p for p in rng.sample(publications, 4) if p.pk != publication.pk]
            for position, other in enumerate(others[:3]):
                picks.append(
                    RelatedPick(
                        from_publication=publication, to_publication=other, position=position
                    )
                )
    Authorship.objects.bulk_create(authorships)
    regions_through.objects.bulk_create(region_links)
    TaggedPublication.objects.bulk_create(tag_links)
    RelatedPick.objects.bulk_create(picks)
