"""The workflow's buttons on the publication form (issue 19): which each role is offered
for each state, what each does and says, the badge beside the title, and the crafted
posts the server still refuses with a sentence."""

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from publications.models import Publication
from publications.policy import sync_roles

from .factories import make_author, make_publication, make_type
from .test_admin import ADD_URL, CHANGELIST_URL, change_url, errors_of, publication_form_data
from .test_roles import REFUSAL, client_of, draft, form_data, member_of

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# 3 December 2027, 09:00 in Stockholm: a time to come, in the site's zone.
LATER = datetime(2027, 12, 3, 9, 0, tzinfo=STOCKHOLM)
ONLY_WRITERS = "Only writers (analysts and editors) may change the text"


@pytest.fixture(autouse=True)
def roles():
    sync_roles()


@pytest.fixture(autouse=True)
def _stockholm(settings):
    settings.TIME_ZONE = "Europe/Stockholm"


@pytest.fixture
def users():
    return {role: member_of(f"{role.title()}s") for role in ("analyst", "editor", "curator")}


def make_item(state, title="The Brief"):
    """A publication in `state` (Publication.State's values), with an author and a tag:
    nothing for the check before publishing to say (test_before_publishing.py)."""
    complete = {"authors": [make_author()], "tags": ["Energy"]}
    if state == "draft":
        return draft(title, **complete)
    if state == "review":
        return make_publication(title, status="review", published_at=None, **complete)
    if state == "scheduled":
        return make_publication(title, published_at=LATER, **complete)
    return make_publication(title, **complete)


class _WorkflowRows(HTMLParser):
    """The labels of each group of workflow buttons' own buttons (not the one inside
    "Schedule…"), from the page's HTML."""

    def __init__(self):
        super().__init__()
        self.rows, self.depth, self.label = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "workflow-buttons":
            self.rows.append([])
            self.depth = 1
        elif self.depth and tag == "div":
            self.depth += 1
        elif self.depth and attrs.get("class") == "button":
            self.label = ""

    def handle_data(self, data):
        if self.label is not None:
            self.label += data

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1
        elif self.label is not None and tag in ("a", "button", "summary"):
            self.rows[-1].append(self.label.strip())
            self.label = None


def button_rows(response):
    """The labels of each row of workflow buttons (at the top, in the footer), as shown."""
    parser = _WorkflowRows()
    parser.feed(response.content.decode())
    return parser.rows


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def press(client, publication, button, **changes):
    """Post the change form of `publication` as it is, with `changes`, by `button`."""
    return client.post(change_url(publication), form_data(publication, _workflow=button, **changes))


def schedule(user, publication, date="2027-12-03", time="09:00", **changes):
    """Press "Schedule" for `date` and `time` (LATER unless told)."""
    return press(
        client_of(user), publication, "schedule", schedule_date=date, schedule_time=time, **changes
    )


def stored(publication):
    return Publication.objects.get(pk=publication.pk)


# What each role is offered


ALL_FOR_A_DRAFT = ["Save draft", "Submit for review", "Publish now", "Schedule…"]
OFFERED = {
    "analyst": {
        "draft": ["Save draft", "Submit for review"],
        "review": ["Save draft"],
        "scheduled": [],  # read-only for analysts
        "public": [],
    },
    "editor": {
        "draft": ALL_FOR_A_DRAFT,
        "review": ["Save draft", "Publish now", "Schedule…"],
        "scheduled": ["Publish now", "Schedule…", "Unpublish"],
        "public": ["Unpublish"],
    },
    "curator": {state: [] for state in ["draft", "review", "scheduled", "public"]},
}


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "public"])
@pytest.mark.parametrize("role", ["analyst", "editor", "curator"])
def test_each_role_is_offered_the_buttons_it_may_use_at_the_top_and_in_the_footer(
    users, role, state
):
    response = client_of(users[role]).get(change_url(make_item(state)))

    expected = OFFERED[role][state]
    assert button_rows(response) == ([expected, expected] if expected else [])
    assertNotContains(response, 'name="status"')


@pytest.mark.parametrize(
    ("role", "expected"),
    [("analyst", ["Save draft", "Submit for review"]), ("editor", ALL_FOR_A_DRAFT)],
)
def test_the_add_form_offers_the_buttons_for_a_new_draft(users, role, expected):
    response = client_of(users[role]).get(ADD_URL)

    assert button_rows(response) == [expected, expected]


def test_the_first_button_of_the_form_is_still_the_save_that_keeps_the_state(users):
    """Enter in a text box presses the form's first button: never a workflow one."""
    html = client_of(users["editor"]).get(change_url(draft())).content.decode()

    form = html[html.index('id="publication_form"') :]
    first = re.search(r"<(?:input|button)[^>]*type=\"submit\"[^>]*>", form).group()
    assert 'name="_save"' in first


def test_schedule_asks_for_a_date_and_time_in_the_sites_time_zone(users):
    response = client_of(users["editor"]).get(change_url(draft()))

    assertContains(
        response, '<span id="schedule-time-zone" class="time-zone">Europe/Stockholm</span>'
    )
    assertContains(response, 'aria-describedby="schedule-time-zone"', count=2)
    assertContains(response, '<label for="id_schedule_date">Date:</label>')
    assertContains(response, '<label for="id_schedule_time">Time:</label>')
    # The top's "Schedule…" leads to the footer's date.
    assertContains(response, '<a class="button" href="#id_schedule_date">Schedule…</a>')
    assertContains(response, 'name="_workflow" value="schedule">Schedule</button>', count=1)


# What each button does and says


def test_an_analyst_submits_a_draft_for_review_and_stays_on_its_form(users):
    publication = draft()

    response = press(client_of(users["analyst"]), publication, "send_for_review")

    assert response.status_code == 302
    assert response.url == change_url(publication)
    assert messages_of(response) == ["Submitted for review."]
    assert stored(publication).status == "review"


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_save_draft_takes_an_item_back_from_review(users, role):
    publication = make_item("review")

    response = press(client_of(users[role]), publication, "save_draft", title="Better Title")

    assert messages_of(response) == ["Draft saved."]
    assert (stored(publication).status, stored(publication).title) == ("draft", "Better Title")


def test_an_editor_publishes_now_and_is_offered_the_live_page(users, client):
    publication = make_item("review", "Ready To Go")

    response = press(client_of(users["editor"]), publication, "publish")

    assert response.status_code == 302
    assert response.url == change_url(publication)
    live = stored(publication).get_absolute_url()
    assert messages_of(response) == [f'Published. <a href="{live}">View live</a>']
    assert stored(publication).is_public
    assert client.get(live).status_code == 200


def test_an_editor_schedules_and_the_message_names_the_time_and_zone(users):
    publication = make_item("review")

    response = schedule(users["editor"], publication)

    # Kept on the item's own form: a list of public items would not show it.
    assert response.status_code == 302
    assert response.url == change_url(publication)
    assert messages_of(response) == ["Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"]
    assert stored(publication).is_scheduled
    assert stored(publication).published_at == LATER


def test_an_editor_moves_a_scheduled_item_to_another_time(users):
    publication = make_item("scheduled")

    schedule(users["editor"], publication, "2028-01-10", "14:30")

    assert stored(publication).published_at == datetime(2028, 1, 10, 14, 30, tzinfo=STOCKHOLM)


@pytest.mark.parametrize("state", ["scheduled", "public"])
def test_an_editor_unpublishes_back_to_draft(users, state):
    publication = make_item(state)

    response = press(client_of(users["editor"]), publication, "unpublish")

    assert messages_of(response) == ["Unpublished: back to draft."]
    assert stored(publication).status == "draft"


def test_an_editor_publishes_a_scheduled_item_now(users):
    publication = make_item("scheduled")

    press(client_of(users["editor"]), publication, "publish")

    assert stored(publication).is_public
    assert stored(publication).published_at <= timezone.now()


def test_an_analyst_adds_a_publication_straight_into_review(users):
    data = publication_form_data(publication_type=make_type(), _workflow="send_for_review")

    response = client_of(users["analyst"]).post(ADD_URL, data)

    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(publication)
    assert messages_of(response) == ["Submitted for review."]
    assert (publication.status, publication.created_by) == ("review", users["analyst"])


def test_an_editor_adds_and_schedules_a_publication(users):
    data = publication_form_data(
        publication_type=make_type(),
        authors=[make_author()],
        tags="Energy",
        _workflow="schedule",
        schedule_date="2027-12-03",
        schedule_time="09:00",
    )

    response = client_of(users["editor"]).post(ADD_URL, data)

    assert messages_of(response) == ["Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"]
    assert Publication.objects.get().published_at == LATER


def test_the_history_says_a_button_changed_the_status(users):
    publication = make_item("review")
    schedule(users["editor"], publication, title="Retitled")

    response = client_of(users["editor"]).get(change_url(publication).replace("change", "history"))

    comment = response.context["action_list"][0]["revision"].get_comment()
    assert comment == "Changed status. Changed Title."


def test_the_plain_save_keeps_a_scheduled_item_scheduled(users):
    publication = make_item("scheduled")

    response = client_of(users["editor"]).post(
        change_url(publication), form_data(publication, title="Retitled", _save="Save")
    )

    assert response.url == CHANGELIST_URL
    assert messages_of(response)[0].endswith("was changed successfully.")
    assert stored(publication).is_scheduled
    assert stored(publication).title == "Retitled"


def test_a_posted_status_changes_nothing_now_that_buttons_do(users):
    publication = draft()

    response = client_of(users["editor"]).post(
        change_url(publication), form_data(publication, status="published", _save="Save")
    )

    assert response.status_code == 302
    assert stored(publication).status == "draft"


# The badge beside the title


@pytest.mark.parametrize(
    ("state", "badge"),
    [
        ("draft", "Draft"),
        ("review", "In review"),
        ("scheduled", "Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"),
        ("public", "Published"),
    ],
)
def test_the_title_carries_a_status_badge_that_screen_readers_read(users, state, badge):
    publication = make_item(state)

    response = client_of(users["curator"]).get(change_url(publication))

    assertContains(
        response,
        f'<h2>The Brief</h2> <p class="status-badge status-badge-{publication.state}">'
        f'<span class="visually-hidden">Status: </span>{badge}</p>',
        html=True,
    )


def test_the_add_form_has_no_badge(users):
    assertNotContains(client_of(users["editor"]).get(ADD_URL), "status-badge")


# Crafted posts: refused with a sentence, nothing saved, nothing typed lost

REFUSED = [
    ("analyst", "draft", "publish", REFUSAL),
    ("analyst", "draft", "schedule", REFUSAL),
    ("analyst", "review", "unpublish", REFUSAL),
    ("curator", "draft", "send_for_review", ONLY_WRITERS),
    ("curator", "review", "save_draft", ONLY_WRITERS),
    ("curator", "draft", "publish", REFUSAL),
    ("curator", "public", "unpublish", REFUSAL),
    ("editor", "draft", "unpublish", "This publication is a draft, so it cannot be unpublished."),
    (
        "editor",
        "public",
        "publish",
        "This publication is published, so it cannot be published now.",
    ),
    (
        "editor",
        "public",
        "save_draft",
        "This publication is published, so it cannot be saved as a draft (unpublish it instead).",
    ),
    (
        "editor",
        "review",
        "send_for_review",
        "This publication is in review, so it cannot be submitted for review.",
    ),
    ("editor", "draft", "delete", "There is no button “delete” on this form."),
]


@pytest.mark.parametrize(("role", "state", "button", "sentence"), REFUSED)
def test_a_button_its_user_may_not_press_is_refused_with_a_sentence(
    users, role, state, button, sentence
):
    publication = make_item(state)
    before = (stored(publication).status, stored(publication).published_at)

    response = press(
        client_of(users[role]),
        publication,
        button,
        title="Typed Meanwhile",
        schedule_date="2027-12-03",
        schedule_time="09:00",
    )

    assert response.status_code == 200
    assert sentence in errors_of(response)
    assertContains(response, sentence)
    after = stored(publication)
    assert (after.status, after.published_at, after.title) == (*before, "The Brief")
    if role != "curator":  # who may write sees what they typed
        assertContains(response, 'value="Typed Meanwhile"')


@pytest.mark.parametrize(
    ("date", "time", "sentence"),
    [
        ("", "", "Choose the date and time to publish it."),
        ("2026-01-05", "09:00", "A scheduled publish date must be in the future."),
        ("2027-02-30", "09:00", "Enter a valid date."),
        # Clocks jump from 02:00 to 03:00 in Stockholm that night.
        ("2027-03-28", "02:30", "couldn’t be interpreted in time zone Europe/Stockholm"),
    ],
    ids=["no time", "past", "no such date", "no such hour"],
)
def test_a_time_that_cannot_be_scheduled_is_refused_beside_the_date(users, date, time, sentence):
    publication = make_item("review")

    response = schedule(users["editor"], publication, date, time, title="Typed Meanwhile")

    assert response.status_code == 200
    assert sentence in str(response.context["adminform"].form.errors["schedule_date"])
    assertContains(response, '<details class="workflow-schedule" open>')
    assertContains(response, 'value="Typed Meanwhile"')
    assert stored(publication).status == "review"


def test_a_date_to_schedule_for_with_save_pressed_is_not_dropped(users):
    """Enter in the date box presses Save, the form's first button."""
    publication = make_item("review")

    response = client_of(users["editor"]).post(
        change_url(publication),
        form_data(publication, schedule_date="2027-12-03", schedule_time="09:00", _save="Save"),
    )

    assert response.status_code == 200
    assert "To publish at this time, press “Schedule”; or clear it." in errors_of(response)
    assert stored(publication).status == "review"


def test_a_button_pressed_on_a_form_opened_before_anothers_save_is_refused(users):
    publication = make_item("review")
    opened = form_data(publication, _workflow="publish")
    Publication.objects.get(pk=publication.pk).save()  # someone else's save meanwhile

    response = client_of(users["editor"]).post(change_url(publication), opened)

    assert response.status_code == 200
    assert "after you opened it. Your changes are NOT saved" in errors_of(response)
    assert not stored(publication).is_public


# Query counts


@pytest.mark.parametrize(
    ("role", "state"),
    [
        ("analyst", "draft"),
        ("analyst", "scheduled"),
        ("editor", "draft"),
        ("editor", "scheduled"),
        ("curator", "draft"),
        ("curator", "public"),
    ],
)
def test_the_change_form_with_its_buttons_and_badge_takes_a_fixed_number_of_queries(
    users, django_assert_max_num_queries, role, state
):
    """Session, user, savepoints, the publication and its byline, tags, regions, picks and
    type, the user's permissions, the suggestions, and the content type (once a process):
    the buttons and the badge add none."""
    publication = make_item(state)
    client = client_of(users[role])

    with django_assert_max_num_queries(16):
        response = client.get(change_url(publication))

    assert response.status_code == 200
