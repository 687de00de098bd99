"""What each role sees on the publication form (issue 19): a box for each field it may
change, the value as text where knowing it helps, nothing where it would say nothing;
instructions that are true for whoever reads them; byline rows without a heading or
a blank row."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from publications import policy
from publications.policy import sync_roles

from .factories import make_author, make_pick, make_publication
from .test_admin import ADD_URL, change_url, errors_of
from .test_roles import client_of, draft, form_data, member_of

# Nothing here depends on the database (which fields and buttons each role sees is decided in Python):
# .ci/run runs this module once, in its SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.only_in_sqlite_pass]

BOX, TEXT = "box", "text"
# The form's fields, by what decides who may change them.
TEXT_PARTS = [part for part in policy.WRITERS_PARTS if part != "byline"]
TOPICS = ["regions", "tags", "keep_out_of_suggestions"]
PUBLISHING = ["published_at", "is_featured", "featured_position"]
# Shown under another name when read-only.
SHOWN_AS = {"formatted_body": "body", "suggestions": "suggested_related"}


@pytest.fixture(autouse=True)
def roles():
    sync_roles()


@pytest.fixture
def users():
    return {role: member_of(f"{role.title()}s") for role in ("analyst", "editor", "curator")}


def make_item(state, **fields):
    """A publication in `state` (Publication.State's values)."""
    now = timezone.now().replace(second=0, microsecond=0)
    if state == "draft":
        return draft(**fields)
    if state == "review":
        return make_publication(status="review", published_at=None, **fields)
    if state == "scheduled":
        return make_publication(published_at=now + timedelta(days=3), **fields)
    return make_publication(published_at=now - timedelta(days=3), **fields)


class _ShownFields(HTMLParser):
    """Each field of the publication form the page shows: as a box to fill in (an input,
    select or textarea of its name) or as text (Django's read-only <div class="readonly">
    inside the row or box named "field-<name>")."""

    def __init__(self, names):
        super().__init__()
        self.names, self.shown, self.fields = names, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            named = [c.removeprefix("field-") for c in classes if c.startswith("field-")]
            self.fields.append(named[0] if len(named) == 1 else None)
            if "readonly" in classes:
                field = next((name for name in reversed(self.fields) if name), None)
                self._saw(field, TEXT)
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            name = attrs.get("name") or ""
            self._saw(name.removesuffix("_0").removesuffix("_1"), BOX)

    def handle_endtag(self, tag):
        if tag == "div" and self.fields:
            self.fields.pop()

    def _saw(self, name, how):
        name = SHOWN_AS.get(name, name)
        if name in self.names:
            self.shown.setdefault(name, how)


def shown(response, names=TEXT_PARTS + TOPICS + PUBLISHING):
    """{field: BOX or TEXT} for the fields among `names` that the form shows."""
    assert response.status_code == 200
    parser = _ShownFields(names)
    html = response.content.decode()
    parser.feed(html[html.index('id="publication_form"') :])
    return parser.shown


def each(how, names):
    return dict.fromkeys(names, how)


# Boxes and text, per role and state


ALL_BOXES = each(BOX, TEXT_PARTS + TOPICS + PUBLISHING)
SEEN_ON_A_CHANGE_FORM = {
    # An analyst may not publish: no publish date nor featuring on what they may change,
    # and a scheduled or published item all read-only, with the date it goes public.
    ("analyst", "draft"): each(BOX, TEXT_PARTS + TOPICS),
    ("analyst", "review"): each(BOX, TEXT_PARTS + TOPICS),
    ("analyst", "scheduled"): each(TEXT, TEXT_PARTS + TOPICS + ["published_at"]),
    ("analyst", "public"): each(TEXT, TEXT_PARTS + TOPICS + ["published_at"]),
    # A curator reads the text and changes the topics; a publish date is shown once
    # there is one to go by.
    ("curator", "draft"): each(TEXT, TEXT_PARTS) | each(BOX, TOPICS),
    ("curator", "review"): each(TEXT, TEXT_PARTS) | each(BOX, TOPICS),
    ("curator", "scheduled"): each(TEXT, [*TEXT_PARTS, "published_at"]) | each(BOX, TOPICS),
    ("curator", "public"): each(TEXT, [*TEXT_PARTS, "published_at"]) | each(BOX, TOPICS),
    ("editor", "draft"): ALL_BOXES,
    ("editor", "review"): ALL_BOXES,
    ("editor", "scheduled"): ALL_BOXES,
    ("editor", "public"): ALL_BOXES,
}


@pytest.mark.parametrize(("role", "state"), SEEN_ON_A_CHANGE_FORM)
def test_each_role_sees_a_box_for_what_it_may_change_and_text_for_what_helps(users, role, state):
    response = client_of(users[role]).get(change_url(make_item(state)))

    assert shown(response) == SEEN_ON_A_CHANGE_FORM[(role, state)]


SEEN_OF_A_FEATURED_ITEM = {
    ("analyst", "draft"): {"is_featured": TEXT, "featured_position": TEXT},
    ("analyst", "public"): {"is_featured": TEXT, "featured_position": TEXT},
    ("curator", "draft"): {"is_featured": TEXT, "featured_position": BOX},
    ("curator", "public"): {"is_featured": TEXT, "featured_position": BOX},
    ("editor", "draft"): {"is_featured": BOX, "featured_position": BOX},
}


@pytest.mark.parametrize(("role", "state"), SEEN_OF_A_FEATURED_ITEM)
def test_a_featured_item_shows_that_it_is_featured_and_where_to_who_may_not_feature(
    users, role, state
):
    publication = make_item(state, is_featured=True, featured_position=3)

    response = client_of(users[role]).get(change_url(publication))

    names = ["is_featured", "featured_position"]
    assert shown(response, names) == SEEN_OF_A_FEATURED_ITEM[(role, state)]


@pytest.mark.parametrize(
    ("role", "seen"),
    [("analyst", each(BOX, TEXT_PARTS + TOPICS)), ("editor", ALL_BOXES)],
)
def test_the_add_form_offers_an_analyst_no_publish_date_nor_featuring(users, role, seen):
    assert shown(client_of(users[role]).get(ADD_URL)) == seen


def test_a_curator_reads_when_a_scheduled_item_goes_public(users, settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    publication = make_item("scheduled")

    response = client_of(users["curator"]).get(change_url(publication))

    when = date_format(timezone.localtime(publication.published_at), "DATETIME_FORMAT")
    assertContains(response, f'<div class="readonly">{when}</div>', html=True)


def test_an_analysts_save_keeps_the_publish_date_and_featuring_it_does_not_see(users):
    """An unpublished item keeps its date and may stay featured; the analyst's form has
    neither field, so saving it changes neither."""
    earlier = timezone.now().replace(second=0, microsecond=0) - timedelta(days=30)
    publication = make_publication(
        status="draft", published_at=earlier, is_featured=True, featured_position=2
    )
    data = form_data(publication, title="Better Title")
    for name in ("published_at_0", "published_at_1", "is_featured", "featured_position"):
        data.pop(name, None)

    response = client_of(users["analyst"]).post(change_url(publication), data)

    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()
    assert (publication.title, publication.published_at, publication.is_featured) == (
        "Better Title",
        earlier,
        True,
    )
    assert publication.featured_position == 2


# What each role is told


def test_a_curator_is_told_who_may_change_what_they_read_and_not_how_to_change_it(users):
    response = client_of(users["curator"]).get(
        change_url(make_item("scheduled", authors=[make_author("Kim Sora")]))
    )

    html = response.content.decode()
    # Once each, above the fields they concern.
    assert html.count(policy.ONLY_WRITERS) == 1
    assert html.count(policy.ONLY_EDITORS_PUBLISH) == 1
    # Not the writers' way of doing it, nor help for boxes they do not have.
    for instruction in [
        "save it as a draft or send it for review",
        "Leave blank to make one from the title.",
        "A future date schedules it",
        "Type a name to find the author",
        "Scripts, styles and unsafe links are removed when you save.",
    ]:
        assert instruction not in html


def test_who_may_change_a_field_still_reads_its_help(users):
    response = client_of(users["editor"]).get(change_url(make_item("scheduled")))

    assertContains(response, "The page address. Leave blank to make one from the title.")
    assertContains(response, "Type a name to find the author")
    assertNotContains(response, policy.ONLY_WRITERS)


def test_an_analyst_is_told_an_editor_features_and_publishes_a_featured_draft(users):
    response = client_of(users["analyst"]).get(change_url(make_item("draft", is_featured=True)))

    assertContains(response, policy.ONLY_PUBLISHERS, count=1)
    assertNotContains(response, "Order among featured publications")


def test_an_analyst_reads_why_a_published_item_is_read_only_once(users):
    publication = make_item("public", title="Out <em>There</em>")

    response = client_of(users["analyst"]).get(change_url(publication))

    assertContains(response, escape(policy.only_editors_change(publication)), count=1)
    assertNotContains(response, "<em>There</em>")


def test_only_who_may_pick_is_offered_pin_buttons_and_told_how_they_work(users):
    publication = make_item("draft", tags=["trade"])
    suggested = make_publication("Shares Trade", tags=["trade"])
    pin = f'name="_pin" value="{suggested.pk}"'

    for role, offered in [("analyst", False), ("curator", True), ("editor", True)]:
        response = client_of(users[role]).get(change_url(publication))
        html = response.content.decode()
        assert "Shares Trade" in html
        assert (pin in html) is offered
        assert ("“Pin” adds a suggestion to the related picks below" in html) is offered
        assert (policy.NOT_YOUR_PICKS in html) is not offered


@pytest.mark.parametrize("featured", [True, False], ids=["some featured", "none featured"])
def test_the_featured_order_tells_a_curator_who_features_and_an_editor_how(users, featured):
    if featured:
        make_publication("On The Home Page", is_featured=True)
    url = "/admin/publications/publication/featured-order/"

    as_curator = client_of(users["curator"]).get(url)
    as_editor = client_of(users["editor"]).get(url)

    assertContains(as_curator, policy.ONLY_EDITORS_PUBLISH)
    assertNotContains(as_curator, "Featured” on")
    assertNotContains(as_editor, policy.ONLY_EDITORS_PUBLISH)
    assertContains(as_editor, "Featured” on")


# The body, read-only


def test_a_read_only_body_is_shown_as_the_article_in_a_prose_block(users):
    publication = make_item("public", body="<h2>Part one</h2><ul><li>A point</li></ul>")

    response = client_of(users["curator"]).get(change_url(publication))

    assertContains(
        response,
        '<div class="readonly"><div class="prose"><h2>Part one</h2>'
        "<ul><li>A point</li></ul></div></div>",
        html=True,
    )


# The byline


def total_forms(response, prefix):
    return response.context["inline_admin_formsets"][
        {"authorships": 0, "picks": 1}[prefix]
    ].formset.total_form_count()


def test_byline_and_pick_rows_have_no_heading_and_no_blank_row(users):
    publication = make_item(
        "draft", title="The Subject", authors=[make_author("Kim Sora"), make_author("Lee Min")]
    )
    make_pick(publication, make_publication("The Pick"))

    response = client_of(users["editor"]).get(change_url(publication))

    assertNotContains(response, "Kim Sora on The Subject")
    assertNotContains(response, "The Subject → The Pick")
    assert (total_forms(response, "authorships"), total_forms(response, "picks")) == (2, 1)
    # The row "Add another" copies, out of sight until then.
    assertContains(response, 'id="authorships-empty"')
    assertContains(response, 'id="picks-empty"')


def test_the_add_form_has_a_row_for_the_first_author(users):
    response = client_of(users["analyst"]).get(ADD_URL)

    assert total_forms(response, "authorships") == 1
    assertContains(response, 'name="authorships-0-author"')


def test_a_curator_reads_the_byline_without_a_row_to_add(users):
    publication = make_item("public", authors=[make_author("Kim Sora")])

    response = client_of(users["curator"]).get(change_url(publication))

    assert total_forms(response, "authorships") == 1
    assertNotContains(response, 'id="authorships-empty"')
    assertContains(response, "Kim Sora")
