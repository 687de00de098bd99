"""The task queue as /healthz tells of it: the oldest waiting task's age and, while one
waits, whether a worker is there to take it. One line, the same for every queue."""

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Case, F, Max, Min, When
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from redis.exceptions import RedisError

# A task worker that started a task this recently is taken to be alive.
WORKER_SEEN_SECONDS = 60


def task_queue_health():
    """The task queue's line for /healthz; None when tasks run at once (no queue).

    What says work is stuck is the age of the oldest task that is ready to run and not
    started: a live, idle worker takes it within a second. Past TASKS_LATE_SECONDS the
    line starts `tasks late:`, for monitoring to alert on; the answer stays 200, as
    readers are still served. Each queue says how old its oldest waiting task is and,
    only while one waits, what it knows of its workers.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        read_queue = database_queue
    elif type(backend).__module__.startswith("django_tasks_rq."):
        # django-tasks-rq is an optional extra (redis-queue): imported only when chosen.
        from .redis_task_queue import redis_queue as read_queue
    else:
        return None
    try:
        waiting_since, worker = read_queue(backend)
    except (DatabaseError, RedisError):  # the table not migrated yet, Redis away
        return "tasks: queue unreadable"
    if waiting_since is None:
        return "tasks: none waiting"
    waited = max(0, int((timezone.now() - waiting_since).total_seconds()))
    if waited > (limit := settings.TASKS_LATE_SECONDS):
        return f"tasks late: {worker}, oldest waiting {waited} s (over {limit} s)"
    return f"tasks: {worker}, oldest waiting {waited} s"


def database_queue(backend):
    """django-tasks-db's queue: since when its oldest ready task has waited (None when
    none waits) and, then, what is known of its workers.

    django-tasks-db records no heartbeat, so a worker shows itself only by starting a
    task (its started_at); finding the latest reads the whole table, which
    `prune_db_task_results` keeps short (README), while the waiting tasks are found
    through the queue's own index. db_worker looks for tasks every second.
    """
    tasks = DBTaskResult.objects.filter(backend_name=backend.alias)
    # A deferred task is ready from its run_after, any other from its enqueueing.
    waiting_since = tasks.ready().aggregate(
        at=Min(
            Case(
                When(run_after=get_date_max(), then=F("enqueued_at")),
                default=F("run_after"),
            )
        )
    )["at"]
    if waiting_since is None:
        return None, None
    last_started = tasks.aggregate(at=Max("started_at"))["at"]
    if last_started is None:
        return waiting_since, "no worker seen yet"
    since = timezone.now() - last_started
    if since.total_seconds() <= WORKER_SEEN_SECONDS:
        return waiting_since, "worker alive"
    return waiting_since, f"no worker seen for {duration(since)}"


def duration(delta):
    """A time span in the largest unit that keeps it at two or more: `5 min`, `3 h`."""
    seconds = int(delta.total_seconds())
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
