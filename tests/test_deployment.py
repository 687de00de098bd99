"""The site as deployed: gunicorn servers with production settings, content changed by
another process, and PostgreSQL or Redis going away and coming back.

The harness is tests/servers.py. Servers get an environment of their own: REDIS_URL
only where a test gives it, whatever the test run itself was started with.
"""

import re
import time
from datetime import timedelta

import dj_database_url
import pytest
import redis
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend

from thinktank.building_blocks.task_queues import task_queue_health

from .own_redis import OWN_REDIS_URL
from .servers import (
    Client,
    Site,
    TcpProxy,
    gunicorn,
    poll,
    prepare_site,
    task_worker,
    with_port,
)
from .tasks import add

pytestmark = pytest.mark.servers

REDIS_PORT = 6379
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/13"
REQUESTS = 40  # per check, taking turns between servers: enough to reach every worker

# From the demo content (seed_demo), which the tests below never change.
ARTICLE = "/publications/crisis-hotlines-that-actually-ring/"
AUTHOR = "/authors/seo-yeon-kwak/"
UNVISITED_AUTHOR = "/authors/ingrid-valkonen/"
UNVISITED_LIST_PAGE = "/publications/?page=2"
PAGES = ("/", "/publications/", ARTICLE, AUTHOR)
# What an error page must never show a reader.
INTERNALS = ("Traceback", "psycopg", "OperationalError", "SELECT", "Connection refused")

CREATE = """
from publications.models import Publication, PublicationType
publication = Publication.objects.create(
    title=title, lead="Written by another process.", status=status,
    publication_type=PublicationType.objects.first(),
)
print(publication.pk, publication.get_absolute_url())
"""

EDIT = """
from publications.models import Publication
publication = Publication.objects.get(pk=pk)
{step}
publication.save()
"""


ENQUEUE = """
from tests.tasks import count_published
print(count_published.enqueue().id)
"""

# Ahead of the related lists the demo content left waiting: the test is about the email.
SEND_EMAIL = """
from tests.tasks import send_email
send_email.using(priority=100).enqueue(to)
"""

TASK_RESULT = """
from django_tasks import default_task_backend
from publications.models import Publication
result = default_task_backend.get_result(result_id)
counted = result.is_finished and result.return_value == Publication.objects.published().count()
print(result.status, counted)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return prepare_site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def redis_url():
    """Redis database 13, emptied: pages cached by an earlier run must not answer here."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip("needs Redis at 127.0.0.1:6379 (.ci/run starts it)")
    finally:
        client.close()
    return REDIS_URL


def create(site, title, status="published"):
    """A publication saved by `manage.py shell`; its primary key and address."""
    pk, path = site.shell(CREATE, title=title, status=status).split()
    return int(pk), path


def edit(site, pk, step):
    """Load publication `pk` in `manage.py shell`, run the line `step` on it, save it."""
    site.shell(EDIT.format(step=step), pk=pk)


def next_answers(servers, path, headers=None, count=REQUESTS):
    """The next `count` anonymous answers for `path`, the servers taking turns."""
    return [servers[number % len(servers)].get(path, headers) for number in range(count)]


def statuses(answers):
    return {answer.status for answer in answers}


def showing(answers, text):
    return [answer for answer in answers if text in answer.text]


def missing(answers, text):
    return [answer for answer in answers if text not in answer.text]


def publish_now(editor, pk):
    """Run the changelist's "Publish selected publications now" on one publication."""
    return editor.post(
        "/admin/publications/publication/", {"action": "publish_now", "_selected_action": pk}
    )


def test_without_redis_changes_from_another_process_reach_every_worker_of_every_server(site):
    """Two servers of two workers, each worker caching pages in its own memory, and
    `manage.py shell` changing content behind their backs: every next answer is current."""
    title = "Pilotage Rules in Contested Straits"
    pk, path = create(site, title)
    with gunicorn(site, "first") as first, gunicorn(site, "second") as second:
        servers = [first, second]
        for server in servers:
            for page in (path, "/publications/", "/"):
                assert title in server.warm(page).text
        etag = first.get("/publications/").headers["ETag"]
        unchanged = next_answers(servers, "/publications/", {"If-None-Match": etag}, count=8)
        assert statuses(unchanged) == {304}

        edit(site, pk, "publication.unpublish()")
        assert statuses(next_answers(servers, path)) == {404}
        assert showing(next_answers(servers, "/"), title) == []
        assert showing(next_answers(servers, "/publications/"), title) == []
        assert statuses(next_answers(servers, "/publications/", {"If-None-Match": etag})) == {200}

        edit(site, pk, "publication.publish()")
        assert statuses(next_answers(servers, path)) == {200}
        assert missing(next_answers(servers, "/publications/"), title) == []

        edit(site, pk, "publication.title = 'Pilotage Rules Revised'")
        assert missing(next_answers(servers, path), "Pilotage Rules Revised") == []

        create(site, "A Brief Brought In by an Import")
        assert missing(next_answers(servers, "/publications/"), "Brought In by an Import") == []


def test_with_redis_a_publish_through_one_servers_admin_shows_on_the_other_at_once(site, redis_url):
    """Two servers sharing Redis: what replaced bench/scale_out.py."""
    title = "Port Security After the Ceasefire"
    pk, path = create(site, title, status="draft")
    with (
        gunicorn(site, "admin-side", REDIS_URL=redis_url) as first,
        gunicorn(site, "reader-side", REDIS_URL=redis_url) as second,
    ):
        assert title not in second.warm("/publications/").text
        etag = second.get("/publications/").headers["ETag"]
        unchanged = next_answers([second], "/publications/", {"If-None-Match": etag}, count=8)
        assert statuses(unchanged) == {304}

        editor = Client(first)
        editor.log_in(*site.editor)
        assert "Published 1 publication." in publish_now(editor, pk).text

        assert missing(next_answers([second], "/publications/"), title) == []
        assert statuses(next_answers([second], path)) == {200}
        assert statuses(next_answers([second], "/publications/", {"If-None-Match": etag})) == {200}


def assert_readers_and_editors_carry_on(server, site, draft_title):
    """Public pages answer, an editor publishes a draft and readers see it, and
    /healthz tells the load balancer the database is fine and the cache is not."""
    assert statuses(server.get(page) for page in PAGES for _ in range(4)) == {200}

    pk, path = create(site, draft_title, status="draft")
    editor = Client(server)
    editor.log_in(*site.editor)
    assert "Published 1 publication." in publish_now(editor, pk).text
    assert server.get(path).status == 200
    assert draft_title in server.get("/publications/").text

    health = server.get("/healthz")
    assert health.status == 200
    assert health.headers["Content-Type"].startswith("text/plain")
    assert "database ok" in health.text
    assert "cache unreachable" in health.text


def test_when_redis_stops_or_hangs_the_site_carries_on_and_recovers_by_itself(site, redis_url):
    with (
        TcpProxy(REDIS_PORT) as redis,
        gunicorn(site, "cache-outage", REDIS_URL=with_port(redis_url, redis.port)) as server,
    ):
        for page in PAGES:
            server.warm(page)

        redis.close()
        assert_readers_and_editors_carry_on(server, site, "Undersea Cables When Redis Is Down")

        redis.hang()
        started = time.monotonic()
        answers = [server.get(PAGES[number % len(PAGES)]) for number in range(20)]
        elapsed = time.monotonic() - started
        assert statuses(answers) == {200}
        # Short Redis timeouts and a circuit breaker: not one timeout per request.
        assert elapsed < 3, f"20 pages took {elapsed:.1f} s with Redis hanging"
        assert_readers_and_editors_carry_on(server, site, "Undersea Cables When Redis Hangs")

        redis.resume()
        assert poll(lambda: "cache ok" in server.get("/healthz").text, seconds=10), (
            "/healthz did not report the cache back within 10 s"
        )


def test_when_postgresql_stops_cached_pages_stay_up_and_the_rest_ask_readers_to_come_back(
    site,
):
    if not site.database_url.startswith("postgres"):
        pytest.skip("a database outage needs a database server: run with a postgres DATABASE_URL")
    postgres_port = dj_database_url.parse(site.database_url)["PORT"] or 5432
    with (
        TcpProxy(postgres_port) as database,
        gunicorn(
            site, "database-outage", DATABASE_URL=with_port(site.database_url, database.port)
        ) as server,
    ):
        cached = {page: server.warm(page).text for page in ("/", "/publications/", ARTICLE)}

        database.close()
        for page, text in cached.items():
            answers = next_answers([server], page, count=10)
            assert statuses(answers) == {200}
            assert [answer for answer in answers if answer.text != text] == []
        for page in (UNVISITED_LIST_PAGE, UNVISITED_AUTHOR):
            answer = server.get(page)
            assert answer.status == 503
            assert answer.headers.get("Retry-After")
            assert answer.headers["Content-Type"].startswith("text/html")
            assert [word for word in INTERNALS if word in answer.text] == []
        assert server.get("/healthz").status == 503

        database.resume()
        assert poll(lambda: server.get(UNVISITED_LIST_PAGE).status == 200, seconds=10), (
            "the site did not come back within 10 s of PostgreSQL"
        )


def test_a_cached_page_is_not_served_for_a_host_the_site_does_not_answer_to(site):
    with gunicorn(site, "hosts") as server:
        server.warm("/")

        assert server.get("/", {"Host": "evil.example"}).status == 400


def test_a_task_enqueued_by_another_process_is_run_by_the_worker_and_healthz_says_so(site):
    """The database queue as deployed: `manage.py shell` enqueues, `manage.py db_worker`
    runs the task, and /healthz on the web server sees the task wait, then none."""
    with gunicorn(site, "tasks") as server:
        result_id = site.shell(ENQUEUE)
        waiting = server.get("/healthz")
        with task_worker(site) as worker:
            done = poll(
                lambda: site.shell(TASK_RESULT, result_id=result_id) == "SUCCESSFUL True",
                seconds=30,
                interval=0.5,
            )
            working = server.get("/healthz")

    assert waiting.status == 200
    assert re.search(r"^tasks: no worker seen yet, oldest waiting \d+ s$", waiting.text, re.M)
    assert done, "the worker did not run the task within 30 s"
    assert working.text.endswith("tasks: none waiting\n")
    # SIGTERM: an idle worker exits at once, and cleanly.
    assert worker.returncode == 0


def test_the_task_worker_sends_email_to_the_smtp_server_its_environment_names(site, smtp_server):
    """A task enqueued by one process is sent by the worker, a process of its own, through
    EMAIL_URL to a real SMTP server, from DEFAULT_FROM_EMAIL, with both its parts."""
    site.shell(SEND_EMAIL, to="reader@example.org")

    with task_worker(
        site,
        EMAIL_URL=smtp_server.url,
        DEFAULT_FROM_EMAIL="Think Tank <alerts@think.example.org>",
    ):
        [received] = smtp_server.wait_for(1, timeout=30)

    assert received["From"] == "Think Tank <alerts@think.example.org>"
    assert received["To"] == "reader@example.org"
    assert received["Subject"] == "Sent by the task worker"
    assert received.get_body(("plain",)).get_content() == "Plain words from the worker."
    assert received.get_body(("html",)).get_content() == "<p>Words from the <b>worker</b>.</p>"


# --- email alerts -------------------------------------------------------------------------

FOLLOWED = "seo-yeon-kwak"  # Seo-yeon Kwak, of the demo content

DRAFTS_BY = """
from authors.models import Author
from publications.models import Authorship, Publication, PublicationType
author = Author.objects.get(slug=author)
for title in titles:
    publication = Publication.objects.create(
        title=title, lead="For the readers who follow its author.", status="draft",
        publication_type=PublicationType.objects.first(),
    )
    Authorship.objects.create(publication=publication, author=author, position=0)
    print(publication.pk, end=" ")
print()
"""

SCHEDULE = """
from datetime import timedelta
from django.utils import timezone
from publications.models import Publication
publication = Publication.objects.get(pk=pk)
publication.schedule(timezone.now() + timedelta(seconds=seconds))
publication.save()
print(publication.published_at.timestamp())
"""

KNOWN = """
from alerts.models import Subscriber
print(Subscriber.objects.filter(email=email).exists())
"""

ANNOUNCED = """
from alerts.models import Announcement, Delivery
print([Announcement.objects.filter(publication=pk).exists() for pk in pks], Delivery.objects.count())
"""


def drafts_by(site, author, *titles):
    """Drafts saved by `manage.py shell`, bylined to `author` (a slug); their keys."""
    return [int(pk) for pk in site.shell(DRAFTS_BY, author=author, titles=titles).split()]


def path_of(link, site_url):
    assert link.startswith(site_url + "/"), link
    return link.removeprefix(site_url)


def test_email_alerts_from_subscribing_to_unsubscribing_through_a_real_smtp_server(
    site, smtp_server
):
    """The issue's story with gunicorn, `manage.py db_worker` and aiosmtpd: a reader
    subscribes and confirms by email; an editor publishes and exactly one alert arrives;
    a scheduled item's arrives at its time with nobody visiting the site; a draft sends
    nothing; one POST to List-Unsubscribe ends it all."""
    draft, published, scheduled, after = drafts_by(
        site,
        FOLLOWED,
        "A Draft Nobody Is Sent",
        "Ferry Links Across the Yellow Sea",
        "Scheduled: Fisheries Patrols at Dawn",
        "Published After the Reader Left",
    )
    with gunicorn(site, "alerts") as server:
        site_url = f"http://127.0.0.1:{server.port}"
        with task_worker(
            site, "alerts-worker", EMAIL_URL=smtp_server.url, THINKTANK_SITE_URL=site_url
        ):
            reader = Client(server)
            answer = reader.post(
                "/subscribe/",
                {"email": "reader@example.org", "authors": FOLLOWED, "frequency": "immediately"},
            )
            assert "Check your inbox" in answer.text

            [confirmation] = smtp_server.wait_for(1, timeout=60)
            assert confirmation["To"] == "reader@example.org"
            plain = confirmation.get_body(("plain",)).get_content()
            [link] = re.findall(r"http\S+/subscribe/confirm/\S+", plain)
            confirm = path_of(link, site_url)
            assert "Confirm my subscription" in reader.get(confirm).text
            assert "You are subscribed" in reader.post(confirm, {}).text

            editor = Client(server)
            editor.log_in(*site.editor)
            assert "Published 1 publication." in publish_now(editor, published).text
            alert = smtp_server.wait_for(2, timeout=30)[1]
            assert alert["Subject"] == "Ferry Links Across the Yellow Sea"
            plain = alert.get_body(("plain",)).get_content()
            html = alert.get_body(("html",)).get_content()
            for part in (plain, html):
                assert "You follow Seo-yeon Kwak." in part
                assert "For the readers who follow its author." in part
            assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            unsubscribe = path_of(alert["List-Unsubscribe"].strip(" <>"), site_url)
            [preferences] = re.findall(r"Change what you follow: (\S+)", plain)
            assert "For reader@example.org." in reader.get(path_of(preferences, site_url)).text
            assert "Stop all email alerts to reader@example.org?" in reader.get(unsubscribe).text

            # Nobody visits the site while the scheduled item waits for its time.
            at = float(site.shell(SCHEDULE, pk=scheduled, seconds=4))
            third = smtp_server.wait_for(3, timeout=30)[2]
            assert third["Subject"] == "Scheduled: Fisheries Patrols at Dawn"
            assert third["Date"].datetime.timestamp() >= int(at)

            # A mail program's one-click unsubscribe: one POST, no cookie, no CSRF token.
            one_click = Client(server).request(
                "POST",
                unsubscribe,
                "List-Unsubscribe=One-Click",
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert one_click.status == 200
            assert "You are unsubscribed" in one_click.text
            edit(site, after, "publication.publish()")
            announced = poll(
                lambda: site.shell(ANNOUNCED, pks=[after]) == "[True] 0", seconds=30, interval=0.5
            )

    assert announced, "the worker did not announce the last publication within 30 s"
    assert site.shell(ANNOUNCED, pks=[draft, published, scheduled]) == "[False, True, True] 0"
    assert [message["Subject"] for message in smtp_server.messages] == [
        "Confirm your email alerts from thinktank",
        "Ferry Links Across the Yellow Sea",
        "Scheduled: Fisheries Patrols at Dawn",
    ]


def test_the_eleventh_subscribe_request_from_one_address_is_refused_whichever_worker_answers(
    site, redis_url
):
    """With Redis, the site keeps one count of a client's requests, not one per worker."""
    with gunicorn(site, "alerts-limit", REDIS_URL=redis_url) as server:
        reader = Client(server)
        for _ in range(10):
            answer = reader.post("/subscribe/", {"email": "not an address"})
            assert answer.status == 400, answer.text
        refused = reader.post(
            "/subscribe/",
            {"email": "eleventh@example.org", "follows_everything": "on", "frequency": "weekly"},
        )

    assert refused.status == 429
    assert "Too many requests came from your address" in refused.text
    assert site.shell(KNOWN, email="eleventh@example.org") == "False"


# As the README starts it: the scheduler moves deferred tasks to the queue when due.
RQ_WORKER = ("rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.Job")


def test_the_redis_queue_worker_runs_tasks_now_and_when_they_are_due(tmp_path, settings):
    """THINKTANK_TASKS=redis as deployed: this process enqueues into Redis, one now and
    one 2 s ahead, and `manage.py rqworker --with-scheduler` runs both; /healthz's line
    sees the task wait with no worker, then the worker alive. The tasks need no database."""
    redis.Redis.from_url(OWN_REDIS_URL).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": OWN_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    site = Site(f"sqlite:///{tmp_path / 'unused.sqlite3'}", tmp_path)
    now = add.enqueue(2, 3)
    later = add.using(run_after=timezone.now() + timedelta(seconds=2)).enqueue(4, 5)
    waiting = task_queue_health()

    with task_worker(
        site, "rqworker", RQ_WORKER, THINKTANK_TASKS="redis", REDIS_URL=OWN_REDIS_URL
    ) as worker:
        ran = poll(lambda: default_task_backend.get_result(now.id).is_finished, seconds=30)
        ran_later = poll(lambda: default_task_backend.get_result(later.id).is_finished, seconds=30)
        later_result = default_task_backend.get_result(later.id)
        idle = task_queue_health()

    assert re.fullmatch(r"tasks: no worker running, oldest waiting \d+ s", waiting)
    assert ran, "the worker did not run the task within 30 s"
    assert ran_later, "the worker's scheduler did not start the deferred task within 30 s"
    assert default_task_backend.get_result(now.id).return_value == 5
    assert later_result.status == TaskResultStatus.SUCCESSFUL
    assert later_result.return_value == 9
    # RQ keeps a due time in whole seconds (rq.registry.ScheduledJobRegistry.schedule):
    # a task may start within the second it is due, never before it.
    assert later_result.started_at >= later.task.run_after.replace(microsecond=0)
    assert idle == "tasks: none waiting"
    # SIGTERM: an idle worker exits cleanly.
    assert worker.returncode == 0
