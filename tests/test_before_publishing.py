"""The check before publishing (issue 19): "Publish now" or "Schedule" on a publication
with something missing or odd lists it by the buttons, saves nothing and keeps what was
typed; "… anyway" goes ahead; with nothing to say, publishing is one click as before.
The check is advice: who may publish is still the policy's answer."""

import posixpath
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from publications.checks import before_publishing
from publications.models import OldSlug, Publication

from . import test_workflow
from .factories import make_author, make_publication, make_region, make_type
from .test_admin import ADD_URL, change_url, errors_of, publication_form_data
from .test_image_library import make_image
from .test_roles import REFUSAL, client_of, draft, form_data, member_of
from .test_workflow import LATER, messages_of, stored

pytestmark = pytest.mark.django_db

# The workflow's own autouse fixtures, here too: the roles' groups, the site in Stockholm.
roles, _stockholm = test_workflow.roles, test_workflow._stockholm

NO_REGION_NO_TAG = (
    "It has no region and no tag: readers cannot find it by region or topic, "
    "and its related publications will simply be the newest ones."
)
NO_AUTHOR = "Nobody is named in the byline: readers and citations will not know who wrote it."
NO_INTRODUCTION = "It has no introduction: lists and search results show nothing under its title."


@pytest.fixture
def editor():
    return member_of("Editors")


def complete(title="The Brief", status="review", **fields):
    """A publication in review with nothing for the check to say: an author and a tag."""
    fields.setdefault("published_at", None)
    return make_publication(
        title, status=status, authors=[make_author()], tags=["Energy"], **fields
    )


def press(user, publication, button="publish", **changes):
    """Post the change form of `publication` as it is, with `changes`, by `button`."""
    data = form_data(publication, _workflow=button, **changes)
    return client_of(user).post(change_url(publication), data)


def anyway(user, publication, button="publish", **changes):
    data = form_data(publication, _anyway=button, **changes)
    return client_of(user).post(change_url(publication), data)


def held(response):
    """The sentences of the panel by the buttons; None when there is no panel."""
    assert response.status_code == 200, response.get("Location")
    panel = response.context.get("held")
    return panel and panel["sentences"]


def check(publication, *, at=None, byline=("someone",), regions=(), tags=("Energy",)):
    """The check on `publication` with a byline and a tag unless told otherwise."""
    return before_publishing(
        publication, at=at or timezone.now(), byline=byline, regions=regions, tags=tags
    )


def linking(*addresses, images=0, **fields):
    """A publication in review whose body links to `addresses`, and holds `images`
    images without alt text."""
    body = "".join(f'<p><a href="{address}">link</a></p>' for address in addresses)
    body += "".join(f'<p><img src="/media/{number}.png"></p>' for number in range(images))
    return complete("Linking", body=body, **fields)


# What is held, and what the panel says


def test_publish_now_on_a_publication_without_region_or_tag_is_held_with_a_panel(editor):
    publication = make_publication(
        "Bare", status="review", published_at=None, authors=[make_author()]
    )

    response = press(editor, publication)

    assert held(response) == [NO_REGION_NO_TAG]
    assertContains(
        response,
        '<section class="before-publishing" aria-labelledby="before-publishing-heading">'
        '<h2 id="before-publishing-heading">Before publishing</h2>'
        "<p>Nothing is saved or published yet: your changes are still in this form.</p>"
        f"<ul><li>{NO_REGION_NO_TAG}</li></ul>"
        '<p><button type="submit" class="button default" name="_anyway" value="publish">'
        "Publish anyway</button> Or change what you need and press “Publish now” again.</p>"
        "</section>",
        html=True,
    )
    # Advice, not an error to correct.
    assertNotContains(response, "Please correct")
    assert not stored(publication).is_public


def test_the_panel_is_by_the_top_buttons_only_and_after_every_one_of_them(editor):
    """Enter in a text box presses the form's first button, never "Publish anyway"."""
    response = press(editor, make_publication("Bare", status="review", published_at=None))

    html = response.content.decode()
    assertContains(response, 'name="_anyway"', count=1)
    assert html.index('name="_anyway"') > html.index('name="_workflow" value="publish"')
    assert html.index('name="_save"') < html.index('name="_anyway"')


def test_the_panel_lists_each_thing_missing_in_a_sentence(editor):
    publication = make_publication(
        "Bare",
        status="review",
        published_at=None,
        lead="&nbsp;<br>",
        body='<p><img src="/media/chart.png"><img src="/media/map%20north.jpg" alt=" "></p>',
    )

    sentences = held(press(editor, publication))

    assert sentences == [
        NO_INTRODUCTION,
        NO_AUTHOR,
        NO_REGION_NO_TAG,
        "2 images have no alt text (chart.png, map north.jpg): readers who cannot see "
        "them are told nothing. Describe each (“Alternative Text” in the image's dialog).",
    ]


def test_schedule_is_held_too_and_keeps_the_time_typed(editor):
    publication = make_publication("Bare", status="review", published_at=None)

    response = press(
        editor, publication, "schedule", schedule_date="2027-12-03", schedule_time="09:00"
    )

    assert NO_REGION_NO_TAG in held(response)
    assertContains(response, '<h2 id="before-publishing-heading">Before scheduling</h2>')
    assertContains(response, 'name="_anyway" value="schedule">Schedule anyway</button>')
    assertContains(response, '<details class="workflow-schedule" open>')
    assertContains(response, 'value="2027-12-03"')
    assertContains(response, 'value="09:00"')
    assert stored(publication).status == "review"


def test_nothing_typed_is_lost_and_nothing_is_saved_while_held(editor):
    publication = make_publication("Bare", status="review", published_at=None)
    before = stored(publication)

    response = press(
        editor,
        publication,
        title="Typed Title",
        lead="A lead typed just now.",
        body="<p>A paragraph typed just now.</p>",
    )

    assert held(response)
    assertContains(response, 'value="Typed Title"')
    assertContains(response, "A lead typed just now.")
    assertContains(response, "A paragraph typed just now.")
    after = stored(publication)
    assert (after.title, after.lead, after.status, after.edit_version) == (
        before.title,
        before.lead,
        "review",
        before.edit_version,
    )


def test_a_new_publication_is_not_created_while_held(editor):
    data = publication_form_data(
        publication_type=make_type(), title="Brand New", _workflow="publish"
    )

    response = client_of(editor).post(ADD_URL, data)

    assert held(response) == [NO_AUTHOR, NO_REGION_NO_TAG]
    assertContains(response, 'value="Brand New"')
    assert not Publication.objects.exists()


# Going ahead, or having nothing to say


def test_publish_anyway_publishes_and_offers_the_live_page(editor):
    publication = make_publication("Bare", status="review", published_at=None)

    response = anyway(editor, publication, title="Bare But Needed")

    assert response.status_code == 302
    live = stored(publication).get_absolute_url()
    assert messages_of(response) == [f'Published. <a href="{live}">View live</a>']
    assert stored(publication).is_public
    assert stored(publication).title == "Bare But Needed"


def test_schedule_anyway_schedules(editor):
    publication = make_publication("Bare", status="review", published_at=None)

    response = anyway(
        editor, publication, "schedule", schedule_date="2027-12-03", schedule_time="09:00"
    )

    assert messages_of(response) == ["Scheduled for 3 December 2027, 09:00 (Europe/Stockholm)"]
    assert stored(publication).published_at == LATER


def test_a_new_publication_is_added_and_published_anyway(editor):
    data = publication_form_data(publication_type=make_type(), title="Brand New", _anyway="publish")

    response = client_of(editor).post(ADD_URL, data)

    assert response.status_code == 302
    assert Publication.objects.get().is_public


@pytest.mark.parametrize("button", ["publish", "schedule"])
def test_with_nothing_to_say_publishing_is_one_click(editor, button):
    publication = complete()

    response = press(editor, publication, button, schedule_date="2027-12-03", schedule_time="09:00")

    assert response.status_code == 302
    assert stored(publication).status == "published"


def test_a_byline_and_a_region_typed_in_the_same_form_count(editor):
    """What the editor adds before pressing is what is checked, not what was stored."""
    publication = make_publication("Bare", status="review", published_at=None)
    data = form_data(
        publication, _workflow="publish", regions=[str(make_region().pk)], authors=[make_author()]
    )

    response = client_of(editor).post(change_url(publication), data)

    assert response.status_code == 302, errors_of(response)
    assert stored(publication).is_public


def test_an_author_deleted_from_the_byline_in_the_same_form_counts(editor):
    publication = complete()
    row = publication.authorships.get()
    data = form_data(publication, _workflow="publish")
    data.update(
        {
            "authorships-TOTAL_FORMS": "1",
            "authorships-INITIAL_FORMS": "1",
            "authorships-0-id": str(row.pk),
            "authorships-0-publication": str(publication.pk),
            "authorships-0-author": str(row.author_id),
            "authorships-0-position": "0",
            "authorships-0-DELETE": "on",
        }
    )

    response = client_of(editor).post(change_url(publication), data)

    assert held(response) == [NO_AUTHOR]
    assert publication.authorships.exists()


def test_an_error_is_said_before_the_check(editor):
    """A save refused for a reason of its own does not ask to publish anyway."""
    publication = make_publication("Bare", status="review", published_at=None)

    response = press(editor, publication, title="")

    assert held(response) is None
    assertContains(response, "Please correct the error below.")
    assertNotContains(response, 'name="_anyway"')


# The check is advice: roles and other buttons are as before


def test_an_analysts_submit_for_review_is_not_held(editor):
    analyst = member_of("Analysts")
    publication = draft("Bare")

    response = press(analyst, publication, "send_for_review")

    assert response.status_code == 302
    assert messages_of(response) == ["Submitted for review."]
    assert stored(publication).status == "review"


@pytest.mark.parametrize("button", ["save_draft", "unpublish"])
def test_other_buttons_are_not_held(editor, button):
    publication = make_publication(
        "Bare", status="review" if button == "save_draft" else "published"
    )

    response = press(editor, publication, button)

    assert response.status_code == 302


@pytest.mark.parametrize("button", ["publish", "schedule"])
def test_an_analysts_crafted_publish_anyway_is_refused_by_the_policy(button):
    analyst = member_of("Analysts")
    publication = draft("Bare")

    response = anyway(
        analyst, publication, button, schedule_date="2027-12-03", schedule_time="09:00"
    )

    assert response.status_code == 200
    assert REFUSAL in errors_of(response)
    assert held(response) is None
    assert stored(publication).status == "draft"


# Each check, found and not found


def test_an_introduction_with_words_is_enough():
    assert NO_INTRODUCTION not in check(complete(lead="One word."))
    assert NO_INTRODUCTION in check(complete(lead="<p> &nbsp; </p>"))


def test_one_author_is_enough():
    assert NO_AUTHOR in check(complete(), byline=[])
    assert NO_AUTHOR not in check(complete(), byline=[make_author()])


@pytest.mark.parametrize(
    ("regions", "tags", "said"),
    [((), (), True), (("a region",), (), False), ((), ("a tag",), False)],
    ids=["neither", "a region", "a tag"],
)
def test_a_region_or_a_tag_is_enough(regions, tags, said):
    assert (NO_REGION_NO_TAG in check(complete(), regions=regions, tags=tags)) == said


def test_an_image_with_alt_text_is_not_listed():
    publication = complete(
        body='<figure><img src="/media/a.png" alt="A chart"><figcaption>A</figcaption></figure>'
        '<p><img src="/media/b.png"></p>'
    )

    assert check(publication) == [
        "1 image has no alt text (b.png): readers who cannot see it are told nothing. "
        "Describe each (“Alternative Text” in the image's dialog)."
    ]


def test_a_picture_the_library_marks_decorative_needs_no_alt_text(django_assert_num_queries):
    decorative = make_image("Ornament", alt="", decorative=True)
    described = make_image("Chart", alt="A chart")
    publication = complete(
        body=f'<p><img src="{decorative.file.url}" alt=""></p>'
        f'<p><img src="{described.file.url}" alt=""></p>'
        f'<p><img src="{decorative.file.url}"></p>'
        '<p><img src="/media/elsewhere.png" alt=""></p>'
    )
    shown = [posixpath.basename(image.file.name) for image in (described, decorative)]

    # The library is asked once whether the pictures with alt="" are decorative.
    with django_assert_num_queries(1):
        said = check(publication)

    # Only an empty description (alt="") says "decorative": no alt at all says nothing.
    assert said == [
        f"3 images have no alt text ({shown[0]}, {shown[1]}, elsewhere.png): readers who "
        "cannot see them are told nothing. Describe each (“Alternative Text” in the "
        "image's dialog)."
    ]
    assert check(complete(body=f'<p><img src="{decorative.file.url}" alt=""></p>')) == []


def test_links_to_drafts_items_in_review_and_scheduled_items_are_listed(settings):
    settings.ALLOWED_HOSTS = ["thinktank.example", "testserver"]
    make_publication("A Draft", slug="a-draft", status="draft", published_at=None)
    make_publication("In Review", slug="in-review", status="review", published_at=None)
    make_publication("Coming", slug="coming", published_at=LATER)
    make_publication("Public", slug="public")
    publication = linking(
        "/publications/a-draft/",
        "https://thinktank.example/publications/in-review/#conclusions",
        "/publications/coming/related/",
        "/publications/public/",
    )

    assert check(publication) == [
        "The text links to 3 publications readers cannot see when this one goes public: “A Draft” (draft), "
        "“Coming” (scheduled for 3 December 2027, 09:00) and “In Review” (in review). "
        "Readers following the link find nothing."
    ]


def test_links_to_public_pages_other_sites_and_itself_are_not_listed():
    make_publication("A Draft", slug="a-draft", status="draft", published_at=None)
    make_region(slug="a-draft")
    publication = linking(
        "/regions/a-draft/",
        "https://elsewhere.example/publications/a-draft/",
        "mailto:someone@example.org",
        "/publications/linking/",
        "#fn-1",
        slug="linking",
    )

    assert check(publication) == []


def test_a_link_by_an_old_slug_leads_to_its_publication_unless_another_has_it_now():
    moved = make_publication("Moved Draft", slug="moved-draft", status="draft", published_at=None)
    OldSlug.objects.record(moved, "old-address")
    # A slug that has been one publication's since before it led to another.
    make_publication("Public Now", slug="public-now")
    taken = make_publication("Old Draft", slug="old-draft", status="draft", published_at=None)
    OldSlug.objects.record(taken, "public-now")

    said = check(linking("/publications/old-address/", "/publications/public-now/"))

    assert said == [
        "The text links to a publication readers cannot see when this one goes public: “Moved Draft” (draft). "
        "Readers following the link find nothing."
    ]


def test_a_link_by_a_slug_in_another_script_is_found():
    make_publication("Unicode", slug="서울-회담", status="draft", published_at=None)

    said = check(linking("/publications/%EC%84%9C%EC%9A%B8-%ED%9A%8C%EB%8B%B4/"))

    assert said == [
        "The text links to a publication readers cannot see when this one goes public: “Unicode” (draft). "
        "Readers following the link find nothing."
    ]


def test_scheduling_after_a_linked_item_goes_public_does_not_list_it():
    make_publication("Coming", slug="coming", published_at=LATER)
    publication = linking("/publications/coming/")

    assert check(publication, at=LATER + timedelta(hours=1)) == []
    assert check(publication, at=LATER - timedelta(hours=1)) != []


def test_a_held_publish_names_a_linked_draft(editor):
    make_publication("A Draft", slug="a-draft", status="draft", published_at=None)
    publication = linking("/publications/a-draft/")

    response = press(editor, publication)

    assertContains(
        response, "links to a publication readers cannot see when this one goes public: “A Draft”"
    )


# Query counts


def test_the_check_asks_one_query_however_many_links_and_images(django_assert_num_queries):
    for number in range(6):
        make_publication(
            f"Draft {number}", slug=f"draft-{number}", status="draft", published_at=None
        )
    one = linking("/publications/draft-0/")
    six = linking(*(f"/publications/draft-{number}/" for number in range(6)), images=6)

    with django_assert_num_queries(1):
        assert len(check(one)) == 1
    with django_assert_num_queries(1):
        assert len(check(six)) == 2
    elsewhere = complete(body='<p><a href="https://example.org/">out</a></p>')
    with django_assert_num_queries(0):
        check(elsewhere)


@pytest.mark.parametrize("links", [1, 6])
def test_a_held_publish_takes_a_fixed_number_of_queries(editor, django_assert_num_queries, links):
    """The held form costs what a refused save costs (session, user, the publication
    and what its form offers, the lock, the model's checks, the byline rows, the form
    shown again with its suggestions) and one query more: the check's, for every link."""
    for number in range(links):
        make_publication(
            f"Draft {number}", slug=f"draft-{number}", status="draft", published_at=None
        )
    body = "".join(
        f'<p><a href="/publications/draft-{number}/">d</a><img src="/media/{number}.png"></p>'
        for number in range(links)
    )
    publication = make_publication("Bare", status="review", published_at=None, body=body)
    data = form_data(publication, _workflow="publish")
    client = client_of(editor)
    client.get(change_url(publication))  # the content types, read once a process

    with django_assert_num_queries(31):
        response = client.post(change_url(publication), data)

    assert len(held(response)) == 4
