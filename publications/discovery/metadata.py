"""What an article page tells search engines, social sites and Google Scholar.

One object per page, built from the publication the detail view loaded (its byline,
tags and regions already prefetched), with absolute addresses on the request's host.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .citations import Citation

PDF = "application/pdf"
# What social sites show for an article without a cover: our name, 1200 by 630 pixels,
# the size Facebook, LinkedIn and X ask for.
SHARE_IMAGE = "img/share.png"


class ArticleMetadata:
    def __init__(self, publication, request):
        self.publication = publication
        self.request = request

    def absolute(self, url):
        return self.request.build_absolute_uri(url)

    @cached_property
    def url(self):
        return self.absolute(self.publication.get_absolute_url())

    @cached_property
    def image_url(self):
        cover = self.publication.cover_image
        return self.absolute(cover.url) if cover else ""

    @cached_property
    def share_image_url(self):
        """The cover, or our default share image for an article without one."""
        return self.image_url or self.absolute(static(SHARE_IMAGE))

    @property
    def share_image_alt(self):
        return self.publication.cover_image_alt if self.image_url else settings.THINKTANK_NAME

    @cached_property
    def pdf_url(self):
        pdf = self.publication.pdf
        return self.absolute(pdf.url) if pdf else ""

    @cached_property
    def authors(self):
        """(author, their page's absolute address) in byline order."""
        return [
            (author, self.absolute(author.get_absolute_url())) for author in self.publication.byline
        ]

    @cached_property
    def citation_authors(self):
        """The authors' sort names, as the citation files give them: the organisation
        when there is no byline."""
        return [name.inverted for name in Citation(self.publication, self.url).names]

    @property
    def citation_date(self):
        """The publish date as Google Scholar reads it: 2025/03/07, in the site's time zone."""
        return timezone.localtime(self.publication.published_at).strftime("%Y/%m/%d")

    @property
    def structured_data(self):
        """schema.org JSON-LD; the type (Article, Report, ScholarlyArticle) comes from its type."""
        publication = self.publication
        data = {
            "@context": "https://schema.org",
            "@type": publication.publication_type.kind,
            "headline": publication.title,
            "description": publication.meta_description,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "datePublished": publication.published_at.isoformat(),
            "dateModified": publication.updated_at.isoformat(),
            "inLanguage": settings.LANGUAGE_CODE,
            "author": [
                {"@type": "Person", "name": author.name, "url": url} for author, url in self.authors
            ],
            "publisher": {
                "@type": "Organization",
                "name": settings.THINKTANK_NAME,
                "url": self.absolute(reverse("publications:home")),
            },
            "keywords": [tag.name for tag in publication.topics],
            "spatialCoverage": [
                {"@type": "Place", "name": region.name} for region in publication.region_list
            ],
        }
        if self.image_url:
            data["image"] = self.image_url
        if self.pdf_url:
            data["encoding"] = {
                "@type": "MediaObject",
                "contentUrl": self.pdf_url,
                "encodingFormat": PDF,
            }
        return data
