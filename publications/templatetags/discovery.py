"""What publications.discovery gives pages: the article page's citation and metadata,
and the addresses of a page's feeds. Reached from templates, so that the views need
not import discovery (nor discovery the views)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..discovery.citations import Citation
from ..discovery.feeds import feed_links as feed_addresses
from ..discovery.metadata import ArticleMetadata
from .metadata import json_ld

register = template.Library()


@register.simple_tag(takes_context=True)
def citation(context, publication):
    """{% citation publication as citation %}: how to cite it (citations.Citation)."""
    return Citation.of(publication, context["request"])


@register.simple_tag(takes_context=True)
def article_head(context, publication):
    """{% article_head publication %}: the meta tags and structured data by which an
    article's page tells search engines, social sites and Google Scholar what it is
    (metadata.ArticleMetadata), for the head of its page.

    Written here rather than by a template: about forty values, each looked up and
    escaped by the template engine, were a tenth of an uncached article's cost. Each
    value is escaped by the standard library's html.escape(), as links.byline() says.
    """
    metadata = ArticleMetadata(publication, context["request"])
    site_name = context["site_name"]
    description = publication.meta_description
    share_image, share_image_alt = metadata.share_image_url, metadata.share_image_alt
    tags = [
        ("name", "description", description),
        ("property", "og:type", "article"),
        ("property", "og:title", publication.title),
        ("property", "og:description", description),
        ("property", "og:url", metadata.url),
        ("property", "og:site_name", site_name),
        ("property", "og:image", share_image),
        ("property", "og:image:alt", share_image_alt),
        ("property", "article:published_time", publication.published_at.isoformat()),
        ("property", "article:modified_time", publication.updated_at.isoformat()),
        *(("property", "article:author", url) for _, url in metadata.authors),
        *(("property", "article:tag", tag.name) for tag in publication.topics),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", publication.title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", share_image),
        ("name", "twitter:image:alt", share_image_alt),
        ("name", "citation_title", publication.title),
        *(("name", "citation_author", name) for name in metadata.citation_authors),
        ("name", "citation_publication_date", metadata.citation_date),
        ("name", "citation_publisher", site_name),
        ("name", "citation_abstract_html_url", metadata.url),
        *((("name", "citation_pdf_url", metadata.pdf_url),) if metadata.pdf_url else ()),
    ]
    lines = [f'<meta {key}="{name}" content="{escape(str(value))}">' for key, name, value in tags]
    return mark_safe("\n".join([*lines, json_ld(metadata.structured_data)]))  # escaped above


@register.simple_tag
def feed_links(feed, slug=""):
    """{% feed_links feed feed_slug as feed_links %}: the RSS and Atom addresses of the
    page's `feed` (its name in feed_urls), of the item with `slug` for a facet's feed."""
    return feed_addresses(feed, slug=slug) if slug else feed_addresses(feed)
