"""Emptying every cache, as a test starts (tests/conftest.py) or as a page is measured
cold (tests/test_query_counts.py)."""

from django.core.cache import caches

from publications.models import content_version as caching


def empty_caches():
    for cache in caches.all():
        cache.clear()
    # Transactional tests empty tables with TRUNCATE, which fires no trigger: the
    # version a worker last read must not outlive the row.
    caching.stop_listening()
