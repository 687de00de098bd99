from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from authors.models import Author

from .feeds import feed_links
from .forms import PublicationFilterForm
from .metadata import ArticleMetadata
from .models import (
    BYLINE_PREFETCH,
    Publication,
    PublicationType,
    Region,
    public_tags,
)
from .related import related_publications

FEATURED_COUNT = 4
LATEST_COUNT = 10
RELATED_FULL_LIMIT = 30


class PublicationListMixin:
    """A paginated, newest-first list of public publications; subclasses narrow it."""

    paginate_by = 20

    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Publication.objects.published().for_listing().newest_first()


class HomeView(TemplateView):
    template_name = "publications/home.html"

    def get_context_data(self, **kwargs):
        public = Publication.objects.published().for_listing()
        featured = public.filter(is_featured=True).order_by("featured_position", "-published_at")
        return super().get_context_data(
            featured=featured[:FEATURED_COUNT],
            latest=public.newest_first()[:LATEST_COUNT],
            regions=Region.objects.all(),
            feed_links=feed_links("latest"),
            **kwargs,
        )


class PublicationListView(PublicationListMixin, ListView):
    template_name = "publications/publication_list.html"

    def get_queryset(self):
        self.form = PublicationFilterForm(self.request.GET)
        if not self.form.is_valid():
            return Publication.objects.none()
        return self.form.filter(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, feed_links=feed_links("latest"), **kwargs)


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"

    def get_queryset(self):
        return (
            Publication.objects.published()
            .select_related("publication_type")
            .with_topics()
            .prefetch_related("regions")
        )

    def get_context_data(self, **kwargs):
        suggestions = related_publications(self.object, with_reasons=False, bylines=False)
        related = [suggestion.publication for suggestion in suggestions]
        # The article's byline and the related cards' bylines in one query.
        prefetch_related_objects([self.object, *related], BYLINE_PREFETCH)
        return super().get_context_data(
            related=related, metadata=ArticleMetadata(self.object, self.request), **kwargs
        )


class RelatedListView(DetailView):
    template_name = "publications/related_list.html"

    def get_queryset(self):
        return Publication.objects.published().defer("body")

    def get_context_data(self, **kwargs):
        suggestions = related_publications(
            self.object, limit=RELATED_FULL_LIMIT, with_reasons=False
        )
        related = [suggestion.publication for suggestion in suggestions]
        return super().get_context_data(related=related, **kwargs)


class RegionListView(ListView):
    template_name = "publications/region_list.html"

    def get_queryset(self):
        return Region.objects.with_publication_counts()


class TagListView(ListView):
    """The topics index: every public tag with its count of public publications."""

    template_name = "publications/tag_list.html"

    def get_queryset(self):
        return public_tags()


class FacetView(PublicationListMixin, ListView):
    """One region's, tag's, author's or type's page: the thing, then its publications.

    Subclasses name the model (found by slug) and the PublicationQuerySet method that
    narrows to it, the same one the list page's filter uses.
    """

    facet_queryset = None
    narrowed_by = None  # e.g. "about" for a region
    facet_name = None  # the template's name for it
    feed_name = None  # its feed in feed_urls

    def get_queryset(self):
        self.facet = get_object_or_404(self.facet_queryset, slug=self.kwargs["slug"])
        return getattr(super().get_queryset(), self.narrowed_by)(self.facet)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **{self.facet_name: self.facet},
            feed_links=feed_links(self.feed_name, slug=self.facet.slug),
            **kwargs,
        )


class RegionDetailView(FacetView):
    template_name = "publications/region_detail.html"
    facet_queryset = Region.objects.select_related("parent")
    narrowed_by = "about"
    facet_name = "region"
    feed_name = "region"


class TagDetailView(FacetView):
    template_name = "publications/tag_detail.html"
    facet_queryset = Tag.objects.all()
    narrowed_by = "tagged"
    facet_name = "tag"
    feed_name = "tag"
    # A tag used only on drafts or scheduled items is not public either.
    allow_empty = False


class TypeDetailView(FacetView):
    template_name = "publications/type_detail.html"
    facet_queryset = PublicationType.objects.all()
    narrowed_by = "of_type"
    facet_name = "publication_type"
    feed_name = "type"


class AuthorDetailView(FacetView):
    """Former staff (inactive) keep their page; only the experts list leaves them out."""

    template_name = "authors/author_detail.html"
    facet_queryset = Author.objects.all()
    narrowed_by = "by"
    facet_name = "author"
    feed_name = "author"
