"""Curation in the admin: pins, the order of bylines, picks and featured items,
published-only picks, publications kept out of suggestions, and the tag widget."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from taggit.models import Tag

from publications.models import Publication
from publications.related import related_publications

from .factories import make_author, make_pick, make_publication, make_type
from .test_admin import change_url, errors_of, publication_form_data

pytestmark = pytest.mark.django_db

FEATURED_ORDER_URL = reverse("admin:publications_featured_order")
TAGS_URL = reverse("admin:publications_publication_tags")
AUTOCOMPLETE_URL = reverse("admin:autocomplete")


class _FormFields(HTMLParser):
    """What a browser would send for the change form: its fields' current values."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            if attrs.get("type") != "checkbox":
                self.data[name] = attrs.get("value") or ""
            elif "checked" in attrs:
                self.data[name] = attrs.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # As in a browser, a newline right after <textarea> is not part of the text.
            text = self.data[self._textarea] + data
            self.data[self._textarea] = text.removeprefix("\n")


def change_form_data(client, publication, **changes):
    """The change form as a browser would send it unchanged, with `changes` applied."""
    response = client.get(change_url(publication))
    assert response.status_code == 200
    html = response.content.decode()
    parser = _FormFields()
    parser.feed(html[html.index('id="publication_form"') :])
    parser.data.pop("_save", None)
    return {**parser.data, **changes}


def picked_titles(publication):
    return [pick.to_publication.title for pick in publication.picks.order_by("position", "pk")]


def reader_titles(publication):
    return [suggestion.publication.title for suggestion in related_publications(publication)]


# Pinning from the suggestions panel


def test_the_panel_offers_a_pin_button_for_each_suggestion(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    suggested = make_publication("Shares Trade", tags=["trade"])

    html = admin_client.get(change_url(subject)).content.decode()

    assert f'name="_pin" value="{suggested.pk}"' in html


def test_pinning_saves_the_form_and_adds_the_pick_at_the_end(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    first = make_publication("First Pick")
    make_pick(subject, first, position=3)
    suggested = make_publication("Shares Trade", tags=["trade"])

    data = change_form_data(admin_client, subject, title="Subject, Revised", _pin=suggested.pk)
    response = admin_client.post(change_url(subject), data, follow=True)

    assert response.redirect_chain[-1][0] == change_url(subject)
    subject.refresh_from_db()
    assert subject.title == "Subject, Revised"
    assert picked_titles(subject) == ["First Pick", "Shares Trade"]
    assert "Pinned “Shares Trade”: readers see it at position 2." in response.content.decode()
    assert reader_titles(subject)[:2] == ["First Pick", "Shares Trade"]


def test_the_first_pin_is_what_readers_see_first(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Newer, Shares Trade", tags=["trade"], days_ago=1)
    older = make_publication("Older, Shares Trade", tags=["trade"], days_ago=9)

    data = change_form_data(admin_client, subject, _pin=older.pk)
    response = admin_client.post(change_url(subject), data, follow=True)

    assert "Pinned “Older, Shares Trade”: readers see it first." in response.content.decode()
    assert reader_titles(subject)[0] == "Older, Shares Trade"


def test_pinning_twice_keeps_one_pick(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    suggested = make_publication("Shares Trade", tags=["trade"])

    for _ in range(2):
        data = change_form_data(admin_client, subject, _pin=suggested.pk)
        assert admin_client.post(change_url(subject), data).status_code == 302

    assert picked_titles(subject) == ["Shares Trade"]


def test_unpinning_removes_the_pick(admin_client):
    subject = make_publication("Subject")
    picked = make_publication("Picked")
    make_pick(subject, picked)

    html = admin_client.get(change_url(subject)).content.decode()
    assert f'name="_unpin" value="{picked.pk}"' in html
    data = change_form_data(admin_client, subject, _unpin=picked.pk)
    response = admin_client.post(change_url(subject), data, follow=True)

    assert "Unpinned “Picked”." in response.content.decode()
    assert picked_titles(subject) == []


def test_a_pin_is_not_applied_when_the_form_has_errors(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    suggested = make_publication("Shares Trade", tags=["trade"])

    data = change_form_data(admin_client, subject, title="", _pin=suggested.pk)
    response = admin_client.post(change_url(subject), data)

    assert response.status_code == 200
    assert "This field is required" in errors_of(response)
    assert picked_titles(subject) == []


def test_pinning_a_draft_is_refused_with_a_message(admin_client):
    subject = make_publication("Subject")
    draft = make_publication("A Draft", status="draft")

    data = change_form_data(admin_client, subject, _pin=draft.pk)
    response = admin_client.post(change_url(subject), data, follow=True)

    assert "no longer published, so it was not pinned" in response.content.decode()
    assert picked_titles(subject) == []


# Order: new rows go last


def test_new_byline_rows_left_at_zero_go_after_the_existing_ones(admin_client):
    first, second, third = make_author("First Author"), make_author("Second"), make_author("Third")
    publication_type = make_type()
    data = publication_form_data(publication_type=publication_type)
    data.update(
        {
            "authorships-TOTAL_FORMS": "3",
            **{f"authorships-{i}-author": str(a.pk) for i, a in enumerate([first, second, third])},
            **{f"authorships-{i}-position": "0" for i in range(3)},
        }
    )

    response = admin_client.post(reverse("admin:publications_publication_add"), data)

    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get()
    assert [author.name for author in publication.byline] == ["First Author", "Second", "Third"]
    assert [a.position for a in publication.authorships.all()] == [0, 1, 2]


def test_the_position_numbers_still_reorder_picks(admin_client):
    subject = make_publication("Subject")
    make_pick(subject, make_publication("Alpha"), position=0)
    make_pick(subject, make_publication("Beta"), position=1)

    data = change_form_data(admin_client, subject, **{"picks-0-position": "5"})
    assert admin_client.post(change_url(subject), data).status_code == 302

    assert picked_titles(subject) == ["Beta", "Alpha"]


# Picks: published only


def test_the_picks_autocomplete_offers_only_published_publications(admin_client):
    make_publication("Maritime Published")
    make_publication("Maritime Draft", status="draft")
    make_publication("Maritime In Review", status="review")
    make_publication("Maritime Scheduled", days_ago=-3)

    response = admin_client.get(
        AUTOCOMPLETE_URL,
        {
            "term": "maritime",
            "app_label": "publications",
            "model_name": "relatedpick",
            "field_name": "to_publication",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Maritime Published"]


def test_the_picks_field_says_only_published_publications_are_offered(admin_client):
    html = admin_client.get(change_url(make_publication())).content.decode()

    assert "Only published publications are offered" in html


def test_the_changelist_search_still_finds_drafts(admin_client):
    make_publication("Maritime Draft", status="draft")

    response = admin_client.get(
        reverse("admin:publications_publication_changelist"), {"q": "maritime"}
    )

    assert [p.title for p in response.context["cl"].result_list] == ["Maritime Draft"]


def test_an_unpublished_pick_is_hidden_from_readers_and_marked_in_the_admin(admin_client):
    subject = make_publication("Subject")
    picked = make_publication("Was Public")
    make_pick(subject, picked)

    picked.unpublish()
    picked.save()

    assert "Was Public" not in reader_titles(subject)
    html = admin_client.get(change_url(subject)).content.decode()
    assert "not public: draft" in html


# Kept out of automatic suggestions


def test_a_publication_kept_out_of_suggestions_is_not_suggested(client):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Correction", tags=["trade"], keep_out_of_suggestions=True, days_ago=1)
    make_publication("Announcement", keep_out_of_suggestions=True, days_ago=0)
    make_publication("Shares Trade", tags=["trade"], days_ago=5)
    make_publication("Older Filler", days_ago=20)

    assert reader_titles(subject) == ["Shares Trade", "Older Filler"]
    response = client.get(subject.get_absolute_url())
    assert "Correction" not in response.content.decode()


def test_a_pin_shows_a_publication_kept_out_of_suggestions(client):
    subject = make_publication("Subject", tags=["trade"])
    correction = make_publication("Correction", tags=["trade"], keep_out_of_suggestions=True)
    make_pick(subject, correction)

    assert reader_titles(subject) == ["Correction"]


def test_keeping_out_of_suggestions_retires_cached_related_lists(admin_client):
    subject = make_publication("Subject", tags=["trade"])
    other = make_publication("Announcement", tags=["trade"])
    assert reader_titles(subject) == ["Announcement"]

    data = change_form_data(admin_client, other, keep_out_of_suggestions="on")
    assert admin_client.post(change_url(other), data).status_code == 302

    assert reader_titles(subject) == []


# Featured order


def test_the_featured_order_page_saves_the_order_and_the_home_page_follows(admin_client, client):
    first = make_publication("Featured One", is_featured=True, featured_position=0)
    second = make_publication("Featured Two", is_featured=True, featured_position=1)
    make_publication("Not Featured")

    page = admin_client.get(FEATURED_ORDER_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Featured One" in html
    assert "Not Featured" not in html
    response = admin_client.post(
        FEATURED_ORDER_URL, {f"{first.pk}-position": "1", f"{second.pk}-position": "0"}, follow=True
    )

    assert "The featured order is saved." in response.content.decode()
    home = client.get(reverse("publications:home")).content.decode()
    assert home.index("Featured Two") < home.index("Featured One")


@pytest.mark.parametrize("typed", ["first", "-1", "²", "99999"])
def test_the_featured_order_page_refuses_a_position_that_is_not_a_number(admin_client, typed):
    featured = make_publication("Featured One", is_featured=True, featured_position=4)

    response = admin_client.post(FEATURED_ORDER_URL, {f"{featured.pk}-position": typed})

    assert response.status_code == 200
    assert "must be a whole number" in response.content.decode()
    featured.refresh_from_db()
    assert featured.featured_position == 4


def test_the_changelist_links_to_the_featured_order(admin_client):
    html = admin_client.get(reverse("admin:publications_publication_changelist")).content.decode()

    assert FEATURED_ORDER_URL in html


def test_the_featured_order_needs_the_change_permission(client):
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(viewer)

    assert client.get(FEATURED_ORDER_URL).status_code == 403
    assert client.post(FEATURED_ORDER_URL, {}).status_code == 403


# Tags


def test_the_tag_look_up_lists_existing_tags_with_their_counts(admin_client):
    make_publication(tags=["energy transition", "trade"])
    make_publication(tags=["energy transition"])
    make_publication(tags=["energy security"])

    response = admin_client.get(TAGS_URL, {"term": "energy"})

    assert response.json()["results"] == [
        {"id": "energy transition", "text": "energy transition", "count": 2},
        {"id": "energy security", "text": "energy security", "count": 1},
    ]


def test_the_change_form_has_the_tag_widget(admin_client):
    publication = make_publication(tags=["Côte d'Ivoire", "한반도"])

    html = admin_client.get(change_url(publication)).content.decode()

    assert 'class="tag-autocomplete"' in html
    assert "js/tag_autocomplete.js" in html
    assert TAGS_URL in html


@pytest.mark.parametrize(
    "typed", ["Energy transition ", "ENERGY   TRANSITION", "energy transition"]
)
def test_a_near_duplicate_tag_becomes_the_existing_one(admin_client, typed):
    make_publication(tags=["energy transition"])
    subject = make_publication("Subject")

    data = change_form_data(admin_client, subject, tags=typed)
    assert admin_client.post(change_url(subject), data).status_code == 302

    assert [tag.name for tag in subject.tags.all()] == ["energy transition"]
    assert Tag.objects.count() == 1


def test_a_new_tag_is_created_and_unicode_names_round_trip(admin_client):
    subject = make_publication("Subject")

    typed = '"Sanctions, export controls", Côte d\'Ivoire, 한반도, Brand-new topic'
    data = change_form_data(admin_client, subject, tags=typed)
    assert admin_client.post(change_url(subject), data).status_code == 302
    # Saving the form again unchanged keeps every name as it was.
    data = change_form_data(admin_client, subject)
    assert admin_client.post(change_url(subject), data).status_code == 302

    assert sorted(tag.name for tag in subject.tags.all()) == sorted(
        ["Sanctions, export controls", "Côte d'Ivoire", "한반도", "Brand-new topic"]
    )


# Permissions and queries


def test_a_user_without_the_pick_permission_cannot_pin(client):
    subject = make_publication("Subject", tags=["trade"])
    suggested = make_publication("Shares Trade", tags=["trade"])
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_publication", "change_publication"])
    )
    client.force_login(editor)

    data = change_form_data(client, subject, _pin=suggested.pk)
    response = client.post(change_url(subject), data, follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "You may not change the hand-picked related publications."
    ]
    assert picked_titles(subject) == []


def test_a_draft_typed_into_the_picks_is_refused_with_a_message(admin_client):
    subject = make_publication("Subject")
    draft = make_publication("A Draft", status="draft")

    # A row added with "Add another" (the form shows none blank).
    data = change_form_data(
        admin_client,
        subject,
        **{
            "picks-TOTAL_FORMS": "1",
            "picks-0-to_publication": str(draft.pk),
            "picks-0-position": "0",
        },
    )
    response = admin_client.post(change_url(subject), data)

    assert response.status_code == 200
    assert "“A Draft” is not published, so readers would not see it." in errors_of(response)
    assert picked_titles(subject) == []


def test_an_unpublished_pick_can_stay_when_the_form_is_saved(admin_client):
    subject = make_publication("Subject")
    picked = make_publication("Was Public")
    make_pick(subject, picked)
    picked.unpublish()
    picked.save()

    data = change_form_data(admin_client, subject, title="Subject, Revised")
    response = admin_client.post(change_url(subject), data)

    assert response.status_code == 302, errors_of(response)
    assert picked_titles(subject) == ["Was Public"]
