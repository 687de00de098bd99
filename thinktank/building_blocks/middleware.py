"""HTTP middlewares any site needs: a 400 for NUL bytes, a signed cookie that tells
signed-in people from readers without loading a session, the content security
policy, and the addresses a request's pages link to."""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseBadRequest

from .urls import note_addresses_in_effect, noting_addresses

# A signed cookie that says "this browser is signed in", so that the page cache
# can tell signed-in people from readers without loading their session. A made-up
# session cookie (or a made-up marker) does not pass: only a login sets a valid one.
SIGNED_IN_COOKIE = "signed_in"
SIGNED_IN_SALT = "thinktank.signed-in"


def is_signed_in(request):
    if SIGNED_IN_COOKIE not in request.COOKIES:
        return False
    value = request.get_signed_cookie(
        SIGNED_IN_COOKIE,
        default=None,
        salt=SIGNED_IN_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
    )
    return value is not None


NOT_ALLOWED_MESSAGE = "This address contains characters that are not allowed."


class RejectNulBytesMiddleware:
    """A 400 for a NUL byte anywhere in the address, written out or as %00.

    No page has a use for one, and PostgreSQL refuses it in a query ("A string
    literal cannot contain NUL"): the admin's autocomplete answered 500 to
    ?term=%00. First in the chain: before the page cache, which would key on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\0" in request.path or "\0" in query or "%00" in query:
            return HttpResponseBadRequest(NOT_ALLOWED_MESSAGE, content_type="text/plain")
        return self.get_response(request)


class SignedInCookieMiddleware:
    """Sets the signed-in cookie on a signed-in person's responses, and removes it after.

    Placed after AuthenticationMiddleware. For a reader without a session,
    `request.user` costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        has_marker = is_signed_in(request)
        # login() and logout() replace request.user, so this sees the state after the view.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and not has_marker:
            response.set_signed_cookie(
                SIGNED_IN_COOKIE,
                "1",
                salt=SIGNED_IN_SALT,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif not signed_in and request.COOKIES.get(SIGNED_IN_COOKIE):
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


class AddressesInEffectMiddleware:
    """Notes the request's script prefix and URLconf once its view is chosen, for the
    addresses its page writes (building_blocks.urls.addresses_in_effect()).

    In process_view(): the URLconf is final only then (a middleware may set
    request.urlconf, which Django applies after every middleware's __call__ has run).
    A response made before that (a redirect, a 404 for an address no route matches)
    reads them from Django, as any code outside a request does; a cached page, answered
    by the page cache before this middleware, writes no address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with noting_addresses():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        note_addresses_in_effect()


# What a view or decorator of django-csp's sets on a response to change its policies.
_POLICY_CHANGES = tuple(
    f"_csp_{change}{suffix}"
    for change in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware, with the policies of a response that changes nothing
    in them made once per process.

    django-csp makes both policies (the one enforced and the one reported) from the
    settings afresh for every response, copying every directive it knows: about a
    tenth of a millisecond, which every page pays, cached ones too. Without a nonce,
    a view's own policy or an excluded address, they are the same two strings each
    time. Any other response goes through django-csp's own process_response()."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        policies = _policies_from_the_settings()
        if policies is None:  # an address excluded from a policy: django-csp decides
            return super().process_response(request, response)
        for header, policy in policies:
            if policy and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for once the policy is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _policies_from_the_settings():
    """[(header, policy)] as django-csp makes them from the settings for a response
    that changes nothing and uses no nonce; None if either setting excludes addresses."""
    enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    reported = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
    if enforced.get("EXCLUDE_URL_PREFIXES") or reported.get("EXCLUDE_URL_PREFIXES"):
        return None
    return [(HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True))]


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies_from_the_settings.cache_clear()
