"""A publication's page, and the page of everything related to it.

The article page's citation, its metadata for search engines and social sites come
from publications.discovery through its template (templatetags.discovery).
"""

from django.db.models import prefetch_related_objects
from django.views.generic import DetailView

from ..caching.pages import page_is_kept
from ..lookups import BySlugMixin, PreviewMixin
from ..models import BYLINE_PREFETCH, REGIONS_PREFETCH, TOPICS_PREFETCH, Image, public_by_slug
from ..related import related_publications
from ..richtext.sanitize import image_addresses

RELATED_FULL_LIMIT = 30


class PublicationDetailView(PreviewMixin, BySlugMixin, DetailView):
    template_name = "publications/publication_detail.html"

    def get_queryset(self):
        return self.publications().select_related("publication_type")

    def get_by_slug(self, queryset=None):
        # What nearly every request asks, a public article at its address, is read by
        # a statement compiled once per process; a previewer's, an old address and a
        # missing one go through the queryset.
        publication = None if self.previewing else public_by_slug(self.kwargs["slug"])
        if publication is None:
            publication = super().get_by_slug(queryset)
        prefetch_related_objects([publication], TOPICS_PREFETCH, REGIONS_PREFETCH)
        return publication

    def get_context_data(self, **kwargs):
        # Kept apart only when the page is not kept whole: a reader's page is, and its
        # list (pickled into the cache, about 3% of a cold article) would be read by
        # nobody until the next change.
        suggestions = related_publications(
            self.object,
            with_reasons=False,
            bylines=False,
            kept=not page_is_kept(self.request),
        )
        # What shares nothing with the article only fills the six: it says so.
        related = [s.publication for s in suggestions if s.curated or s.shares_something]
        newest = [s.publication for s in suggestions if not (s.curated or s.shares_something)]
        # The article's byline and the related cards' bylines in one query.
        prefetch_related_objects([self.object, *related, *newest], BYLINE_PREFETCH)
        # The body's pictures' widths and sizes, in one query for all of them.
        body_images = Image.objects.at_addresses(image_addresses(self.object.body))
        return super().get_context_data(
            related=related, newest=newest, body_images=body_images, **kwargs
        )


class RelatedListView(PreviewMixin, BySlugMixin, DetailView):
    template_name = "publications/related_list.html"

    def get_queryset(self):
        return self.publications().defer("body")

    def get_context_data(self, **kwargs):
        # Only what shares something with it, each with the reason why.
        suggestions = related_publications(
            self.object, limit=RELATED_FULL_LIMIT, fill_with_newest=False
        )
        return super().get_context_data(suggestions=suggestions, **kwargs)
