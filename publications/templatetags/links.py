from django import template

from thinktank.building_blocks.links import is_safe_link

register = template.Library()


@register.filter
def url_if_safe(url):
    """The one way a stored URL outside a body reaches an href.

    Links are checked when saved, but rows written with update() or bulk_create()
    skip that check, so a value that is not a safe link renders as no link at all.
    """
    return url.strip() if url and is_safe_link(url) else ""
