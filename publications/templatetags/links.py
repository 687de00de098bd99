from functools import lru_cache
from html import escape

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from thinktank.building_blocks.links import is_safe_link
from thinktank.building_blocks.urls import addresses_in_effect, page_url, slug_url, slug_urls

register = template.Library()


@register.filter
def url_if_safe(url):
    """The one way a stored URL outside a body reaches an href.

    Links are checked when saved, but rows written with update() or bulk_create()
    skip that check, so a value that is not a safe link renders as no link at all.
    """
    return url.strip() if url and is_safe_link(url) else ""


@register.simple_tag(name="page_url")
def page_url_tag(viewname):
    """{% page_url 'publications:list' %}: like {% url %} for a route that takes
    nothing, kept per process (building_blocks.urls.page_url); the header and footer
    of every page name six, which {% url %} reversed on each render."""
    return page_url(viewname)


@register.simple_tag(name="slug_url")
def slug_url_tag(viewname, slug):
    """{% slug_url 'publications:related' publication.slug %}: like {% url %} for a
    route that takes a slug alone, kept per process (building_blocks.urls.slug_url):
    an article names three such pages (its related list, its citation files), which
    {% url %} reversed on each render, about 25 µs each."""
    return slug_url(viewname, slug)


@register.simple_tag
def same_on_every_page(template_name):
    """{% same_on_every_page "includes/_site_header.html" %}: a part of every page that
    nothing of the request changes, rendered once per process, script prefix and site
    name rather than on each page: the header's and footer's dozen links and names were
    about 0.25 ms of every uncached page. The template gets `site_name` alone.

    While developing (DEBUG) it is rendered each time, so that an edited template shows.
    """
    if settings.DEBUG:
        return _part(template_name, settings.THINKTANK_NAME)
    return _kept_part(template_name, settings.THINKTANK_NAME, *addresses_in_effect())


def _part(template_name, site_name):
    return render_to_string(template_name, {"site_name": site_name})


@lru_cache(maxsize=64)
def _kept_part(template_name, site_name, prefix, urlconf):
    # The prefix and URLconf are what its {% page_url %}s depend on.
    return _part(template_name, site_name)


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


@register.simple_tag
def chips(items):
    """`items` (regions or topics: each with a name and get_absolute_url()) as a list
    of links, as chips.

    Written here rather than by an included template loop, which cost about 0.1 ms a
    list on every uncached article (its regions and its topics); escaped as byline()
    escapes.
    """
    links = "".join(
        f'<li><a href="{escape(item.get_absolute_url())}">{escape(item.name)}</a></li>'
        for item in items
    )
    return mark_safe(f'<ul class="chips">{links}</ul>')  # every value escaped above


@register.simple_tag
def topic_index(tags):
    """The topics index's items: each tag, a (name, slug, count of its public
    publications) as listing.topic_index() reads them, as a link to its page with its
    count.

    Written here rather than by a template loop, and escaped by the standard library's
    escape() (what Django's calls, without its lazy-string checks): the index lists
    every public tag, thousands of them, which the loop took about 25 µs each to write.
    """
    tag_url = slug_urls("publications:tag-detail")
    return mark_safe(  # every value escaped here, the count a number
        "\n".join(
            f'<li><a href="{escape(tag_url(slug))}">{escape(name)}</a> '
            f'<span class="topic-index__count">{count:d} '
            f"publication{'' if count == 1 else 's'}</span></li>"
            for name, slug, count in tags
        )
    )
