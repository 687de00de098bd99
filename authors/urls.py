from django.urls import path

from publications.views import AuthorDetailView

from . import views

app_name = "authors"
urlpatterns = [
    path("", views.AuthorListView.as_view(), name="list"),
    path("<unicode_slug:slug>/", AuthorDetailView.as_view(), name="detail"),
]
