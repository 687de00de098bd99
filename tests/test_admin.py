"""The admin is the CMS: forms, inlines, validation, suggestions and changelists."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from publications.admin.publication import PublicationAdmin
from publications.models import Publication, RelatedPick

from .admin_forms import confirm_merge, form_data
from .factories import (
    make_author,
    make_pick,
    make_publication,
    make_region,
    make_type,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publications_publication_add")
CHANGELIST_URL = reverse("admin:publications_publication_changelist")
# The changelist's ?o= number of the "last edited" column.
LAST_EDITED_COLUMN = 1 + PublicationAdmin.list_display.index("last_edited")

NASTY_BODY = (
    '<script>alert(1)</script><p onclick="x">hi</p><a href="javascript:alert(1)">x</a>'
    '<p style="color:red">s</p><iframe src="https://evil.example"></iframe>'
)


def change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def inline_data(prefix, rows, *, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def publication_form_data(*, publication_type, authors=(), picks=(), **fields):
    """What the add form posts: the publication's fields and both inlines' rows."""
    data = {
        "title": "Deterrence After the Summit",
        "slug": "deterrence-after-the-summit",
        "publication_type": str(publication_type.pk),
        "lead": "What the summit changed for extended deterrence.",
        "body": "<p>Body.</p>",
        "tags": "",
        "published_at_0": "",
        "published_at_1": "",
        "featured_position": "0",
        "cover_image_alt": "",
        "seo_description": "",
        # The edit number the form was opened at; a new publication's is 0.
        "edit_version": "0",
    }
    data.update(fields)
    data.update(
        inline_data(
            "authorships",
            [{"author": str(author.pk), "position": str(i)} for i, author in enumerate(authors)],
        )
    )
    data.update(
        inline_data(
            "picks",
            [{"to_publication": str(pick.pk), "position": str(i)} for i, pick in enumerate(picks)],
        )
    )
    return data


def png_upload(name="cover.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def errors_of(response):
    """Every error the admin form shows, main form and inlines, as one string."""
    messages = [str(response.context["adminform"].form.errors)]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(inline.formset.errors), str(inline.formset.non_form_errors())]
    return " ".join(messages)


# Pages and the editor


def test_the_add_page_loads_with_the_prose_editor(admin_client):
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "django_prose_editor/editor.js" in html
    assert 'name="authorships-TOTAL_FORMS"' in html
    assert 'name="picks-TOTAL_FORMS"' in html
    assert "Suggestions appear here after the first save." in html


def test_the_change_page_loads_with_the_prose_editor(admin_client):
    publication = make_publication("Alliance Burden Sharing")

    response = admin_client.get(change_url(publication))

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-django-prose-editor-configurable" in html
    assert "Alliance Burden Sharing" in html


def test_the_change_page_links_to_the_public_page(admin_client):
    publication = make_publication()

    response = admin_client.get(change_url(publication))

    view_on_site_url = reverse(
        "admin:view_on_site", args=[response.context["content_type_id"], publication.pk]
    )
    assert view_on_site_url in response.content.decode()
    view_on_site = admin_client.get(view_on_site_url)
    assert view_on_site.status_code == 302
    assert view_on_site["Location"].endswith(publication.get_absolute_url())


# Saving


def test_adding_a_publication_saves_its_byline_and_picks_in_order(admin_client, admin_user):
    kim, lee = make_author("Kim Sora"), make_author("Lee Minho")
    first, second = make_publication("First Pick"), make_publication("Second Pick")
    region = make_region("Korean Peninsula")

    response = admin_client.post(
        ADD_URL,
        publication_form_data(
            publication_type=make_type(),
            authors=[lee, kim],
            picks=[second, first],
            regions=[str(region.pk)],
            tags="Nuclear deterrence, Alliances",
        ),
    )

    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get(slug="deterrence-after-the-summit")
    assert publication.byline == [lee, kim]
    assert [pick.to_publication for pick in publication.picks.all()] == [second, first]
    assert list(publication.regions.all()) == [region]
    assert sorted(publication.tags.names()) == ["Alliances", "Nuclear deterrence"]
    assert publication.created_by == admin_user


def test_editing_reorders_the_byline_and_replaces_picks(admin_client):
    kim, lee = make_author("Kim Sora"), make_author("Lee Minho")
    old_pick, new_pick = make_publication("Old Pick"), make_publication("New Pick")
    publication = make_publication(authors=[kim, lee])
    pick = make_pick(publication, old_pick)
    kim_row, lee_row = publication.authorships.all()
    data = publication_form_data(
        publication_type=publication.publication_type,
        title=publication.title,
        slug=publication.slug,
    )
    data |= inline_data(
        "authorships",
        [
            {"id": kim_row.pk, "publication": publication.pk, "author": kim.pk, "position": 2},
            {"id": lee_row.pk, "publication": publication.pk, "author": lee.pk, "position": 1},
        ],
        initial=2,
    )
    data |= inline_data(
        "picks",
        [
            {
                "id": pick.pk,
                "from_publication": publication.pk,
                "to_publication": old_pick.pk,
                "position": 0,
                "DELETE": "on",
            },
            {"to_publication": new_pick.pk, "position": 1},
        ],
        initial=1,
    )

    response = admin_client.post(change_url(publication), data)

    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()
    assert publication.byline == [lee, kim]
    assert list(publication.related_picks.all()) == [new_pick]


def test_the_body_is_sanitised_when_saved_from_the_admin(admin_client):
    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), body=NASTY_BODY)
    )

    assert response.status_code == 302, errors_of(response)
    body = Publication.objects.get().body
    assert "hi" in body
    for unsafe in ("<script", "alert(1)", "onclick", "javascript:", "style", "iframe", "evil"):
        assert unsafe not in body


# Images in the body: refused by name rather than dropped unseen

FOREIGN_FIGURE = (
    "<p>Text typed before the figure.</p>"
    '<figure><img src="https://example.org/x.png" alt="A map">'
    "<figcaption>The map</figcaption></figure><p>Text typed after it.</p>"
)


def test_an_image_from_another_address_is_refused_by_name_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), body=FOREIGN_FIGURE)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "This image is not in the library: https://example.org/x.png. Upload it, or remove it."
    ]
    assert not Publication.objects.exists()


def test_a_refused_body_comes_back_in_the_form_as_it_was_typed(admin_client):
    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), body=FOREIGN_FIGURE)
    )

    # What the browser would send again: the body exactly as posted, image included.
    assert form_data(response)["body"] == FOREIGN_FIGURE
    assert form_data(response)["title"] == "Deterrence After the Summit"


def test_each_refused_image_is_named_once(admin_client):
    body = (
        '<p><img src="https://example.org/a.png" alt="a"></p>'
        '<img src="/media/body/ours.png" alt="ours">'
        '<img src="data:image/png;base64,AAAA" alt="pasted">'
        '<img src="https://example.org/a.png" alt="a again">'
    )

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), body=body)
    )

    assert response.context["adminform"].form.errors["body"] == [
        "This image is not in the library: https://example.org/a.png. Upload it, or remove it.",
        "This image is not in the library: data:image/png;base64,AAAA. Upload it, or remove it.",
    ]


def test_a_refused_image_on_the_change_form_leaves_the_stored_body_alone(admin_client):
    publication = make_publication("Alliance Burden Sharing", body="<p>Stored text.</p>")
    data = publication_form_data(
        publication_type=publication.publication_type,
        title=publication.title,
        slug=publication.slug,
        body="<p>Edited text.</p>" + FOREIGN_FIGURE,
    )

    response = admin_client.post(change_url(publication), data)

    assert "https://example.org/x.png" in str(response.context["adminform"].form.errors)
    publication.refresh_from_db()
    assert publication.body == "<p>Stored text.</p>"


def test_an_image_from_our_own_media_is_saved_as_before(admin_client):
    body = (
        '<figure><img src="/media/body/map.png" alt="A map" width="600" height="400">'
        "<figcaption>The map</figcaption></figure>"
    )

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), body=body)
    )

    assert response.status_code == 302, errors_of(response)
    assert Publication.objects.get().body == body


def test_saving_outside_the_admin_form_still_drops_a_foreign_image_without_refusing():
    """Imports, fixtures and the shell save through the model: cleaned, never refused."""
    publication = make_publication("Imported", body=FOREIGN_FIGURE)

    publication.refresh_from_db()
    assert "example.org" not in publication.body
    assert "<figcaption>The map</figcaption>" in publication.body


def test_publishing_without_a_date_publishes_now(admin_client):
    before = timezone.now()

    response = admin_client.post(
        ADD_URL,
        publication_form_data(
            publication_type=make_type(),
            authors=[make_author()],
            tags="Energy",
            _workflow="publish",
        ),
    )

    assert response.status_code == 302, errors_of(response)
    assert Publication.objects.get().published_at >= before.replace(microsecond=0)


def test_the_publish_date_says_what_the_buttons_do_and_publish_now_does_it(admin_client):
    """Its help text names the buttons: a date typed on a draft is not what Publish
    now publishes at; on what is published, the date typed is kept."""
    draft = make_publication(status="draft", published_at=None, authors=[make_author()])
    page = admin_client.get(change_url(draft))
    assert "“Publish now” sets it to now and “Schedule…” to the time you choose" in (
        page.content.decode()
    )
    before = timezone.now()

    admin_client.post(
        change_url(draft),
        form_data(page)
        | {"published_at_0": "2020-01-02", "published_at_1": "09:00", "_anyway": "publish"},
    )
    draft.refresh_from_db()
    assert draft.published_at >= before.replace(microsecond=0)
    corrected = form_data(admin_client.get(change_url(draft))) | {"published_at_0": "2020-01-02"}
    assert admin_client.post(change_url(draft), corrected).status_code == 302
    draft.refresh_from_db()
    assert timezone.localdate(draft.published_at) == datetime(2020, 1, 2).date()
    assert draft.is_public


# Validation shows form errors


def test_a_publication_cannot_pick_itself(admin_client):
    publication = make_publication()
    data = publication_form_data(
        publication_type=publication.publication_type,
        title=publication.title,
        slug=publication.slug,
        picks=[publication],
    )

    response = admin_client.post(change_url(publication), data)

    assert response.status_code == 200
    assert "A publication cannot be related to itself." in response.content.decode()
    assert not RelatedPick.objects.exists()


def test_the_same_pick_twice_is_refused(admin_client):
    other = make_publication()

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), picks=[other, other])
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data" in errors_of(response)
    assert not Publication.objects.exclude(pk=other.pk).exists()


def test_the_same_author_twice_in_a_byline_is_refused(admin_client):
    author = make_author()

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), authors=[author, author])
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data" in errors_of(response)
    assert not Publication.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused_even_when_named_pdf(admin_client):
    fake = SimpleUploadedFile("report.pdf", b"PK\x03\x04 a zip file", "application/pdf")

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), pdf=fake)
    )

    assert response.status_code == 200
    assert "This file is not a PDF" in errors_of(response)
    assert not Publication.objects.exists()


def test_a_real_pdf_is_accepted(admin_client):
    pdf = SimpleUploadedFile("report.pdf", pdf_bytes(), "application/pdf")

    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), pdf=pdf)
    )

    assert response.status_code == 302, errors_of(response)
    assert Publication.objects.get().pdf.name.endswith(".pdf")


def test_a_cover_image_without_a_description_is_refused(admin_client):
    response = admin_client.post(
        ADD_URL, publication_form_data(publication_type=make_type(), cover_image=png_upload())
    )

    assert response.status_code == 200
    assert "Describe the cover image" in errors_of(response)
    assert not Publication.objects.exists()


def test_a_cover_image_with_a_description_is_accepted(admin_client):
    response = admin_client.post(
        ADD_URL,
        publication_form_data(
            publication_type=make_type(),
            cover_image=png_upload(),
            cover_image_alt="Delegates at the summit table",
        ),
    )

    assert response.status_code == 302, errors_of(response)
    assert Publication.objects.get().cover_image


# Suggested related publications


def test_the_change_page_shows_suggestions_with_their_reasons(admin_client):
    region = make_region("Northeast Asia")
    publication = make_publication("The Subject", tags=["Nuclear deterrence"], regions=[region])
    by_tag = make_publication("Shares A Tag", tags=["Nuclear deterrence"], days_ago=5)
    by_region = make_publication("Shares A Region", regions=[region], days_ago=6)
    picked = make_publication("Picked <By> Hand", days_ago=7)
    make_pick(publication, picked)
    make_publication("Not Yet Public", tags=["Nuclear deterrence"], status="draft")

    response = admin_client.get(change_url(publication))

    html = response.content.decode()
    suggestions = html[html.index('class="suggested-related"') :]
    suggestions = suggestions[: suggestions.index("</ol>")]
    assert suggestions.index("Picked &lt;By&gt; Hand") < suggestions.index("Shares A Tag")
    assert suggestions.index("Shares A Tag") < suggestions.index("Shares A Region")
    assert "picked by a curator" in suggestions
    assert "shares tags: Nuclear deterrence" in suggestions
    assert "shares regions: Northeast Asia" in suggestions
    assert change_url(by_tag) in suggestions
    assert change_url(by_region) in suggestions
    assert "Not Yet Public" not in suggestions


def test_suggestion_reasons_are_escaped(admin_client):
    publication = make_publication(tags=["<b>bold</b>"])
    make_publication(tags=["<b>bold</b>"])

    html = admin_client.get(change_url(publication)).content.decode()

    assert "shares tags: &lt;b&gt;bold&lt;/b&gt;" in html


# Changelist, filters and search


def titles_in(response):
    return [publication.title for publication in response.context["cl"].result_list]


def test_the_changelist_shows_the_byline_in_order(admin_client):
    make_publication(authors=[make_author("Zed Alpha"), make_author("Amy Beta")])

    response = admin_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    # Each name kept on one line ("Jae-hoon" is never cut at its hyphen).
    assert (
        '<span class="byline-name">Zed Alpha</span>, <span class="byline-name">Amy Beta</span>'
        in html
    )


def test_the_changelist_filters_by_status_scheduled_included_type_region_and_year(admin_client):
    brief = make_type("Policy Brief")
    asia = make_region("Asia")
    old = make_publication(
        "Old Brief", publication_type=brief, published_at=timezone.make_aware(datetime(2021, 5, 1))
    )
    make_publication("Asian Report", regions=[asia])
    make_publication("A Draft", status="draft", published_at=None)
    make_publication("In Review", status="review", published_at=None)
    make_publication("Out Next Week", published_at=timezone.now() + timedelta(days=7))

    def titles(query):
        response = admin_client.get(CHANGELIST_URL, {"o": "1", **query})
        assert response.status_code == 200
        return titles_in(response)

    assert titles({"state": "draft"}) == ["A Draft"]
    assert titles({"state": "review"}) == ["In Review"]
    assert titles({"state": "scheduled"}) == ["Out Next Week"]
    assert titles({"state": "public"}) == ["Asian Report", "Old Brief"]
    # Addresses from before "Scheduled" was a choice keep working.
    assert titles({"status__exact": "draft"}) == ["A Draft"]
    assert titles({"publication_type__id__exact": brief.pk}) == ["Old Brief"]
    assert titles({"regions__id__exact": asia.pk}) == ["Asian Report"]
    assert titles({"published_at__year": "2021"}) == [old.title]
    filters = admin_client.get(CHANGELIST_URL).content.decode()
    assert '<a href="?state=scheduled">Scheduled</a>' in filters


def test_a_status_the_filter_does_not_know_is_refused_as_django_refuses_a_bad_filter(
    admin_client,
):
    response = admin_client.get(CHANGELIST_URL, {"state": "deleted"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_changelist_lists_the_latest_edits_first_drafts_and_all(admin_client, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=3), tick=False)
    edited_last = make_publication("Edited Last", days_ago=400)
    make_publication("Old Draft", status="draft", published_at=None)
    time_machine.shift(timedelta(days=1))
    make_publication("Published Yesterday", days_ago=1)
    time_machine.shift(timedelta(days=1))
    edited_last.lead = "A second thought."
    edited_last.save()

    assert titles_in(admin_client.get(CHANGELIST_URL)) == [
        "Edited Last",
        "Published Yesterday",
        "Old Draft",
    ]


def test_the_changelists_first_page_reads_the_last_edited_index_not_a_sort(
    admin_client, monkeypatch
):
    """The default order (latest edits first) has its own index, which the database
    reads a page of; here without the sort it would need instead (which a table this
    small would choose), so that any other order fails."""
    monkeypatch.setattr(admin.site._registry[Publication], "list_per_page", 1)
    make_publication(), make_publication(status="draft")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(CHANGELIST_URL)
    (listed,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "publications_publication"."id"')
        and query["sql"].endswith("LIMIT 1")
    ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {listed}")
        else:
            # Only the statistics committed (none for these tables): SQLite keeps those
            # of an ANALYZE an earlier test rolled back (migrate, an import) loaded on
            # the connection, and with one publication in them a sort is rightly cheaper.
            cursor.execute("ANALYZE sqlite_master")
            cursor.execute(f"EXPLAIN QUERY PLAN {listed}")
        plan = "\n".join(str(row) for row in cursor.fetchall())

    assert "pub_last_edited_idx" in plan
    assert "Sort" not in plan
    assert "TEMP B-TREE" not in plan


def test_the_last_edited_column_shows_the_local_time_and_sorts_both_ways(
    admin_client, time_machine, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    time_machine.move_to(datetime(2026, 3, 2, 14, 5, tzinfo=UTC), tick=False)
    make_publication("Earlier")
    time_machine.shift(timedelta(hours=1))
    make_publication("Later")

    response = admin_client.get(CHANGELIST_URL)

    html = response.content.decode()
    assert '<td class="field-last_edited">2 Mar 2026, 15:05</td>' in html
    assert '<td class="field-last_edited">2 Mar 2026, 16:05</td>' in html
    oldest_first = admin_client.get(CHANGELIST_URL, {"o": LAST_EDITED_COLUMN})
    assert titles_in(oldest_first) == ["Earlier", "Later"]
    newest_first = admin_client.get(CHANGELIST_URL, {"o": -LAST_EDITED_COLUMN})
    assert titles_in(newest_first) == ["Later", "Earlier"]


def test_featured_is_a_word_in_the_status_column_and_only_where_it_is_so(admin_client):
    make_publication("On The Home Page", is_featured=True)
    make_publication("Not On It")

    response = admin_client.get(CHANGELIST_URL)

    html = response.content.decode()
    assert (
        '<td class="field-status_label">Published <span class="featured-mark">Featured</span></td>'
        in html
    )
    assert html.count('class="featured-mark"') == 1
    assert "icon-no.svg" not in html
    assert "icon-yes.svg" not in html


def test_the_changelist_searches_titles_leads_authors_and_tags(admin_client):
    make_publication("Maritime Security", tags=["Shipping"])
    make_publication("Trade Talks", authors=[make_author("Hana Cho")])
    make_publication("Energy", lead="Why liquefied natural gas matters for Korea.")

    def search(term):
        response = admin_client.get(CHANGELIST_URL, {"q": term})
        assert response.status_code == 200
        return titles_in(response)

    assert search("maritime") == ["Maritime Security"]
    assert search("shipping") == ["Maritime Security"]
    assert search("hana cho") == ["Trade Talks"]
    assert search("liquefied") == ["Energy"]


def make_rich_publications(count):
    region, tag_type = make_region(), make_type()
    for _ in range(count):
        make_publication(
            publication_type=tag_type,
            authors=[make_author(), make_author()],
            regions=[region],
            tags=["Alliances", "Trade"],
        )


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(
    "query",
    [{}, {"state": "public", "o": -LAST_EDITED_COLUMN}],
    ids=["latest edits first", "public ones by last edit"],
)
def test_the_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, count, query
):
    """Session, user, the filters' choices, counts, the page, its bylines, the date drill-down,
    and the savepoint pair of django-reversion's revision block (for the bulk actions)."""
    make_rich_publications(count)

    with django_assert_num_queries(12):
        response = admin_client.get(CHANGELIST_URL, query)

    assert len(response.context["cl"].result_list) == count


def test_the_publication_autocomplete_finds_by_title(admin_client):
    make_publication("Maritime Security")
    make_publication("Trade Talks")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "marit",
            "app_label": "publications",
            "model_name": "relatedpick",
            "field_name": "to_publication",
        },
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Maritime Security"]


# The other admins


@pytest.mark.parametrize(
    "name",
    [
        "authors_author",
        "publications_region",
        "publications_publicationtype",
        "taggit_tag",
    ],
)
def test_the_other_admins_load(admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 200


# Every list with actions, as the admin's registry has them: ours and the other apps'
# (users, groups, sign-in attempts, tasks), a list added later included.
def _offers_actions(model_admin):
    """Whether its list offers a superuser any action (the task results' offers none)."""
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return bool(model_admin.get_actions(request))


LISTS_WITH_ACTIONS = sorted(
    (model._meta.app_label, model._meta.model_name, str(model._meta.verbose_name_plural))
    for model, model_admin in admin.site._registry.items()
    if _offers_actions(model_admin)
)


@pytest.mark.parametrize("crafted", ["x", "²", "99999999999999999999"])
@pytest.mark.parametrize(("app", "model", "plural"), LISTS_WITH_ACTIONS)
def test_an_action_on_an_id_no_item_could_have_is_refused_with_a_sentence_in_every_list(
    admin_client, app, model, plural, crafted
):
    url = reverse(f"admin:{app}_{model}_changelist") + "?o=1"

    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [crafted], "post": "yes"}
    )

    assert response.status_code == 302
    assert response.url == url
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"Nothing was done: choose {plural} from the list."
    ]


def test_the_author_autocomplete_finds_by_name(admin_client):
    make_author("Kim Sora")
    make_author("Lee Minho")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "sora",
            "app_label": "publications",
            "model_name": "authorship",
            "field_name": "author",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Kim Sora"]


def test_the_tag_list_counts_publications(admin_client):
    make_publication(tags=["Alliances"])
    make_publication(tags=["Alliances", "Trade"])

    response = admin_client.get(reverse("admin:taggit_tag_changelist"), {"q": "alli"})

    assert [(tag.name, tag.publication_count) for tag in response.context["cl"].result_list] == [
        ("Alliances", 2)
    ]


def test_merging_tags_moves_their_publications_to_the_one_that_stays(admin_client):
    both = make_publication(tags=["Alliances", "alliance"])
    only_old = make_publication(tags=["alliance"])
    make_publication(tags=["Alliances"])
    tags = Tag.objects.filter(name__in=["Alliances", "alliance"])

    response = confirm_merge(admin_client, tags, Tag.objects.get(name="Alliances"))

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Alliances"]
    assert list(both.tags.names()) == ["Alliances"]
    assert list(only_old.tags.names()) == ["Alliances"]


def test_publish_now_makes_drafts_and_scheduled_items_public_and_keeps_public_dates(
    admin_client,
):
    draft = make_publication("Draft Brief", status="draft", published_at=None)
    scheduled = make_publication("Later Brief", published_at=timezone.now() + timedelta(days=3))
    public = make_publication("Old Brief", days_ago=30)
    old_date = public.published_at

    response = admin_client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk, public.pk]},
        follow=True,
    )

    assert "Published 2 publications." in response.text
    assert "Skipped 1 (already public): Old Brief" in response.text
    assert set(Publication.objects.published()) == {draft, scheduled, public}
    public.refresh_from_db()
    assert public.published_at == old_date
