"""What publications.discovery gives pages: the article page's citation and metadata,
and the addresses of a page's feeds. Reached from templates, so that the views need
not import discovery (nor discovery the views)."""

from django import template

from ..discovery.citations import Citation
from ..discovery.feeds import feed_links as feed_addresses
from ..discovery.metadata import ArticleMetadata

register = template.Library()


@register.simple_tag(takes_context=True)
def citation(context, publication):
    """{% citation publication as citation %}: how to cite it (citations.Citation)."""
    return Citation.of(publication, context["request"])


@register.simple_tag(takes_context=True)
def article_metadata(context, publication):
    """{% article_metadata publication as metadata %}: what its page tells search engines,
    social sites and Google Scholar (metadata.ArticleMetadata)."""
    return ArticleMetadata(publication, context["request"])


@register.simple_tag
def feed_links(feed, slug=""):
    """{% feed_links feed feed_slug as feed_links %}: the RSS and Atom addresses of the
    page's `feed` (its name in feed_urls), of the item with `slug` for a facet's feed."""
    return feed_addresses(feed, slug=slug) if slug else feed_addresses(feed)
