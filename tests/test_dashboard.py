"""The admin's home is a dashboard: each role's panels of publications, their rows and
links, and what they cost."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from publications.admin.dashboard import PANEL_ROWS, publication_panels
from publications.policy import sync_roles

from .factories import make_author, make_publication

pytestmark = pytest.mark.django_db

DASHBOARD_URL = reverse("admin:index")
CHANGELIST_URL = reverse("admin:publications_publication_changelist")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def roles():
    # A transactional test elsewhere may have emptied the tables the migration filled.
    sync_roles()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def member_of(group, username):
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def analyst():
    return member_of("Analysts", "analyst")


@pytest.fixture
def editor():
    return member_of("Editors", "editor")


@pytest.fixture
def curator():
    return member_of("Curators", "curator")


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def draft(title, **fields):
    return make_publication(title, status="draft", published_at=None, **fields)


def in_review(title, **fields):
    return make_publication(title, status="review", published_at=None, **fields)


def scheduled(title, at, **fields):
    return make_publication(title, published_at=at, **fields)


class _Panels(HTMLParser):
    """The dashboard's panels as a reader meets them: {heading: panel}, in page order;
    each panel's `rows` (each row's words), `titles`, `links` (title: address),
    `see_all` (the address of its link to the publication list) and `text`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.panels = {}
        self._panel = None
        self._heading = None
        self._row = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "dashboard-panel" in attrs.get("class", "").split():
            self._panel = {"rows": [], "titles": [], "links": {}, "see_all": None, "text": ""}
        elif self._panel is None:
            return
        elif tag == "h2":
            self._heading = ""
        elif tag == "li":
            self._row = ""
        elif tag == "a" and self._row is not None and not self._row.strip():
            # A row begins with its title's link.
            self._link = attrs["href"]
        elif tag == "a":
            self._panel["see_all"] = attrs["href"]

    def handle_endtag(self, tag):
        if self._panel is None:
            return
        if tag == "h2":
            self._panel["heading"] = " ".join(self._heading.split())
            self._heading = None
        elif tag == "a" and self._link:
            title = " ".join(self._row.split())
            self._panel["titles"].append(title)
            self._panel["links"][title] = self._link
            self._link = None
        elif tag == "li":
            self._panel["rows"].append(" ".join(self._row.split()))
            self._row = None
        elif tag == "section":
            self._panel["text"] = " ".join(self._panel["text"].split())
            self.panels[self._panel.pop("heading")] = self._panel
            self._panel = None

    def handle_data(self, data):
        if self._panel is None:
            return
        self._panel["text"] += data
        if self._heading is not None:
            self._heading += data
        if self._row is not None:
            self._row += data


def panels_of(response):
    assert response.status_code == 200
    parser = _Panels()
    parser.feed(response.content.decode())
    return parser.panels


def dashboard_of(user):
    return panels_of(client_of(user).get(DASHBOARD_URL))


def listed_by(client, address):
    """The titles the publication list shows at `address` (a panel's "see all")."""
    response = client.get(address)
    assert response.status_code == 200
    return sorted(publication.title for publication in response.context["cl"].result_list)


# Who sees which panels


def test_an_analyst_sees_their_drafts_scheduled_and_published_but_no_review_panel(analyst):
    assert list(dashboard_of(analyst)) == ["My drafts", "Scheduled", "Recently published"]


def test_an_editor_also_sees_what_awaits_review(editor):
    assert list(dashboard_of(editor)) == [
        "My drafts",
        "Awaiting review",
        "Scheduled",
        "Recently published",
    ]


def test_a_curator_who_does_not_write_has_no_drafts_panel(curator):
    assert list(dashboard_of(curator)) == ["Scheduled", "Recently published"]


def test_staff_who_may_not_see_publications_get_no_panels():
    stranger = get_user_model().objects.create_user("stranger", is_staff=True)
    make_publication("Published Brief")

    response = client_of(stranger).get(DASHBOARD_URL)

    assert panels_of(response) == {}
    assert "Published Brief" not in response.content.decode()
    assert "You don’t have permission to view or edit anything." in response.content.decode()


# My drafts


def test_my_drafts_lists_what_i_created_or_sign_not_the_drafts_of_others(analyst, editor):
    mine = draft("My Own Draft", created_by=analyst)
    draft("A Colleague's Draft", created_by=editor)
    signed = in_review("Signed Brief", created_by=editor, authors=[make_author(user=analyst)])
    make_publication("My Published Brief", created_by=analyst)
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        mine.save()

    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        panel = dashboard_of(analyst)["My drafts"]

    # Last edited first; a published one is no longer a draft.
    assert panel["titles"] == ["My Own Draft", "Signed Brief"]
    assert panel["rows"][0] == "My Own Draft No author yet Draft Edited 2 hours ago"
    assert panel["rows"][1] == (
        f"Signed Brief {signed.byline[0].name} In review Edited 5 hours ago"
    )
    assert panel["links"]["My Own Draft"] == reverse(
        "admin:publications_publication_change", args=[mine.pk]
    )


def test_my_drafts_leads_to_the_list_of_all_my_drafts_and_items_in_review(analyst, editor):
    for number in range(PANEL_ROWS + 1):
        draft(f"Draft {number}", created_by=analyst)
    in_review("Mine in Review", created_by=analyst)
    draft("A Colleague's Draft", created_by=editor)
    make_publication("My Published Brief", created_by=analyst)

    client = client_of(analyst)
    panel = panels_of(client.get(DASHBOARD_URL))["My drafts"]

    assert len(panel["titles"]) == PANEL_ROWS
    # The list's own filters: "My publications" and the statuses Draft and In review.
    assert parse_qs(urlsplit(panel["see_all"]).query) == {
        "mine": ["yes"],
        "status__exact": ["draft", "review"],
    }
    assert listed_by(client, panel["see_all"]) == sorted(
        [f"Draft {number}" for number in range(PANEL_ROWS + 1)] + ["Mine in Review"]
    )


# Awaiting review


def test_awaiting_review_lists_everyones_items_in_review_and_leads_to_them_all(analyst, editor):
    in_review("Sent by the Analyst", created_by=analyst)
    in_review("Sent by the Editor", created_by=editor)
    draft("Still a Draft", created_by=analyst)

    client = client_of(editor)
    panel = panels_of(client.get(DASHBOARD_URL))["Awaiting review"]

    assert sorted(panel["titles"]) == ["Sent by the Analyst", "Sent by the Editor"]
    assert listed_by(client, panel["see_all"]) == ["Sent by the Analyst", "Sent by the Editor"]


# Scheduled


def test_scheduled_shows_when_each_goes_public_in_the_sites_time_zone_soonest_first(
    curator, settings
):
    settings.TIME_ZONE = "Europe/Stockholm"
    scheduled("Later", NOW + timedelta(days=30))
    scheduled("Next", datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    make_publication("Already Public")

    panel = dashboard_of(curator)["Scheduled"]

    assert panel["titles"] == ["Next", "Later"]
    assert "Scheduled for 3 Dec 2026, 09:00 Europe/Stockholm" in panel["rows"][0]
    assert "Scheduled for 31 Dec 2026, 13:00 Europe/Stockholm" in panel["rows"][1]


def test_scheduled_leads_to_the_list_filtered_to_scheduled_ones(editor):
    scheduled("Next Week", NOW + timedelta(days=7))
    make_publication("Already Public")
    draft("A Draft")

    client = client_of(editor)
    panel = panels_of(client.get(DASHBOARD_URL))["Scheduled"]

    assert parse_qs(urlsplit(panel["see_all"]).query) == {"state": ["scheduled"]}
    assert listed_by(client, panel["see_all"]) == ["Next Week"]


# Recently published


def test_recently_published_lists_the_newest_public_ones_first(curator):
    for days_ago in range(1, PANEL_ROWS + 2):
        make_publication(f"{days_ago} Days Old", days_ago=days_ago)
    scheduled("Scheduled", NOW + timedelta(days=1))
    in_review("In Review")

    panel = dashboard_of(curator)["Recently published"]

    assert panel["titles"] == [f"{days_ago} Days Old" for days_ago in range(1, PANEL_ROWS + 1)]
    assert panel["rows"][0] == "1 Days Old No author yet Published 30 Nov 2026 Edited 0 minutes ago"


def test_recently_published_leads_to_every_public_one(curator):
    for days_ago in range(1, PANEL_ROWS + 2):
        make_publication(f"{days_ago} Days Old", days_ago=days_ago)
    scheduled("Scheduled", NOW + timedelta(days=1))

    client = client_of(curator)
    panel = panels_of(client.get(DASHBOARD_URL))["Recently published"]

    assert parse_qs(urlsplit(panel["see_all"]).query) == {"state": ["public"]}
    assert listed_by(client, panel["see_all"]) == sorted(
        f"{days_ago} Days Old" for days_ago in range(1, PANEL_ROWS + 2)
    )


# Empty panels, and the rest of the admin


def test_empty_panels_say_so(editor):
    panels = dashboard_of(editor)

    assert {heading: panel["text"] for heading, panel in panels.items()} == {
        "My drafts": "My drafts You have no drafts or publications in review.",
        "Awaiting review": "Awaiting review Nothing is waiting for review.",
        "Scheduled": "Scheduled Nothing is scheduled.",
        "Recently published": "Recently published Nothing has been published yet.",
    }


def test_every_section_of_the_admin_is_still_listed_below_the_panels(admin_client):
    html = admin_client.get(DASHBOARD_URL).content.decode()

    assert html.index('id="recently-published-title"') < html.index("All sections")
    for url_name in (
        "admin:publications_publication_add",
        "admin:publications_publication_changelist",
        "admin:publications_region_changelist",
        "admin:publications_publicationtype_changelist",
        "admin:authors_author_changelist",
        "admin:taggit_tag_changelist",
    ):
        assert f'href="{reverse(url_name)}"' in html


# What it costs


def test_each_panel_reads_its_rows_and_their_bylines_in_two_queries(
    editor, django_assert_num_queries
):
    fill_every_panel(editor, count=PANEL_ROWS + 2)
    request = RequestFactory().get(DASHBOARD_URL)
    request.user = get_user_model().objects.get(pk=editor.pk)
    # The user's permissions are read once, before the panels.
    assert request.user.has_perm("publications.view_publication")

    with django_assert_num_queries(2 * 4):
        panels = publication_panels(request)

    assert [len(panel.publications) for panel in panels] == [PANEL_ROWS] * 4


def fill_every_panel(user, *, count):
    author = make_author(user=user)
    others = [make_author() for _ in range(2)]
    for number in range(count):
        byline = [author, *others]
        draft(f"Draft {number}", created_by=user, authors=byline)
        in_review(f"In Review {number}", authors=byline)
        scheduled(f"Scheduled {number}", NOW + timedelta(days=number + 1), authors=byline)
        make_publication(f"Published {number}", days_ago=number + 1, authors=byline)


@pytest.mark.parametrize("count", [1, 3 * PANEL_ROWS])
def test_the_dashboard_reads_the_same_queries_however_many_publications_there_are(
    editor, django_assert_num_queries, count
):
    fill_every_panel(editor, count=count)
    client = client_of(editor)

    # The session and the user; their permissions, their own and their groups'; the
    # four panels, two each; the recent actions.
    with django_assert_num_queries(2 + 2 + 2 * 4 + 1):
        response = client.get(DASHBOARD_URL)

    assert len(panels_of(response)["Awaiting review"]["titles"]) == min(count, PANEL_ROWS)


def test_the_status_filter_counts_what_each_choice_would_list(editor):
    scheduled("Next Week", NOW + timedelta(days=7))
    make_publication("Already Public")
    make_publication("Also Public")
    draft("A Draft")

    html = client_of(editor).get(CHANGELIST_URL, {"_facets": "True"}).content.decode()

    assert "Published (2)" in html
    assert "Scheduled (1)" in html
    assert "Draft (1)" in html
