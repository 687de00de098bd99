"""Each publication's best automatic suggestions, worked out ahead of the reader.

Ranking a publication against the whole archive reads every publication that shares
a tag or a region with it: tens of thousands at 100,000 publications. So the worker
keeps, for each publication, its best candidates (publications.related keeps them
right; publications.tasks runs it), and a page reads a short list. What a reader may
see is still decided when the page is asked for: a candidate unpublished, deleted or
kept out of suggestions since is left out at once.
"""

from django.db import models

from .publication import Publication


class RelatedList(models.Model):
    """That `publication`'s candidates are worked out, and how far down they go.

    Its RelatedCandidate rows are exactly the publications that may be suggested by
    themselves (published, even if scheduled, and not kept out of suggestions) and
    share something with it, whose rank is at or above the floor: every one of them
    when the floor is empty, else the best few, down to the floor's rank. A rank is
    (shared tags, shared regions, publish date, id), higher first.
    """

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    floor_tags = models.PositiveSmallIntegerField(null=True)
    floor_regions = models.PositiveSmallIntegerField(null=True)
    floor_published_at = models.DateTimeField(null=True)
    floor_candidate = models.IntegerField(null=True)
    # Its own tags or regions changed since: pages rank it afresh until it is worked out.
    stale = models.BooleanField(default=False)
    computed_at = models.DateTimeField()
    # When it was last put into (or taken out of) the other publications' lists.
    placed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"related list of publication {self.publication_id}"

    @property
    def floor(self):
        """The lowest rank kept, or None when every candidate is kept."""
        if self.floor_tags is None:
            return None
        return (self.floor_tags, self.floor_regions, self.floor_published_at, self.floor_candidate)


class RelatedCandidate(models.Model):
    """`candidate` may be suggested on `publication`'s page, sharing so many tags and regions."""

    # The unique constraint's index serves the lookups by publication.
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    candidate = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    shared_tags = models.PositiveSmallIntegerField()
    shared_regions = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "candidate"], name="unique_related_candidate"
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id} for {self.publication_id}"
