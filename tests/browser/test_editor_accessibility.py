"""The publication form for keyboards and screen readers, and its small comforts: no
axe-core violation on any page a role opens, the focus on the title, a focus ring on
every control, and a question before leaving changes that are not saved."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import make_author, make_pick, make_publication, make_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = "/admin/publications/publication/"
ADD = "/admin/publications/publication/add/"

BODY = (
    "<h2>Where it stands</h2><p>Sanctions bite <a href='https://example.org/report'>slowly"
    "</a>.</p><ul><li>first point</li><li>second point</li></ul>"
    "<table><tbody><tr><th>Year</th><th>Budget</th></tr><tr><td>2025</td><td>12</td></tr>"
    "</tbody></table>"
)


def a_publication_with_every_widget(user):
    """A draft with a body, a byline, a pick, a region and a tag: the form then shows
    the editor, both inlines (a saved row and an empty one) and both select2 boxes
    with chips in them."""
    make_region("Europe")
    picked = make_publication("Chip Controls, Year Three")
    publication = make_publication(
        "Sanctions After the Summit",
        status="draft",
        published_at=None,
        created_by=user,
        body=BODY,
        authors=[make_author("Hana Lindqvist")],
        regions=[make_region("Eastern Europe")],
        tags=["trade"],
    )
    make_pick(publication, picked)
    return publication


def change_url(live_server, publication):
    return f"{live_server.url}/admin/publications/publication/{publication.pk}/change/"


def body_editor(page):
    return page.get_by_role("textbox", name="Body")


def expect_the_widgets_drawn(page, *, writer, picker):
    """Wait for what scripts draw: select2's boxes (the picks' for those who pick) and,
    for a writer, the body editor."""
    expect(page.locator(".field-tags .select2-container")).to_be_visible()
    if picker:
        expect(page.locator("#picks-group .select2-container").first).to_be_visible()
    if writer:
        expect(page.locator(".field-regions .select2-container")).to_be_visible()
        expect(page.locator("#authorships-group .select2-container").first).to_be_visible()
        expect(body_editor(page)).to_be_visible()


def test_the_sign_in_page_has_no_accessibility_violation(live_server, page, axe_violations):
    page.goto(f"{live_server.url}/admin/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("role", "writer", "picker"),
    [("analyst", True, False), ("editor", True, True), ("curator", False, True)],
)
def test_the_list_and_the_forms_a_role_opens_have_no_accessibility_violation(
    live_server, page, request, role, writer, picker, sign_in, axe_violations
):
    user = request.getfixturevalue(role)
    publication = a_publication_with_every_widget(user)
    sign_in(page, user)

    page.goto(f"{live_server.url}{LIST}")
    expect(page.locator("#result_list")).to_contain_text("Sanctions After the Summit")
    assert axe_violations(page) == []

    if writer:  # a curator adds nothing
        page.goto(f"{live_server.url}{ADD}")
        expect(page.locator(".field-tags .select2-container")).to_be_visible()
        expect(page.locator("#authorships-group .select2-container").first).to_be_visible()
        expect(body_editor(page)).to_be_visible()
        assert axe_violations(page) == []

    page.goto(change_url(live_server, publication))
    expect_the_widgets_drawn(page, writer=writer, picker=picker)
    assert axe_violations(page) == []


def test_the_forms_open_on_a_title_as_wide_as_the_body(live_server, page, analyst, sign_in):
    publication = a_publication_with_every_widget(analyst)
    sign_in(page, analyst)

    for url in (f"{live_server.url}{ADD}", change_url(live_server, publication)):
        page.goto(url)
        expect(page.locator("#id_title")).to_be_focused()
        title = page.locator("#id_title").bounding_box()
        body = body_editor(page).bounding_box()
        assert (title["x"], title["width"]) == pytest.approx((body["x"], body["width"]), abs=1)


# Where the focused control's ring is drawn (select2 rings its whole box, whose search
# field has the focus), and how: what getComputedStyle says of its outline.
RING = """() => {
    const focused = document.activeElement;
    const box = focused.closest(".select2-container");
    const ringed = box ? box.querySelector(".select2-selection") : focused;
    window.ringed = (window.ringed || []).concat([ringed]);
    const style = getComputedStyle(ringed);
    return {
        control: focused.getAttribute("aria-label") || focused.name || focused.id
            || focused.textContent.trim().slice(0, 30) || focused.className,
        inForm: Boolean(focused.closest("#publication_form")),
        atTheFoot: Boolean(focused.closest(".submit-row"))
            && focused.compareDocumentPosition(document.getElementById("id_title"))
                === Node.DOCUMENT_POSITION_PRECEDING,
        ring: [style.outlineStyle, parseFloat(style.outlineWidth)],
    };
}"""

RINGS_AT_REST = """() => window.ringed.map((ringed) => {
    const style = getComputedStyle(ringed);
    return [style.outlineStyle, parseFloat(style.outlineWidth)];
})"""


def test_every_control_of_the_form_shows_a_focus_ring_from_the_keyboard(
    live_server, page, editor, sign_in, screenshot
):
    publication = a_publication_with_every_widget(editor)
    sign_in(page, editor)
    page.goto(change_url(live_server, publication))
    expect_the_widgets_drawn(page, writer=True, picker=True)
    expect(page.locator("#id_title")).to_be_focused()

    rings = [page.evaluate(RING)]
    while not rings[-1]["atTheFoot"] and len(rings) < 200:
        page.keyboard.press("Tab")
        rings.append(page.evaluate(RING))
        if rings[-1]["control"] in ("Body", "Regions", "Tags"):
            screenshot(page, f"focus-ring-{rings[-1]['control'].lower()}", full_page=False)
    fields = [ring for ring in rings if ring["inForm"] and not ring["atTheFoot"]]

    reached = {ring["control"] for ring in fields}
    assert {"title", "Body", "Author", "Position", "Regions", "Tags"} <= reached
    assert {"Move up", "Delete", "Publication"} <= reached
    without_a_ring = [
        ring["control"]
        for ring in fields
        if ring["ring"][0] in ("none", "auto") or ring["ring"][1] < 2
    ]
    assert without_a_ring == []
    # Nothing wears the ring at rest.
    page.evaluate("document.activeElement.blur()")
    assert {style for style, _ in page.evaluate(RINGS_AT_REST)} == {"none"}


def leave_by_the_breadcrumbs(page):
    page.locator(".breadcrumbs").get_by_role("link", name="Publications").last.click()


def test_leaving_unsaved_changes_asks_first_and_a_save_or_no_change_does_not(
    live_server, page, analyst, sign_in, axe_violations
):
    publication = a_publication_with_every_widget(analyst)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on the page"

    page.on("dialog", answer)
    sign_in(page, analyst)

    # Opened, clicked into, left unchanged: nothing to ask (the editor's own redrawing
    # of the body is no change).
    page.goto(change_url(live_server, publication))
    expect_the_widgets_drawn(page, writer=True, picker=False)
    body_editor(page).click()
    page.keyboard.press("ArrowDown")
    leave_by_the_breadcrumbs(page)
    expect(page).to_have_url(f"{live_server.url}{LIST}")
    assert asked == []

    # A region chosen, nothing typed: select2 changes the field without an input event.
    page.goto(change_url(live_server, publication))
    page.locator(".field-regions .select2-search__field").fill("Europ")
    page.locator(".select2-results__option", has_text=re.compile("^Europe$")).click()
    expect(page.locator(".field-regions .select2-selection__choice")).to_have_count(2)
    assert axe_violations(page) == []  # select2 redrew the box: still named
    with page.expect_event("dialog"):
        leave_by_the_breadcrumbs(page)
    assert asked == ["beforeunload"]
    assert page.url == change_url(live_server, publication)
    expect(page.locator(".field-regions .select2-selection__choice")).to_have_count(2)

    # Typed in the body as well: asked again; saved: not asked.
    body_editor(page).click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    with page.expect_event("dialog"):
        leave_by_the_breadcrumbs(page)
    assert asked == ["beforeunload", "beforeunload"]
    page.locator("input[name=_save]").first.click()
    expect(page).to_have_url(f"{live_server.url}{LIST}")
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert asked == ["beforeunload", "beforeunload"]
    assert sorted(region.name for region in publication.regions.all()) == [
        "Eastern Europe",
        "Europe",
    ]
