"""Odd query input on every public page and in the admin: a clear answer, never a 500,
never the name of something unpublished."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission, User
from pytest_django.asserts import assertContains, assertNotContains

from authors.models import Author
from publications.caching.pages import PAGE_PARAMETER_MAX_LENGTH

from .factories import make_author, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Unannounced Merger Talks"
DRAFT_TAG = "Secret Negotiation Track"
NOT_ALLOWED = "This address contains characters that are not allowed."

# Each odd value as it is written in a query string (already percent-encoded).
ODD_VALUES = {
    "unknown": "no-such-thing",
    "draft-only tag": "secret-negotiation-track",
    "10,000 characters": "x" * 10_000,
    "emoji": quote("🦄🔥"),
    "right-to-left": quote("שלום-عالم"),
    "superscript two": quote("²"),
    "Arabic-Indic digits": quote("٢٠٢٤"),
    "invalid UTF-8": "%ff%fe",
    "NUL byte": "a%00b",
    "empty": "",
    "spaces": "%20%20",
}
# Values of `page` that name no page.
BAD_PAGES = ["abc", "0", "-1", "999", "1e9", "1.5", "9" * 5_000, "%ff", "last"]
PUBLIC_PARAMETERS = ["type", "region", "tag", "author", "year", "q", "page"]


@pytest.fixture
def content():
    region = make_region("Northeast Asia")
    author = make_author("Mitch Shin")
    publication_type = make_type("Issue Brief")
    published = make_publication(
        "Alliances Under Strain",
        authors=[author],
        regions=[region],
        tags=["Alliances"],
        publication_type=publication_type,
    )
    make_publication(DRAFT_TITLE, status="draft", regions=[region], tags=[DRAFT_TAG])
    return {
        "region": region,
        "author": author,
        "type": publication_type,
        "publication": published,
        "tag_slug": published.tags.get().slug,
    }


def public_pages(content):
    """Every public page that reads its query string or lists publications:
    (path, paginated, the heading it shows when it answers)."""
    publication = content["publication"]
    return [
        ("/", False, "Research on security and development policy"),
        ("/publications/", True, "Publications"),
        (publication.get_absolute_url(), False, publication.title),
        (
            f"{publication.get_absolute_url()}related/",
            False,
            f"Publications related to “{publication.title}”",
        ),
        ("/regions/", False, "Regions"),
        (content["region"].get_absolute_url(), True, content["region"].name),
        (f"/tags/{content['tag_slug']}/", True, "Alliances"),
        (content["type"].get_absolute_url(), True, content["type"].plural_label),
        ("/authors/", False, "Experts"),
        (content["author"].get_absolute_url(), True, content["author"].name),
    ]


def odd_queries():
    """(description, query string) for each parameter and odd value, repeated values included."""
    for name in PUBLIC_PARAMETERS:
        for label, value in ODD_VALUES.items():
            yield f"{name}={label}", f"{name}={value}"
        yield f"{name} repeated", f"{name}=first&{name}=second&{name}={ODD_VALUES['unknown']}"
    for page in BAD_PAGES:
        yield f"page={page[:20]}", f"page={page}"


def expected_answer(query, paginated, heading):
    """The status and words a reader should get for `query` (see the module docstring)."""
    if "%00" in query:
        return 400, NOT_ALLOWED
    page = query.split("&")[-1]
    # An empty `page` is the first page; anything else that is not a page number is not.
    if paginated and page.startswith("page=") and page != "page=":
        return 404, "No such page"
    return 200, f"<h1>{heading}</h1>"


def test_odd_input_on_every_public_page_gets_a_clear_answer(client, content, capsys):
    tried, wrong = 0, []
    for path, paginated, heading in public_pages(content):
        for description, query in odd_queries():
            response = client.get(f"{path}?{query}")
            tried += 1
            status, words = expected_answer(query, paginated, heading)
            body = response.content.decode()
            if (
                response.status_code != status
                or words not in body
                or DRAFT_TITLE in body
                or DRAFT_TAG in body
            ):
                wrong.append((path, description, response.status_code))
    with capsys.disabled():
        print(f"\nPublic pages: {tried} odd inputs tried, {len(wrong)} wrong answers")
    # Every wrong answer at once, not only the first.
    assert wrong == []


def test_odd_addresses_get_a_clear_answer(client, content):
    for path in ["/publications/%ff/", "/tags/%ff%fe/", f"/regions/{'x' * 10_000}/"]:
        assertContains(client.get(path), "Page not found", status_code=404)
    for path in ["/publications/a%00b/", "/authors/%00/"]:
        assertContains(client.get(path), NOT_ALLOWED, status_code=400)


def test_a_tag_used_only_on_drafts_is_not_named(client, content):
    response = client.get("/publications/?tag=secret-negotiation-track")
    assertContains(response, "No tag called “secret-negotiation-track”.")
    assertNotContains(response, DRAFT_TAG)


def test_a_tag_on_a_public_publication_is_named(client, content):
    response = client.get(f"/publications/?tag={content['tag_slug']}")
    assertContains(response, "Tag: Alliances")
    assertContains(response, "Alliances Under Strain")


def test_a_valid_filter_keeps_working_beside_an_unknown_one(client, content):
    other_region = make_region("Sahel")
    make_publication("Sahel Outlook", regions=[other_region])
    response = client.get(f"/publications/?region={other_region.slug}&tag=no-such-tag")
    assertContains(response, "No tag called “no-such-tag”.")
    assertContains(response, "Sahel Outlook")
    assertNotContains(response, "Alliances Under Strain")
    # The form sends the region again, not the unknown tag.
    assertNotContains(response, 'value="no-such-tag"')
    assertContains(response, f'<option value="{other_region.slug}" selected>')


def test_a_long_value_is_cut_before_it_is_shown(client, content):
    response = client.get(f"/publications/?tag={'x' * 1_000}")
    assertContains(response, f"No tag called “{'x' * PAGE_PARAMETER_MAX_LENGTH}”.")
    assertNotContains(response, "x" * (PAGE_PARAMETER_MAX_LENGTH + 1))


def test_an_author_with_the_longest_slug_there_may_be_is_a_filter_like_any_other(client, content):
    slug = "a" * Author._meta.get_field("slug").max_length
    author = make_author("Anna Long", slug=slug)
    make_publication("A Long Way Round", authors=[author])
    response = client.get(f"/publications/?author={slug}")
    assertContains(response, "A Long Way Round")
    assertNotContains(response, "Alliances Under Strain")
    assertNotContains(response, "No author called")


def test_a_repeated_filter_uses_its_last_value(client, content):
    response = client.get(f"/publications/?region=no-such-region&region={content['region'].slug}")
    assertContains(response, "Region: Northeast Asia")
    assertNotContains(response, "No region called")


def test_removing_the_last_filter_links_to_the_bare_list(client, content):
    response = client.get(f"/publications/?region={content['region'].slug}")
    assertContains(response, 'href="/publications/" aria-label="Remove filter Region')
    assertNotContains(response, 'href="/publications/?"')


def test_a_page_past_the_end_says_how_many_pages_there_are(client, content):
    response = client.get("/publications/?page=999")
    assertContains(response, "There is no page 999; this list has 1 page.", status_code=404)
    assertContains(response, 'href="/publications/">Go to page 1</a>', status_code=404)
    assertNotContains(response, "may not be published yet", status_code=404)


def test_a_page_that_is_not_a_number_says_so_and_keeps_the_filters(client, content):
    region = content["region"].slug
    response = client.get(f"/publications/?region={region}&page=abc")
    assertContains(response, "“abc” is not a page number", status_code=404)
    assertContains(response, f'href="/publications/?region={region}">Go to page 1', status_code=404)


def test_page_zero_says_pages_start_at_one(client, content):
    response = client.get(f"{content['author'].get_absolute_url()}?page=0")
    assertContains(response, "Pages are numbered from 1.", status_code=404)


@pytest.mark.parametrize("name", ["p", "page_id", "attachment_id"])
@pytest.mark.parametrize(
    "value", [quote("²"), quote("٢٠"), "99999999999999999999", "9" * 5_000, "-1", "1e3"]
)
def test_an_old_wordpress_id_that_is_no_plain_number_gets_the_home_page(
    client, content, name, value
):
    response = client.get(f"/?{name}={value}")

    assertContains(response, "Alliances Under Strain")


def admin_addresses(content):
    """Every admin changelist with its filters and search, and the autocompletes."""
    region = content["region"].pk
    changelists = {
        "/admin/publications/publication/": [
            "q",
            "year",
            "published_at__year",
            "published_at__month",
            "published_at__day",
            "status__exact",
            "state",
            "publication_type__id__exact",
            "regions__id__exact",
            "is_featured__exact",
            "o",
            "p",
        ],
        "/admin/publications/region/": ["q", "parent__id__exact", "o", "p"],
        "/admin/publications/publicationtype/": ["q", "o", "p"],
        "/admin/taggit/tag/": ["q", "o", "p"],
        "/admin/authors/author/": ["q", "is_active__exact", "o", "p"],
    }
    for path, parameters in changelists.items():
        for name in parameters:
            yield path, name, ""
        yield path, "published_at__year", "published_at__month=1&"
    autocompletes = [
        "app_label=publications&model_name=publication&field_name=regions",
        "app_label=publications&model_name=authorship&field_name=author",
        "app_label=publications&model_name=relatedpick&field_name=to_publication",
    ]
    for autocomplete in autocompletes:
        yield f"/admin/autocomplete/?{autocomplete}", "term", ""
        yield f"/admin/autocomplete/?{autocomplete}", "page", ""
    yield f"/admin/publications/region/{region}/change/", "_changelist_filters", ""


ADMIN_ODD_VALUES = {
    **ODD_VALUES,
    "zero": "0",
    "five digits": "99999",
    "negative": "-1",
    "huge": "9" * 5_000,
    "past a 32-bit integer": "2147483648",
}


def analyst():
    """A staff member who can only add, change and view publications, as in the issue."""
    user = User.objects.create_user("analyst", "analyst@example.org", "a long password")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="publications",
            codename__in=["add_publication", "change_publication", "view_publication"],
        )
    )
    return user


def editor():
    return User.objects.create_superuser("editor", "editor@example.org", "a long password")


def expected_admin_statuses(user, path, name):
    # The analyst may see publications (also through the related picks' autocomplete),
    # not the other changelists, regions or authors.
    if not user.is_superuser and not (
        path.startswith("/admin/publications/publication/") or "field_name=to_publication" in path
    ):
        return (403,)
    if path.startswith("/admin/autocomplete/") and name == "page":
        # Django's JSON view answers a page it does not have with a plain 404.
        return (200, 404)
    # 302: the admin's own "?e=1" for a filter it cannot use.
    return (200, 302)


@pytest.mark.parametrize("make_user", [editor, analyst])
def test_odd_input_in_the_admin_never_errors(client, content, capsys, make_user):
    user = make_user()
    client.force_login(user)
    tried, wrong = 0, []
    for path, name, prefix in admin_addresses(content):
        joiner = "&" if "?" in path else "?"
        for label, value in ADMIN_ODD_VALUES.items():
            query = f"{prefix}{name}={value}"
            response = client.get(f"{path}{joiner}{query}")
            tried += 1
            if "%00" in value:
                right = response.status_code == 400 and NOT_ALLOWED in response.content.decode()
            else:
                right = response.status_code in expected_admin_statuses(user, path, name)
            if not right:
                wrong.append((path, name, label, response.status_code))
    with capsys.disabled():
        print(f"\nAdmin as {user.username}: {tried} odd inputs tried, {len(wrong)} wrong answers")
    # Every wrong answer at once, not only the first.
    assert wrong == []


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
@pytest.mark.parametrize(
    "date",
    [
        "year=2147483648",
        "year=9999",
        "year=9999&published_at__month=12",
        "year=9999&published_at__month=12&published_at__day=31",
        "year=2024&published_at__month=2147483648",
        "year=2024&published_at__month=1&published_at__day=99999999999",
        "year=1",
        "year=1&published_at__month=1&published_at__day=1",
    ],
)
def test_a_date_outside_the_calendar_in_the_admin_is_refused_like_any_unusable_filter(
    client, content, settings, zone, date
):
    """Dates whose range (a year, month or day from then) is not a date in every time zone."""
    settings.TIME_ZONE = zone
    client.force_login(editor())

    response = client.get(f"/admin/publications/publication/?published_at__{date}")

    assert response.status_code == 302
    assert response["Location"] == "/admin/publications/publication/?e=1"


def test_a_date_inside_the_calendar_in_the_admin_still_filters(client, content):
    client.force_login(editor())
    year = content["publication"].published_at.year

    response = client.get(f"/admin/publications/publication/?published_at__year={year}")

    assertContains(response, "Alliances Under Strain")
