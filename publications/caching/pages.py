"""The whole-page cache's keys: which query parameters enter them, and when a page
asked with parameters may be kept."""

import hashlib

from django.urls import Resolver404, resolve

from ..models.content_version import content_version

# The longest value of a query parameter that a page reads (search words, a filter, a
# page number): the one home of that limit. forms.PublicationFilterForm cuts every value
# to it, search words included. 200, because search words need the most (more than
# anyone types, and a bound on the work of a search), and no slug is longer (an
# author's may be 200 characters), so every filter value that names something fits.
# The page cache follows it: a page asked with a longer value is not kept
# (page_parameters()), as it only shows what the value cut to this length shows.
PAGE_PARAMETER_MAX_LENGTH = 200


def page_parameters(request):
    """The query parameters that enter the cache key of `request`'s page, or None if the
    page is not worth caching.

    A view names the parameters it reads in its `page_parameters` (a filter, a page
    number); any other parameter (utm_source, fbclid, or one another page reads) does
    not change what it shows, so it is left out of the key and makes no new entry.
    Each counts with the one value the view reads, the last given; an empty one
    counts as not given. Whether the page is then kept: page_answered().
    """
    if not request.GET:
        return {}
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None  # no page of ours: a 404, which is never kept
    parameters = {}
    for name in getattr(getattr(view, "view_class", view), "page_parameters", ()):
        value = request.GET.get(name)
        if value and len(value) > PAGE_PARAMETER_MAX_LENGTH:
            return None
        if value:
            parameters[name] = value
    return parameters


def page_key(request, parameters):
    """The cache key of the page `request` asks for, with its page_parameters().

    Keyed by the content version, scheme, host, path and those parameters, sorted.
    """
    page = f"{request.scheme}://{request.get_host()}{request.path}?{sorted(parameters.items())}"
    digest = hashlib.blake2b(page.encode(), digest_size=12).hexdigest()
    return f"page:{content_version()}:{digest}"


def page_answered(response, parameters):
    """Tell the page cache which page parameters `response` shows something for.

    `parameters` are those the page used, each spelled as its own links spell it, or
    None when it shows nothing. A page asked with parameters is kept only when they
    are exactly the ones it answered (may_keep()): a filter value that names
    something, a page of results that exists, in its one spelling. An unknown value,
    a year without publications, search words, a page past the end, `02024` for 2024:
    each is rendered for every request instead, so that random values, however many,
    make no entry and push no real page out of the cache.
    """
    response.answered_parameters = parameters
    return response


def may_keep(response, parameters):
    """Whether the page cache may keep `response`, asked with `parameters` (page_answered())."""
    return not parameters or getattr(response, "answered_parameters", None) == parameters


def page_etag(page_key):
    """The ETag of a cached page: its key, so it changes with the content version."""
    return '"{}"'.format(page_key.removeprefix("page:").replace(":", "-"))


def page_is_kept(request):
    """Whether the page cache keeps `request`'s page if it can (its response allowing):
    what only that page shows need not also be kept apart (content_version.remember()),
    as the next reader gets the whole page."""
    return getattr(request, "_page_cache_keeps", False)


def keeps_page(request):
    """Mark `request` as one whose page the page cache keeps if it can."""
    request._page_cache_keeps = True
