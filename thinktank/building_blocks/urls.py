"""The address of a page found by its slug, worked out once per process.

An uncached list page names about 80 such pages (each card's publication and its
authors) and reverse() walks the URL patterns for each: most of a millisecond of the
page. What it returns for a slug depends only on the URL patterns in use and the
script prefix, so both are part of what the answer is kept under.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Enough for every publication, author, region and type of a large archive's hot pages.
KEPT = 50_000


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), kept."""
    return _reversed(viewname, slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=KEPT)
def _reversed(viewname, slug, prefix, urlconf):
    return reverse(viewname, kwargs={"slug": slug}, urlconf=urlconf)
