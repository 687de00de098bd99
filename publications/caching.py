"""One token that changes whenever anything a reader can see changes.

Cached pages and cached related lists are stored under keys that include this
token, so bumping it retires every cached copy at once, on every app server that
shares the cache. It is bumped when content is saved or deleted (the receivers
below) and when a scheduled publication's time arrives (checked on every read).
Code that changes public content with `QuerySet.update()`, which sends no
signals, must call `content_changed()` itself.
"""

import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

STATE_KEY = "content-state"
# For entries keyed by the token: a new token retires them, so this only bounds memory.
TOKEN_KEYED_SECONDS = 24 * 60 * 60


def _new_state():
    from .models import Publication

    upcoming = (
        Publication.objects.filter(
            status=Publication.Status.PUBLISHED, published_at__gt=timezone.now()
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    state = {
        "token": uuid.uuid4().hex[:16],
        "next_change": upcoming.timestamp() if upcoming else None,
    }
    cache.set(STATE_KEY, state, timeout=None)
    return state


def content_version():
    """The current token; renewed once the next scheduled publication goes live."""
    state = cache.get(STATE_KEY)
    if state is None or (state["next_change"] is not None and time.time() >= state["next_change"]):
        state = _new_state()
    return state["token"]


def content_changed(action="post_", **kwargs):
    """Retire every cached page and related list. Usable as a signal receiver."""
    if action.startswith("post_"):  # m2m_changed also sends pre_add, pre_remove...
        _new_state()
        # Until the transaction commits, other requests still read the old rows and
        # could cache them under the new token: renew it again once the change is
        # visible to all. Outside a transaction this runs at once.
        transaction.on_commit(_new_state)


def connect_signals():
    """Any save or delete of public content renews the token.

    Signals rather than calls in each save(): tags, bylines, regions and picks
    change through the admin's inlines, taggit and m2m managers, and all of them
    must reach the cache.
    """
    from taggit.models import Tag

    from authors.models import Author

    from .models import (
        Authorship,
        Publication,
        PublicationType,
        Region,
        RelatedPick,
        TaggedPublication,
    )

    for model in (
        Publication, Authorship, RelatedPick, TaggedPublication, Region, PublicationType,
        Author, Tag,
    ):  # fmt: skip
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-{model.__name__}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"content-del-{model.__name__}"
        )
    m2m_changed.connect(
        content_changed, sender=Publication.regions.through, dispatch_uid="content-regions"
    )
