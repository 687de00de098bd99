"""The benchmark corpus generator: realistic shape, reproducible, reusable."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils.html import strip_tags

from authors.models import Author
from publications import search
from publications.models import Publication, Region, TaggedPublication

pytestmark = pytest.mark.django_db

SMALL = ["--publications", "300", "--authors", "20", "--regions", "5", "--tags", "60"]


def generate(*extra):
    call_command("generate_corpus", *SMALL, *extra, stdout=io.StringIO())


def shape():
    return list(Publication.objects.order_by("slug").values_list("slug", "title", "status", "lead"))


def test_it_builds_publications_with_authors_regions_and_tags_in_realistic_ranges():
    generate()

    assert Publication.objects.count() == 300
    assert Author.objects.count() == 20
    assert Region.objects.count() == 5
    per_publication = Publication.objects.annotate(
        authors_n=Count("authorships", distinct=True),
        regions_n=Count("regions", distinct=True),
        tags_n=Count("tagged_items", distinct=True),
    )
    for publication in per_publication:
        assert 1 <= publication.authors_n <= 4
        assert 1 <= publication.regions_n <= 3
        assert 3 <= publication.tags_n <= 8
        # 800-3,000 words of text, plus a few section headings.
        assert 800 <= len(strip_tags(publication.body).split()) <= 3100


def test_it_includes_hidden_items_and_a_long_tail_of_tags():
    generate()

    hidden = Publication.objects.count() - Publication.objects.published().count()
    assert hidden > 0
    counts = sorted(
        TaggedPublication.objects.values("tag").annotate(n=Count("*")).values_list("n", flat=True),
        reverse=True,
    )
    assert counts[0] > 5 * counts[len(counts) // 2]


def test_the_same_seed_gives_the_same_archive():
    # The first archive is rolled back, quicker than deleting it row by row.
    with transaction.atomic():
        generate("--seed", "7")
        first = shape()
        transaction.set_rollback(True)

    generate("--seed", "7")

    assert shape() == first


def test_a_second_run_of_the_same_size_reuses_the_corpus():
    generate()
    generate()

    assert Publication.objects.count() == 300


def test_a_different_size_in_the_same_database_is_refused_clearly():
    generate()

    with pytest.raises(CommandError, match="holds a corpus of 300 publications, not 10"):
        call_command("generate_corpus", "--publications", "10")


def test_the_generated_publications_can_be_searched():
    """bulk_create sends no signals: the generator builds the search documents itself."""
    generate()
    # Titles end in "Note <n>"; above the 60 tags' numbers, n is in that title alone.
    note = Publication.objects.published().get(slug="corpus-250")
    number = note.title.rsplit(" ", 1)[1]
    assert number == "250"

    publications = Publication.objects.published()
    assert search.search(publications, number) == [note.pk]
    found_by_author = search.search(publications, "corpus author", limit=1000)
    assert len(found_by_author) == publications.count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite gathers no statistics itself")
def test_after_a_bulk_load_sqlite_finds_the_featured_row_by_its_own_index():
    """Without statistics SQLite read every published row, newest first, to find the
    home page's few featured ones (21 ms at 10,000 publications)."""
    generate()
    featured = Publication.objects.published().featured()[:4]

    assert "pub_featured_idx" in featured.explain()
