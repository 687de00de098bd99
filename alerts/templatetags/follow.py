"""The "Follow ... by email" controls of author, region, topic and type pages and of
articles: links to the subscribe page with the item chosen (?author=kim-sora)."""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join

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


@register.simple_tag
def follow_link(item):
    """One item's control: "Follow Northeast Asia by email"."""
    return format_html(
        '<p class="follow"><a class="follow__link" href="{}">Follow {} by email</a></p>',
        follow_url(item),
        _name(item),
    )


@register.simple_tag
def follow_links(publication):
    """An article's controls: one per author and region, and all of them at once.
    Uses what the page has read already (its byline and regions)."""
    items = [*publication.byline, *publication.region_list]
    if not items:
        return ""
    subscribe = page_url("alerts:subscribe")
    links = format_html_join(
        "",
        '<li><a href="{}">Follow {}</a></li>',
        ((follow_url(i, subscribe=subscribe), _name(i)) for i in items),
    )
    return format_html(
        '<div class="follow"><h2 class="label">Follow by email</h2><ul class="follow__list">{}'
        '<li><a href="{}">Choose what to follow</a></li></ul></div>',
        links,
        follow_url(*items, subscribe=subscribe),
    )
