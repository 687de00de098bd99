import re

from django.conf import settings

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def site(request):
    """The site's name, and this page's canonical address for search engines.

    The canonical address keeps only ?page=N (N above 1): each page of a list is its
    own page, while a list's filters, sort orders and tracking parameters name the
    same content as the unfiltered list, which is the one to index.
    """
    page = request.GET.get("page", "")
    # A plain page number from 2 on; anything else (abc, ², a 5,000-digit number) is
    # not a page the list has (it answers 404), so it has no canonical page query.
    query = f"?page={page}" if PAGE_NUMBER.fullmatch(page) and page != "1" else ""
    return {
        "site_name": settings.THINKTANK_NAME,
        "canonical_url": request.build_absolute_uri(request.path) + query,
    }
