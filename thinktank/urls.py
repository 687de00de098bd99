from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter

from publications.discovery import sitemaps
from publications.views import media

from .building_blocks import views
from .building_blocks.urls import UnicodeSlugConverter

# Before the apps' URLs are read: every slug route is <unicode_slug:...>.
register_converter(UnicodeSlugConverter, "unicode_slug")

handler404 = "publications.views.errors.page_not_found"
handler500 = "thinktank.building_blocks.views.server_error"

# An email provider's webhooks (bounces, complaints: alerts.providers), behind the basic
# auth of ANYMAIL's WEBHOOK_SECRET, as django-anymail documents them; only with anymail.
email_provider = [path("anymail/", include("anymail.urls"))] if apps.is_installed("anymail") else []

urlpatterns = [
    path("admin/", admin.site.urls),
    *email_provider,
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("authors/", include("publications.author_urls")),
    path("feeds/", include("publications.discovery.feed_urls")),
    path("", include("alerts.urls")),
    # Uploaded files, in production as in development, from the disk or a bucket.
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", media.serve, name="media"),
    path("", include("publications.urls")),
]
