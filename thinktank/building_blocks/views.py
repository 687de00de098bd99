"""Site-wide views: health check, robots.txt, the favicon, the server-error pages and
the sign-in lockout page. (The 404 page suggests publications: publications.views.errors.)"""

import sys

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .task_queues import task_queue_health

# What a browser or crawler is told to wait before asking again during an outage.
RETRY_AFTER_SECONDS = 60


@require_safe
@never_cache
def healthz(request):
    """For load balancers and monitoring: one line per dependency.

    200 while readers can be served (the database answers), even with the cache
    away or no task worker running, so neither pulls every server out of the pool;
    503 when the database does not answer.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "database ok"
    except DatabaseError:
        database = "database unreachable"
    # Only the Redis cache can be away; local memory always answers.
    reachable = getattr(cache, "is_reachable", lambda: True)()
    lines = [database, "cache ok" if reachable else "cache unreachable"]
    if database == "database ok" and (tasks := task_queue_health()):
        lines.append(tasks)
    status = 200 if database == "database ok" else 503
    return HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    # Crawlers need the sitemap's full address, on the host they asked.
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n", content_type="text/plain"
    )


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG.

    Not a permanent redirect: the SVG's address has its content hash in production,
    and changes when the icon does.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))


def server_error(request):
    """handler500: a maintenance page (503) when the database is away, else our 500 page.

    Both templates are static (no context processors, no database), so they render
    whatever failed. Django calls this while handling the exception, so it is in
    sys.exc_info().
    """
    context = {"site_name": settings.THINKTANK_NAME}
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))


def sign_in_locked_out(request, original_response, credentials):
    """django-axes' AXES_LOCKOUT_CALLABLE: the page a locked-out sign-in gets (429).

    It says why and for how long, in the admin's own look, in place of the login
    form; the form itself stays available to everyone else.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response
