from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import Truncator
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from authors.models import Author

from ..caching.pages import page_answered
from ..discovery.citations import Citation
from ..discovery.feeds import feed_links
from ..discovery.metadata import ArticleMetadata
from ..facets import PublicationFilterForm, SearchForm
from ..models import (
    BYLINE_PREFETCH,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    public_tags,
)
from ..policy import may_preview
from ..related import related_publications
from ..search.page import search_page

FEATURED_COUNT = 4
LATEST_COUNT = 10
RELATED_FULL_LIMIT = 30
# A citation file's extension: the Citation property that writes it, and its type.
CITATION_FORMATS = {
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
}
# Enough of a mistyped page number to recognise it, not a pasted page of text.
PAGE_VALUE_SHOWN_LENGTH = 20


class SlugMoved(Exception):
    """Not an error: the item asked for has a new address."""

    def __init__(self, slug):
        self.slug = slug


class BySlugMixin:
    """A page of one item found by the `slug` in its address, or by a slug it had before.

    An old slug answers 301 to the same page under the current slug, with the same
    query string. Old slugs are looked up only when no item has the slug now, so the
    usual page costs nothing more.
    """

    def get_by_slug(self, queryset):
        slug = self.kwargs["slug"]
        try:
            return queryset.get(slug=slug)
        except queryset.model.DoesNotExist:
            moved = OldSlug.objects.moved(queryset, slug)
            if moved is None:
                raise Http404(f"No {queryset.model._meta.verbose_name} here.") from None
            raise SlugMoved(moved.slug) from None

    def get_object(self, queryset=None):  # for DetailView
        return self.get_by_slug(self.get_queryset() if queryset is None else queryset)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except SlugMoved as moved:
            url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "slug": moved.slug})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class PreviewMixin:
    """A publication's pages, which those who may preview (models.may_preview) see
    before it is public, at the same addresses; everyone else gets 404 for them.

    What a previewer is shown is chosen from every publication, so no response of
    theirs may be kept by the browser or a shared cache (the page cache already
    skips signed-in people). A page of an item that is not public says so in a
    banner (base.html) and asks search engines not to index it.
    """

    def publications(self):
        self.previewing = may_preview(self.request.user)
        return Publication.objects.all() if self.previewing else Publication.objects.published()

    def get_object(self, queryset=None):
        publication = super().get_object(queryset)
        if publication.published_at is None:
            # Dated as publishing it now would date it; nothing is saved.
            publication.published_at = timezone.now()
        return publication

    def get_context_data(self, **kwargs):
        preview = None if self.object.is_public else self.object
        return super().get_context_data(preview=preview, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.previewing:
            response["Cache-Control"] = "private, no-store"
        return response


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
    """A paginated, newest-first list of public publications; subclasses narrow it.

    A page that does not exist gets a 404 that says why and links to the first page,
    rather than the "not published yet" of a missing publication.
    """

    paginate_by = 20
    # The query parameters it reads (caching.page_parameters()).
    page_parameters = ("page",)

    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Publication.objects.published().for_listing().newest_first()

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
        featured = public.featured()
        return super().get_context_data(
            featured=featured[:FEATURED_COUNT],
            latest=public.newest_first()[:LATEST_COUNT],
            regions=Region.objects.all(),
            feed_links=feed_links("latest"),
            **kwargs,
        )


class PublicationListView(PublicationListMixin, ListView):
    template_name = "publications/publication_list.html"
    page_parameters = (*PublicationFilterForm.base_fields, "page")

    def get_queryset(self):
        self.form = PublicationFilterForm(self.request.GET)
        # An unknown value is reported and left out; the other filters still apply.
        self.form.is_valid()
        return self.form.filter(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, feed_links=feed_links("latest"), **kwargs)

    def used_filters(self):
        return self.form.used()


class PublicationDetailView(PreviewMixin, BySlugMixin, DetailView):
    template_name = "publications/publication_detail.html"

    def get_queryset(self):
        return (
            self.publications()
            .select_related("publication_type")
            .with_topics()
            .prefetch_related("regions")
        )

    def get_context_data(self, **kwargs):
        suggestions = related_publications(self.object, with_reasons=False, bylines=False)
        # What shares nothing with the article only fills the six: it says so.
        related = [s.publication for s in suggestions if s.curated or s.shares_something]
        newest = [s.publication for s in suggestions if not (s.curated or s.shares_something)]
        # The article's byline and the related cards' bylines in one query.
        prefetch_related_objects([self.object, *related, *newest], BYLINE_PREFETCH)
        article_url = self.request.build_absolute_uri(self.object.get_absolute_url())
        return super().get_context_data(
            related=related,
            newest=newest,
            citation=Citation(self.object, article_url),
            metadata=ArticleMetadata(self.object, self.request),
            **kwargs,
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


class CitationDownloadView(PreviewMixin, BySlugMixin, DetailView):
    """The publication's reference as a file for reference managers (BibTeX or RIS)."""

    extension = None  # a key of CITATION_FORMATS, given in urls.py

    def get_queryset(self):
        return self.publications().for_citation()

    def render_to_response(self, context):
        attribute, content_type = CITATION_FORMATS[self.extension]
        article_url = self.request.build_absolute_uri(self.object.get_absolute_url())
        response = HttpResponse(
            getattr(Citation(self.object, article_url), attribute), content_type=content_type
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{self.object.slug}.{self.extension}"
        )
        return response


class RegionListView(ListView):
    template_name = "publications/region_list.html"

    def get_queryset(self):
        return Region.objects.with_publication_counts()


class TagListView(ListView):
    """The topics index: every public tag with its count of public publications."""

    template_name = "publications/tag_list.html"

    def get_queryset(self):
        return public_tags()


class FacetView(BySlugMixin, PublicationListMixin, ListView):
    """One region's, tag's, author's or type's page: the thing, then its publications.

    Subclasses name the model (found by slug) and the PublicationQuerySet method that
    narrows to it, the same one the list page's filter uses.
    """

    facet_queryset = None
    narrowed_by = None  # e.g. "about" for a region
    facet_name = None  # the template's name for it
    feed_name = None  # its feed in feed_urls

    def get_queryset(self):
        self.facet = self.get_by_slug(self.facet_queryset)
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


class SearchView(TemplateView):
    """Full-text search, narrowed by the list page's filters (publications.search)."""

    template_name = "publications/search.html"
    page_parameters = (*SearchForm.base_fields, "page")

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        found = search_page(form, self.request.GET.get("page")) if form.is_valid() else None
        return super().get_context_data(form=form, found=found, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        form, found = context["form"], context["found"]
        # Not with search words: any mix of them is a new address, and many match something.
        if found is not None and not form.cleaned_data["q"]:
            page_answered(response, answered_parameters(self.request, found.page, form.used()))
        return response


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    queryset = Author.objects.filter(is_active=True)
