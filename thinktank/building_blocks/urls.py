"""Addresses from slugs: the route converter every slug route takes, and the address
of a page found by its slug, worked out once per process.

An uncached list page names about 80 such pages (each card's publication and its
authors) and reverse() walks the URL patterns for each: most of a millisecond of the
page. What it returns for a slug depends only on the URL patterns in use and the
script prefix, so both are part of what the answer is kept under.

A page nobody asked for since the last edit names publications this process has not
seen either. For those, each route is reversed once, with a stand-in slug, and a slug
is put in its place as reverse() would put it: every slug route takes the unicode_slug
converter (below; tests/test_names.py checks the URLconf), whose value goes into the
address as it is, percent-encoded. A value that converter refuses goes through
reverse() itself, which refuses it the same way. (About 12 µs a new slug, 1.3 µs so.)

The script prefix and URLconf are read from Django once a request (addresses_in_effect()
below): each read goes through asgiref's Local, and the 40 to 80 addresses of a page
read them twice each, a tenth of a cold article's cost.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# What `slugify(value, allow_unicode=True)` can produce (building_blocks.slugs), and
# all the routes accept.
SLUG_PATTERN = r"[-\w]+"
# Enough for every publication, author, region and type of a large archive's hot pages.
KEPT = 50_000
# A slug no route's own text contains.
STAND_IN = "slug-stand-in"


class UnicodeSlugConverter:
    """`<unicode_slug:slug>`: like Django's `<slug:...>`, in every script."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# (script prefix, URLconf) of the request being answered, noted once its view is chosen
# (building_blocks.middleware.AddressesInEffectMiddleware); None outside a request.
_noted = ContextVar("addresses_in_effect", default=None)


def addresses_in_effect():
    """(script prefix, URLconf): what every address reverse() gives depends on."""
    return _noted.get() or _asked_of_django()


def _asked_of_django():
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@contextmanager
def noting_addresses():
    """A request's span: what note_addresses_in_effect() notes within it is forgotten
    after it."""
    token = _noted.set(None)
    try:
        yield
    finally:
        _noted.reset(token)


def note_addresses_in_effect():
    _noted.set(_asked_of_django())


def is_route_slug(value):
    return re.fullmatch(SLUG_PATTERN, value) is not None


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), kept."""
    return _reversed(viewname, slug, *addresses_in_effect())


def slug_urls(viewname):
    """slug_url(viewname, ...) as a function of the slug alone, for a page that names
    thousands of one route's pages (the topics index): addresses_in_effect() is read
    once."""
    prefix, urlconf = addresses_in_effect()
    return lambda slug: _reversed(viewname, slug, prefix, urlconf)


@lru_cache(maxsize=KEPT)
def _reversed(viewname, slug, prefix, urlconf):
    if not is_route_slug(slug):
        return reverse(viewname, kwargs={"slug": slug}, urlconf=urlconf)
    before, after = _around_the_slug(viewname, prefix, urlconf)
    # Letters and digits of any script, "_" and "-": the letters outside ASCII are
    # percent-encoded as UTF-8, as reverse() encodes them.
    return f"{before}{quote(slug)}{after}"


@lru_cache(maxsize=256)
def _around_the_slug(viewname, prefix, urlconf):
    """The address of `viewname` before and after its slug."""
    before, after = reverse(viewname, kwargs={"slug": STAND_IN}, urlconf=urlconf).split(STAND_IN)
    return before, after


def page_url(viewname):
    """reverse(viewname) of a route that takes nothing, kept per process as slug_url()
    keeps its answers: every page's header and footer name six such pages."""
    return _reversed_plain(viewname, *addresses_in_effect())


@lru_cache(maxsize=256)
def _reversed_plain(viewname, prefix, urlconf):
    return reverse(viewname, urlconf=urlconf)
