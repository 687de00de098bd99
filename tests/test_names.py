"""Names in every script get working, stable page addresses.

Each name is given to a region, a type, an author, a tag and a publication's title,
made through the ORM and again through the admin's add forms; then every public page
that links one of them must answer 200, must link each of them, and each link on
those pages must answer 200 when followed.
"""

import random
from html.parser import HTMLParser
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.db import IntegrityError
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse, set_script_prefix
from django.utils.text import slugify
from taggit.models import Tag
from taggit.utils import parse_tags

from authors.models import Author
from publications.models import Publication, PublicationType, Region
from thinktank.building_blocks.urls import UnicodeSlugConverter, slug_url, slug_urls

from .factories import make_author, make_publication, make_region, make_type
from .test_admin import errors_of, publication_form_data

pytestmark = pytest.mark.django_db

NAMES = {
    "latin-with-accents": "Côte d'Ivoire",
    "turkish": "Türkiye",
    "hangul": "한반도",
    "cyrillic": "Україна",
    "arabic-right-to-left": "الشرق الأوسط",
    "emoji-only": "🌍🔥",
    "punctuation-only": "!!!",
}
KINDS = ("region", "type", "author", "tag", "publication")
PATHS = ("orm", "admin")


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.add(dict(attrs)["href"])


def links_on(response):
    return Links(response.content.decode()).hrefs


def made_through_the_orm(name):
    items = {
        "region": make_region(name, slug=""),
        "type": make_type(name, slug=""),
        "author": make_author(name, slug="", sort_name=name),
    }
    items["publication"] = make_publication(
        name,
        publication_type=items["type"],
        authors=[items["author"]],
        regions=[items["region"]],
        tags=[name],
    )
    items["tag"] = items["publication"].tags.get()
    return items


def made_through_the_admin(client, name):
    """What an editor's browser posts: the slug as the admin fills it in from the name."""
    slug = slugify(name, allow_unicode=True)
    forms = {
        "region": ("region", {"name": name, "slug": slug, "sort_order": "0"}),
        "type": (
            "publicationtype",
            {
                "name": name,
                "plural_label": name,
                "slug": slug,
                "kind": "Article",
                "sort_order": "0",
            },
        ),
        "tag": ("tag", {"name": name, "slug": slug}),
    }
    for kind, (model, data) in forms.items():
        app = "taggit" if kind == "tag" else "publications"
        response = client.post(reverse(f"admin:{app}_{model}_add"), data)
        assert response.status_code == 302, errors_of(response)
    response = client.post(
        reverse("admin:authors_author_add"),
        {"name": name, "sort_name": name, "slug": slug, "is_active": "on"},
    )
    assert response.status_code == 302, errors_of(response)
    items = {
        "region": Region.objects.get(name=name),
        "type": PublicationType.objects.get(name=name),
        "author": Author.objects.get(name=name),
        "tag": Tag.objects.get(name=name),
    }
    data = publication_form_data(
        publication_type=items["type"],
        authors=[items["author"]],
        title=name,
        slug=slug,
        regions=[str(items["region"].pk)],
        tags=name,  # typed as it is: commas separate tags, spaces do not
        _workflow="publish",
    )
    response = client.post(reverse("admin:publications_publication_add"), data)
    assert response.status_code == 302, errors_of(response)
    items["publication"] = Publication.objects.get(title=name)
    assert list(items["publication"].tags.all()) == [items["tag"]]
    return items


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_every_page_that_links_a_named_item_answers_and_its_links_work(
    client, admin_client, name, path
):
    items = (
        made_through_the_orm(name) if path == "orm" else made_through_the_admin(admin_client, name)
    )
    # An ASCII neighbour sharing the tag and region, so each shows in the other's related list.
    neighbour = make_publication(
        "Neighbour Brief", regions=[items["region"]], tags=[items["tag"]], days_ago=3
    )
    publication = items["publication"]
    url = {kind: item.get_absolute_url() for kind, item in items.items()}
    related = reverse("publications:related", kwargs={"slug": publication.slug})
    for kind in KINDS:
        assert items[kind].slug, f"the {kind} has an empty slug"

    must_link = {
        reverse("publications:home"): [url["publication"], url["author"], url["region"]],
        reverse("publications:list"): [url["publication"], url["author"]],
        url["publication"]: [
            url["region"],
            url["tag"],
            url["type"],
            url["author"],
            neighbour.get_absolute_url(),
            related,
        ],
        neighbour.get_absolute_url(): [url["region"], url["tag"], url["publication"]],
        related: [url["publication"], neighbour.get_absolute_url()],
        url["region"]: [url["publication"]],
        url["tag"]: [url["publication"]],
        url["type"]: [url["publication"]],
        url["author"]: [url["publication"]],
        reverse("publications:region-list"): [url["region"]],
        reverse("authors:list"): [url["author"]],
    }
    followed = set()
    for page, links in must_link.items():
        response = client.get(page)
        assert response.status_code == 200, page
        found = links_on(response)
        assert set(links) <= found, (page, set(links) - found)
        followed |= {href for href in found if href.startswith("/")}
    for href in sorted(followed):
        assert client.get(href).status_code == 200, href
    assert len(followed) > len(must_link)


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_the_list_filters_accept_every_slug(client, name):
    items = made_through_the_orm(name)
    query = {
        "type": items["type"].slug,
        "region": items["region"].slug,
        "tag": items["tag"].slug,
        "author": items["author"].slug,
    }
    response = client.get(reverse("publications:list"), query)
    assert response.status_code == 200
    assert items["publication"].get_absolute_url() in links_on(response)


def test_reverse_percent_encodes_unicode_slugs_as_utf8():
    url = reverse("publications:region-detail", kwargs={"slug": "한반도"})
    assert url == "/regions/%ED%95%9C%EB%B0%98%EB%8F%84/"
    assert url == f"/regions/{quote('한반도')}/"
    arabic = reverse("publications:tag-detail", kwargs={"slug": "الشرق-الأوسط"})
    assert arabic == "/tags/" + quote("الشرق-الأوسط") + "/"
    assert arabic.isascii()


def test_a_slug_that_no_address_can_hold_is_not_reversed():
    with pytest.raises(NoReverseMatch):
        reverse("publications:region-detail", kwargs={"slug": "côte d'ivoire"})


def slug_routes(patterns, namespace=""):
    """(view name, converter of its `slug`) of every route with a slug in `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from slug_routes(pattern.url_patterns, inner)
        elif "slug" in getattr(pattern.pattern, "converters", {}):
            yield f"{namespace}{pattern.name}", pattern.pattern.converters["slug"]


SLUG_VIEWS = [name for name, _ in slug_routes(get_resolver().url_patterns)]


def test_every_slug_route_takes_unicode_slugs():
    """slug_url() writes addresses on that converter's terms (building_blocks.urls)."""
    routes = dict(slug_routes(get_resolver().url_patterns))
    assert {"publications:detail", "publications:tag-detail", "authors:detail"} <= set(routes)
    assert all(isinstance(converter, UnicodeSlugConverter) for converter in routes.values())


@pytest.mark.parametrize("script_prefix", ["/", "/think/"])
def test_addresses_written_from_slugs_are_the_ones_reverse_gives(script_prefix):
    """slug_url() puts new slugs into a route reversed once: whatever the script, the
    characters and the site's prefix, the same address as reverse(), or its refusal;
    and so does slug_urls(), the same for many slugs of one route."""
    randomness = random.Random(7)
    letters = "aZ09_-éçßøğ한반도Україна الشرقέλ日本語%/?#& .'\"<>"
    slugs = [*NAMES.values(), "-", "_", "a--b", "x" * 200]
    slugs += ["".join(randomness.choices(letters, k=randomness.randint(1, 12))) for _ in range(300)]
    set_script_prefix(script_prefix)
    try:
        for view in SLUG_VIEWS:
            url_of = slug_urls(view)
            for slug in slugs:
                try:
                    expected = reverse(view, kwargs={"slug": slug})
                except NoReverseMatch:
                    with pytest.raises(NoReverseMatch):
                        slug_url(view, slug)
                    with pytest.raises(NoReverseMatch):
                        url_of(slug)
                else:
                    assert slug_url(view, slug) == expected, (view, slug)
                    assert url_of(slug) == expected, (view, slug)
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_the_address_works_percent_encoded_and_as_typed(client, name):
    region = make_region(name, slug="")
    make_publication("Brief", regions=[region])
    encoded = region.get_absolute_url()
    assert encoded.isascii()
    # As a browser sends it (percent-encoded UTF-8), and as a person types it.
    assert client.get(encoded).status_code == 200
    assert client.get(f"/regions/{region.slug}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_real_http_request_of_a_percent_encoded_address_works(live_server):
    region = make_region("한반도", slug="")
    make_publication("Peninsula Brief", regions=[region])
    with urlopen(live_server.url + region.get_absolute_url()) as response:
        assert response.status == 200
        assert "한반도" in response.read().decode()


# Slugs as they are made


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Côte d'Ivoire", "côte-divoire"),
        ("Türkiye", "türkiye"),
        ("한반도", "한반도"),
        ("Україна", "україна"),
        ("الشرق الأوسط", "الشرق-الأوسط"),
        ("Korean Peninsula", "korean-peninsula"),
    ],
)
def test_a_name_keeps_its_own_script_in_the_slug(name, slug):
    assert make_region(name, slug="").slug == slug
    assert make_publication(name).slug == slug
    assert make_author(name, slug="").slug == slug
    assert make_type(name, slug="").slug == slug


@pytest.mark.parametrize(
    ("make", "fallback"),
    [
        (lambda name: make_region(name, slug=""), "region"),
        (lambda name: make_type(name, slug=""), "type"),
        (lambda name: make_author(name, slug=""), "author"),
        (make_publication, "publication"),
        (lambda name: Tag.objects.create(name=name), "tag"),
        (lambda name: make_publication("Tagged", tags=[name]).tags.get(), "tag"),
    ],
)
def test_a_name_without_letters_gets_the_fallback_slug_numbered(make, fallback):
    assert [make(name).slug for name in ("!!!", "🌍🔥", "???")] == [
        fallback,
        f"{fallback}-2",
        f"{fallback}-3",
    ]


def test_a_slug_given_with_spaces_or_quotes_is_made_valid():
    assert make_region("Korea", slug="North Korea").slug == "north-korea"
    assert make_region("Côte", slug="côte d'ivoire").slug == "côte-divoire"
    assert make_region("Dots", slug="...").slug == "dots"
    assert Tag.objects.create(name="Ivory", slug="Ivory Coast!").slug == "ivory-coast"


def test_an_empty_slug_is_refused_by_the_database():
    region = make_region("Asia")
    with pytest.raises(IntegrityError):
        Region.objects.filter(pk=region.pk).update(slug="")


def test_a_slug_the_editor_chose_is_kept():
    assert make_region("Korean Peninsula", slug="korea").slug == "korea"
    assert make_publication("Deterrence", slug="deterrence-2026").slug == "deterrence-2026"


def test_renaming_keeps_the_slug():
    items = made_through_the_orm("Türkiye")
    slugs = {kind: item.slug for kind, item in items.items()}
    for kind, item in items.items():
        if kind == "publication":
            item.title = "Turkey"
        else:
            item.name = "Turkey"
        item.save()
        item.refresh_from_db()
        assert item.slug == slugs[kind], kind


def test_renaming_in_the_admin_keeps_the_slug(admin_client):
    region = make_region("Türkiye", slug="")
    response = admin_client.post(
        reverse("admin:publications_region_change", args=[region.pk]),
        {"name": "Turkey", "slug": region.slug, "sort_order": "0"},
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.name, region.slug) == ("Turkey", "türkiye")


def test_a_slug_no_address_can_hold_is_refused_by_the_admin_form_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:publications_region_add"),
        {"name": "Côte d'Ivoire", "slug": "côte d'ivoire", "sort_order": "0"},
    )
    assert response.status_code == 200
    assert "Unicode letters, numbers, underscores, or hyphens" in errors_of(response)
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("Côte d'Ivoire", ["Côte d'Ivoire"]),
        ("Korean Peninsula, 한반도", ["Korean Peninsula", "한반도"]),
        ('"Sanctions, export controls", Türkiye', ["Sanctions, export controls", "Türkiye"]),
        ("!!!,  , 🌍🔥,", ["!!!", "🌍🔥"]),
        ("Korea\nJapan", ["Japan", "Korea"]),
    ],
)
def test_tags_typed_in_the_admin_are_separated_by_commas_only(admin_client, typed, tags):
    data = publication_form_data(publication_type=make_type(), tags=typed)
    response = admin_client.post(reverse("admin:publications_publication_add"), data)
    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get()
    assert sorted(tag.name for tag in publication.tags.all()) == sorted(tags)
    # The change form shows them so that saving it again keeps them.
    response = admin_client.get(
        reverse("admin:publications_publication_change", args=[publication.pk])
    )
    field = response.context["adminform"].form["tags"]
    shown = field.field.widget.format_value(field.value())
    assert parse_tags(shown) == sorted(tags)
