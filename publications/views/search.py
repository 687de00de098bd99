"""The search page."""

from django.views.generic import TemplateView

from ..caching.pages import page_answered
from ..forms import SearchForm
from ..search.page import search_page
from .lists import answered_parameters


class SearchView(TemplateView):
    """Full-text search, narrowed by the list page's filters (publications.search)."""

    template_name = "publications/search.html"
    page_parameters = (*SearchForm.base_fields, "page")

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        found = search_page(form, self.request.GET.get("page")) if form.is_valid() else None
        return super().get_context_data(form=form, found=found, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        form, found = context["form"], context["found"]
        # Not with search words: any mix of them is a new address, and many match something.
        if found is not None and not form.cleaned_data["q"]:
            page_answered(response, answered_parameters(self.request, found.page, form.used()))
        return response
