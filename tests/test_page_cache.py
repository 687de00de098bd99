"""Anonymous readers get cached pages, and never a stale one after an editor's change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from publications.caching import content_version
from publications.models import Publication

from .factories import make_author, make_publication, make_region

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_served_without_touching_the_database(
    client, django_assert_num_queries
):
    publication = make_publication("Cached Brief")
    first = client.get(publication.get_absolute_url())

    with django_assert_num_queries(0):
        second = client.get(publication.get_absolute_url())

    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_publishing_a_draft_shows_it_on_the_list_at_once(client):
    draft = make_publication("Fresh Analysis", status="draft")
    assert "Fresh Analysis" not in client.get(reverse("publications:list")).text

    draft.status = Publication.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()

    assert "Fresh Analysis" in client.get(reverse("publications:list")).text


def test_unpublishing_takes_the_page_down_at_once(client):
    publication = make_publication("Withdrawn Brief")
    assert client.get(publication.get_absolute_url()).status_code == 200

    publication.status = Publication.Status.DRAFT
    publication.save()

    assert client.get(publication.get_absolute_url()).status_code == 404
    assert "Withdrawn Brief" not in client.get(reverse("publications:home")).text


def test_an_edit_shows_on_the_article_at_once(client):
    publication = make_publication("First Title")
    client.get(publication.get_absolute_url())

    publication.title = "Corrected Title"
    publication.save()

    assert "Corrected Title" in client.get(publication.get_absolute_url()).text


def test_a_scheduled_item_appears_when_its_time_arrives(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_publication("Already Out")
    make_publication("Embargoed Until Noon", published_at=timezone.now() + timedelta(hours=1))
    assert "Embargoed Until Noon" not in client.get(reverse("publications:list")).text

    time_machine.shift(timedelta(hours=1, seconds=1))

    assert "Embargoed Until Noon" in client.get(reverse("publications:list")).text


def test_renaming_an_author_updates_every_byline_at_once(client):
    author = make_author("Jun Seo")
    publication = make_publication(authors=[author])
    client.get(publication.get_absolute_url())

    author.name = "Jun-seo Park"
    author.save()

    assert "Jun-seo Park" in client.get(publication.get_absolute_url()).text


def test_renaming_a_tag_and_retagging_update_the_article_at_once(client):
    publication = make_publication(tags=["nukes"])
    client.get(publication.get_absolute_url())

    tag = Tag.objects.get(name="nukes")
    tag.name = "nuclear weapons"
    tag.save()
    assert "nuclear weapons" in client.get(publication.get_absolute_url()).text

    publication.tags.add("arms control")
    assert "arms control" in client.get(publication.get_absolute_url()).text


def test_merging_tags_in_the_admin_updates_the_tag_page_at_once(client, admin_client):
    make_publication("Tagged Twice", tags=["nuclear"])
    make_publication("Tagged Once", tags=["nukes"])
    nuclear = Tag.objects.get(name="nuclear")
    assert (
        "Tagged Once" not in client.get(reverse("publications:tag-detail", args=["nuclear"])).text
    )

    admin_client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": list(Tag.objects.values_list("pk", flat=True)),
        },
    )

    assert Tag.objects.get().pk == nuclear.pk
    page = client.get(reverse("publications:tag-detail", args=["nuclear"])).text
    assert "Tagged Once" in page and "Tagged Twice" in page


def test_adding_a_region_updates_the_region_page_at_once(client):
    japan = make_region("Japan", slug="japan")
    publication = make_publication("Tokyo Notes")
    assert "Tokyo Notes" not in client.get(japan.get_absolute_url()).text

    publication.regions.add(japan)

    assert "Tokyo Notes" in client.get(japan.get_absolute_url()).text


def test_logged_in_staff_always_get_a_fresh_page(admin_client, django_assert_max_num_queries):
    publication = make_publication("Staff View")
    admin_client.get(publication.get_absolute_url())
    Publication.objects.filter(pk=publication.pk).update(title="Changed Behind The Cache")

    response = admin_client.get(publication.get_absolute_url())

    assert "Changed Behind The Cache" in response.text
    assert not response.has_header("ETag")


def test_an_unchanged_page_answers_304_and_a_changed_one_200(client):
    publication = make_publication("Conditional Brief")
    etag = client.get(publication.get_absolute_url())["ETag"]

    assert (
        client.get(publication.get_absolute_url(), headers={"If-None-Match": etag}).status_code
        == 304
    )

    publication.lead = "A new introduction."
    publication.save()

    response = client.get(publication.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "A new introduction." in response.text


def test_readers_are_told_to_revalidate(client):
    response = client.get(make_publication().get_absolute_url())

    assert "max-age=0" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_not_found_pages_and_the_admin_are_never_cached(client, admin_client):
    assert client.get("/publications/nothing-here/").status_code == 404
    make_publication("Nothing Here")
    assert client.get("/publications/nothing-here/").status_code == 200
    assert not admin_client.get(reverse("admin:index")).has_header("ETag")


def test_with_the_cache_switched_off_every_visit_renders(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    publication = make_publication("Uncached")
    client.get(publication.get_absolute_url())
    Publication.objects.filter(pk=publication.pk).update(title="Updated Quietly")

    assert "Updated Quietly" in client.get(publication.get_absolute_url()).text


def test_a_retitled_related_publication_shows_on_the_article_at_once(client, settings):
    """The related section is cached on its own too (for renders the page cache misses)."""
    settings.PAGE_CACHE_ENABLED = False
    article = make_publication("Article", tags=["energy"])
    related = make_publication("Old Related Title", tags=["energy"])
    assert "Old Related Title" in client.get(article.get_absolute_url()).text

    related.title = "New Related Title"
    related.save()

    page = client.get(article.get_absolute_url()).text
    assert "New Related Title" in page and "Old Related Title" not in page


def test_the_token_is_renewed_again_when_an_edit_commits(django_capture_on_commit_callbacks):
    """A page rendered by another request before the commit saw the old rows; the
    second renewal retires whatever it cached."""
    publication = make_publication("Draft Title")

    with django_capture_on_commit_callbacks(execute=True):
        publication.title = "Committed Title"
        publication.save()
        during_the_transaction = content_version()

    assert content_version() != during_the_transaction
