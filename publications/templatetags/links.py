from html import escape

from django import template
from django.utils.safestring import mark_safe

from thinktank.building_blocks.links import is_safe_link

register = template.Library()


@register.filter
def url_if_safe(url):
    """The one way a stored URL outside a body reaches an href.

    Links are checked when saved, but rows written with update() or bulk_create()
    skip that check, so a value that is not a safe link renders as no link at all.
    """
    return url.strip() if url and is_safe_link(url) else ""


@register.simple_tag
def byline(authors):
    """`authors` as links to their pages, in byline order: "A", "A and B", "A, B and C".

    Written here rather than by a template loop: a card's byline is most of the cost
    of an uncached list page's cards, and this is a third of that loop's. Each link
    is escaped by the standard library's html.escape(), which Django's escape() calls
    after checking that neither value is lazy; that check, made twice per author by
    format_html(), cost as much as the rest of the byline.
    """
    links = [f'<a href="{escape(a.get_absolute_url())}">{escape(a.name)}</a>' for a in authors]
    if len(links) < 2:
        return mark_safe("".join(links))  # every value escaped above
    return mark_safe(", ".join(links[:-1]) + " and " + links[-1])  # as above
