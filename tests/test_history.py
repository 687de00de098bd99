"""Revision history: every admin save is a version with who and when, the history page
says what changed, and restoring a version brings back text, byline, regions, tags and picks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from publications.models import Publication

from .admin_forms import form_data
from .factories import make_author, make_pick, make_publication, make_region

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:publications_publication_changelist")


def change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def history_url(publication):
    return reverse("admin:publications_publication_history", args=[publication.pk])


def save_in_admin(client, publication, data=None, **changes):
    """Open the change form (or take its `data`), change what is given, and save."""
    data = (data or form_data(client.get(change_url(publication)))) | changes
    response = client.post(change_url(publication), data)
    assert response.status_code == 302, errors_of(response)
    return response


def errors_of(response):
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.errors, inline.formset.non_form_errors()]
    return errors


def byline_rows(client, publication, authors):
    """The byline inline's rows, re-ordered to `authors` (existing rows keep their ids)."""
    data = form_data(client.get(change_url(publication)))
    ids = {row.author_id: row.pk for row in publication.authorships.all()}
    rows = {"authorships-TOTAL_FORMS": str(len(authors))}
    for index, author in enumerate(authors):
        rows |= {
            f"authorships-{index}-id": str(ids.get(author.pk, "")),
            f"authorships-{index}-publication": str(publication.pk),
            f"authorships-{index}-author": str(author.pk),
            f"authorships-{index}-position": str(index),
        }
    return {key: value for key, value in data.items() if not key.startswith("authorships-")} | {
        "authorships-INITIAL_FORMS": str(len(ids)),
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        **rows,
    }


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser(
        "ana", "ana@example.org", "pw", first_name="Ana", last_name="Analyst"
    )
    client.force_login(user)
    return user


@pytest.fixture
def kim():
    return make_author("Kim Sora")


@pytest.fixture
def lee():
    return make_author("Lee Minho")


def test_each_admin_save_is_a_version_with_who_and_when(client, editor):
    publication = make_publication("Deterrence After the Summit", status="draft")

    save_in_admin(client, publication, title="Deterrence Before the Summit")

    (version,) = Version.objects.get_for_object(publication)
    assert version.revision.user == editor
    assert version.field_dict["title"] == "Deterrence Before the Summit"


def test_the_history_says_what_changed_in_each_version(client, editor, kim, lee):
    publication = make_publication("Old Title", authors=[kim, lee], status="draft")
    save_in_admin(client, publication)
    save_in_admin(
        client,
        publication,
        byline_rows(client, publication, [lee, kim]),
        title="New Title",
        body="<p>Rewritten.</p>",
        tags="energy",
    )

    response = client.get(history_url(publication))

    summaries = [action["summary"] for action in response.context["action_list"]]
    assert summaries[-1] == "First version"
    assert summaries[0] == (
        "Title: “Old Title” → “New Title”; Body changed; "
        "Byline: Kim Sora, Lee Minho → Lee Minho, Kim Sora; Tags +energy"
    )
    assert "Byline: Kim Sora, Lee Minho → Lee Minho, Kim Sora" in response.content.decode()
    assert "Ana Analyst" in response.content.decode()


def test_restoring_a_version_brings_back_text_byline_regions_tags_and_picks(
    client, editor, kim, lee
):
    asia, europe = make_region("Asia"), make_region("Europe")
    first_pick, second_pick = make_publication("First Pick"), make_publication("Second Pick")
    publication = make_publication(
        "Old Title", authors=[kim, lee], regions=[asia], tags=["energy"], status="draft"
    )
    make_pick(publication, first_pick)
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    # Everything changes in a second version.
    data = byline_rows(client, publication, [lee])
    data |= {
        "title": "New Title",
        "lead": "A new introduction.",
        "regions": str(europe.pk),
        "tags": "water",
        "picks-0-to_publication": str(second_pick.pk),
    }
    save_in_admin(client, publication, data)
    publication.refresh_from_db()
    assert publication.title == "New Title"

    revision_url = reverse(
        "admin:publications_publication_revision", args=[publication.pk, old_version.pk]
    )
    restore_form = client.get(revision_url)
    response = client.post(revision_url, form_data(restore_form))

    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.title == "Old Title"
    assert publication.lead == old_version.field_dict["lead"]
    assert publication.byline == [kim, lee]
    assert list(publication.regions.all()) == [asia]
    assert [tag.name for tag in publication.tags.all()] == ["energy"]
    assert list(publication.related_picks.all()) == [first_pick]
    # The restore is itself a new version, by whoever restored.
    latest = Version.objects.get_for_object(publication).first()
    assert latest.revision.user == editor
    assert "Reverted to previous version" in latest.revision.get_comment()


def test_looking_at_an_old_version_changes_nothing(client, editor):
    publication = make_publication("Old Title", status="draft")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")

    response = client.get(
        reverse("admin:publications_publication_revision", args=[publication.pk, old_version.pk])
    )

    assert response.status_code == 200
    assert 'value="Old Title"' in response.content.decode()
    publication.refresh_from_db()
    assert publication.title == "New Title"


def test_a_bulk_action_saves_a_version_with_who(client, editor):
    publication = make_publication("Waiting", status="draft")

    client.post(CHANGELIST_URL, {"action": "publish_now", "_selected_action": [publication.pk]})

    (version,) = Version.objects.get_for_object(publication)
    assert version.revision.user == editor
    assert version.field_dict["status"] == "published"


def test_existing_publications_get_a_first_version_from_createinitialrevisions(kim):
    publication = make_publication("Imported", authors=[kim])

    call_command("createinitialrevisions", verbosity=0)
    call_command("createinitialrevisions", verbosity=0)  # again: nothing twice

    (version,) = Version.objects.get_for_object(publication)
    authorships = version.revision.version_set.filter(content_type__model="authorship")
    assert [row.field_dict["author_id"] for row in authorships] == [kim.pk]


def test_a_deleted_publication_can_be_recovered_with_its_byline(client, editor, kim):
    publication = make_publication("Deleted by Mistake", authors=[kim], status="draft")
    save_in_admin(client, publication)
    pk = publication.pk
    client.post(reverse("admin:publications_publication_delete", args=[pk]), {"post": "yes"})
    assert not Publication.objects.filter(pk=pk).exists()

    (deleted,) = Version.objects.get_deleted(Publication)
    recover_url = reverse("admin:publications_publication_recover", args=[deleted.pk])
    response = client.post(recover_url, form_data(client.get(recover_url)))

    assert response.status_code == 302
    assert Publication.objects.get(pk=pk).byline == [kim]


@pytest.mark.parametrize("saves", [2, 8])
def test_the_history_page_query_count_does_not_grow_with_versions(
    client, editor, kim, lee, django_assert_max_num_queries, saves
):
    """Session, user, the object, its versions (with users) twice (reversion's list, and
    ours for the summaries), their byline/tag/pick rows, the names of authors, tags,
    regions, types and picks: the same for 2 versions as for 8."""
    pick = make_publication("Pick")
    publication = make_publication("Title", authors=[kim, lee], regions=[make_region()])
    publication.tags.add("energy")
    make_pick(publication, pick)
    for number in range(saves):
        save_in_admin(client, publication, title=f"Title {number}")

    with django_assert_max_num_queries(13):
        response = client.get(history_url(publication))

    assert len(response.context["action_list"]) == saves


def test_someone_who_may_not_change_the_publication_cannot_restore_a_version(client, editor):
    publication = make_publication("Old Title")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")
    revision_url = reverse(
        "admin:publications_publication_revision", args=[publication.pk, old_version.pk]
    )
    data = form_data(client.get(revision_url))
    reader = get_user_model().objects.create_user("viewer", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(reader)

    response = client.post(revision_url, data)

    assert response.status_code == 403
    publication.refresh_from_db()
    assert publication.title == "New Title"
