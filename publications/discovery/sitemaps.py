"""/sitemap.xml: an index of one sitemap per section, each listing only public pages.

Addresses are absolute with the request's host (Django's RequestSite, so no sites
framework to keep in step with the domain); ALLOWED_HOSTS has validated that host.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from authors.models import Author

from ..caching.pages import page_answered
from ..models import (
    Authorship,
    Publication,
    PublicationType,
    public_tags,
    regions_with_public_counts,
)


class PublicationSitemap(Sitemap):
    def items(self):
        return Publication.objects.published().only("slug", "updated_at").newest_first()

    def lastmod(self, publication):
        return publication.updated_at

    def get_latest_lastmod(self):
        return Publication.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class AuthorSitemap(Sitemap):
    def items(self):
        # Like their page, a former author's stays; one with nothing public has no list.
        authored = Authorship.objects.filter(
            author=OuterRef("pk"), publication__in=Publication.objects.published()
        )
        return Author.objects.filter(Exists(authored)).only("slug").order_by("slug")


class RegionSitemap(Sitemap):
    def items(self):
        # A region's page lists its subregions' publications too; regions are few.
        return [region for region in regions_with_public_counts() if region.publication_count]


class TagSitemap(Sitemap):
    def items(self):
        return public_tags()

    def location(self, tag):
        return tag.get_absolute_url()


class TypeSitemap(Sitemap):
    def items(self):
        typed = Publication.objects.published().filter(publication_type=OuterRef("pk"))
        return PublicationType.objects.filter(Exists(typed))


class StaticPageSitemap(Sitemap):
    def items(self):
        return [
            "publications:home",
            "publications:list",
            "authors:list",
            "publications:region-list",
            "publications:tag-list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "publications": PublicationSitemap,
    "authors": AuthorSitemap,
    "regions": RegionSitemap,
    "tags": TagSitemap,
    "types": TypeSitemap,
}


def section(request, section):
    """One section's sitemap; `p` is its page, which Django's view answers 404 past the end."""
    response = sitemap(request, SITEMAPS, section)
    page = request.GET.get("p")
    return page_answered(response, {"p": str(int(page))} if page else {})


# The query parameters it reads (caching.page_parameters()).
section.page_parameters = ("p",)
