"""RSS 2.0 and Atom feeds: the latest publications, and one region's, author's, tag's or type's.

A facet's feed answers at the item's current slug, and 301 from a slug it had before,
as its page does.

The feeds below hand their generators plain text only (a title, the lead's text, names);
the generators make it XML-safe and escape it where readers render HTML.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from thinktank.building_blocks.urls import page_url, slug_url

from ..lookups import SlugMoved, get_by_slug, moved_permanently
from ..models import Publication
from ..richtext.sanitize import without_control_characters

# Feed readers poll often; the newest twenty is what aggregators expect.
FEED_ITEMS = 20


def _xml_safe(value):
    """`value` (text, or lists and tuples of it) without what XML 1.0 cannot carry;
    anything else (a date) as it is."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(each) for each in value)
    return value


class PlainTextFields:
    """For a feed generator given plain text in every field: each field of the feed and
    of its items loses what XML 1.0 cannot carry (Django refuses to write it: a 500),
    and the fields readers render as HTML (`html_fields`) are escaped, so a `<` in a
    title or lead reaches the reader as text, never as markup."""

    html_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = self._for_readers(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = self._for_readers(self.items[-1])

    def _for_readers(self, fields):
        fields = {name: _xml_safe(value) for name, value in fields.items()}
        for name in self.html_fields:
            if fields.get(name) is not None:
                fields[name] = escape(fields[name])
        return fields


class RssWithEveryAuthor(PlainTextFields, Rss201rev2Feed):
    """RSS with one dc:creator per author: Django's feeds name only one."""

    # RSS never says which fields hold HTML: readers render descriptions as HTML, and
    # titles too when they look like it (feedparser does), so both are escaped, as
    # WordPress does. Names (dc:creator) and categories are read as text.
    html_fields = ("title", "description")

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)


class AtomWithEveryAuthor(PlainTextFields, Atom1Feed):
    """Atom with one <author> per author, each with their page."""

    # Django writes an item's description as <summary type="html">; titles are text.
    html_fields = ("description",)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")


class LatestFeed(Feed):
    feed_type = RssWithEveryAuthor

    def title(self, obj=None):
        return f"{settings.THINKTANK_NAME}: latest publications"

    def description(self, obj=None):
        return f"The newest publications from {settings.THINKTANK_NAME}."

    def link(self, obj=None):
        return reverse("publications:list")

    def publications(self, obj):
        """The public publications this feed is about; facet feeds narrow them."""
        return Publication.objects.published()

    def items(self, obj=None):
        publications = self.publications(obj).for_listing("updated_at").with_topics()
        return publications.newest_first()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead_text

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.topics]

    def item_extra_kwargs(self, item):
        """Each author with their page; without a byline, the organisation and its home
        page (an Atom entry must name an author: RFC 4287, 4.1.2)."""
        absolute = self.request.build_absolute_uri
        authors = [(author.name, absolute(author.get_absolute_url())) for author in item.byline]
        return {
            "authors": authors
            or [(settings.THINKTANK_NAME, absolute(reverse("publications:home")))]
        }

    def __call__(self, request, *args, **kwargs):
        # Author links are absolute, like every other link in a feed, so the items
        # need the request. The URLconf holds one instance for all threads: each
        # request gets its own copy.
        for_this_request = copy.copy(self)
        for_this_request.request = request
        return super(LatestFeed, for_this_request).__call__(request, *args, **kwargs)


class FacetFeed(LatestFeed):
    """One region's, author's, tag's or type's publications, as on its page: those of
    one item of `facet` (facets.FACETS), found by slug among its items()."""

    def __init__(self, facet):
        self.facet = facet

    def get_object(self, request, slug):
        return get_by_slug(self.facet.items(), slug)

    def title(self, obj):
        return f"{settings.THINKTANK_NAME}: {obj}"

    def description(self, obj):
        return f"The newest publications from {settings.THINKTANK_NAME} in “{obj}”."

    def link(self, obj):
        return obj.get_absolute_url()

    def publications(self, obj):
        return self.facet.narrow(Publication.objects.published(), obj)

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except SlugMoved as moved:
            return moved_permanently(request, moved)


def atom(feed_class):
    """The same feed in Atom."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": AtomWithEveryAuthor})


def feed_links(name, slug=None):
    """The RSS and Atom addresses of feed `name` (as in feed_urls), of the item with
    `slug` for a facet's feed, for a page to link to. Kept per process, as every other
    address of a page (building_blocks.urls): reverse() was a tenth of a millisecond
    of every list page."""
    if slug is None:
        return {"rss": page_url(f"feeds:{name}"), "atom": page_url(f"feeds:{name}-atom")}
    return {"rss": slug_url(f"feeds:{name}", slug), "atom": slug_url(f"feeds:{name}-atom", slug)}
