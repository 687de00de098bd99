"""The text of a piece of HTML, as a reader sees it: the one conversion for leads,
search documents and imported excerpts."""

import html
import re

from django.utils.html import strip_tags

# Tags that sit inside a line of text. Any other tag ends a paragraph, a heading, a
# list item or a cell, so the words either side of it are separate words.
INLINE_TAGS = (
    "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span"
    "|strong|sub|sup|time|u|var|wbr"
)
_WORD_BREAKING_TAG = re.compile(rf"<(?=/?[a-z])(?!/?(?:{INLINE_TAGS})\b)", re.I)


def plain_text(fragment):
    """The text of `fragment` on one line: tags dropped, character references decoded,
    every run of white space a single space.

    "<h2>Aims</h2><p>Tom &amp; Jerry</p>" becomes "Aims Tom & Jerry": a tag that ends
    a block leaves a space, one within a line (<em>, <a>) does not. Django's strip_tags
    does the dropping, so text that only looks like a tag ("a < b", or a tag never
    closed) is kept as text, and escaped wherever it is shown.
    """
    fragment = fragment or ""
    if "<" not in fragment and "&" not in fragment:
        # Nothing to drop or decode, as in nearly every lead: every card on a page
        # that nobody asked for since the last edit writes its excerpt afresh.
        return " ".join(fragment.split())
    spaced = _WORD_BREAKING_TAG.sub(" <", fragment)
    return " ".join(html.unescape(strip_tags(spaced)).split())


def paragraphs(fragment):
    """The text of each paragraph, heading, list item or cell of `fragment`, as
    plain_text() reads it: ["Aims", "Tom & Jerry"] for the example above."""
    pieces = _WORD_BREAKING_TAG.split(fragment or "")
    # Each piece after the first lost the "<" of the tag it starts with.
    texts = [plain_text(pieces[0]), *(plain_text(f"<{piece}") for piece in pieces[1:])]
    return [text for text in texts if text]
