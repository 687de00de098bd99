"""The "after an edit" section's Django side, run by bench/run.py in a subprocess.

Usage:
  after_edit.py paths DIRECTORY COUNT   one file per kind of page in DIRECTORY
                                        (article.txt, list.txt, ...), each up to COUNT
                                        distinct paths in random order, one a line
  after_edit.py edit                    save one published publication through the
                                        ORM, as an editor does, and print the content
                                        version before and after

Uses the database and settings from the environment (run.py sets them). The paths
are every page of its kind that exists, not a sample of favourable ones: any
article, any page of the list across the whole archive, any page of any tag, region
or author, so that each request of a run can ask for a page nobody has asked for
since the edit.
"""

import math
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")

import django  # noqa: E402

django.setup()

from publications.facets import FACETS  # noqa: E402
from publications.models import Publication  # noqa: E402
from publications.models.content_version import ContentVersion  # noqa: E402
from publications.views.lists import PublicationListMixin  # noqa: E402

PAGE_SIZE = PublicationListMixin.paginate_by
# Where each facet's pages live, by the facet's name in publications.facets.
FACET_ADDRESSES = {"tag": "/tags/{}/", "region": "/regions/{}/", "author": "/authors/{}/"}
# The same corpus gives the same paths in the same order, run after run.
SEED = 1


def page_address(base, number):
    """The address of page `number` of a list, spelled as the list's own links spell it."""
    return base if number == 1 else f"{base}?page={number}"


def pages_of(base, count):
    """Every page of a list of `count` publications; an empty list has its first page."""
    pages = max(1, math.ceil(count / PAGE_SIZE))
    return [page_address(base, number) for number in range(1, pages + 1)]


def article_paths():
    return [
        f"/publications/{slug}/"
        for slug in Publication.objects.published().values_list("slug", flat=True)
    ]


def list_paths():
    return pages_of("/publications/", Publication.objects.published().count())


def facet_paths(name):
    facet = FACETS[name]
    paths = []
    for item in facet.items():
        count = facet.narrow(Publication.objects.published(), item).count()
        paths += pages_of(FACET_ADDRESSES[name].format(item.slug), count)
    return paths


KINDS = {
    "article": article_paths,
    "list": list_paths,
    **{name: (lambda name=name: facet_paths(name)) for name in FACET_ADDRESSES},
}


def write_paths(directory, count):
    directory.mkdir(parents=True, exist_ok=True)
    randomness = random.Random(SEED)
    for kind, paths_of in KINDS.items():
        paths = paths_of()
        randomness.shuffle(paths)
        chosen = paths[:count]
        (directory / f"{kind}.txt").write_text("".join(f"{path}\n" for path in chosen))
        print(f"bench: {kind}: {len(chosen)} distinct paths (of {len(paths)})", flush=True)


def version():
    return ContentVersion.objects.get(pk=ContentVersion.ROW).version


def edit():
    before = version()
    publication = Publication.objects.published().order_by("pk").first()
    publication.save()
    after = version()
    print(f"bench: saved {publication.slug}; content version {before} -> {after}", flush=True)
    if after == before:
        sys.exit("bench: the save did not move the content version on")


def main():
    command, *rest = sys.argv[1:]
    if command == "paths":
        write_paths(Path(rest[0]), int(rest[1]))
    elif command == "edit":
        edit()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
