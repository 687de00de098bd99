"""The "Follow ... by email" controls of author, region, topic and type pages and of
articles: links to the subscribe page with the item chosen (?author=kim-sora)."""

from html import escape
from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from publications.facets import FACETS
from thinktank.building_blocks.urls import page_url

register = template.Library()

_FACET_OF = {facet.model: name for name, facet in FACETS.items() if facet.model}


def follow_url(*items, subscribe=None):
    """The subscribe page (its address `subscribe`, if known) with `items` chosen."""
    query = [(_FACET_OF[type(item)], item.slug) for item in items]
    return f"{subscribe or page_url('alerts:subscribe')}?{urlencode(query)}"


def _name(item):
    return getattr(item, "plural_label", None) or item.name


# The controls are written with the standard library's html.escape(), as the cards are
# (publications.templatetags.cards): format_html() and Django's escape() cost about half
# of an article's controls, on every article page.


@register.simple_tag
def follow_link(item):
    """One item's control: "Follow Northeast Asia by email"."""
    return mark_safe(  # both values escaped here
        f'<p class="follow"><a class="follow__link" href="{escape(follow_url(item))}">'
        f"Follow {escape(_name(item))} by email</a></p>"
    )


@register.simple_tag
def follow_links(publication):
    """An article's controls: one per author and region, and all of them at once.
    Uses what the page has read already (its byline and regions)."""
    items = [*publication.byline, *publication.region_list]
    if not items:
        return ""
    subscribe = page_url("alerts:subscribe")
    links = "".join(
        f'<li><a href="{escape(follow_url(item, subscribe=subscribe))}">'
        f"Follow {escape(_name(item))}</a></li>"
        for item in items
    )
    every = escape(follow_url(*items, subscribe=subscribe))
    return mark_safe(  # every value escaped here
        '<div class="follow"><h2 class="label">Follow by email</h2><ul class="follow__list">'
        f'{links}<li><a href="{every}">Choose what to follow</a></li></ul></div>'
    )
