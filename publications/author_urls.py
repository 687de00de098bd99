"""/authors/...: the authors' pages, under the namespace their links have always used."""

from django.urls import path

from .views import lists

app_name = "authors"
urlpatterns = [
    path("", lists.AuthorListView.as_view(), name="list"),
    path("<unicode_slug:slug>/", lists.AuthorDetailView.as_view(), name="detail"),
]
