"""The topics index, /tags/, and the favicon."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from publications.models import public_tags, topic_index

from .caches import empty_caches
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


def test_the_index_counts_as_public_tags_counts_now_and_as_scheduled_items_fall_due(
    client, time_machine
):
    """The index reads its counts in bulk (topic_index()); public_tags(), which
    every other page names tags by, counts each tag on its own: they agree, before and
    after each scheduled publication's date."""
    make_publication(tags=["security", "korea"])
    make_publication(tags=["korea"])
    make_publication("A draft", status="draft", tags=["korea", "secret-plan"])
    soon = timezone.now() + timedelta(days=1)
    make_publication("Scheduled", published_at=soon, tags=["korea", "later"])
    make_publication("Scheduled too", published_at=soon + timedelta(days=1), tags=["later"])

    seen = []
    for moment in (soon - timedelta(hours=1), soon + timedelta(hours=1), soon + timedelta(days=2)):
        time_machine.move_to(moment, tick=False)
        counted = {tag.name: tag.publication_count for tag in public_tags()}
        assert {name: count for name, _, count in topic_index()} == counted
        empty_caches()
        page = client.get(reverse("publications:tag-list")).content.decode()
        seen.append((counted, ">later</a>" in page))

    assert seen == [
        ({"korea": 2, "security": 1}, False),
        ({"korea": 3, "later": 1, "security": 1}, True),
        ({"korea": 3, "later": 2, "security": 1}, True),
    ]


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
