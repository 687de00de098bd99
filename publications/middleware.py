from django.http import Http404, HttpResponsePermanentRedirect

from .models import LegacyURL, Publication, legacy_query_id, normalise_legacy_path


class LegacyRedirectMiddleware:
    """Old WordPress addresses answer 301 to the publication they became.

    It sits above the page cache: the home page with `?p=123` must not be served
    from the cache (which ignores `p`) before the old link is looked up. Paths are
    looked up only when no page of ours answers: the address matches none of our
    URLs, or the page it matches found nothing there (raised Http404, an unknown
    slug). A page of ours that answers 404 itself, such as a list's "no page 999",
    is still ours, and keeps its answer whatever old address shares its path. Only
    public publications are redirected to: an old link to a draft stays a plain 404
    and never names the draft.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            wordpress_id = legacy_query_id(request.META.get("QUERY_STRING", ""))
            if wordpress_id is not None:
                target = self._target(wordpress_id=wordpress_id)
                if target:
                    return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        # Set once the address matches a URL of ours; then process_exception() decides.
        if response.status_code == 404 and request.resolver_match is None:
            return self._redirect(request) or response
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._redirect(request)
        return None

    def _redirect(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        target = self._target(path=normalise_legacy_path(request.path))
        return HttpResponsePermanentRedirect(target) if target else None

    @staticmethod
    def _target(**lookup):
        legacy = (
            LegacyURL.objects.filter(publication__in=Publication.objects.published(), **lookup)
            .select_related("publication")
            .first()
        )
        return legacy.publication.get_absolute_url() if legacy else None
