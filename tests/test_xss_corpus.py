"""Every payload in tests/data/xss/ through every write path into every field that
reaches a page; the pages are parsed and must hold nothing a browser would run.

One publication (with its own author, tag, region and type) carries one payload in
all of its text fields, so a finding points at the payload that caused it. Each
publication's page and its author's page are rendered once; names of tags, regions
and types appear on the publication page, and their own pages are visited for every
payload in one path (how a name is stored does not depend on the path).
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from taggit.models import Tag

from authors.models import Author
from publications.models import Authorship, Publication, PublicationType, Region
from publications.richtext.sanitize import refused_images, sanitize_html

from .test_admin import publication_form_data

# What reaches a page is decided by the sanitiser and the templates' escaping,
# whichever database stored the payload:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

PAYLOADS = sorted(
    {
        line
        for path in (Path(__file__).parent / "data" / "xss").glob("*.txt")
        for line in path.read_text().splitlines()
        if line.strip()
    }
)
WRITE_PATHS = ("admin form", "objects.create", "bulk_create", "QuerySet.update")
PUBLICATION_FIELDS = ("title", "lead", "body", "seo_description", "cover_image_alt")
NAMED_FIELDS = ("tag name", "region name", "region description", "type name", "type plural")
AUTHOR_FIELDS = ("author name", "author role", "author bio", "author website", "social link")
QUERY_FIELDS = ("filter parameters", "admin search")
ALL_FIELDS = PUBLICATION_FIELDS + NAMED_FIELDS + AUTHOR_FIELDS
# The fields each path writes the payload into: save() refuses unsafe author links,
# and the admin form writes a publication's text and tags (the rest come from the ORM).
FIELDS_WRITTEN_BY = {
    "admin form": ("title", "lead", "body", "seo_description", "tag name"),
    "objects.create": tuple(f for f in ALL_FIELDS if f not in ("author website", "social link")),
    "bulk_create": ALL_FIELDS,
    "QuerySet.update": ALL_FIELDS,
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data"}
URL_ATTRIBUTES |= {"poster", "background", "cite"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def _squeezed(value):
    """An attribute as a browser reads its scheme: without whitespace or control characters."""
    return "".join(char for char in value if char > " ").lower()


class ExecutableContentFinder(HTMLParser):
    """Collects what a browser could execute; our own scripts come only from /static/."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            own = attributes.get("src", "").startswith("/static/") or attributes.get(
                "src"
            ) == reverse("admin:jsi18n")
            data = attributes.get("type") == "application/ld+json" and "src" not in attributes
            if not (own or data):
                self.findings.append(f"<script {attributes}>")
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.findings.append(f"<meta http-equiv={attributes['http-equiv']}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and _squeezed(value or "").startswith(SCRIPT_SCHEMES):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and "javascript:" in _squeezed(value or ""):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "expression(" in _squeezed(value or ""):
                self.findings.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag


def executable_content(response):
    assert response.status_code == 200, response.status_code
    finder = ExecutableContentFinder()
    finder.feed(response.content.decode())
    finder.close()
    return finder.findings


def _cut(payload, number, max_length):
    """The payload, cut to the field's length and made unique with its number."""
    suffix = f" {number}"
    return payload[: max_length - len(suffix)] + suffix


def _publication_fields(payload, number, publication_type):
    return {
        "title": _cut(payload, number, 255),
        "slug": f"xss-{number}",
        "lead": payload,
        "body": f"<p>{payload}</p>{payload}",
        "seo_description": _cut(payload, number, 160),
        "cover_image": "covers/xss.png",
        "cover_image_alt": _cut(payload, number, 200),
        "status": "published",
        "published_at": "2026-01-01T00:00:00Z",
        "publication_type": publication_type,
    }


def _named_objects(payload, number):
    return (
        Tag(name=_cut(payload, number, 100), slug=f"xss-tag-{number}"),
        Region(name=_cut(payload, number, 100), slug=f"xss-region-{number}", description=payload),
        PublicationType(
            name=_cut(payload, number, 100),
            slug=f"xss-type-{number}",
            plural_label=_cut(payload, number, 100),
        ),
    )


def _author(payload, number, *, with_links):
    links = {"website": payload, "social_url": payload} if with_links else {}
    return Author(
        name=_cut(payload, number, 200),
        slug=f"xss-author-{number}",
        sort_name=_cut(payload, number, 200),
        role=_cut(payload, number, 200),
        bio=payload,
        **links,
    )


def _link(publication, tag, region, author):
    publication.tags.add(tag)
    publication.regions.add(region)
    Authorship.objects.create(publication=publication, author=author, position=0)


def write_with_create():
    for number, payload in enumerate(PAYLOADS):
        tag, region, publication_type = _named_objects(payload, number)
        for item in (tag, region, publication_type):
            item.save()
        # Unsafe links are refused by Author.save() (see test_links.py): the links
        # reach pages only through the paths that skip it.
        author = Author.objects.create(**vars_of(_author(payload, number, with_links=False)))
        publication = Publication.objects.create(
            **_publication_fields(payload, number, publication_type)
        )
        _link(publication, tag, region, author)


def vars_of(model_instance):
    return {
        field.name: getattr(model_instance, field.name)
        for field in model_instance._meta.concrete_fields
        if not field.primary_key
    }


def write_with_bulk_create():
    named = [_named_objects(payload, number) for number, payload in enumerate(PAYLOADS)]
    tags = Tag.objects.bulk_create([tag for tag, _, _ in named])
    regions = Region.objects.bulk_create([region for _, region, _ in named])
    types = PublicationType.objects.bulk_create([kind for _, _, kind in named])
    authors = Author.objects.bulk_create(
        [_author(payload, number, with_links=True) for number, payload in enumerate(PAYLOADS)]
    )
    publications = Publication.objects.bulk_create(
        [
            Publication(**_publication_fields(payload, number, types[number]))
            for number, payload in enumerate(PAYLOADS)
        ]
    )
    for publication, tag, region, author in zip(publications, tags, regions, authors, strict=True):
        _link(publication, tag, region, author)


def write_with_update():
    for number, payload in enumerate(PAYLOADS):
        tag, region, publication_type = _named_objects(f"tag {number}", number)
        tag.save()
        region.save()
        publication_type.save()
        author = Author.objects.create(name=f"A {number}", slug=f"a-{number}", sort_name="A")
        publication = Publication.objects.create(
            **_publication_fields(f"Title {number}", number, publication_type)
        )
        _link(publication, tag, region, author)
        fields = _publication_fields(payload, number, publication_type)
        del fields["slug"]
        Publication.objects.filter(pk=publication.pk).update(**fields)
        named = _named_objects(payload, number)
        Tag.objects.filter(pk=tag.pk).update(name=named[0].name)
        Region.objects.filter(pk=region.pk).update(
            name=named[1].name, description=named[1].description
        )
        PublicationType.objects.filter(pk=publication_type.pk).update(
            name=named[2].name, plural_label=named[2].plural_label
        )
        Author.objects.filter(pk=author.pk).update(
            **{
                name: value
                for name, value in vars_of(_author(payload, number, with_links=True)).items()
                if name in ("name", "sort_name", "role", "bio", "website", "social_url")
            }
        )


def write_with_the_admin_form(client):
    """The admin saves title, lead, body, SEO description and tags from the form; the
    other objects come from the ORM, as a cover upload is tested in test_uploads.py."""
    for number, payload in enumerate(PAYLOADS):
        _, region, publication_type = _named_objects(payload, number)
        region.save()
        publication_type.save()
        author = Author.objects.create(**vars_of(_author(payload, number, with_links=False)))
        fields = _publication_fields(payload, number, publication_type)
        data = publication_form_data(
            publication_type=publication_type,
            authors=[author],
            title=fields["title"],
            slug=f"xss-{number}",
            lead=payload,
            body=fields["body"],
            seo_description=fields["seo_description"],
            tags=f'"{_cut(payload.replace(chr(34), ""), number, 100)}"',
            # Whatever the check before publishing says of it (test_before_publishing.py).
            _anyway="publish",
        )
        response = client.post(reverse("admin:publications_publication_add"), data)
        if refused := refused_images(data["body"]):
            # The form names the images saving would drop and saves nothing; the analyst
            # removes them (the body as saving would have left it) and saves again.
            assert response.status_code == 200, payload
            assert len(response.context["adminform"].form.errors["body"]) == len(refused)
            data["body"] = sanitize_html(data["body"])
            response = client.post(reverse("admin:publications_publication_add"), data)
        assert response.status_code == 302, (payload, response.context["errors"])
        Publication.objects.get(slug=f"xss-{number}").regions.add(region)


def pages_of(publication):
    """Each page that shows this publication's fields, tag, region, type or author."""
    yield publication.get_absolute_url()
    for author in publication.authors.all():
        yield author.get_absolute_url()


def named_pages():
    for tag in Tag.objects.all():
        yield reverse("publications:tag-detail", kwargs={"slug": tag.slug})
    for region in Region.objects.all():
        yield region.get_absolute_url()
    for publication_type in PublicationType.objects.all():
        yield publication_type.get_absolute_url()


@pytest.mark.django_db
@pytest.mark.parametrize("write_path", WRITE_PATHS)
def test_no_payload_becomes_executable_on_any_page(client, admin_client, write_path, capsys):
    if write_path == "admin form":
        write_with_the_admin_form(admin_client)
    else:
        {
            "objects.create": write_with_create,
            "bulk_create": write_with_bulk_create,
            "QuerySet.update": write_with_update,
        }[write_path]()

    findings = {}
    for publication in Publication.objects.prefetch_related("authors"):
        payload = PAYLOADS[int(publication.slug.removeprefix("xss-"))]
        for url in pages_of(publication):
            for finding in executable_content(client.get(url)):
                findings.setdefault(payload, []).append(f"{url}: {finding}")
    pages = ["/", reverse("publications:list"), reverse("authors:list")]
    if write_path == "objects.create":
        pages += list(named_pages())
    for url in pages:
        for finding in executable_content(client.get(url)):
            findings.setdefault("(shared page)", []).append(f"{url}: {finding}")

    with capsys.disabled():
        print(
            f"\nXSS corpus via {write_path}: {len(PAYLOADS)} payloads tried, "
            f"{len(PAYLOADS) - len(findings)} neutralised, in "
            f"{len(FIELDS_WRITTEN_BY[write_path])} fields"
        )
    assert findings == {}
    assert len(PAYLOADS) >= 150


@pytest.mark.django_db
def test_no_payload_in_a_filter_or_search_parameter_becomes_executable(
    client, admin_client, capsys
):
    """Query parameters are the same whatever wrote the rows, so they are tried once."""
    findings = {}
    for payload in PAYLOADS:
        filters = {"tag": payload, "region": payload, "type": payload, "author": payload}
        for browser, url, query in [
            (client, reverse("publications:list"), filters),
            (admin_client, reverse("admin:publications_publication_changelist"), {"q": payload}),
        ]:
            for finding in executable_content(browser.get(url, query)):
                findings.setdefault(payload, []).append(f"{url}: {finding}")

    with capsys.disabled():
        print(
            f"\nXSS corpus in {len(QUERY_FIELDS)} kinds of query parameter: "
            f"{len(PAYLOADS)} payloads tried, {len(PAYLOADS) - len(findings)} neutralised"
        )
    assert findings == {}
