"""Rich text: what survives the allow-list, and what never does."""

import pytest
from django.template import Context, Template

from publications.richtext.sanitize import (
    ALLOWED_TAGS,
    LINK_SCHEMES,
    refused_images,
    sanitize_html,
    without_control_characters,
)

from .factories import make_publication

# The allow-list is applied in Python, before and after the database:
# .ci/run runs this module once, in its SQLite pass.
pytestmark = pytest.mark.only_in_sqlite_pass

DANGEROUS = {
    "script tag": '<p>keep</p><script>alert("x")</script>',
    "event handler": '<p onclick="alert(1)">keep</p><img src="/media/a.png" onerror="alert(1)">',
    "javascript link": '<a href="javascript:alert(1)">keep</a>',
    "javascript link hidden by a tab": '<a href="java\tscript:alert(1)">keep</a>',
    "javascript link with entities": '<a href="&#106;avascript:alert(1)">keep</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD4=">keep</a>',
    "style attribute": '<p style="position:fixed;top:0">keep</p>',
    "style element": "<style>body{display:none}</style><p>keep</p>",
    "iframe": '<iframe src="https://example.org/embed"></iframe><p>keep</p>',
    "blockquote cite javascript": '<blockquote cite="javascript:alert(1)">keep</blockquote>',
    "object": '<object data="/x.swf"></object><p>keep</p>',
    "form": '<form action="https://example.org"><input name="a"></form><p>keep</p>',
}
FORBIDDEN_FRAGMENTS = [
    "<script",
    "alert",
    "onclick",
    "onerror",
    "javascript",
    "data:",
    "style",
    "<iframe",
    "<object",
    "<form",
    "<input",
]


def test_the_allow_list_derived_from_the_editor_is_the_designed_policy():
    """DESIGN.md's allow-list, tag for tag; a new editor button shows up here."""
    designed_tags = {"p", "br", "h2", "h3", "h4", "strong", "em", "s", "sub", "sup", "abbr",
                     "a", "ul", "ol", "li", "blockquote", "hr", "figure", "figcaption", "img",
                     "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}  # fmt: skip
    designed_schemes = {"https", "http", "mailto"}

    assert designed_tags == ALLOWED_TAGS
    assert designed_schemes == LINK_SCHEMES


@pytest.mark.parametrize("html", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_dangerous_markup_is_gone_but_the_text_stays(html):
    cleaned = sanitize_html(html)

    for fragment in FORBIDDEN_FRAGMENTS:
        assert fragment not in cleaned.lower()
    assert "keep" in cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("html", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_creating_a_publication_stores_only_clean_html(html):
    publication = make_publication(body=html)

    publication.refresh_from_db()
    for fragment in FORBIDDEN_FRAGMENTS:
        assert fragment not in publication.body.lower()


def test_the_editors_own_markup_survives():
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4>"
        "<p><strong>b</strong> <em>i</em> <s>s</s> H<sub>2</sub>O x<sup>2</sup></p>"
        '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>'
        '<blockquote cite="https://example.org/speech">quoted</blockquote><hr>'
        '<figure><img src="/media/body/map.png" alt="A map" width="600" height="400">'
        "<figcaption>Caption</figcaption></figure>"
        '<table><caption>Figures</caption><thead><tr><th scope="col">Year</th></tr></thead>'
        '<tbody><tr><td colspan="2">2024</td></tr></tbody></table>'
    )

    assert sanitize_html(html) == html


def test_links_keep_their_address_and_open_safely():
    cleaned = sanitize_html('<a href="https://example.org/report" title="Report">r</a>')

    assert cleaned == (
        '<a href="https://example.org/report" title="Report" rel="noopener noreferrer">r</a>'
    )


@pytest.mark.parametrize(
    "href", ["mailto:press@example.org", "/publications/a-brief/", "#fn-1", "http://example.org"]
)
def test_ordinary_link_addresses_are_kept(href):
    assert f'href="{href}"' in sanitize_html(f'<a href="{href}">x</a>')


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example.org/pixel.gif",
        "//evil.example.org/a.png",
        "/media/../settings.py",
        "data:image/png;base64,AAAA",
        "/static/img/logo.png",
    ],
)
def test_images_only_come_from_our_own_media(src):
    assert "src=" not in sanitize_html(f'<img src="{src}" alt="x">')


# Each of these sends a browser to another host (or runs script) although it does
# not start with a scheme the policy allows.
OTHER_HOST_ADDRESSES = {
    "slash-backslash": "/\\evil.example",
    "two-backslashes": "\\\\evil.example",
    "backslash-slash": "\\/evil.example",
    "protocol-relative": "//evil.example",
    "encoded-backslash": "/%5Cevil.example",
    "encoded-backslash-lower": "/%5cevil.example",
    "encoded-slash": "/%2Fevil.example",
    "https-with-backslashes": "https:\\\\evil.example",
    "tab-in-scheme": "java&#9;script:alert(1)",
    "newline-in-scheme": "java&#10;script:alert(1)",
    "entity-colon": "javascript&colon;alert(1)",
    "newline-before-slashes": "/&#10;/evil.example",
}


@pytest.mark.parametrize("href", OTHER_HOST_ADDRESSES.values(), ids=OTHER_HOST_ADDRESSES.keys())
def test_a_link_to_another_host_without_a_scheme_loses_its_address(href):
    assert "href" not in sanitize_html(f'<a href="{href}">x</a>')


@pytest.mark.parametrize("cite", OTHER_HOST_ADDRESSES.values(), ids=OTHER_HOST_ADDRESSES.keys())
def test_a_quotation_source_on_another_host_without_a_scheme_is_dropped(cite):
    assert "cite" not in sanitize_html(f'<blockquote cite="{cite}">q</blockquote>')


@pytest.mark.parametrize("src", OTHER_HOST_ADDRESSES.values(), ids=OTHER_HOST_ADDRESSES.keys())
def test_an_image_on_another_host_without_a_scheme_is_dropped(src):
    assert "src" not in sanitize_html(f'<img src="{src}" alt="x">')


FOREIGN_IMAGE_ADDRESSES = [
    "https://example.org/map.png",
    "http://example.org/map.png",
    "ftp://example.org/map.png",
    "mailto:press@example.org",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "/media/../settings.py",
    "/static/img/logo.png",
    *OTHER_HOST_ADDRESSES.values(),
]
OWN_IMAGE_ADDRESSES = ["/media/body/map.png", "  /media/body/map.png ", "/media/a%20b.png"]


@pytest.mark.parametrize("src", FOREIGN_IMAGE_ADDRESSES + OWN_IMAGE_ADDRESSES)
def test_the_images_named_as_refused_are_exactly_those_saving_would_drop(src):
    html = f'<p>Text.</p><img src="{src}" alt="x">'

    dropped = "<img" not in sanitize_html(html)

    assert dropped == (src not in OWN_IMAGE_ADDRESSES)
    assert bool(refused_images(html)) == dropped


def test_refused_images_are_named_once_each_in_the_order_they_come():
    html = (
        '<img src="https://b.example/2.png"><img src="/media/ours.png">'
        '<figure><img src=" https://a.example/1.png "></figure>'
        '<img src="https://b.example/2.png"><img alt="no address"><img src="">'
    )

    assert refused_images(html) == ["https://b.example/2.png", "https://a.example/1.png"]


def test_an_image_that_loses_its_address_goes_so_its_alt_text_is_not_a_second_caption():
    html = (
        '<figure><img src="https://example.org/map.png" alt="A map of the peninsula">'
        "<figcaption>A map of the peninsula</figcaption></figure>"
    )

    assert sanitize_html(html) == "<figure><figcaption>A map of the peninsula</figcaption></figure>"


def test_a_figure_left_with_nothing_in_it_goes_too():
    html = '<p>a</p><figure><img src="https://example.org/map.png" alt="A &quot;map&quot; > x"></figure>'

    assert sanitize_html(html) == "<p>a</p>"


def test_the_editors_empty_paragraph_below_a_final_table_is_not_stored():
    table = "<table><tbody><tr><td>1</td></tr></tbody></table>"

    assert sanitize_html(f"<p>a</p>{table}<p></p>") == f"<p>a</p>{table}"
    assert sanitize_html("<p>a</p><p></p><p>b</p>") == "<p>a</p><p></p><p>b</p>"


def test_a_link_hiding_a_zero_width_character_loses_its_address():
    assert "href" not in sanitize_html('<a href="https://exa\u200bmple.org">x</a>')


def test_ids_are_kept_only_for_footnote_anchors():
    cleaned = sanitize_html('<a id="fnref-1" href="#fn-1">1</a><li id="location">x</li>')

    assert 'id="fnref-1"' in cleaned
    assert "location" not in cleaned


def test_non_numeric_sizes_are_dropped():
    cleaned = sanitize_html('<td colspan="2;x">a</td><img src="/media/a.png" width="100%">')

    assert "colspan" not in cleaned
    assert "width" not in cleaned


def test_a_page_level_heading_becomes_plain_text():
    assert sanitize_html("<h1>Title</h1>") == "Title"


def test_comments_are_stripped():
    assert sanitize_html("<p>a<!-- secret --></p>") == "<p>a</p>"


def test_empty_editor_output_is_stored_as_empty():
    assert sanitize_html("<p></p>") == ""


def test_the_template_filter_cleans_what_it_renders():
    rendered = Template("{% load rich_text %}{{ body|rich_text }}").render(
        Context({"body": "<p>ok</p><script>alert(1)</script>"})
    )

    assert rendered == "<p>ok</p>"


# What the editor stores for lists and tables, and what readers get.
TIGHT = {
    "list item": (
        "<ul><li><p>One</p></li><li><p>Two</p></li></ul>",
        "<ul><li>One</li><li>Two</li></ul>",
    ),
    "ordered list keeps its start": (
        '<ol start="3"><li><p>Three</p></li></ol>',
        '<ol start="3"><li>Three</li></ol>',
    ),
    "nested list": (
        "<ul><li><p>Outer</p><ul><li><p>Inner <strong>bold</strong></p></li></ul></li></ul>",
        "<ul><li>Outer<ul><li>Inner <strong>bold</strong></li></ul></li></ul>",
    ),
    "table cells keep their attributes": (
        '<table><tbody><tr><th scope="col" colspan="2"><p>Year</p></th></tr>'
        "<tr><td><p>2024</p></td><td><p>3 &lt; 4<br>line</p></td></tr></tbody></table>",
        '<table><tbody><tr><th scope="col" colspan="2">Year</th></tr>'
        "<tr><td>2024</td><td>3 &lt; 4<br>line</td></tr></tbody></table>",
    ),
    "empty cell": (
        "<table><tbody><tr><td><p></p></td></tr></tbody></table>",
        "<table><tbody><tr><td></td></tr></tbody></table>",
    ),
}
LOOSE = {
    "two paragraphs in an item": "<ul><li><p>First.</p><p>Second.</p></li></ul>",
    "text beside the paragraph": "<ul><li>Before<p>inside</p></li></ul>",
    "a blockquote beside it": "<ul><li><p>Said:</p><blockquote>quote</blockquote></li></ul>",
    "paragraphs outside lists": "<p>One.</p><p>Two.</p>",
}


@pytest.mark.parametrize(("stored", "shown"), TIGHT.values(), ids=TIGHT.keys())
def test_a_single_paragraph_in_a_list_item_or_table_cell_is_unwrapped(stored, shown):
    assert sanitize_html(stored) == shown
    assert sanitize_html(shown) == shown  # cleaning again changes nothing


@pytest.mark.parametrize("html", LOOSE.values(), ids=LOOSE.keys())
def test_items_with_more_than_one_paragraph_keep_them(html):
    assert sanitize_html(html) == html


@pytest.mark.django_db
def test_bodies_stored_before_the_rule_are_shown_tight(client):
    article = make_publication("Old Lists", body="<p>x</p>")
    type(article).objects.filter(pk=article.pk).update(body="<ul><li><p>Loose item</p></li></ul>")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<li>Loose item</li>" in page


@pytest.mark.django_db
def test_a_figure_stored_without_its_picture_shows_its_caption_once(client):
    """Bodies saved before the admin refused foreign images kept the picture's alt text."""
    article = make_publication("Old Figure", body="<p>x</p>")
    type(article).objects.filter(pk=article.pk).update(
        body='<figure><img alt="Map of the peninsula"><figcaption>Map of the peninsula</figcaption>'
        "</figure>"
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count("Map of the peninsula") == 1
    assert "<figcaption>Map of the peninsula</figcaption>" in page


def test_text_written_out_loses_what_xml_cannot_carry_and_word_line_breaks_become_spaces():
    """Lone surrogates never reach the database, but nothing written out may hold one."""
    pasted = "Line one\x0bline two\x00\x01\x7f\ufffe\uffff\ud800 \t\n\r é 😀"

    assert without_control_characters(pasted) == "Line one line two\x7f \t\n\r é 😀"
