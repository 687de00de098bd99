"""The facets: the ways a reader narrows the public publications, each with the model
its values name and the PublicationQuerySet method that narrows to one of them.

One list for the list page's filters (?region=asia), the facet pages (/regions/asia/),
the feeds (/feeds/regions/asia/) and search's counts, so that each of them lists
what the others list.
"""

from collections.abc import Callable
from dataclasses import dataclass

from taggit.models import Tag

from authors.models import Author

from .models import PublicationQuerySet, PublicationType, Region, public_tags


@dataclass(frozen=True)
class Facet:
    name: str  # in query strings, the feeds' URL names and search's counts
    label: str  # what search's counts are headed with
    narrow: Callable  # narrow(publications, value): a PublicationQuerySet method
    model: type | None = None  # what a value names, by its slug; a year names nothing
    # What a value may name, when not every item of `model`: a function, as it is
    # built per request (published() compares with the current time).
    public_items: Callable | None = None

    def items(self):
        """What a reader may narrow by, and what has a feed."""
        return self.public_items() if self.public_items else self.model.objects.all()


FACETS = {
    facet.name: facet
    for facet in [
        Facet("type", "Type", PublicationQuerySet.of_type, PublicationType),
        Facet("region", "Region", PublicationQuerySet.about, Region),
        # A tag used only on drafts or scheduled items is named nowhere.
        Facet("tag", "Topic", PublicationQuerySet.tagged, Tag, public_items=public_tags),
        Facet("author", "Author", PublicationQuerySet.by, Author),
        Facet("year", "Year", PublicationQuerySet.published_in),
    ]
}
