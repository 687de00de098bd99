"""Revision history: every admin save is a version with who and when, the history page
says what changed, two versions compare word by word, and a version's own page restores
it (text, byline, regions, tags and picks) and does nothing else."""

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from publications.models import Publication
from thinktank.building_blocks.text_diff import paragraphs_diff, word_diff

from .admin_forms import form_data
from .factories import make_author, make_pick, make_publication, make_region, make_type

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:publications_publication_changelist")
# How the comparison marks a change (thinktank.building_blocks.text_diff).
DEL = '<del><span class="visually-hidden">removed: </span>'
INS = '<ins><span class="visually-hidden">added: </span>'


def change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def history_url(publication):
    return reverse("admin:publications_publication_history", args=[publication.pk])


def revision_url(publication, version):
    return reverse("admin:publications_publication_revision", args=[publication.pk, version.pk])


def compare_url(publication, older, newer="now"):
    url = reverse("admin:publications_publication_compare", args=[publication.pk])
    return f"{url}?from={getattr(older, 'pk', older)}&to={getattr(newer, 'pk', newer)}"


def restore_in_admin(client, url):
    """Open a version's page and press its one button, as a browser would."""
    return client.post(url, form_data(client.get(url), "restore_form"))


def saved_at(version):
    return date_format(timezone.localtime(version.revision.date_created), r"j F Y, H:i")


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
        "Title: “Old Title” → “New Title”; Body: 1 paragraph changed; "
        "Byline: reordered (now Lee Minho, Kim Sora); Tags: added energy"
    )
    assert "Byline: reordered (now Lee Minho, Kim Sora)" in response.content.decode()
    assert "Ana Analyst" in response.content.decode()


def test_the_history_counts_the_paragraphs_and_words_that_changed_and_names_who_left(
    client, editor, kim, lee
):
    asia, europe = make_region("Asia"), make_region("Europe")
    publication = make_publication(
        "Title",
        lead="Talks resumed in May.",
        body="<p>One.</p><p>Two.</p><p>Three.</p>",
        authors=[kim, lee],
        regions=[asia],
        tags=["energy", "water"],
        status="draft",
    )
    save_in_admin(client, publication)
    data = byline_rows(client, publication, [kim, lee]) | {"authorships-1-DELETE": "on"}
    save_in_admin(
        client,
        publication,
        data,
        lead="Talks resumed in June, quietly.",
        body="<p>One, revised.</p><p>Two, revised.</p><p>Three.</p><p>Four.</p>",
        regions=[str(asia.pk), str(europe.pk)],
        tags="",
    )

    response = client.get(history_url(publication))

    assert response.context["action_list"][0]["summary"] == (
        "Introduction: 1 word changed, 2 added; Body: 2 paragraphs changed, 1 added; "
        "Byline: removed Lee Minho; Regions: added Europe; Tags: removed energy and water"
    )


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

    response = restore_in_admin(client, revision_url(publication, old_version))

    assert response.status_code == 302
    assert response.url == change_url(publication)
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
    assert latest.revision.get_comment() == (
        f"Restored the version of {saved_at(old_version)} by Ana Analyst"
    )


def test_looking_at_an_old_version_shows_what_restoring_it_would_change_and_changes_nothing(
    client, editor
):
    publication = make_publication("Old Title", status="draft")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")

    response = client.get(revision_url(publication, old_version))

    assert response.status_code == 200
    assert (
        f"{DEL}New</del> {INS}Old</ins> Title" in response.content.decode()
    )  # from now to the version
    publication.refresh_from_db()
    assert publication.title == "New Title"


def test_the_version_page_restores_and_offers_nothing_else(client, editor):
    """No delete link, no field of the publication: one button, and the edit number."""
    publication = make_publication("Old Title", status="draft")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")

    response = client.get(revision_url(publication, old_version))

    page = response.content.decode()
    assert reverse("admin:publications_publication_delete", args=[publication.pk]) not in page
    assert "Delete" not in page
    assert list(form_data(response, "restore_form")) == ["csrfmiddlewaretoken", "edit_version"]
    assert page.count('value="Restore this version"') == 1
    assert 'name="_save"' not in page
    assert 'name="_continue"' not in page
    assert "publication_form" not in page


def test_a_restore_moves_the_edit_number_on_so_forms_opened_before_it_are_refused(client, editor):
    publication = make_publication("Old Title", status="draft")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")
    opened_before = form_data(client.get(change_url(publication)))
    number_before = Publication.objects.get(pk=publication.pk).edit_version

    restore_in_admin(client, revision_url(publication, old_version))

    assert Publication.objects.get(pk=publication.pk).edit_version == number_before + 1
    response = client.post(change_url(publication), opened_before | {"lead": "Typed meanwhile."})
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).title == "Old Title"


def test_a_restore_chosen_before_someone_elses_save_is_refused_and_says_why(client, editor):
    publication = make_publication("Old Title", status="draft")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, title="New Title")
    url = revision_url(publication, old_version)
    restore_page = client.get(url)
    save_in_admin(client, publication, title="Newer Title")  # someone else, meanwhile

    response = client.post(url, form_data(restore_page, "restore_form"), follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Nothing was restored: Ana Analyst saved this publication at" in (
        response.content.decode()
    )
    assert Publication.objects.get(pk=publication.pk).title == "Newer Title"
    assert 'value="Restore this version"' in response.content.decode()  # to try again


def test_a_restored_slug_keeps_the_current_address_working(client, editor):
    publication = make_publication("Old Title", slug="old-address", status="published")
    save_in_admin(client, publication)
    old_version = Version.objects.get_for_object(publication).get()
    save_in_admin(client, publication, slug="new-address")

    restore_in_admin(client, revision_url(publication, old_version))

    assert Publication.objects.get(pk=publication.pk).slug == "old-address"
    response = client.get(reverse("publications:detail", args=["new-address"]))
    assert response.status_code == 301
    assert response.url.endswith("/old-address/")


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
    url = revision_url(publication, old_version)
    data = form_data(client.get(url), "restore_form")
    reader = get_user_model().objects.create_user("viewer", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(reader)

    page = client.get(url)
    response = client.post(url, data)

    assert page.status_code == 200
    assert "You may look at this version but not restore it" in page.content.decode()
    assert 'value="Restore this version"' not in page.content.decode()
    assert response.status_code == 403
    publication.refresh_from_db()
    assert publication.title == "New Title"


# Comparing versions.


def test_the_word_diff_marks_exactly_the_changed_words():
    assert word_diff("The quick brown fox", "The slow brown fox jumps") == (
        f"The {DEL}quick</del> {INS}slow</ins> brown fox {INS}jumps</ins>"
    )
    assert word_diff("a b c d", "a x y d") == f"a {DEL}b c</del> {INS}x y</ins> d"
    assert word_diff("the quick fox", "the fox") == f"the {DEL}quick</del> fox"
    assert word_diff("Deterrence.", "Deterrence") == f"Deterrence{DEL}.</del>"
    assert word_diff("Same  words here", "Same words\nhere") == "Same words\nhere"


def test_the_word_diff_escapes_everything_but_its_own_marks():
    marked = word_diff('<b onclick="x()">bold</b> & co', "<script>alert(1)</script> & co")

    assert "<script" not in marked
    assert "<b " not in marked
    assert "script&gt;alert(1)&lt;/script" in marked
    assert "&lt;" in marked
    assert "&amp; co" in marked


def test_the_body_is_compared_paragraph_by_paragraph_and_long_unchanged_runs_are_folded():
    old = [f"Paragraph {number}." for number in range(1, 9)]
    new = [*old[:4], "Paragraph four, rewritten.", *old[5:]]

    shown = paragraphs_diff(old, new)

    assert shown == [
        {"skipped": 3},
        {"html": "Paragraph 4.", "changed": False},
        {
            "html": f"Paragraph {DEL}5</del> {INS}four, rewritten</ins>.",
            "changed": True,
        },
        {"html": "Paragraph 6.", "changed": False},
        {"skipped": 2},
    ]


@pytest.fixture
def two_versions(client, editor, kim, lee):
    """A publication saved twice: the second version changes the title, lead, body,
    byline (reordered, one added), tags and regions."""
    park = make_author("Park Jiwoo")
    asia = make_region("Asia")
    publication = make_publication(
        "Deterrence After the Summit",
        authors=[kim, lee],
        regions=[asia],
        tags=["energy"],
        status="draft",
        lead="A short introduction.",
        body="<h2>Aims</h2><p>The summit changed little.</p><p>Allies noticed.</p>",
    )
    save_in_admin(client, publication)
    data = byline_rows(client, publication, [lee, kim, park])
    save_in_admin(
        client,
        publication,
        data,
        title="Deterrence Before the Summit",
        lead="A longer introduction.",
        body="<h2>Aims</h2><p>The summit changed a great deal.</p><p>Allies noticed.</p>",
        tags="water",
        regions=[],
    )
    older, newer = Version.objects.get_for_object(publication).order_by("pk")
    return publication, older, newer


def test_comparing_two_versions_marks_the_changed_words_of_title_lead_and_body(
    client, two_versions
):
    publication, older, newer = two_versions

    response = client.get(compare_url(publication, older, newer))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Deterrence {DEL}After</del> {INS}Before</ins> the Summit" in page
    assert f"A {DEL}short</del> {INS}longer</ins> introduction." in page
    assert f"The summit changed {DEL}little</del> {INS}a great deal</ins>." in page
    # The unchanged paragraphs around the change are shown, unmarked.
    assert '<p class="diff diff-unchanged">Allies noticed.</p>' in page


def test_the_comparison_lists_authors_added_removed_and_reordered_and_tags_and_regions(
    client, two_versions
):
    publication, older, newer = two_versions

    response = client.get(compare_url(publication, older, newer))

    parts = {part["label"]: part for part in response.context["parts"]}
    assert parts["Byline"]["items"] == [
        {"name": "Lee Minho", "change": "moved", "was": 2},
        {"name": "Kim Sora", "change": "moved", "was": 1},
        {"name": "Park Jiwoo", "change": "added", "was": None},
    ]
    assert [(item["name"], item["change"]) for item in parts["Tags"]["items"]] == [
        ("energy", "removed"),
        ("water", "added"),
    ]
    assert [(item["name"], item["change"]) for item in parts["Regions"]["items"]] == [
        ("Asia", "removed")
    ]
    page = response.content.decode()
    assert '<ins>Park Jiwoo</ins> <span class="diff-note">added</span>' in page
    assert 'Kim Sora <span class="diff-note">moved, was number 1</span>' in page
    assert '<del>energy</del> <span class="diff-note">removed</span>' in page


def test_an_author_taken_off_the_byline_is_listed_as_removed(client, editor, kim, lee):
    publication = make_publication("Title", authors=[kim, lee], status="draft")
    save_in_admin(client, publication)
    data = byline_rows(client, publication, [kim, lee]) | {"authorships-1-DELETE": "on"}
    save_in_admin(client, publication, data)
    older, newer = Version.objects.get_for_object(publication).order_by("pk")

    response = client.get(compare_url(publication, older, newer))

    (byline,) = [part for part in response.context["parts"] if part["label"] == "Byline"]
    assert byline["items"] == [
        {"name": "Kim Sora", "change": None, "was": None},
        {"name": "Lee Minho", "change": "removed", "was": None},
    ]


def test_markup_in_a_title_or_body_is_escaped_in_the_comparison(client, editor):
    publication = make_publication("Plain", status="draft", body="<p>Plain text.</p>")
    save_in_admin(client, publication)
    save_in_admin(
        client,
        publication,
        title='<img src=x onerror="alert(1)">',
        body="<p>&lt;script&gt;alert(2)&lt;/script&gt; text.</p>",
    )
    older, newer = Version.objects.get_for_object(publication).order_by("pk")

    page = client.get(compare_url(publication, older, newer)).content.decode()

    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert f"{INS}&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</ins>" in page
    assert f"{INS}&lt;script&gt;alert(2)&lt;/script&gt;</ins>" in page


def test_the_versions_are_compared_older_first_whichever_is_chosen_first(client, two_versions):
    publication, older, newer = two_versions

    response = client.get(compare_url(publication, newer, older))

    assert (response.context["before"], response.context["after"]) == (older, newer)


def test_a_version_compares_with_the_publication_as_it_is_now(client, two_versions):
    publication, _older, newer = two_versions
    Publication.objects.filter(pk=publication.pk).update(title="Changed by a Script")

    response = client.get(compare_url(publication, newer, "now"))

    assert response.context["after"] is None
    assert f"{DEL}Deterrence Before the Summit</del> {INS}Changed by a Script</ins>" in (
        response.content.decode()
    )
    assert "the publication as it is now" in response.content.decode()


def test_two_versions_that_are_the_same_say_so(client, editor):
    publication = make_publication("Unchanged", status="draft")
    save_in_admin(client, publication)
    save_in_admin(client, publication)
    older, newer = Version.objects.get_for_object(publication).order_by("pk")

    response = client.get(compare_url(publication, older, newer))

    assert response.context["parts"] == []
    assert "No difference from the version of" in response.content.decode()


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("x", "now"),
        ("", "now"),
        ("99999999999999999999", "now"),
        ("{other}", "now"),
        ("{own}", "{own}"),
    ],
)
def test_a_bad_choice_of_versions_is_refused_with_a_sentence(client, editor, older, newer):
    publication = make_publication("Mine", status="draft")
    other = make_publication("Another", status="draft")
    save_in_admin(client, publication)
    save_in_admin(client, other)
    ids = {
        "own": Version.objects.get_for_object(publication).get().pk,
        "other": Version.objects.get_for_object(other).get().pk,
    }
    url = reverse("admin:publications_publication_compare", args=[publication.pk])

    response = client.get(url, {"from": older.format(**ids), "to": newer.format(**ids)})

    assert response.status_code == 302
    assert response.url == history_url(publication)
    assert [str(message) for message in get_messages(response.wsgi_request)][-1].startswith(
        "Choose two"
    )


def test_the_history_offers_to_compare_each_version_with_the_previous_and_the_current(
    client, two_versions
):
    publication, older, newer = two_versions

    response = client.get(history_url(publication))

    page = response.content.decode()
    assert (
        'form method="get" action="{}"'.format(
            reverse("admin:publications_publication_compare", args=[publication.pk])
        )
        in page
    )
    assert f'name="from" value="{older.pk}" checked' in page
    assert f'name="to" value="{newer.pk}" checked' in page
    assert compare_url(publication, older, newer).replace("&", "&amp;") in page
    assert compare_url(publication, older, "now").replace("&", "&amp;") in page


@pytest.mark.parametrize("authors", [2, 6])
def test_the_compare_page_query_count_does_not_grow_with_the_content(
    client, editor, django_assert_num_queries, authors
):
    """Session, user, the publication (with its byline, as the admin's lists load it), the
    two versions, their byline/tag/pick rows, and the names of authors, tags, regions,
    picks and types: the same for 2 authors, tags, regions and picks as for 6."""
    people = [make_author() for _ in range(authors)]
    publication = make_publication(
        "Title",
        authors=people,
        regions=[make_region() for _ in range(authors)],
        tags=[f"tag {number}" for number in range(authors)],
        status="draft",
    )
    for number in range(authors):
        make_pick(publication, make_publication(f"Pick {number}"), position=number)
    save_in_admin(client, publication)
    save_in_admin(client, publication, byline_rows(client, publication, people[::-1]), title="T")
    older, newer = Version.objects.get_for_object(publication).order_by("pk")

    with django_assert_num_queries(11):
        response = client.get(compare_url(publication, older, newer))

    assert [part["label"] for part in response.context["parts"]] == ["Title", "Byline"]


# Regions, types and authors: the same History pages, on their own fields.

TOPICS = {
    "region": lambda name: make_region(name, description="Northeast Asia and the Pacific."),
    "type": lambda name: make_type(name),
    "author": lambda name: make_author(name, role="Senior Fellow"),
}


def versioned(item, user, **changes):
    """Save `item` with `changes` as a new version by `user`, as an admin save does."""
    for name, value in changes.items():
        setattr(item, name, value)
    with reversion.create_revision():
        reversion.set_user(user)
        item.save()
    return Version.objects.get_for_object(item).first()


def topic_url(item, view, *args):
    name = f"admin:{item._meta.app_label}_{item._meta.model_name}_{view}"
    return reverse(name, args=[item.pk, *args])


@pytest.fixture(params=TOPICS)
def renamed(request, editor):
    """A region, type or author saved as "Old Name", then renamed: (item, old version)."""
    item = TOPICS[request.param]("Old Name")
    old = versioned(item, editor)
    versioned(item, editor, name="New Name")
    return item, old


def test_a_topic_or_authors_old_version_shows_what_restoring_would_change_and_nothing_else(
    client, renamed
):
    item, old = renamed

    response = client.get(topic_url(item, "revision", old.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{DEL}New</del> {INS}Old</ins> Name" in page
    assert "Delete" not in page
    assert topic_url(item, "delete") not in page
    assert list(form_data(response, "restore_form")) == ["csrfmiddlewaretoken"]
    assert page.count('value="Restore this version"') == 1
    assert 'name="_save"' not in page
    assert 'name="name"' not in page


def test_restoring_a_topic_or_authors_version_brings_it_back_as_a_new_version(
    client, editor, renamed
):
    item, old = renamed

    response = restore_in_admin(client, topic_url(item, "revision", old.pk))

    assert response.status_code == 302
    assert response.url == topic_url(item, "change")
    item.refresh_from_db()
    assert item.name == "Old Name"
    latest = Version.objects.get_for_object(item).first()
    assert latest.revision.user == editor
    assert (
        latest.revision.get_comment() == f"Restored the version of {saved_at(old)} by Ana Analyst"
    )


def test_a_restore_onto_an_address_taken_since_is_refused_with_a_sentence(client, editor):
    asia = make_region("Asia", slug="asia")
    old = versioned(asia, editor)
    versioned(asia, editor, slug="east-asia")
    make_region("Asia Pacific", slug="asia")  # takes the old address meanwhile

    response = restore_in_admin(client, topic_url(asia, "revision", old.pk))

    assert response.status_code == 302
    assert response.url == topic_url(asia, "history")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Nothing was restored: Region with this Slug already exists."
    ]
    asia.refresh_from_db()
    assert asia.slug == "east-asia"


def test_a_topic_or_authors_history_says_what_changed_and_compares_versions(client, renamed):
    item, old = renamed
    new = Version.objects.get_for_object(item).first()

    history = client.get(topic_url(item, "history"))
    compared = client.get(f"{topic_url(item, 'compare')}?from={new.pk}&to={old.pk}")

    summaries = [action["summary"] for action in history.context["action_list"]]
    assert summaries == ["Name: “Old Name” → “New Name”", "First version"]
    assert compared.status_code == 200
    assert f"{DEL}Old</del> {INS}New</ins> Name" in compared.content.decode()
    assert topic_url(item, "revision", old.pk) in compared.content.decode()
