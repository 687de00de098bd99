"""One publication in a list: its card, and the list of them.

Both are written here rather than by included templates. Every list, facet and article
page shows 6 to 20 cards, and a page nobody asked for since the last edit (what a
crawler meets) rendered each through its include: the template looked up a
dozen values, each through a failed dictionary look-up first, about a tenth of an
uncached list page's cost. The values are escaped by the standard library's
html.escape(), as templatetags.links.byline() explains; a search snippet is already
safe HTML (search.snippets()) and is kept as it is.
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .dates import time_element
from .links import byline

register = template.Library()


@register.simple_tag
def card(publication, reason="", snippet=""):
    """`publication` as a card: its type, title (a link to it), byline and date, then
    `reason` (why it is suggested, on the related list) if given, and its excerpt, or
    `snippet` (the passage a search matched) if given.

    The publication must come through for_listing(), which loads its type and byline.
    """
    authors = publication.byline
    by = (
        f'<span class="card__byline">{byline(authors)}</span> <span aria-hidden="true">·</span> '
        if authors
        else ""
    )
    why = f'<p class="card__reason">{escape(reason)}</p>' if reason else ""
    text = conditional_escape(snippet) if snippet else escape(publication.excerpt)
    return mark_safe(  # every value is escaped above; byline and time_element escape theirs
        '<article class="card">'
        f'<p class="card__type">{escape(publication.publication_type.name)}</p>'
        f'<h3 class="card__title"><a href="{escape(publication.get_absolute_url())}">'
        f"{escape(publication.title)}</a></h3>"
        f'<p class="card__meta">{by}{time_element(publication.published_at)}</p>'
        f'{why}<p class="card__excerpt">{text}</p>'
        "</article>"
    )


@register.simple_tag
def card_list(publications, empty_message="No publications yet."):
    """`publications` as a list of cards, or `empty_message` if there are none.

    Written here rather than by an included template: the include, its loop and the
    context it pushed cost about as much as the six cards of an article's related list.
    The publications must come through for_listing(), as for card().
    """
    if not publications:
        return mark_safe(f'<p class="empty">{escape(empty_message)}</p>')  # escaped here
    cards = "".join(f"<li>{card(publication)}</li>" for publication in publications)
    return mark_safe(f'<ul class="card-list">{cards}</ul>')  # card() escapes its values
