"""The topics index, /tags/, and the favicon."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from .factories import make_publication

pytestmark = pytest.mark.django_db


def test_topics_index_lists_public_tags_by_name_with_their_public_counts(client):
    make_publication(tags=["security", "korea"])
    make_publication(tags=["korea"])
    make_publication(tags=["zoning"])
    make_publication("A draft", status="draft", tags=["korea", "secret-plan"])
    make_publication(
        "Scheduled", published_at=timezone.now() + timedelta(days=1), tags=["korea", "later"]
    )

    response = client.get(reverse("publications:tag-list"))

    html = response.content.decode()
    assert html.index(">korea</a>") < html.index(">security</a>") < html.index(">zoning</a>")
    assertContains(
        response,
        '<a href="/tags/korea/">korea</a> <span class="topic-index__count">2 publications</span>',
        html=False,
    )
    assertContains(response, '>security</a> <span class="topic-index__count">1 publication</span>')
    assertNotContains(response, "secret-plan")
    assertNotContains(response, "later")


def test_topics_index_escapes_tag_names(client):
    make_publication(tags=['R&D "<policy>"'])

    response = client.get(reverse("publications:tag-list"))

    assertContains(response, ">R&amp;D &quot;&lt;policy&gt;&quot;</a>")
    assertNotContains(response, "<policy>")


def test_topics_index_says_so_when_there_are_none(client):
    make_publication("A draft", status="draft", tags=["secret-plan"])

    response = client.get(reverse("publications:tag-list"))

    assertContains(response, "No topics yet.")
    assertNotContains(response, "secret-plan")


def test_every_page_links_to_the_topics_index_and_the_favicon(client):
    response = client.get(reverse("publications:home"))

    assertContains(response, '<a href="/tags/">Topics</a>', count=2)  # navigation and footer
    assertContains(
        response, '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'
    )


def test_favicon_ico_sends_browsers_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
