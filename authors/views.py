from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .models import Author


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    queryset = Author.objects.filter(is_active=True)


class AuthorDetailView(ListView):
    """One expert's page: bio and links, then their public publications, paginated.

    Former staff (inactive) keep their page; only the experts list leaves them out.
    """

    template_name = "authors/author_detail.html"
    paginate_by = 20

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        # The reverse relation keeps authors free of a module-level publications import.
        return self.author.publications.published().for_listing().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
