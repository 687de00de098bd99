"""A curator pins, reorders and tags in a real browser (Debian's Chromium)."""

import pytest
from playwright.sync_api import expect

from publications.models import Publication

from ..factories import make_pick, make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def change_page(live_server, publication):
    return f"{live_server.url}/admin/publications/publication/{publication.pk}/change/"


def featured_order_page(live_server):
    return f"{live_server.url}/admin/publications/publication/featured-order/"


def featured_links(reader, live_server):
    """The links of the home page's Featured row, as the anonymous `reader` sees it."""
    reader.goto(f"{live_server.url}/")
    featured = reader.get_by_role("region", name="Featured", exact=True)
    return featured.locator(".card__title").get_by_role("link")


def related_links(reader, live_server, publication):
    """The links of the Related Publications list, as the anonymous `reader` sees it."""
    reader.goto(f"{live_server.url}{publication.get_absolute_url()}")
    related = reader.locator(
        "section", has=reader.get_by_role("heading", name="Related Publications")
    )
    return related.get_by_role("link")


def test_a_curator_pins_a_suggestion_and_readers_see_it_first(
    live_server, page, new_page, curator, sign_in, screenshot
):
    reader = new_page()
    subject = make_publication("The Subject", tags=["trade", "energy"])
    make_publication("Shares Two Tags", tags=["trade", "energy"], days_ago=2)
    make_publication("Shares One Tag", tags=["trade"], days_ago=30)
    expect(related_links(reader, live_server, subject).first).to_have_text("Shares Two Tags")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, curator)

    page.goto(change_page(live_server, subject))
    page.get_by_role("button", name="Pin “Shares One Tag”").click()
    expect(page.get_by_role("status")).to_have_text(
        "“Shares One Tag” is added to the picks below, last. Save to keep it."
    )
    page.locator("input[name=_continue]").first.click()

    expect(page.get_by_text("was changed successfully")).to_be_visible()
    expect(related_links(reader, live_server, subject).first).to_have_text("Shares One Tag")
    screenshot(page, "curation-change-form")
    assert errors == []


def test_a_curator_moves_a_pick_up_and_readers_see_the_new_order(
    live_server, page, new_page, curator, sign_in
):
    reader = new_page()
    subject = make_publication("The Subject", tags=["trade"])
    make_publication("First Pin", tags=["trade"], days_ago=2)
    make_publication("Second Pin", tags=["trade"], days_ago=3)
    sign_in(page, curator)
    page.goto(change_page(live_server, subject))
    page.get_by_role("button", name="Pin “First Pin”").click()
    page.get_by_role("button", name="Pin “Second Pin”").click()

    picks = page.locator("#picks-group")
    added = picks.locator("tbody tr.form-row:not(.empty-form)")
    expect(added.locator(".select2-selection__rendered")).to_have_text(["First Pin", "Second Pin"])
    added.nth(1).get_by_role("button", name="Move up").click()
    page.locator("input[name=_continue]").first.click()

    # The form comes back at the same address: wait for the save's own answer.
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    rows = page.locator("#picks-group tbody tr.has_original")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Second Pin")
    expect(rows.nth(1)).to_contain_text("First Pin")
    related = related_links(reader, live_server, subject)
    expect(related.nth(0)).to_have_text("Second Pin")
    expect(related.nth(1)).to_have_text("First Pin")


def test_an_editor_pins_and_unpins_from_the_keyboard_without_losing_what_was_typed(
    live_server, page, editor, sign_in
):
    """A pin is a row added in the page, at once: no reload, the title being typed
    stays, Unpin takes the row off again, and Save keeps the pick with the title."""
    subject = make_publication("The Subject", tags=["trade"])
    make_publication("Shares Trade", tags=["trade"], days_ago=2)
    sign_in(page, editor)
    page.goto(change_page(live_server, subject))
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Title:").fill("The Subject, Revised")
    picks = page.locator("#picks-group tbody tr.form-row:not(.empty-form)")
    status = page.get_by_role("status")

    page.get_by_role("button", name="Pin “Shares Trade”").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(
        "“Shares Trade” is added to the picks below, last. Save to keep it."
    )
    expect(picks.locator(".select2-selection__rendered")).to_have_text(["Shares Trade"])
    unpin = page.get_by_role("button", name="Unpin “Shares Trade”")
    expect(unpin).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text("“Shares Trade” is taken off the picks below. Save to keep it.")
    expect(picks).to_have_count(0)
    page.keyboard.press("Enter")  # the button kept the focus: Pin again
    expect(picks).to_have_count(1)

    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_label("Title:")).to_have_value("The Subject, Revised")
    page.locator("input[name=_continue]").first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    subject = Publication.objects.get(pk=subject.pk)
    assert subject.title == "The Subject, Revised"
    assert [pick.title for pick in subject.related_picks.all()] == ["Shares Trade"]


def test_a_curator_drags_the_last_featured_row_to_the_very_top_and_the_order_holds(
    live_server, page, new_page, curator, sign_in
):
    """Dropped above the first row (on the table's head), not on a row: the order the
    page shows is the order saved, for the curator and for readers."""
    titles = ["First Featured", "Second Featured", "Last Featured"]
    for position, title in enumerate(titles):
        make_publication(title, is_featured=True, featured_position=position, days_ago=position + 1)
    reader = new_page()
    expect(featured_links(reader, live_server)).to_have_text(titles)
    sign_in(page, curator)
    page.goto(featured_order_page(live_server))
    rows = page.locator("fieldset.reorderable tbody tr")
    expect(rows).to_have_count(3)

    # As a hand drags: from the handle, over the first row, on up to the head, and let go.
    rows.nth(2).locator(".reorder-handle").hover()
    page.mouse.down()
    first = rows.nth(0).bounding_box()
    page.mouse.move(first["x"] + 20, first["y"] + 4, steps=5)
    head = page.locator("fieldset.reorderable thead").bounding_box()
    page.mouse.move(head["x"] + 20, head["y"] + head["height"] / 2, steps=5)
    page.mouse.up()
    expect(rows).to_contain_text(["Last Featured", "First Featured", "Second Featured"])
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("The featured order is saved.")).to_be_visible()
    expect(rows).to_contain_text(["Last Featured", "First Featured", "Second Featured"])
    expect(featured_links(reader, live_server)).to_have_text(
        ["Last Featured", "First Featured", "Second Featured"]
    )


def test_a_curator_moves_a_pick_up_from_the_keyboard_then_drags_one_below_the_last(
    live_server, page, new_page, curator, sign_in
):
    """The picks inline shares the featured order's script: "Move up" answers the
    keyboard, and a row dropped below every row (on "Add another") goes last."""
    subject = make_publication("The Subject")
    for position, title in enumerate(["Pick A", "Pick B", "Pick C"]):
        make_pick(subject, make_publication(title, days_ago=position + 2), position)
    reader = new_page()
    sign_in(page, curator)
    page.goto(change_page(live_server, subject))
    rows = page.locator("#picks-group tbody tr.has_original")
    expect(rows).to_have_count(3)

    rows.nth(1).get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(rows).to_contain_text(["Pick B", "Pick A", "Pick C"])
    rows.nth(0).locator(".reorder-handle").hover()
    page.mouse.down()
    last = rows.nth(2).bounding_box()
    page.mouse.move(last["x"] + 20, last["y"] + last["height"] - 4, steps=5)
    below = page.locator("#picks-group tr.add-row").bounding_box()
    page.mouse.move(below["x"] + 20, below["y"] + below["height"] / 2, steps=5)
    page.mouse.up()
    expect(rows).to_contain_text(["Pick A", "Pick C", "Pick B"])
    page.locator("input[name=_continue]").first.click()

    expect(page.get_by_text("was changed successfully")).to_be_visible()
    expect(rows).to_contain_text(["Pick A", "Pick C", "Pick B"])
    expect(related_links(reader, live_server, subject)).to_have_text(
        ["Pick A", "Pick C", "Pick B", "More related publications"]
    )


def test_the_tag_widget_offers_the_existing_tag_for_a_near_duplicate(
    live_server, page, curator, sign_in
):
    make_publication("Uses It", tags=["energy transition"])
    make_publication("Uses It Too", tags=["energy transition"])
    subject = make_publication("The Subject", tags=["Côte d'Ivoire"])
    sign_in(page, curator)
    page.goto(change_page(live_server, subject))

    expect(page.locator(".select2-selection__choice", has_text="Côte d'Ivoire")).to_be_visible()
    page.locator(".field-tags .select2-search__field").fill("Energy transition ")
    options = page.locator(".select2-results__option:not(.loading-results)")
    expect(options).to_have_text(["energy transition (2 publications)"])
    options.first.click()
    page.locator(".field-tags .select2-search__field").fill("Brand, new")
    page.locator(".select2-results__option", has_text="Add the new tag “Brand, new”").click()
    page.locator("input[name=_continue]").first.click()

    expect(page.get_by_text("was changed successfully")).to_be_visible()
    tags = sorted(tag.name for tag in Publication.objects.get(pk=subject.pk).tags.all())
    assert tags == ["Brand, new", "Côte d'Ivoire", "energy transition"]
