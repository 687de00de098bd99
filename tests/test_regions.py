"""A region includes its subregions, at any depth, on every page that filters by region."""

import re

import pytest
from django.urls import reverse

from authors.models import Author
from publications.models import Region
from thinktank.building_blocks.compiled import by_slug

from .factories import make_author, make_publication, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """World > Asia > Northeast Asia > Korea and Japan: four levels."""
    world = make_region("World", slug="world")
    asia = make_region("Asia", slug="asia", parent=world)
    northeast = make_region("Northeast Asia", slug="northeast-asia", parent=asia)
    korea = make_region("Korea", slug="korea", parent=northeast)
    japan = make_region("Japan", slug="japan", parent=northeast)
    make_publication("Seoul Notes", regions=[korea])
    make_publication("Two Neighbours", regions=[korea, japan])
    make_publication("Tokyo Notes", regions=[japan])
    make_publication("Lisbon Notes", regions=[make_region("Portugal", slug="portugal")])
    make_publication("Draft on Korea", regions=[korea], status="draft")
    return world


def titles_on(client, url, **query):
    text = client.get(url, query).content.decode()
    return {title for title in ("Seoul Notes", "Two Neighbours", "Tokyo Notes", "Lisbon Notes",
                                "Draft on Korea") if title in text}  # fmt: skip


@pytest.mark.parametrize("slug", ["world", "asia", "northeast-asia"])
def test_a_region_page_lists_publications_from_every_level_below(client, world, slug):
    url = reverse("publications:region-detail", args=[slug])

    assert titles_on(client, url) == {"Seoul Notes", "Two Neighbours", "Tokyo Notes"}


@pytest.mark.parametrize("slug", ["world", "asia", "northeast-asia"])
def test_the_list_filter_means_the_same_as_the_region_page(client, world, slug):
    listed = titles_on(client, reverse("publications:list"), region=slug)

    assert listed == {"Seoul Notes", "Two Neighbours", "Tokyo Notes"}


def test_the_deepest_region_lists_only_its_own(client, world):
    assert titles_on(client, reverse("publications:region-detail", args=["korea"])) == {
        "Seoul Notes",
        "Two Neighbours",
    }
    assert titles_on(client, reverse("publications:list"), region="korea") == {
        "Seoul Notes",
        "Two Neighbours",
    }


def test_the_regions_page_counts_each_publication_once_per_region(client, world):
    text = client.get(reverse("publications:region-list")).content.decode()

    counts = dict(
        re.findall(r">([^<>]+)</a></h2>\s*<p class=\"term-list__count\">(\d+) publications?<", text)
    )
    assert counts == {
        "World": "3",
        "Asia": "3",
        "Northeast Asia": "3",
        "Korea": "2",
        "Japan": "2",
        "Portugal": "1",
    }


def test_a_region_cannot_be_put_inside_its_own_subregion(admin_client, world):
    korea_url = reverse("admin:publications_region_change", args=[world.pk])
    korea = world.children.get().children.get().children.get(slug="korea")

    response = admin_client.post(
        korea_url,
        {"name": "World", "slug": "world", "parent": str(korea.pk), "sort_order": "0"},
    )

    assert response.status_code == 200
    assert "A region cannot be inside itself or one of its own subregions." in (
        response.content.decode()
    )
    world.refresh_from_db()
    assert world.parent is None


def test_a_facet_item_is_read_whole_with_its_parent_as_the_queryset_reads_it(
    django_assert_num_queries,
):
    # Facet pages read their item by a statement compiled once (compiled.by_slug()).
    asia = make_region("Asia", slug="asia", description="The continent.")
    make_region("Korea", slug="korea", parent=asia, sort_order=3)
    make_author("Kim Sora", slug="kim-sora", bio="Writes on trade.")

    for model, slug, related in [
        (Region, "korea", "parent"),
        (Region, "asia", "parent"),
        (Author, "kim-sora", None),
    ]:
        loaded = model.objects.select_related(*([related] if related else [])).get(slug=slug)

        read = by_slug(model, slug, related=related)

        for field in model._meta.concrete_fields:
            assert getattr(read, field.attname) == getattr(loaded, field.attname), field.name
        if related:
            with django_assert_num_queries(0):  # loaded with it, or known to be none
                assert getattr(read, related) == getattr(loaded, related)
    assert by_slug(Region, "nowhere", related="parent") is None
    assert by_slug(Author, "KIM-SORA") is None


def test_a_subregions_page_links_its_parent_and_an_old_address_still_moves(client):
    asia = make_region("Asia", slug="asia")
    korea = make_region("Korea", slug="korea", parent=asia)
    make_publication("Peninsula", regions=[korea])
    korea.slug = "korean-peninsula"
    korea.save()

    page = client.get(reverse("publications:region-detail", args=["korean-peninsula"]))
    moved = client.get(reverse("publications:region-detail", args=["korea"]))

    assert 'href="/regions/asia/">Asia</a>' in page.content.decode()
    assert moved.status_code == 301
    assert moved["Location"] == reverse("publications:region-detail", args=["korean-peninsula"])
