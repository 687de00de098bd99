"""What each role sees on the publication form, in a real browser (issue 19): an analyst's
byline without headings or a blank row, where "Add another Author" and reordering still
work; a curator's read-only body set as the article is."""

import pytest
from playwright.sync_api import expect

from ..factories import make_author, make_publication
from .test_editorial_workflow import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "<h2>Where the money goes</h2><p>Spending rose.</p>"
    "<ul><li>Grid storage</li><li>Wind at sea</li></ul>"
    "<ol><li>First</li><li>Second</li></ol>"
    "<table><caption>Spending</caption><thead><tr><th>Year</th><th>Share</th></tr></thead>"
    "<tbody><tr><td>2024</td><td>12%</td></tr></tbody></table>"
)


def test_an_analyst_adds_an_author_moves_them_first_and_the_order_holds(
    live_server, page, analyst, sign_in, screenshot
):
    publication = make_publication(
        "Paying for the Grid",
        status="draft",
        published_at=None,
        authors=[make_author("Oleg Ivanov")],
        body=BODY,
        tags=["energy"],
    )
    make_author("Mina Park")
    make_publication("Storage at Scale", tags=["energy"])

    sign_in(page, analyst)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")

    byline = page.locator("#authorships-group")
    rows = byline.locator("tbody tr.form-row:visible")
    # One row, the author's, under no heading of its own; no blank row below it.
    expect(rows).to_have_count(1)
    expect(byline.locator("tbody")).not_to_contain_text("Paying for the Grid")
    # No publish date, featuring or Pin to use.
    expect(
        page.locator("#id_published_at_0, #id_is_featured, #id_featured_position")
    ).to_have_count(0)
    expect(page.get_by_role("button", name="Pin “Storage at Scale”")).to_have_count(0)
    screenshot(page, "roles-analyst-change-form")

    byline.get_by_role("button", name="Add another Author").click()
    expect(rows).to_have_count(2)
    choose(page, "id_authorships-1-author", "Mina", "Mina Park")
    rows.nth(1).get_by_role("button", name="Move up").click()
    page.get_by_role("button", name="Save draft").first.click()

    expect(page.locator(".messagelist")).to_have_text("Draft saved.")
    expect(rows.locator(".select2-selection__rendered")).to_have_text(["Mina Park", "Oleg Ivanov"])
    assert [author.name for author in publication.byline] == ["Mina Park", "Oleg Ivanov"]


# How the article's headings, lists and table look, as the browser computes them.
LOOKS = """body => {
    const style = (selector) => getComputedStyle(body.querySelector(selector));
    return {
        heading: [style("h2").backgroundColor, style("h2").textTransform],
        bullets: style("ul > li").listStyleType,
        numbers: style("ol > li").listStyleType,
        caption: [style("caption").backgroundColor, style("caption").textTransform],
        cell: style("td").borderTopStyle,
    };
}"""


def test_a_curator_reads_the_body_as_the_article_sets_it(
    live_server, page, curator, sign_in, screenshot
):
    publication = make_publication(
        "Paying for the Grid", authors=[make_author("Oleg Ivanov")], body=BODY, is_featured=True
    )

    sign_in(page, curator)
    page.goto(f"{live_server.url}/admin/publications/publication/{publication.pk}/change/")

    body = page.locator(".field-formatted_body .prose")
    expect(body.get_by_role("heading", name="Where the money goes")).to_be_visible()
    assert body.evaluate(LOOKS) == {
        "heading": ["rgba(0, 0, 0, 0)", "none"],  # not an admin section bar
        "bullets": "disc",
        "numbers": "decimal",
        "caption": ["rgba(0, 0, 0, 0)", "none"],
        "cell": "solid",
    }
    expect(
        page.get_by_text("Only editors may publish, schedule, unpublish or feature")
    ).to_be_visible()
    expect(page.locator("#id_featured_position")).to_be_editable()
    screenshot(page, "roles-curator-change-form")
