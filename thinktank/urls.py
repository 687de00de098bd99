from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
