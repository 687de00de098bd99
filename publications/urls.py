from django.urls import path

from .discovery.citations import CitationDownloadView
from .views import article, lists, search

app_name = "publications"
urlpatterns = [
    path("", lists.HomeView.as_view(), name="home"),
    path("publications/", lists.PublicationListView.as_view(), name="list"),
    path(
        "publications/<unicode_slug:slug>/", article.PublicationDetailView.as_view(), name="detail"
    ),
    path(
        "publications/<unicode_slug:slug>/related/",
        article.RelatedListView.as_view(),
        name="related",
    ),
    path(
        "publications/<unicode_slug:slug>/cite.bib",
        CitationDownloadView.as_view(extension="bib"),
        name="cite-bib",
    ),
    path(
        "publications/<unicode_slug:slug>/cite.ris",
        CitationDownloadView.as_view(extension="ris"),
        name="cite-ris",
    ),
    path("regions/", lists.RegionListView.as_view(), name="region-list"),
    path("regions/<unicode_slug:slug>/", lists.RegionDetailView.as_view(), name="region-detail"),
    path("tags/", lists.TagListView.as_view(), name="tag-list"),
    path("tags/<unicode_slug:slug>/", lists.TagDetailView.as_view(), name="tag-detail"),
    path("types/<unicode_slug:slug>/", lists.TypeDetailView.as_view(), name="type-detail"),
    path("search/", search.SearchView.as_view(), name="search"),
]
