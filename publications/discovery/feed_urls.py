"""/feeds/...: each feed in RSS, and in Atom with atom/ appended."""

from django.urls import path

from .feeds import AuthorFeed, LatestFeed, RegionFeed, TagFeed, TypeFeed, atom

app_name = "feeds"
urlpatterns = [
    path("latest/", LatestFeed(), name="latest"),
    path("latest/atom/", atom(LatestFeed)(), name="latest-atom"),
]
for facet, feed in [
    ("region", RegionFeed),
    ("author", AuthorFeed),
    ("tag", TagFeed),
    ("type", TypeFeed),
]:
    urlpatterns += [
        path(f"{facet}s/<unicode_slug:slug>/", feed(), name=facet),
        path(f"{facet}s/<unicode_slug:slug>/atom/", atom(feed)(), name=f"{facet}-atom"),
    ]
