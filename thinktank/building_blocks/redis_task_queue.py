"""django-tasks-rq's queues in Redis, as /healthz reads them (task_queues)."""

from datetime import UTC, datetime

from django.utils import timezone
from django_rq.queues import get_queues
from rq import Worker
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from rq.utils import utcparse


def redis_queue(backend):
    """Since when the oldest waiting job has waited (None when none waits) and, then,
    whether a worker is registered on the queues.

    A job waits in its queue's list from its enqueueing, or in the scheduled registry
    from its run_after until the scheduler of a worker (--with-scheduler) moves it to
    the list. RQ workers keep a heartbeat: one that died without unregistering still
    counts as alive for rq's worker_ttl (7 minutes).
    """
    queues = get_queues(*sorted(backend.queues))
    now = timezone.now()
    waiting = [at for queue in queues for at in waiting_since(queue, now)]
    if not waiting:
        return None, None
    alive = any(Worker.all(queue=queue) for queue in queues)
    return min(waiting), "worker alive" if alive else "no worker running"


def waiting_since(queue, now):
    """When each job in `queue`'s list was enqueued, read in one round trip, and the
    run_after of its earliest scheduled job that is due."""
    with queue.connection.pipeline() as pipeline:
        for job_id in queue.get_job_ids():
            pipeline.hget(Job.key_for(job_id), "enqueued_at")
        enqueued = [utcparse(at.decode()) for at in pipeline.execute() if at]
    due = queue.connection.zrangebyscore(
        ScheduledJobRegistry(queue=queue).key,
        "-inf",
        now.timestamp(),
        start=0,
        num=1,
        withscores=True,
    )
    return enqueued + [datetime.fromtimestamp(score, UTC) for _, score in due]
