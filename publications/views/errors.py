"""The 404 page, which suggests publications that match the address's words."""

from django.http import HttpResponseNotFound
from django.template import loader

from ..search.page import suggestions_for_path


def page_not_found(request, exception):
    """handler404: our 404 page, suggesting publications that match the address's words."""
    context = {"suggestions": suggestions_for_path(request.path)}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))
