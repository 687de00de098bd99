"""/feeds/...: each feed in RSS, and in Atom with atom/ appended."""

from django.urls import path

from ..facets import FACETS
from .feeds import FacetFeed, LatestFeed, atom

app_name = "feeds"
urlpatterns = [
    path("latest/", LatestFeed(), name="latest"),
    path("latest/atom/", atom(LatestFeed)(), name="latest-atom"),
]
# Each facet whose values name an item (a region, author, tag or type; not a year).
for facet in FACETS.values():
    if facet.model is not None:
        urlpatterns += [
            path(f"{facet.name}s/<unicode_slug:slug>/", FacetFeed(facet), name=facet.name),
            path(
                f"{facet.name}s/<unicode_slug:slug>/atom/",
                atom(FacetFeed)(facet),
                name=f"{facet.name}-atom",
            ),
        ]
