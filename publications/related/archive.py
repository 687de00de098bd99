"""ranking.best_candidates()'s answer for many publications at once, from what the rule
needs of the whole archive read into memory once: for working out every missing list
(after a bulk load, or when the lists first arrive), where a query per list took both
cores 70 minutes at 100,000 publications.

The rule is best_candidates()'s, and the tests hold the two to the same answer
(tests/test_related_lists_rank_as_the_definition.py): the candidates are published_or_scheduled(),
suggestible(), not the publication itself, and share a tag or a region with it; they
rank by shared tags, shared regions, publish date and id, highest first.
"""

from collections import Counter, defaultdict
from heapq import nlargest
from itertools import compress
from operator import itemgetter

from ..models import Publication, TaggedPublication

# The most shared tags the best are first checked for: checking for more costs a look-up
# of each candidate seen and seldom finds enough (a generated corpus, 100,000 publications).
MOST_LEVEL = 3


class Archive:
    """Each publication's tags and regions, and every candidate's place in the order of
    publish dates and ids, read when made."""

    @classmethod
    def read(cls):
        """The archive as the database holds it now."""
        return cls(
            Publication.objects.published_or_scheduled()
            .suggestible()
            .order_by()
            .values_list("pk", "published_at"),
            TaggedPublication.objects.order_by().values_list("content_object_id", "tag_id"),
            Publication.regions.through.objects.order_by().values_list(
                "publication_id", "region_id"
            ),
        )

    def __init__(self, candidates, tagged, placed):
        """`candidates` (id, publish date); `tagged` (publication id, tag id), and
        `placed` (publication id, region id), for every publication."""
        candidates = sorted(candidates, key=itemgetter(1, 0))
        # Its place in (publish date, id) order: one integer to sort by.
        self._order = {pk: place for place, (pk, _) in enumerate(candidates)}
        self.published_at = dict(candidates)
        self._tags = defaultdict(list)
        self._tagged = defaultdict(list)  # tag id: the candidates carrying it
        for pk, tag_id in tagged:
            self._tags[pk].append(tag_id)
            if pk in self._order:
                self._tagged[tag_id].append(pk)
        self._regions = defaultdict(list)
        self._placed = defaultdict(list)  # region id: the candidates in it
        for pk, region_id in placed:
            self._regions[pk].append(region_id)
            if pk in self._order:
                self._placed[region_id].append(pk)
        self._tagged_sets, self._placed_sets = {}, {}

    def best_candidates(self, publication_id, count):
        """[(candidate id, shared tags, shared regions)] of the best `count` candidates
        for `publication_id`, best first: what ranking.best_candidates() answers."""
        tags = sorted(self._tags.get(publication_id, ()), key=lambda t: (len(self._tagged[t]), t))
        seen = Counter()  # {candidate: tags shared} among the tags read so far
        for read, tag_id in enumerate(tags, 1):
            seen.update(self._tagged[tag_id])
            seen.pop(publication_id, None)
            unread = tags[read:]
            # Who is not seen yet shares at most the unread tags: the best are all
            # seen once `count` of them share more. The unread tags, the most used,
            # are looked up for those seen only.
            level = len(unread) + 1
            if len(seen) < count or level > MOST_LEVEL:
                continue
            shared = seen.copy()
            for other in unread:
                shared.update(shared.keys() & self._tagged_set(other))
            cut = _cut(shared, level, count)
            if cut is not None:
                return self._best(publication_id, shared, cut, count)
        # Too few share a tag (never `count` seen; all its tags read): every one of them,
        # and the best of those sharing a region only.
        regions = Counter()
        for region_id in self._regions.get(publication_id, ()):
            regions.update(self._placed[region_id])
        regions.pop(publication_id, None)
        order = self._order
        ranked = nlargest(
            count,
            seen.keys() | regions.keys(),
            key=lambda pk: (seen[pk], regions[pk], order[pk]),
        )
        return [(pk, seen[pk], regions[pk]) for pk in ranked]

    def _tagged_set(self, tag_id):
        found = self._tagged_sets.get(tag_id)
        if found is None:
            found = self._tagged_sets[tag_id] = set(self._tagged[tag_id])
        return found

    def _placed_set(self, region_id):
        found = self._placed_sets.get(region_id)
        if found is None:
            found = self._placed_sets[region_id] = set(self._placed[region_id])
        return found

    def _best(self, publication_id, shared, cut, count):
        """The best `count` of `shared`'s candidates sharing `cut` tags or more: their
        regions and dates decide only among those. (The filter and the sorts by one key
        after another, stable, run in C: a Python loop over every candidate cost most.)"""
        chosen = list(compress(shared.keys(), map(cut.__le__, shared.values())))
        regions = Counter(chosen)  # one more than the regions each shares
        for region_id in self._regions.get(publication_id, ()):
            regions.update(self._placed_set(region_id).intersection(chosen))
        chosen.sort(key=self._order.__getitem__, reverse=True)
        chosen.sort(key=regions.__getitem__, reverse=True)
        chosen.sort(key=shared.__getitem__, reverse=True)
        return [(pk, shared[pk], regions[pk] - 1) for pk in chosen[:count]]


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
