from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from .forms import PublicationFilterForm
from .models import BYLINE_PREFETCH, Publication, Region, TaggedPublication
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
        return super().get_context_data(form=self.form, **kwargs)


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"

    def get_queryset(self):
        return (
            Publication.objects.published()
            .select_related("publication_type")
            .prefetch_related(
                "regions",
                Prefetch(
                    "tagged_items",
                    queryset=TaggedPublication.objects.select_related("tag").order_by("tag__name"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        related = related_publications(self.object, with_reasons=False, bylines=False)
        # The article's byline and the related cards' bylines in one query.
        prefetch_related_objects(
            [self.object, *(suggestion.publication for suggestion in related)], BYLINE_PREFETCH
        )
        return super().get_context_data(related=related, **kwargs)


class RelatedListView(DetailView):
    template_name = "publications/related_list.html"

    def get_queryset(self):
        return Publication.objects.published().defer("body")

    def get_context_data(self, **kwargs):
        related = related_publications(self.object, limit=RELATED_FULL_LIMIT, with_reasons=False)
        return super().get_context_data(related=related, **kwargs)


class RegionListView(ListView):
    template_name = "publications/region_list.html"

    def get_queryset(self):
        return Region.objects.with_publication_counts()


class RegionDetailView(PublicationListMixin, ListView):
    template_name = "publications/region_detail.html"

    def get_queryset(self):
        self.region = get_object_or_404(
            Region.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().about(self.region)

    def get_context_data(self, **kwargs):
        return super().get_context_data(region=self.region, **kwargs)


class TagDetailView(PublicationListMixin, ListView):
    template_name = "publications/tag_detail.html"
    # A tag used only on drafts or scheduled items is not public either.
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tagged_items__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
