from django.conf import settings
from django.contrib import admin
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from . import media

ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"


@require_safe
@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers a trivial query, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("authors/", include("authors.urls")),
    path("", include("publications.urls")),
]

# Files on the local disk are served by the app, in production as in development; a
# bucket (MEDIA_STORAGE=s3) hands out its own URLs.
if isinstance(default_storage, FileSystemStorage):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", media.serve, name="media")
    )
