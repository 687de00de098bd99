"""/authors/...: the authors' pages, under the namespace their links have always used."""

from django.urls import path

from .views import pages as views

app_name = "authors"
urlpatterns = [
    path("", views.AuthorListView.as_view(), name="list"),
    path("<unicode_slug:slug>/", views.AuthorDetailView.as_view(), name="detail"),
]
