"""Work done by the task worker (Django's task framework, the django-tasks backport),
never in a request: enqueued once the change that calls for it is committed."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .related import lists


@task()
def refresh_related_lists(publication_ids, since):
    """The related lists, after a change to `publication_ids` at `since` (ISO 8601)."""
    lists.refresh(publication_ids, since)


# Lists worked out per task: the changes saved meanwhile wait behind one batch, not the
# whole. Each batch reads the archive into memory once (lists.work_out_together()): at
# 100,000 publications that costs seconds, and the batch about 30 s on 2 busy cores.
MISSING_LISTS_PER_TASK = 2000


@task()
def work_out_missing_related_lists():
    """Every related list not worked out yet (after a bulk load, or a first deploy), a
    batch at a time: the task enqueues itself again while lists are missing."""
    if lists.work_out_missing(limit=MISSING_LISTS_PER_TASK) == MISSING_LISTS_PER_TASK:
        work_out_missing_related_lists.enqueue()


def refresh_related_lists_later(publication_ids):
    """Mark the related lists that `publication_ids` changed for the worker, once the
    transaction commits (the worker reads what was committed)."""
    ids, since = sorted(set(publication_ids)), timezone.now().isoformat()
    if ids:
        transaction.on_commit(lambda: refresh_related_lists.enqueue(ids, since))


def work_out_missing_related_lists_later():
    transaction.on_commit(work_out_missing_related_lists.enqueue)
