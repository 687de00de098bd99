"""The pages that list publications: the home page, the publication list with its
filters, and each region's, tag's, type's and author's page; and the indexes of
regions, topics and experts.

A page that has a feed names it in its context (`feed`, and `feed_slug` for a facet's),
for the templates to link to (templatetags.discovery).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils.text import Truncator
from django.views.generic import ListView, TemplateView

from authors.models import Author
from thinktank.building_blocks.compiled import by_slug

from ..caching.pages import page_answered
from ..facets import FACETS
from ..forms import PublicationFilterForm
from ..lookups import BySlugMixin
from ..models import (
    Publication,
    PublicList,
    Region,
    regions_with_public_counts,
    topic_index,
)

FEATURED_COUNT = 4
LATEST_COUNT = 10
# Enough of a mistyped page number to recognise it, not a pasted page of text.
PAGE_VALUE_SHOWN_LENGTH = 20


class NoSuchPage(Exception):
    """The `page` asked for is not a positive number, or is past the end of the list."""

    def __init__(self, message):
        self.message = message


def answered_parameters(request, page, filters):
    """What a list shows something for (caching.page_answered()): the `filters` it
    used and the page number asked, spelled as its links spell them; None if empty."""
    if not page.object_list:
        return None
    if request.GET.get("page"):
        return {**filters, "page": str(page.number)}
    return filters


class PublicationListMixin:
    """A paginated, newest-first list of public publications; subclasses narrow it by
    facets (filters()).

    A page that does not exist gets a 404 that says why and links to the first page,
    rather than the "not published yet" of a missing publication.
    """

    paginate_by = 20
    # The query parameters it reads (caching.page_parameters()).
    page_parameters = ("page",)

    def get_queryset(self):
        # Read from the list entries (models.listing): any page of any list, and its
        # count, without reading the archive. Built per request: public is judged now.
        return PublicList(self.filters())

    def filters(self):
        """{facet name: value} (facets.FACETS) that narrow the list; none by default."""
        return {}

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        asked = self.request.GET.get(self.page_kwarg) or "1"
        shown = Truncator(asked).chars(PAGE_VALUE_SHOWN_LENGTH)
        try:
            page = paginator.page(asked)
        except PageNotAnInteger:
            raise NoSuchPage(f"“{shown}” is not a page number: pages are 1, 2, 3…") from None
        except EmptyPage:
            pages = pluralize(paginator.num_pages)
            raise NoSuchPage(
                f"There is no page {shown}; this list has {paginator.num_pages} page{pages}."
                if int(asked) > 1
                else "Pages are numbered from 1."
            ) from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except NoSuchPage as no_such_page:
            first_page = request.GET.copy()
            first_page.pop(self.page_kwarg)
            context = {"message": no_such_page.message, "first_page": first_page.urlencode()}
            return render(request, "publications/no_such_page.html", context, status=404)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return page_answered(
            response, answered_parameters(self.request, context["page_obj"], self.used_filters())
        )

    def used_filters(self):
        """The query-string filters that narrowed the list (the list page has some)."""
        return {}


class HomeView(TemplateView):
    template_name = "publications/home.html"

    def get_context_data(self, **kwargs):
        public = Publication.objects.published().for_listing()
        featured = public.featured()[:FEATURED_COUNT]
        # Latest leaves out what Featured already shows, and still lists LATEST_COUNT.
        latest = public.exclude(pk__in=featured.values("pk")).newest_first()[:LATEST_COUNT]
        return super().get_context_data(
            featured=featured,
            latest=latest,
            regions=Region.objects.all(),
            feed="latest",
            **kwargs,
        )


class PublicationListView(PublicationListMixin, ListView):
    template_name = "publications/publication_list.html"
    page_parameters = (*PublicationFilterForm.base_fields, "page")

    def filters(self):
        self.form = PublicationFilterForm(self.request.GET)
        # An unknown value is reported and left out; the other filters still apply.
        self.form.is_valid()
        return self.form.chosen()

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, feed="latest", **kwargs)

    def used_filters(self):
        return self.form.used()


class FacetView(BySlugMixin, PublicationListMixin, ListView):
    """One region's, tag's, type's or author's page: the item, then its publications.

    Subclasses name their facet (facets.FACETS): the model whose item the slug names,
    and the narrowing that the list page's filter and the item's feed use too.
    """

    facet = None
    item_name = None  # the template's name for the item, if not the facet's
    related = None  # a foreign key of the item's that the page shows too

    def items(self):
        """Where the slug is looked up."""
        return self.facet.model.objects.all()

    def get_by_slug(self, queryset):
        # Read by a statement compiled once per process; an old address and a missing
        # one go through the queryset.
        item = by_slug(self.facet.model, self.kwargs["slug"], related=self.related)
        return item if item is not None else super().get_by_slug(queryset)

    def filters(self):
        self.item = self.get_by_slug(self.items())
        return {self.facet.name: self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **{self.item_name or self.facet.name: self.item},
            feed=self.facet.name,
            feed_slug=self.item.slug,
            **kwargs,
        )


class RegionDetailView(FacetView):
    template_name = "publications/region_detail.html"
    facet = FACETS["region"]
    related = "parent"

    def items(self):
        return super().items().select_related(self.related)


class TagDetailView(FacetView):
    template_name = "publications/tag_detail.html"
    facet = FACETS["tag"]
    # A tag used only on drafts or scheduled items is not public either.
    allow_empty = False


class TypeDetailView(FacetView):
    template_name = "publications/type_detail.html"
    facet = FACETS["type"]
    item_name = "publication_type"


class AuthorDetailView(FacetView):
    """Former staff (inactive) keep their page; only the experts list leaves them out."""

    template_name = "authors/author_detail.html"
    facet = FACETS["author"]


class RegionListView(ListView):
    template_name = "publications/region_list.html"

    def get_queryset(self):
        return regions_with_public_counts()


class TagListView(ListView):
    """The topics index: every public tag with its count of public publications."""

    template_name = "publications/tag_list.html"

    def get_queryset(self):
        # (name, slug, count) of each, what the index writes (templatetags.links.
        # topic_index): thousands of rows, read without making a Tag or any other
        # object of each, and counted as public_tags() counts.
        return topic_index()


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    queryset = Author.objects.filter(is_active=True)
