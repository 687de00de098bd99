from django.urls import path

from .views import pages as views

app_name = "publications"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("publications/", views.PublicationListView.as_view(), name="list"),
    path("publications/<unicode_slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path(
        "publications/<unicode_slug:slug>/related/", views.RelatedListView.as_view(), name="related"
    ),
    path(
        "publications/<unicode_slug:slug>/cite.bib",
        views.CitationDownloadView.as_view(extension="bib"),
        name="cite-bib",
    ),
    path(
        "publications/<unicode_slug:slug>/cite.ris",
        views.CitationDownloadView.as_view(extension="ris"),
        name="cite-ris",
    ),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<unicode_slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<unicode_slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("types/<unicode_slug:slug>/", views.TypeDetailView.as_view(), name="type-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
]
