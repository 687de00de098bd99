"""The one allow-list for rich text, and the function that applies it; and the
characters no text we write out (feeds, citation files) may carry.

Every body is cleaned by `sanitize_html` in `Publication.save()` and when the admin
form is cleaned, so whatever reaches a template through the `rich_text` filter has
passed through here. The admin form first asks `refused_images` which images cleaning
would drop, and refuses the save naming them. When this policy changes, add a data
migration that re-saves stored bodies (or rely on that render-time cleaning, as the
list and table cell rule below does: stored `<li><p>` is shown tight without rewriting
old rows).
"""

import re
from html.parser import HTMLParser

import nh3
from django.urls import reverse_lazy

from thinktank.building_blocks.links import LINK_SCHEMES, is_own_media_url, is_safe_url

from .elements import images

# What the editor (django-prose-editor) offers analysts. The allow-list below is
# derived from it, so a button added here cannot write tags the policy drops.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(LINK_SCHEMES)},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # A new figure's picture comes from the image library, chosen or uploaded in the
    # dialog (publications.admin.images serves both; static/js/editor_extensions.js).
    "Figure": {
        "libraryUrl": reverse_lazy("admin:publications_image_library"),
        "uploadUrl": reverse_lazy("admin:publications_image_upload"),
    },
    "Caption": True,
    "Image": True,
    "History": True,
    # An empty paragraph after a final table, figure, list or quotation, so there is
    # always somewhere to click and type below it (dropped again when stored).
    "TrailingNode": True,
}


# The tags each extension writes.
TAGS_WRITTEN_BY = {
    "Bold": {"strong"},
    "Italic": {"em"},
    "Strike": {"s"},
    "Subscript": {"sub"},
    "Superscript": {"sup"},
    "Heading": {f"h{level}" for level in EDITOR_EXTENSIONS["Heading"]["levels"]},
    "BulletList": {"ul"},
    "OrderedList": {"ol"},
    "ListItem": {"li"},
    "Blockquote": {"blockquote"},
    "HorizontalRule": {"hr"},
    "HardBreak": {"br"},
    "Link": {"a"},
    "Table": {"table", "tbody"},
    "TableRow": {"tr"},
    "TableHeader": {"th"},
    "TableCell": {"td"},
    "Figure": {"figure"},
    "Caption": {"figcaption"},
    "Image": {"img"},
    "History": set(),
    "TrailingNode": set(),
}
# Kept although no button writes them: paragraphs, and what text pasted or imported
# from elsewhere brings (abbreviations, table heads, feet and captions).
ALLOWED_WITHOUT_A_BUTTON = {"p", "abbr", "thead", "tfoot", "caption"}

ALLOWED_TAGS = ALLOWED_WITHOUT_A_BUTTON.union(
    *(TAGS_WRITTEN_BY[name] for name in EDITOR_EXTENSIONS)
)

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "li": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

NUMERIC_ATTRIBUTES = {"width", "height", "colspan", "rowspan", "start"}
URL_ATTRIBUTES = {"href", "cite", "src"}
TABLE_SCOPES = {"row", "col", "rowgroup", "colgroup"}

# Footnote anchors only: any other id could clobber DOM globals on the page.
FOOTNOTE_ID = re.compile(r"fn(ref)?-\d{1,4}")
NUMBER = re.compile(r"\d{1,4}")


# What XML 1.0 cannot carry (its Char production): C0 controls other than tab, line
# feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML_CHARACTERS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def without_control_characters(text):
    """`text` without the characters XML 1.0 cannot carry, which text pasted from
    elsewhere brings along. Those that separate words (Word writes a line break
    within a paragraph as U+000B) become a space; the others are dropped."""
    return _NOT_XML_CHARACTERS.sub(lambda match: " " if match[0].isspace() else "", text)


def keeps_image(address):
    """Whether an image at `address` is kept: only our own uploaded files are. nh3 drops
    an address with a scheme other than the links' before asking; none is our own."""
    return is_own_media_url(address)


def _filter_attribute(tag, attribute, value):
    value = value.strip()
    if attribute == "id":
        return value if FOOTNOTE_ID.fullmatch(value) else None
    if attribute in NUMERIC_ATTRIBUTES:
        return value if NUMBER.fullmatch(value) else None
    if attribute == "scope":
        return value if value in TABLE_SCOPES else None
    if tag == "img" and attribute == "src":
        return value if keeps_image(value) else None
    if attribute == "cite":
        safe = is_safe_url(value, schemes={"http", "https"}, allow_relative=False)
        return value if safe else None
    if attribute == "href":
        return value if is_safe_url(value, schemes=LINK_SCHEMES) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=LINK_SCHEMES,
)


def sanitize_html(html):
    """Return `html` reduced to the allow-list above; empty editor output becomes ''."""
    if not html:
        return ""
    cleaned = _without_pictureless_images(_cleaner.clean(html))
    cleaned = _without_empty_paragraphs_at_the_end(cleaned)
    return unwrap_single_paragraphs(cleaned) if cleaned.strip() else ""


def _without_empty_paragraphs_at_the_end(html):
    """`html` without the empty paragraphs at its end (`<p></p>`, spaces allowed), and
    the spaces around them: the one the editor keeps below a final table, figure or
    list (TrailingNode), or all there is of an empty body.

    Read from the end: a regular expression anchored at the end is tried at every
    position of the text, which cost ten times nh3's cleaning of the whole body on
    every uncached article page (the rich_text filter cleans it again).
    """
    kept, removed = html, False
    while True:
        rest = kept.rstrip()
        if not rest.endswith("</p>"):
            break
        rest = rest[: -len("</p>")].rstrip()
        if not rest.endswith("<p>"):
            break
        kept, removed = rest[: -len("<p>")], True
    return kept.rstrip() if removed else html


# In nh3's output every attribute reads name="value", a quote inside written &quot;.
_IMAGE = re.compile(r'<img(?:\s[a-z]+="[^"]*")*>')
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>")


def _without_pictureless_images(html):
    """An image whose address was dropped shows its alt text as a broken picture, which
    readers take for a second caption: with nothing to show, it goes, and a figure that
    held only it. Its caption stays: those are words someone wrote."""
    if "<img" not in html:
        return html
    html = _IMAGE.sub(lambda image: image[0] if ' src="' in image[0] else "", html)
    return _EMPTY_FIGURE.sub("", html)


def image_addresses(html):
    """The address of each image in `html`, in order (those without one left out)."""
    return [address.strip() for address, _ in images(html) if address and address.strip()]


def refused_images(html):
    """The address of each image in `html` that `sanitize_html` would drop, once each and
    in order, so that a form can name them instead (an image without an address shows
    nothing, so it is not named)."""
    addresses = image_addresses(html)
    return list(dict.fromkeys(address for address in addresses if not keeps_image(address)))


# The editor's schema puts every list item and table cell's text in a paragraph
# (`<li><p>text</p></li>`), which a browser renders with a paragraph's margins: lists
# spread out and table rows twice as tall. Where the paragraph is the item's only one,
# it is dropped from the stored HTML; the editor wraps the text again when it loads.
TIGHT_CONTAINERS = {"li", "td", "th"}
# What may sit beside the one paragraph of a list item: the nested lists under it.
BESIDE_THE_PARAGRAPH = {"ul", "ol"}
VOID_ELEMENTS = {"br", "hr", "img", "wbr"}
_PARAGRAPH_IN_CONTAINER = re.compile(r"<(?:li|td|th)\b[^>]*>\s*<p>")


class _Tokens(HTMLParser):
    """The HTML as (kind, tag, raw text) tokens, so it can be written back unchanged."""

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.tokens = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("void", tag, self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag, f"</{tag}>"))

    def handle_data(self, data):
        self.tokens.append(("text", None, data))

    def handle_entityref(self, name):
        self.tokens.append(("text", None, f"&{name};"))

    def handle_charref(self, name):
        self.tokens.append(("text", None, f"&#{name};"))


def _element_tree(tokens):
    """For each start tag's index: its direct child elements' indices, whether it holds
    text of its own, and the index of its end tag."""
    children, has_own_text, closing = {}, set(), {}
    open_elements = []
    for index, (kind, tag, raw) in enumerate(tokens):
        parent = open_elements[-1] if open_elements else None
        if kind in ("start", "void") and parent is not None:
            children.setdefault(parent, []).append(index)
        if kind == "start" and tag not in VOID_ELEMENTS:
            open_elements.append(index)
        elif kind == "end" and parent is not None and tokens[parent][1] == tag:
            closing[open_elements.pop()] = index
        elif kind == "text" and raw.strip() and parent is not None:
            has_own_text.add(parent)
    return children, has_own_text, closing


def unwrap_single_paragraphs(html):
    """`<li><p>text</p></li>` becomes `<li>text</li>` (also in td and th); an item
    with two or more paragraphs, or text beside its paragraph, is left as it is."""
    if not _PARAGRAPH_IN_CONTAINER.search(html):
        return html
    tokens = _Tokens(html).tokens
    children, has_own_text, closing = _element_tree(tokens)
    dropped = set()
    for index, (kind, tag, _) in enumerate(tokens):
        if kind != "start" or tag not in TIGHT_CONTAINERS or index in has_own_text:
            continue
        inside = children.get(index, [])
        paragraphs = [child for child in inside if tokens[child][1] == "p"]
        others = {tokens[child][1] for child in inside} - {"p"}
        if len(paragraphs) == 1 and others <= BESIDE_THE_PARAGRAPH and paragraphs[0] in closing:
            dropped |= {paragraphs[0], closing[paragraphs[0]]}
    return "".join(raw for index, (_, _, raw) in enumerate(tokens) if index not in dropped)
