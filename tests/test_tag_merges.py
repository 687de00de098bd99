"""Merging tags from the tag list: a page that asks which tag stays and says what will
happen, the merge on Confirm, and its undo."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from taggit.models import Tag

from publications.models import OldSlug, Publication, TagMerge
from publications.policy import sync_roles
from publications.tag_merges import GONE_SINCE, merge

from .admin_forms import confirm_merge
from .factories import make_publication
from .test_roles import client_of, member_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


def ask_to_merge(client, tags):
    """Choose "Merge selected tags…" for `tags` on the tag list."""
    return client.post(
        CHANGELIST, {"action": "merge_tags", "_selected_action": [tag.pk for tag in tags]}
    )


def undo_url(record):
    return reverse("admin:taggit_tag_undo_merge", args=[record.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def said(response):
    """What the page `response` leads to says last (an earlier request may have said more)."""
    return messages_of(response)[-1]


def tag(name):
    return Tag.objects.get(name=name)


def tagged(name):
    """The titles of the publications carrying the tag `name`, in order."""
    return sorted(Publication.objects.filter(tags__name=name).values_list("title", flat=True))


def everything():
    """Every tag with the titles of its publications: what a merge may change."""
    return {name: tagged(name) for name in Tag.objects.values_list("name", flat=True)}


@pytest.fixture
def energy():
    """“energy security” on three publications (one a draft), “energy” on two (one of
    them also carrying “energy security”), “power” on one of those too."""
    make_publication("Grid", tags=["energy security", "energy"])
    make_publication("Pipelines", tags=["energy security"])
    make_publication("Draft Plan", tags=["energy security"], status="draft", published_at=None)
    make_publication("Coal", tags=["energy", "power"])
    make_publication("Elsewhere", tags=["trade"])
    return [tag("energy security"), tag("energy"), tag("power")]


# --- the confirmation --------------------------------------------------------------------


def test_the_merge_asks_first_listing_each_tag_with_its_publications(admin_client, energy):
    before = everything()

    response = ask_to_merge(admin_client, energy)

    assert response.status_code == 200
    rows = [
        (tag.name, tag.publication_count, tag.public_count)
        for tag, radio in response.context["rows"]
    ]
    assert rows == [("energy security", 3, 2), ("energy", 2, 2), ("power", 1, 1)]
    page = response.content.decode()
    assert "Which tag stays?" in page
    assert (
        "3 tags merged into “energy security”: 4 publications keep their place, "
        "2 of them had more than one of these tags." in page
    )
    assert everything() == before
    assert not TagMerge.objects.exists()


def test_the_tag_on_most_publications_is_chosen_to_stay_unless_changed(admin_client, energy):
    response = ask_to_merge(admin_client, energy)

    checked = [
        radio.data["value"] for tag, radio in response.context["rows"] if radio.data["selected"]
    ]
    assert checked == [energy[0].pk]
    assert (
        f'<input type="radio" name="survivor" value="{energy[0].pk}" id="id_survivor_0" '
        "required checked>"
    ) in response.content.decode()


def test_two_tags_on_one_publication_are_counted_as_having_had_both(admin_client, energy):
    response = ask_to_merge(admin_client, energy[:2])

    assert (
        "2 tags merged into “energy security”: 4 publications keep their place, "
        "1 of them had two of these tags." in response.content.decode()
    )


def test_cancel_leads_back_to_the_tag_list_and_changes_nothing(admin_client, energy):
    before = everything()

    page = ask_to_merge(admin_client, energy).content.decode()
    back = admin_client.get(CHANGELIST)

    assert f'<a href="{CHANGELIST}" class="button cancel-link">Cancel</a>' in page
    assert back.status_code == 200
    assert everything() == before


def test_the_chosen_tag_survives_with_every_publication_of_the_merged_ones(admin_client, energy):
    energy_tag = energy[1]

    response = confirm_merge(admin_client, energy, energy_tag)

    assert response.status_code == 302
    assert everything() == {
        "energy": ["Coal", "Draft Plan", "Grid", "Pipelines"],
        "trade": ["Elsewhere"],
    }
    assert tag("energy").pk == energy_tag.pk
    [said] = messages_of(response)
    record = TagMerge.objects.get()
    assert said == (
        "3 tags merged into “energy”: 4 publications keep their place, 2 of them had more "
        f'than one of these tags. <a href="{undo_url(record)}">Undo…</a>'
    )


def test_the_merged_tags_addresses_lead_to_the_survivor(client, admin_client, energy):
    confirm_merge(admin_client, energy, energy[1])

    for slug in ["energy-security", "power"]:
        response = client.get(reverse("publications:tag-detail", kwargs={"slug": slug}))
        assert response.status_code == 301
        assert response["Location"] == reverse("publications:tag-detail", args=["energy"])


def test_a_tag_deleted_since_the_page_was_shown_refuses_the_merge(admin_client, energy):
    ask_to_merge(admin_client, energy)
    Tag.objects.filter(pk=energy[2].pk).delete()
    before = everything()

    response = confirm_merge(admin_client, energy, energy[0])

    assert response.status_code == 302
    assert messages_of(response) == [
        "One of these tags was deleted or merged since they were chosen: nothing was merged. "
        "Choose the tags again."
    ]
    assert everything() == before
    assert not TagMerge.objects.exists()


def test_a_second_confirm_of_the_same_merge_is_refused(admin_client, energy):
    confirm_merge(admin_client, energy, energy[0])

    response = confirm_merge(admin_client, energy, energy[0])

    assert said(response).endswith("nothing was merged. Choose the tags again.")
    assert TagMerge.objects.count() == 1


@pytest.mark.parametrize("survivor", ["trade", "", "not a number", "99999999"])
def test_a_survivor_not_among_the_merged_tags_is_refused_on_the_page(
    admin_client, energy, survivor
):
    before = everything()
    if survivor == "trade":
        survivor = str(tag("trade").pk)

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "merge_tags",
            "_selected_action": [tag.pk for tag in energy],
            "survivor": survivor,
            "post": "yes",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose which tag stays" in page
    assert "3 tags merged into" in page  # the page again, to choose
    assert everything() == before


@pytest.mark.parametrize("crafted", ["nonsense", "1.5", "", "99999999999999999999"])
def test_a_crafted_choice_of_tags_is_refused_without_an_error_page(admin_client, energy, crafted):
    before = everything()

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "merge_tags",
            "_selected_action": [energy[0].pk, energy[1].pk, crafted],
            "survivor": energy[0].pk,
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert messages_of(response) in (
        ["Nothing was done: choose tags from the list."],
        [GONE_SINCE],
    )
    assert everything() == before


@pytest.mark.parametrize("crafted", ["x", "²", "99999999999999999999"])
def test_a_tag_page_with_an_id_no_tag_could_have_says_so(admin_client, crafted):
    response = admin_client.get(reverse("admin:taggit_tag_change", args=[crafted]))

    assert response.status_code == 302
    assert said(response) == f"tag with ID “{crafted}” doesn’t exist. Perhaps it was deleted?"


def test_merging_one_tag_asks_for_two(admin_client, energy):
    response = ask_to_merge(admin_client, energy[:1])

    assert response.status_code == 302
    assert messages_of(response) == ["Select at least two tags to merge."]


def test_the_confirmation_page_costs_the_same_for_many_tags_and_publications(
    admin_client, energy, django_assert_num_queries
):
    for number in range(20):
        make_publication(tags=[f"extra {number}", "energy"])
    tags = list(Tag.objects.all())

    # Session, user, the list's two counts; the tags with their counts; the sentence's.
    with django_assert_num_queries(6):
        response = ask_to_merge(admin_client, tags)

    assert len(response.context["rows"]) == len(tags)


# --- the undo -----------------------------------------------------------------------------


@pytest.fixture
def merged(admin_user, energy):
    """“energy” and “power” merged into “energy security”."""
    OldSlug.objects.record(energy[2], "electricity")  # “power” was “electricity” once
    record, _ = merge([tag.pk for tag in energy], energy[0].pk, by=admin_user)
    return record


def test_undo_brings_the_merged_tags_back_on_exactly_their_publications(
    admin_client, energy, merged
):
    before = {
        "energy security": ["Draft Plan", "Grid", "Pipelines"],
        "energy": ["Coal", "Grid"],
        "power": ["Coal"],
        "trade": ["Elsewhere"],
    }

    response = admin_client.post(undo_url(merged))

    assert response.status_code == 302
    assert messages_of(response) == [
        "Merge undone: “energy”, “power” are back, and “energy security” came off the "
        "1 publication that had it only through the merge."
    ]
    assert everything() == before
    assert [(t.pk, t.name, t.slug) for t in Tag.objects.filter(pk__in=[e.pk for e in energy])] == [
        (t.pk, t.name, t.slug) for t in sorted(energy, key=lambda t: t.pk)
    ]


def test_after_an_undo_each_tag_has_its_own_page_feed_and_old_address_again(
    client, admin_client, energy, merged
):
    admin_client.post(undo_url(merged))

    page = client.get(reverse("publications:tag-detail", args=["power"]))
    feed = client.get(reverse("feeds:tag", args=["power"]))
    old = client.get(reverse("publications:tag-detail", args=["electricity"]))
    survivor = client.get(reverse("publications:tag-detail", args=["energy-security"]))

    assert page.status_code == 200
    assert "Coal" in page.text
    assert "Coal" in feed.text
    assert old.status_code == 301
    assert old["Location"] == reverse("publications:tag-detail", args=["power"])
    assert "Coal" not in survivor.text


def test_the_undo_page_says_what_comes_back_and_changes_nothing(
    admin_client, merged, django_assert_num_queries
):
    before = everything()

    # Session, user; the merge and its tags; their counts, the survivor's; the checks.
    with django_assert_num_queries(9):
        response = admin_client.get(undo_url(merged))

    page = response.content.decode()
    assert "brings back “energy” (address energy) on the 2 publications that had it" in page
    assert "brings back “power” (address power) on the 1 publication that had it" in page
    assert "takes “energy security” off the 1 publication that had it only through" in page
    assert everything() == before


def test_an_undo_is_refused_when_a_merged_tags_name_was_taken_since(admin_client, merged):
    Tag.objects.create(name="Power", slug="electric-power")
    before = everything()

    response = admin_client.post(undo_url(merged))

    assert messages_of(response) == [
        "Nothing was undone: “power” cannot come back: the tag “Power” has its name now. "
        "Rename that tag first, or leave this merge as it is."
    ]
    assert everything() == before
    assert TagMerge.objects.get().undone_at is None


def test_an_undo_is_refused_when_a_merged_tags_address_was_taken_since(admin_client, merged):
    Tag.objects.create(name="Energy!", slug="energy")

    page = admin_client.get(undo_url(merged))
    response = admin_client.post(undo_url(merged))

    assert (
        "This merge cannot be undone: “energy” cannot come back: the tag “Energy!” has its address now."
        in page.content.decode()
    )
    assert 'value="Confirm"' not in page.content.decode()
    assert "Nothing was undone" in messages_of(response)[0]
    assert not Tag.objects.filter(name="energy").exists()


def test_an_undo_is_refused_twice(admin_client, merged):
    admin_client.post(undo_url(merged))
    before = everything()

    response = admin_client.post(undo_url(merged))

    assert said(response) == "Nothing was undone: This merge was undone already."
    assert everything() == before


def test_a_merge_is_undone_only_after_a_later_merge_of_its_survivor(admin_client, merged):
    later, _ = merge([tag("energy security").pk, tag("trade").pk], tag("trade").pk)

    refused = admin_client.post(undo_url(merged))
    admin_client.post(undo_url(later))
    admin_client.post(undo_url(merged))

    assert messages_of(refused) == [
        "Nothing was undone: “energy security” was in a later merge "
        "(“energy security” into “trade”): undo that one first."
    ]
    assert everything() == {
        "energy security": ["Draft Plan", "Grid", "Pipelines"],
        "energy": ["Coal", "Grid"],
        "power": ["Coal"],
        "trade": ["Elsewhere"],
    }


def test_the_tag_list_and_the_survivors_page_offer_to_undo_recent_merges(admin_client, merged):
    listing = admin_client.get(CHANGELIST).content.decode()
    survivor = admin_client.get(
        reverse("admin:taggit_tag_change", args=[merged.survivor_id])
    ).content.decode()

    for page in [listing, survivor]:
        assert "“energy”, “power” into “energy security”" in page
        assert f'<a href="{undo_url(merged)}">Undo…</a>' in page


def test_the_tag_list_with_merges_costs_the_same_for_more_merges(
    admin_client, merged, django_assert_num_queries
):
    for number in range(5):
        one, other = Tag.objects.create(name=f"a{number}"), Tag.objects.create(name=f"b{number}")
        merge([one.pk, other.pk], one.pk)

    # Session, user, the list's counts and rows; the merges, their users and their tags.
    with django_assert_num_queries(7):
        response = admin_client.get(CHANGELIST)

    assert response.content.decode().count("Undo…") == 6


@pytest.mark.parametrize("role", ["Analysts", "Editors"])
def test_who_may_not_merge_may_not_undo_a_merge_nor_see_the_merges(merged, role):
    sync_roles()
    client = client_of(member_of(role))
    before = everything()

    assert client.get(undo_url(merged)).status_code == 403
    assert client.post(undo_url(merged)).status_code == 403
    assert "Undo…" not in client.get(CHANGELIST).content.decode()
    assert everything() == before


def test_a_curator_merges_choosing_the_survivor_and_undoes_it(energy):
    sync_roles()
    client = client_of(member_of("Curators"))
    before = everything()

    asked = ask_to_merge(client, energy)
    merged = confirm_merge(client, energy, energy[2])
    after = everything()
    undone = client.post(undo_url(TagMerge.objects.get()))

    assert asked.status_code == 200
    assert merged.status_code == 302
    assert after == {
        "power": ["Coal", "Draft Plan", "Grid", "Pipelines"],
        "trade": ["Elsewhere"],
    }
    assert undone.status_code == 302
    assert everything() == before
