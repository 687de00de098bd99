"""ranking.best_candidates()'s answer for many publications at once, from what the rule
needs of the whole archive read into memory once: for working out every missing list
(after a bulk load, or when the lists first arrive), where a query per list took both
cores 70 minutes at 100,000 publications.

The rule is best_candidates()'s, and the tests hold the two to the same answer
(tests/test_related_lists_in_bulk.py): the candidates are published_or_scheduled(),
suggestible(), not the publication itself, and share a tag or a region with it; they
rank by shared tags, shared regions, publish date and id, highest first.
"""

from collections import Counter, defaultdict
from heapq import nlargest
from operator import itemgetter

from ..models import Publication, TaggedPublication

# The numbers of shared tags tried, in turn, as the least the best share: as in
# ranking._LEVELS, whoever shares that many shares one of the less used tags, so the
# most used tags' lists are only looked candidates up in.
_LEVELS = (3, 2, 1)
_NONE = frozenset()


class Archive:
    """Each publication's tags and regions, and every candidate's place in the order of
    publish dates and ids, read when made."""

    def __init__(self):
        candidates = sorted(
            Publication.objects.published_or_scheduled()
            .suggestible()
            .order_by()
            .values_list("pk", "published_at"),
            key=itemgetter(1, 0),
        )
        # Its place in (publish date, id) order, so that a whole rank is one integer.
        self._order = {pk: place for place, (pk, _) in enumerate(candidates)}
        self.published_at = dict(candidates)
        self._tags = defaultdict(list)
        self._tagged = defaultdict(list)  # tag id: the candidates carrying it
        for pk, tag_id in TaggedPublication.objects.order_by().values_list(
            "content_object_id", "tag_id"
        ):
            self._tags[pk].append(tag_id)
            if pk in self._order:
                self._tagged[tag_id].append(pk)
        self._tagged_sets = {}
        self._regions = defaultdict(set)
        self._placed = defaultdict(list)  # region id: the candidates in it
        through = Publication.regions.through
        for pk, region_id in through.objects.order_by().values_list("publication_id", "region_id"):
            self._regions[pk].add(region_id)
            if pk in self._order:
                self._placed[region_id].append(pk)
        self._places = len(self._order) + 1
        self._most_regions = max(map(len, self._regions.values()), default=0) + 1

    def best_candidates(self, publication_id, count):
        """[(candidate id, shared tags, shared regions)] of the best `count` candidates
        for `publication_id`, best first: what ranking.best_candidates() answers."""
        tags = sorted(self._tags.get(publication_id, ()), key=lambda t: (len(self._tagged[t]), t))
        shared = Counter()
        for level in _LEVELS:
            if len(tags) < level:
                continue
            shared = self._sharing_tags(publication_id, tags, len(tags) - level + 1)
            cut = _cut(shared, level, count)
            if cut is not None:
                return self._best(publication_id, shared, cut, count)
        # Too few share a tag: every one of them, and the best of those sharing a
        # region only. (`shared` counted all of its tags, if it has any.)
        regions = Counter()
        for region_id in self._regions.get(publication_id, ()):
            regions.update(self._placed[region_id])
        regions.pop(publication_id, None)
        order = self._order
        ranked = nlargest(
            count,
            shared.keys() | regions.keys(),
            key=lambda pk: (shared[pk], regions[pk], order[pk]),
        )
        return [(pk, shared[pk], regions[pk]) for pk in ranked]

    def _sharing_tags(self, publication_id, tags, split):
        """{candidate: shared tags} of those sharing one of `tags`[:split] (the less
        used); the rest of `tags` are counted for them only."""
        shared = Counter()
        for tag_id in tags[:split]:
            shared.update(self._tagged[tag_id])
        shared.pop(publication_id, None)
        for tag_id in tags[split:]:
            shared.update(shared.keys() & self._tagged_set(tag_id))
        return shared

    def _tagged_set(self, tag_id):
        found = self._tagged_sets.get(tag_id)
        if found is None:
            found = self._tagged_sets[tag_id] = set(self._tagged[tag_id])
        return found

    def _best(self, publication_id, shared, cut, count):
        """The best `count` of `shared`'s candidates sharing `cut` tags or more: their
        regions and dates decide only among those."""
        own_regions = self._regions.get(publication_id, _NONE)
        regions, order = self._regions, self._order
        most_regions, places = self._most_regions, self._places
        ranked = nlargest(
            count,
            (
                (
                    (tags * most_regions + len(own_regions & regions.get(pk, _NONE))) * places
                    + order[pk],
                    pk,
                )
                for pk, tags in shared.items()
                if tags >= cut
            ),
        )
        result = []
        for rank, pk in ranked:
            regions_shared = rank // places % most_regions
            result.append((pk, shared[pk], regions_shared))
        return result


def _cut(shared, level, count):
    """The shared tags of the `count`-th best in `shared`, if it shares `level` or
    more (else None: too few share that many)."""
    found = 0
    for tags, how_many in sorted(Counter(shared.values()).items(), reverse=True):
        if tags < level:
            return None
        found += how_many
        if found >= count:
            return tags
    return None
