import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control

from publications.caching import content_version


class AnonymousPageCacheMiddleware:
    """Whole-page cache for anonymous readers, retired the moment content changes.

    It sits above the session and auth middleware: a request carrying a session
    cookie (staff, or anyone who logged in) skips the cache, so nobody logged in
    ever sees a cached page, and readers cost no session lookup. Pages are keyed by
    the content token (publications.caching), and their ETag is that token and the
    path, so a browser revalidating an unchanged page gets a 304 without any work.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.is_cacheable_request(request):
            return self.get_response(request)

        path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
        token = content_version()
        etag = f'"{token}-{path}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response

        key = f"page:{token}:{path}"
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if self.is_cacheable_response(response):
                response["ETag"] = etag
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def is_cacheable_request(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
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
