"""How a public address finds what it names: by its slug, or by a slug it had before
(301 to the current one); and, for a publication, among the public ones, or among all
of them for someone who may preview.

Shared by the pages (publications.views) and the feeds and citation files
(publications.discovery), which do not import each other.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import OldSlug, Publication
from .policy import may_preview


class SlugMoved(Exception):
    """Not an error: the item asked for has a new address."""

    def __init__(self, slug):
        self.slug = slug


def get_by_slug(queryset, slug):
    """The item of `queryset` with `slug`; SlugMoved if that was its slug before; else 404.

    Old slugs are looked up only when no item has the slug now, so the usual
    address costs nothing more.
    """
    try:
        return queryset.get(slug=slug)
    except queryset.model.DoesNotExist:
        moved = OldSlug.objects.moved(queryset, slug)
        if moved is None:
            raise Http404(f"No {queryset.model._meta.verbose_name} here.") from None
        raise SlugMoved(moved.slug) from None


def moved_permanently(request, moved):
    """301 from the address `request` asked to the same one with the current slug, and
    the same query string."""
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, "slug": moved.slug})
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class BySlugMixin:
    """A page of one item found by the `slug` in its address, or by a slug it had before."""

    def get_by_slug(self, queryset=None):
        """The item of `queryset` (get_queryset()'s, if None) with the address's slug."""
        queryset = self.get_queryset() if queryset is None else queryset
        return get_by_slug(queryset, self.kwargs["slug"])

    def get_object(self, queryset=None):  # for DetailView
        # The queryset is made only when it is used: a subclass's get_by_slug() may
        # find the item by a statement of its own.
        return self.get_by_slug(queryset)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except SlugMoved as moved:
            return moved_permanently(request, moved)


class PreviewMixin:
    """A publication's pages, which those who may preview (policy.may_preview) see
    before it is public, at the same addresses; everyone else gets 404 for them.

    What a previewer is shown is chosen from every publication, so no response of
    theirs may be kept by the browser or a shared cache (the page cache already
    skips signed-in people). A page of an item that is not public says so in a
    banner (base.html) and asks search engines not to index it.
    """

    @cached_property
    def previewing(self):
        return may_preview(self.request.user)

    def publications(self):
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
