"""A curator merges two tags in the browser, choosing which stays, then undoes it."""

import pytest
from playwright.sync_api import expect
from taggit.models import Tag

from publications.models import Publication

from ..factories import make_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_curator_merges_two_tags_choosing_the_survivor_then_undoes_it(
    live_server, page, curator, sign_in, axe_violations, screenshot
):
    make_publication("Grid", tags=["energy security", "energy"])
    make_publication("Pipelines", tags=["energy security"])
    make_publication("Coal", tags=["energy"])
    make_publication("Refineries", tags=["energy security"])
    sign_in(page, curator)

    page.goto(f"{live_server.url}/admin/taggit/tag/")
    for name in ["energy", "energy security"]:
        page.get_by_role("row", name=name, exact=False).filter(
            has=page.get_by_role("link", name=name, exact=True)
        ).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Merge selected tags…")
    page.get_by_role("button", name="Go").click()

    sentence = page.locator("#merge-sentence")
    expect(sentence).to_have_text(
        "2 tags merged into “energy security”: 4 publications keep their place, "
        "1 of them had two of these tags."
    )
    page.get_by_label("energy", exact=True).check()
    expect(sentence).to_contain_text("2 tags merged into “energy”:")
    assert axe_violations(page) == []
    screenshot(page, "tag-merge-confirmation")
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator(".messagelist")).to_contain_text("2 tags merged into “energy”")
    assert list(Tag.objects.values_list("name", flat=True)) == ["energy"]
    assert axe_violations(page) == []
    screenshot(page, "tag-merge-done")
    page.locator(".messagelist").get_by_role("link", name="Undo…").click()

    expect(page.get_by_text("brings back “energy security”")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "tag-merge-undo")
    page.get_by_role("button", name="Confirm").click()

    expect(page.locator(".messagelist")).to_contain_text("Merge undone: “energy security”")
    assert sorted(
        Publication.objects.filter(tags__name="energy security").values_list("title", flat=True)
    ) == ["Grid", "Pipelines", "Refineries"]
    assert sorted(
        Publication.objects.filter(tags__name="energy").values_list("title", flat=True)
    ) == ["Coal", "Grid"]
