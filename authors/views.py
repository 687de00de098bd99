from django.views.generic import ListView

from .models import Author


class AuthorListView(ListView):
    template_name = "authors/author_list.html"
    queryset = Author.objects.filter(is_active=True)
