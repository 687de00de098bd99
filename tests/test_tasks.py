"""Background tasks: in tests they run at once; on the database queue and the Redis
queue, /healthz tells whether a worker is taking them. The real worker process is tested in
tests/test_deployment.py."""

from datetime import UTC, datetime, timedelta

import django_rq
import pytest
import redis
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rq import Worker

from .factories import make_publication
from .own_redis import OWN_REDIS_URL
from .tasks import count_published

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def database_queue(settings, time_machine):
    """Tasks wait in the database for a worker, as in production; the clock stands still."""
    settings.TASKS = DATABASE_QUEUE
    time_machine.move_to(NOON, tick=False)
    return time_machine


def worker_starts(result):
    """What db_worker does when it takes a task."""
    DBTaskResult.objects.get(pk=result.id).claim("worker-1")


def test_in_tests_an_enqueued_task_has_run_when_enqueue_returns():
    make_publication("Counted at Once")

    result = count_published.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1


def test_healthz_says_nothing_of_tasks_when_they_run_at_once(client):
    assert client.get("/healthz").text == "database ok\ncache ok\n"


def test_healthz_says_how_long_a_task_has_waited_for_a_worker_never_seen(client, database_queue):
    count_published.enqueue()
    database_queue.shift(212)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == (
        "database ok\ncache ok\ntasks: no worker seen yet, oldest waiting 212 s\n"
    )


def test_healthz_calls_the_queue_late_past_five_minutes_and_still_answers_200(
    client, database_queue
):
    """Monitoring alerts on `tasks late`; a load balancer keeps serving readers."""
    count_published.enqueue()
    database_queue.shift(300)
    assert client.get("/healthz").text.endswith("tasks: no worker seen yet, oldest waiting 300 s\n")
    database_queue.shift(1)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == (
        "database ok\ncache ok\ntasks late: no worker seen yet, oldest waiting 301 s (over 300 s)\n"
    )


def test_the_wait_that_makes_the_queue_late_is_a_setting(client, database_queue, settings):
    settings.TASKS_LATE_SECONDS = 30
    worker_starts(count_published.enqueue())
    count_published.enqueue()
    database_queue.shift(31)

    assert client.get("/healthz").text.endswith(
        "tasks late: worker alive, oldest waiting 31 s (over 30 s)\n"
    )


def test_healthz_says_a_worker_is_alive_when_it_started_a_task_within_a_minute(
    client, database_queue
):
    worker_starts(count_published.enqueue())
    database_queue.shift(40)
    waiting = count_published.enqueue()
    database_queue.shift(3)

    assert client.get("/healthz").text.endswith("tasks: worker alive, oldest waiting 3 s\n")
    worker_starts(waiting)
    assert client.get("/healthz").text.endswith("tasks: none waiting\n")


def test_healthz_says_how_long_ago_a_worker_was_last_seen_without_turning_503(
    client, database_queue
):
    worker_starts(count_published.enqueue())
    database_queue.shift(timedelta(minutes=5))
    count_published.enqueue()
    database_queue.shift(212)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text.endswith("tasks: no worker seen for 8 min, oldest waiting 212 s\n")


def test_a_deferred_task_is_waiting_only_from_the_time_it_was_due(client, database_queue):
    count_published.using(run_after=NOON + timedelta(hours=1)).enqueue()

    assert client.get("/healthz").text.endswith("tasks: none waiting\n")
    database_queue.shift(timedelta(hours=1, seconds=30))
    assert client.get("/healthz").text.endswith("oldest waiting 30 s\n")


def test_healthz_looks_for_the_worker_only_while_a_task_waits(
    client, database_queue, django_assert_num_queries
):
    """The worker's last start reads the whole task table; the waiting tasks, an index."""
    # SELECT 1, then the oldest waiting task: none.
    with django_assert_num_queries(2):
        assert client.get("/healthz").text.endswith("tasks: none waiting\n")
    count_published.enqueue()

    # ... and then the last task a worker started.
    with django_assert_num_queries(3):
        client.get("/healthz")


def test_a_task_table_that_cannot_be_read_is_reported_without_turning_503(client, settings):
    """As when new code serves before `migrate` has made the table."""
    settings.TASKS = DATABASE_QUEUE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {DBTaskResult._meta.db_table}")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "database ok\ncache ok\ntasks: queue unreadable\n"


@pytest.fixture
def redis_queue(settings, time_machine):
    """Tasks wait in Redis (the tests' own database, emptied) for an RQ worker, as with
    THINKTANK_TASKS=redis; the clock stands still."""
    redis.Redis.from_url(OWN_REDIS_URL).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": OWN_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    time_machine.move_to(NOON, tick=False)
    return time_machine


def rq_worker_starts():
    """What `manage.py rqworker` does first: register itself on the queue, with a heartbeat."""
    Worker([django_rq.get_queue("default")], name="worker-1").register_birth()


def test_healthz_says_how_long_a_task_has_waited_in_redis_with_no_worker_running(
    client, redis_queue
):
    assert client.get("/healthz").text.endswith("tasks: none waiting\n")
    count_published.enqueue()
    redis_queue.shift(212)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == (
        "database ok\ncache ok\ntasks: no worker running, oldest waiting 212 s\n"
    )


def test_healthz_calls_the_redis_queue_late_past_five_minutes(client, redis_queue):
    count_published.enqueue()
    redis_queue.shift(60)
    count_published.enqueue()
    redis_queue.shift(241)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text.endswith(
        "tasks late: no worker running, oldest waiting 301 s (over 300 s)\n"
    )


def test_healthz_says_an_rq_worker_is_alive_while_it_is_registered(client, redis_queue):
    rq_worker_starts()
    count_published.enqueue()
    redis_queue.shift(3)

    assert client.get("/healthz").text.endswith("tasks: worker alive, oldest waiting 3 s\n")


def test_a_task_deferred_in_redis_is_waiting_only_from_the_time_it_was_due(client, redis_queue):
    """Until a worker's scheduler moves it to the queue."""
    count_published.using(run_after=NOON + timedelta(hours=1)).enqueue()

    assert client.get("/healthz").text.endswith("tasks: none waiting\n")
    redis_queue.shift(timedelta(hours=1, seconds=30))
    assert client.get("/healthz").text.endswith("tasks: no worker running, oldest waiting 30 s\n")


def test_a_redis_queue_that_does_not_answer_is_reported_without_turning_503(
    client, redis_queue, settings
):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "database ok\ncache ok\ntasks: queue unreadable\n"
