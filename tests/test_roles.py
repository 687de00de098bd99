"""Who may do what: the editorial groups, publishing, and the admin that enforces them."""

import importlib
from datetime import datetime, timedelta
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from publications import policy
from publications.admin.publication import PublicationAdmin
from publications.models import Publication
from publications.policy import ROLES, sync_roles

from .factories import make_author, make_pick, make_publication, make_region, make_type
from .test_admin import ADD_URL, CHANGELIST_URL, change_url, errors_of, publication_form_data

pytestmark = pytest.mark.django_db

REFUSAL = "Only editors may publish, schedule, unpublish or feature publications"


@pytest.fixture(autouse=True)
def roles():
    # A transactional test elsewhere may have emptied the tables the migration filled.
    sync_roles()


def member_of(group, username=None):
    username = username or group.lower().rstrip("s")
    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst():
    return member_of("Analysts")


@pytest.fixture
def editor():
    return member_of("Editors")


@pytest.fixture
def curator():
    return member_of("Curators")


def on_the_minute(moment):
    # The form posts whole seconds; a stored fraction would read as a changed date.
    return moment.replace(second=0, microsecond=0)


def draft(title="Draft Brief", **fields):
    return make_publication(title, status="draft", published_at=None, **fields)


def form_data(publication, **changes):
    """What the change form posts for `publication` as it is, with `changes`."""
    local = publication.published_at and timezone.localtime(publication.published_at)
    fields = {
        "title": publication.title,
        "slug": publication.slug,
        "lead": publication.lead,
        "body": publication.body,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "featured_position": str(publication.featured_position),
        "tags": ", ".join(publication.tags.names()),
        "edit_version": str(publication.edit_version),
    }
    if publication.is_featured:
        fields["is_featured"] = "on"
    fields.update(changes)
    return publication_form_data(publication_type=publication.publication_type, **fields)


def save(client, publication, **changes):
    """Post the change form with `changes`, which the admin must accept."""
    response = client.post(change_url(publication), form_data(publication, **changes))
    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# The groups


def permission_names(group):
    return sorted(
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    )


def test_the_migrations_create_the_three_groups_with_their_permissions():
    """When the roles change, a new migration (or setup_roles) follows: 0017 made the
    groups, 0021 gave them the image library."""
    Group.objects.all().delete()
    loader = MigrationExecutor(connection).loader
    editor = SimpleNamespace(connection=connection)

    roles = importlib.import_module("publications.migrations.0017_roles")
    roles.create_groups(loader.project_state(("publications", "0017_roles")).apps, editor)
    images = importlib.import_module("publications.migrations.0021_image_library")
    images.give_groups_image_permissions(
        loader.project_state(("publications", "0021_image_library")).apps, editor
    )

    groups = Group.objects.order_by("name")
    assert [group.name for group in groups] == ["Analysts", "Curators", "Editors"]
    for group in groups:
        assert permission_names(group) == ROLES[group.name]


def test_setup_roles_changes_nothing_the_second_time():
    Group.objects.all().delete()
    first, second = StringIO(), StringIO()

    call_command("setup_roles", stdout=first)
    call_command("setup_roles", stdout=second)

    assert "Created the group Editors." in first.getvalue()
    assert second.getvalue() == "The groups were already in step; nothing changed.\n"
    for name, permissions in ROLES.items():
        assert permission_names(Group.objects.get(name=name)) == permissions


def test_setup_roles_repairs_a_drifted_group_and_says_what_it_changed():
    editors = Group.objects.get(name="Editors")
    analysts = Group.objects.get(name="Analysts")
    editors.permissions.remove(Permission.objects.get(codename="publish_publication"))
    analysts.permissions.add(Permission.objects.get(codename="publish_publication"))
    out = StringIO()

    call_command("setup_roles", stdout=out)

    assert out.getvalue().splitlines() == [
        "Analysts: removed publications.publish_publication.",
        "Editors: added publications.publish_publication.",
    ]
    assert permission_names(editors) == ROLES["Editors"]
    assert permission_names(analysts) == ROLES["Analysts"]


def test_setup_roles_adds_a_user_to_a_role_and_lets_them_sign_in():
    user = get_user_model().objects.create_user("sora", password="x")

    call_command("setup_roles", "--add-user", "sora", "--role", "editors", stdout=StringIO())

    user.refresh_from_db()
    assert user.is_staff
    assert user.has_perm("publications.publish_publication")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--add-user", "nobody", "--role", "editors"], "There is no user “nobody”."),
        (["--add-user", "sora", "--role", "bosses"], "There is no role “bosses”"),
        (["--add-user", "sora"], "--add-user and --role go together."),
    ],
)
def test_setup_roles_refuses_unknown_users_and_roles(arguments, message):
    get_user_model().objects.create_user("sora", password="x")

    with pytest.raises(CommandError, match=message):
        call_command("setup_roles", *arguments, stdout=StringIO())


# The workflow (publications.policy): each transition checks the user, then the model
# changes the state


def test_an_analyst_may_not_publish_schedule_unpublish_or_feature(analyst):
    publication = draft()
    public = make_publication()

    with pytest.raises(PermissionDenied, match=REFUSAL):
        policy.publish(publication, by=analyst)
    with pytest.raises(PermissionDenied, match=REFUSAL):
        policy.schedule(publication, timezone.now() + timedelta(days=1), by=analyst)
    with pytest.raises(PermissionDenied, match=REFUSAL):
        policy.unpublish(public, by=analyst)
    with pytest.raises(PermissionDenied, match=REFUSAL):
        policy.feature(publication, by=analyst)

    assert (publication.status, publication.is_featured) == ("draft", False)
    assert public.status == "published"


@pytest.mark.parametrize("by", ["editor", None])
def test_an_editor_and_trusted_code_may_publish_schedule_and_unpublish(request, by):
    user = by and request.getfixturevalue(by)
    publication = draft()

    policy.schedule(publication, timezone.now() + timedelta(days=1), by=user)
    assert publication.is_scheduled
    policy.publish(publication, by=user)
    assert publication.is_public
    policy.unpublish(publication, by=user)
    assert publication.status == "draft"


def test_a_curator_may_not_publish_nor_send_for_review(curator):
    publication = draft()

    with pytest.raises(PermissionDenied, match=REFUSAL):
        policy.publish(publication, by=curator)
    with pytest.raises(PermissionDenied, match="Only writers"):
        policy.send_for_review(publication, by=curator)

    assert publication.status == "draft"


def test_an_analyst_may_not_send_a_published_item_back_for_review(analyst):
    public = make_publication("Out There")

    with pytest.raises(PermissionDenied, match="“Out There” is published or scheduled"):
        policy.send_for_review(public, by=analyst)


# The change form: analysts


def test_an_analyst_is_offered_submit_for_review_and_not_publish(analyst):
    response = client_of(analyst).get(change_url(draft()))

    html = response.content.decode()
    assert 'name="_workflow" value="send_for_review"' in html
    assert 'value="publish"' not in html
    assert 'name="status"' not in html


def test_an_analyst_adds_a_draft_and_sends_it_for_review(analyst):
    client = client_of(analyst)

    response = client.post(ADD_URL, publication_form_data(publication_type=make_type()))
    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get()
    assert publication.created_by == analyst

    save(client, publication, _workflow="send_for_review")

    assert publication.status == "review"


def test_an_analysts_crafted_post_to_publish_a_new_item_is_refused(analyst):
    data = publication_form_data(publication_type=make_type(), _workflow="publish")

    response = client_of(analyst).post(ADD_URL, data)

    assert response.status_code == 200
    assert REFUSAL in errors_of(response)
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        # The buttons are refused, and nothing is saved.
        ({"_workflow": "publish"}, True),
        (
            {"_workflow": "schedule", "schedule_date": "2030-01-01", "schedule_time": "09:00"},
            True,
        ),
        # The analyst's form has no such field (they may not change it): a value posted
        # for one is never read, and the text they may change is saved.
        ({"published_at_0": "2030-01-01", "published_at_1": "09:00"}, False),
        ({"is_featured": "on"}, False),
        ({"featured_position": "3"}, False),
    ],
)
def test_an_analysts_crafted_post_to_publish_schedule_or_feature_changes_none_of_that(
    analyst, changes, refused
):
    publication = draft(body="<p>Before.</p>")

    response = client_of(analyst).post(
        change_url(publication), form_data(publication, body="<p>After.</p>", **changes)
    )

    if refused:
        assert response.status_code == 200
        assert REFUSAL in str(response.context["adminform"].form.errors["__all__"])
    else:
        assert response.status_code == 302, errors_of(response)
    stored = Publication.objects.get(pk=publication.pk)
    assert (stored.status, stored.published_at, stored.is_featured, stored.featured_position) == (
        "draft",
        None,
        False,
        0,
    )
    assert stored.body == ("<p>Before.</p>" if refused else "<p>After.</p>")


@pytest.mark.parametrize("days", [-3, 3], ids=["published", "scheduled"])
def test_an_analyst_sees_a_published_or_scheduled_item_read_only(analyst, days):
    publication = make_publication("Out There", published_at=timezone.now() + timedelta(days=days))

    response = client_of(analyst).get(change_url(publication))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    assert "data-django-prose-editor" not in response.content.decode()


@pytest.mark.parametrize("days", [-3, 3], ids=["published", "scheduled"])
def test_an_analysts_crafted_post_to_a_published_item_is_refused_with_a_message(analyst, days):
    when = on_the_minute(timezone.now() + timedelta(days=days))
    publication = make_publication("Out There", published_at=when, body="<p>Before.</p>")

    response = client_of(analyst).post(
        change_url(publication),
        form_data(publication, title="Changed", body="<p>After.</p>", _workflow="unpublish"),
        follow=True,
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        "Nothing was saved: “Out There” is published or scheduled, so only an editor may change it."
    ]
    publication.refresh_from_db()
    assert (publication.title, publication.body, publication.status) == (
        "Out There",
        "<p>Before.</p>",
        "published",
    )


def test_an_analyst_may_edit_anyones_draft_and_item_in_review(analyst):
    someone = member_of("Analysts", "someone")
    theirs = draft(created_by=someone)
    in_review = make_publication(status="review", published_at=None)

    for publication in (theirs, in_review):
        save(client_of(analyst), publication, title="Better Title")
        assert publication.title == "Better Title"


# The change form: editors


def test_an_editor_publishes_schedules_and_unpublishes_from_the_form(editor):
    client = client_of(editor)
    publication = draft(authors=[make_author()], tags=["Energy"])

    save(client, publication, _workflow="publish")
    assert publication.is_public

    save(client, publication, _workflow="unpublish")
    assert publication.status == "draft"

    later = on_the_minute(timezone.now() + timedelta(days=2))
    local = timezone.localtime(later)
    save(
        client,
        publication,
        _workflow="schedule",
        schedule_date=local.strftime("%Y-%m-%d"),
        schedule_time=local.strftime("%H:%M"),
    )
    assert publication.is_scheduled
    assert publication.published_at == later

    save(client, publication, _workflow="unpublish")
    assert publication.status == "draft"


def test_an_editor_changes_and_features_a_published_item(editor):
    publication = make_publication("Out There", published_at=on_the_minute(timezone.now()))

    save(
        client_of(editor),
        publication,
        title="Still Out There",
        is_featured="on",
        featured_position="2",
    )

    assert (publication.title, publication.is_featured, publication.featured_position) == (
        "Still Out There",
        True,
        2,
    )


# The change form: curators


def test_a_curator_sees_the_text_read_only_and_the_curation_fields_editable(curator):
    publication = make_publication(
        "Out There",
        authors=[make_author("Kim Sora")],
        body="<p>Read <strong>this</strong>.</p>",
        is_featured=True,
    )

    response = client_of(curator).get(change_url(publication))

    assert response.context["has_change_permission"] is True
    form = response.context["adminform"].form
    assert {"title", "body", "lead", "slug", "publication_type", "pdf", "status"}.isdisjoint(
        form.fields
    )
    assert {"tags", "regions", "featured_position"} <= set(form.fields)
    byline, picks = response.context["inline_admin_formsets"]
    assert not byline.has_add_permission
    assert not byline.has_change_permission
    assert picks.has_add_permission
    html = response.content.decode()
    assert "Kim Sora" in html
    assert "<p>Read <strong>this</strong>.</p>" in html  # formatted, not shown as source
    assert "&lt;strong&gt;" not in html


def test_a_curators_crafted_post_changes_tags_picks_and_order_but_not_the_text(curator):
    when = on_the_minute(timezone.now() - timedelta(days=1))
    publication = make_publication(
        "Out There", published_at=when, body="<p>Before.</p>", tags=["Trade"], is_featured=True
    )
    other = make_publication("Elsewhere")
    data = form_data(
        publication,
        title="Changed",
        body="<p>After.</p>",
        status="draft",
        is_featured="",
        featured_position="4",
        tags="Trade, Alliances",
    )
    data.update(
        {
            "picks-TOTAL_FORMS": "1",
            "picks-0-to_publication": str(other.pk),
            "picks-0-position": "0",
        }
    )

    response = client_of(curator).post(change_url(publication), data)

    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()
    assert (publication.title, publication.body, publication.status) == (
        "Out There",
        "<p>Before.</p>",
        "published",
    )
    assert publication.is_featured
    assert publication.featured_position == 4
    assert sorted(publication.tags.names()) == ["Alliances", "Trade"]
    assert list(publication.related_picks.all()) == [other]


# Bulk actions


def action_names(user):
    action_form = client_of(user).get(CHANGELIST_URL).context["action_form"]
    if action_form is None:  # no actions at all: no menu
        return []
    return [name for name, _ in action_form.fields["action"].choices if name]


def test_each_role_is_offered_only_the_actions_it_may_use(analyst, editor, curator):
    assert action_names(analyst) == ["send_for_review"]
    assert action_names(editor) == [
        "delete_selected",
        "send_for_review",
        "publish_now",
        "unpublish",
        "feature",
        "unfeature",
    ]
    assert action_names(curator) == []


def act(user, action, publications):
    return client_of(user).post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [publication.pk for publication in publications]},
        follow=True,
    )


def test_an_analysts_crafted_publish_action_changes_nothing(analyst):
    drafts = [draft("One"), draft("Two")]

    response = act(analyst, "publish_now", drafts)

    assert messages_of(response) == ["No action selected."]
    assert not Publication.objects.published().exists()


def test_sending_for_review_refuses_published_items_to_an_analyst(analyst):
    drafts = [draft("One"), draft("Two")]
    public = make_publication("Out There")

    response = act(analyst, "send_for_review", [*drafts, public])

    assert messages_of(response) == [
        "Sent for review 2 publications.",
        "Refused 1 (you may not change published items): Out There",
    ]
    assert set(Publication.objects.filter(status="review")) == set(drafts)


def test_the_publish_action_checks_each_item_itself(analyst):
    """Should an action ever reach a user who may not publish, each item is still refused."""
    draft("Alpha"), draft("Beta")
    request = RequestFactory().post(CHANGELIST_URL)
    request.user = analyst
    model_admin = PublicationAdmin(Publication, admin.site)
    said = []
    model_admin.message_user = lambda request, message, level: said.append(message)

    model_admin.publish_now(request, Publication.objects.order_by("title"))

    assert said == ["Published 0 publications.", "Refused 2 (you may not publish): Alpha, Beta"]
    assert not Publication.objects.published().exists()


def test_an_editor_publishes_unpublishes_features_and_unfeatures_in_bulk(editor):
    one, two = draft("One"), draft("Two")

    assert messages_of(act(editor, "publish_now", [one, two]))[0] == "Published 2 publications."
    assert set(Publication.objects.published()) == {one, two}

    assert messages_of(act(editor, "feature", [one])) == ["Featured 1 publication."]
    assert messages_of(act(editor, "feature", [one, two])) == [
        "Featured 1 publication.",
        "Skipped 1 (already featured): One",
    ]
    assert Publication.objects.filter(is_featured=True).count() == 2
    assert messages_of(act(editor, "unfeature", [one, two])) == ["Unfeatured 2 publications."]
    assert not Publication.objects.filter(is_featured=True).exists()

    assert messages_of(act(editor, "unpublish", [one])) == ["Unpublished 1 publication."]
    assert list(Publication.objects.published()) == [two]


# Autocompletes


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "make"),
    [
        ("publication", "regions", "jap", lambda: make_region("Japan")),
        ("authorship", "author", "sora", lambda: make_author("Kim Sora")),
    ],
)
def test_an_analysts_region_and_author_autocompletes_answer(
    analyst, model_name, field_name, term, make
):
    expected = make()

    response = client_of(analyst).get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "publications",
            "model_name": model_name,
            "field_name": field_name,
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == [str(expected)]


# The changelist


def test_the_changelist_says_a_scheduled_item_is_scheduled_and_at_what_local_hour(editor, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    make_publication("Later", published_at=datetime(2099, 12, 3, 9, 0, tzinfo=berlin))
    make_publication("Now", published_at=datetime(2021, 5, 1, 9, 0, tzinfo=berlin))
    make_publication("Waiting", status="review", published_at=None)

    response = client_of(editor).get(CHANGELIST_URL, {"o": "1"})

    html = response.content.decode()
    assert '<td class="field-publish_date">3 Dec 2099, 09:00</td>' in html
    columns = PublicationAdmin(Publication, admin.site)
    rows = {
        publication.title: (columns.status_label(publication), columns.publish_date(publication))
        for publication in response.context["cl"].result_list
    }
    assert rows == {
        "Later": ("Scheduled", "3 Dec 2099, 09:00"),
        "Now": ("Published", "1 May 2021"),
        "Waiting": ("In review", None),
    }


def test_my_publications_are_those_i_created_or_sign(analyst):
    me = make_author("Kim Sora", user=analyst)
    created = draft("Created By Me", created_by=analyst)
    signed = make_publication("Signed By Me", authors=[me, make_author()])
    make_publication("Someone Else's", authors=[make_author()])

    response = client_of(analyst).get(CHANGELIST_URL, {"mine": "yes"})

    assert set(response.context["cl"].result_list) == {created, signed}
    assert "My publications (created by me or in my byline)" in response.content.decode()


def make_rows(count):
    publication_type = make_type()
    region = make_region()
    authors = [make_author(), make_author()]
    for number in range(count):
        publication = make_publication(
            f"Row {number}",
            publication_type=publication_type,
            authors=authors,
            regions=[region],
            tags=["Trade"],
        )
        make_pick(publication, make_publication(publication_type=publication_type))


@pytest.mark.parametrize("count", [1, 25])
@pytest.mark.parametrize("role", ["analyst", "editor", "curator"])
def test_the_changelist_query_count_does_not_grow_with_rows(
    request, django_assert_max_num_queries, count, role
):
    """Session, user, their permissions, the filters, counts, the page, its bylines, dates,
    and the savepoint django-reversion opens around the list (for its bulk actions)."""
    client = client_of(request.getfixturevalue(role))
    make_rows(count)

    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST_URL)

    assert len(response.context["cl"].result_list) == 2 * count


def test_a_curator_changes_what_search_engines_are_told_a_type_is(curator):
    """The schema.org type of a publication type's publications (`kind`), in its admin form."""
    report_type = make_type("Annual Report")
    publication = make_publication("Defence Outlook 2027", publication_type=report_type)
    client = client_of(curator)
    url = reverse("admin:publications_publicationtype_change", args=[report_type.pk])
    assertContains(client.get(url), 'name="kind"')

    response = client.post(
        url,
        {
            "name": "Annual Report",
            "plural_label": "Annual Reports",
            "slug": report_type.slug,
            "sort_order": "0",
            "kind": "Report",
        },
    )

    assert response.status_code == 302, errors_of(response)
    report_type.refresh_from_db()
    assert report_type.kind == "Report"
    assertContains(Client().get(publication.get_absolute_url()), '"@type": "Report"')


@pytest.mark.parametrize("count", [1, 10])
def test_the_change_form_query_count_does_not_grow_with_authors_or_picks(
    editor, django_assert_max_num_queries, count
):
    authors = [make_author() for _ in range(count)]
    publication = make_publication(authors=authors, regions=[make_region()], tags=["Trade"])
    for _ in range(count):
        make_pick(publication, make_publication(tags=["Trade"]))
    client = client_of(editor)

    # One more per byline row and per pick: each autocomplete widget reads its chosen item
    # (Django's AutocompleteSelect). The edit number and the history add none; the fixed
    # part includes django-reversion's savepoint and its look-up of the content type.
    with django_assert_max_num_queries(20 + 2 * count):
        response = client.get(change_url(publication))

    assert response.status_code == 200


# Branding


def test_the_admin_carries_the_sites_name_and_lists_tags_in_plain_words(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert "thinktank CMS" in html
    assert "Django administration" not in html
    assert ">Tags<" in html
    assert "Taggit" not in html
