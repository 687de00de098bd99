from django.conf import settings


def site(request):
    """The site's name, and this page's canonical address for search engines.

    The canonical address keeps only ?page=N (N above 1): each page of a list is its
    own page, while a list's filters, sort orders and tracking parameters name the
    same content as the unfiltered list, which is the one to index.
    """
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and int(page) > 1 else ""
    return {
        "site_name": settings.THINKTANK_NAME,
        "canonical_url": request.build_absolute_uri(request.path) + query,
    }
