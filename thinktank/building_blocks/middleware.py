"""HTTP middlewares any site needs: a 400 for NUL bytes, and a signed cookie that tells
signed-in people from readers without loading a session."""

from django.conf import settings
from django.http import HttpResponseBadRequest

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
