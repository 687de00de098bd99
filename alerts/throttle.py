"""Counting requests in the cache, to refuse those past a limit."""

import hashlib

from django.core.cache import cache


def allowed(kind, who, limit, seconds):
    """Count one more request of `kind` from `who` in a window of `seconds` (begun by
    the first); whether it is within `limit`. `who` is kept only as a hash."""
    key = f"alerts:{kind}:{hashlib.sha256(who.encode()).hexdigest()}"
    if cache.add(key, 1, seconds):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, seconds)
        return True
