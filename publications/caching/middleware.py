from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control

from thinktank.building_blocks.middleware import is_signed_in

from ..models.content_version import (
    VERSION_KEYED_SECONDS,
    has_uncommitted_changes,
    version_per_request,
)
from .pages import keeps_page, may_keep, page_etag, page_key, page_parameters


def used_a_csp_nonce(request):
    """Whether rendering the page put a CSP nonce in it (django-csp makes one on first use).

    Such a page must not be cached: every reader would get the same nonce, and the
    nonce in their policy header (made per request) would not match it anyway.
    """
    return bool(getattr(request, "csp_nonce", None))


class AnonymousPageCacheMiddleware:
    """Whole-page cache for readers, retired the moment content changes.

    It sits above the session and auth middleware, so readers cost no session
    lookup; signed-in people (the signed-in cookie) always get a fresh page. Pages
    are keyed by the content version and the query parameters the page reads, and kept
    only when those named something it shows (caching.pages); their ETag is
    the key, so a browser revalidating an unchanged page gets a 304 without any work.
    The Host header is validated before anything cached is returned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with version_per_request():
            if not self.is_cacheable_request(request):
                return self.get_response(request)
            parameters = page_parameters(request)
            if parameters is None:
                return self.get_response(request)
            return self.cached_response(request, parameters)

    def cached_response(self, request, parameters):
        key = page_key(request, parameters)
        etag = page_etag(key)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        # With Redis, each worker also keeps the pages it served ("pages" cache).
        local = caches["pages"] if "pages" in settings.CACHES else None
        response = local.get(key) if local else None
        if response is None:
            response = cache.get(key)
            if response is None:
                keeps_page(request)
                response = self.get_response(request)
                if (
                    not self.is_cacheable_response(response)
                    or used_a_csp_nonce(request)
                    or not may_keep(response, parameters)
                ):
                    return response
                response["ETag"] = etag
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response, VERSION_KEYED_SECONDS)
            if local:
                local.set(key, response, VERSION_KEYED_SECONDS)
        return response

    @staticmethod
    def is_cacheable_request(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
            and not is_signed_in(request)
            # A request inside a transaction that changed content (a test, a script
            # calling the client) would see rows nobody else can yet.
            and not has_uncommitted_changes()
        )

    @staticmethod
    def is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-cache" not in cache_control
        )
