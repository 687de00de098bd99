"""Sending one publication's alerts to many subscribers, into a local SMTP sink.

    .venv/bin/python bench/alerts.py [--subscribers 50000]

On the database of DATABASE_URL (default: a new SQLite file in bench/data/), migrated,
emptied of subscribers and filled with N confirmed ones following one author. Then a
publication by that author is published, announced (alerts.tasks.announce: the
deliveries written), and sent batch after batch (alerts.tasks.send_alerts, as the
worker runs them one after another) over SMTP to a sink on 127.0.0.1 that accepts
everything. Prints the announcement's seconds, emails a second and the process's
peak memory (resident set), and checks that the sink received one email per subscriber.
"""

import argparse
import asyncio
import os
import resource
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "think.example.org")
(PROJECT / "bench" / "data").mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{PROJECT / 'bench' / 'data' / 'alerts.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts import tasks  # noqa: E402
from alerts.models import Delivery, Subscriber  # noqa: E402
from authors.models import Author  # noqa: E402
from publications.models import Authorship, Publication, PublicationType  # noqa: E402


class Sink:
    """An SMTP server that accepts every message and counts them."""

    def __init__(self):
        self.received = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait()

    def _serve(self, ready):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._talk, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _talk(self, reader, writer):
        writer.write(b"220 sink ready\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                writer.write(b"354 go on\r\n")
                await reader.readuntil(b"\r\n.\r\n")
                self.received += 1
                writer.write(b"250 kept\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()


def fill(count):
    Subscriber.objects.all().delete()
    author, _ = Author.objects.get_or_create(
        slug="bench-author", defaults={"name": "Bench Author", "sort_name": "Author, Bench"}
    )
    kind, _ = PublicationType.objects.get_or_create(
        slug="bench-type", defaults={"name": "Bench Brief", "plural_label": "Bench Briefs"}
    )
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n}@example.org", confirmed_at=now) for n in range(count)],
        batch_size=2000,
    )
    Subscriber.authors.through.objects.bulk_create(
        [Subscriber.authors.through(subscriber=s, author=author) for s in subscribers],
        batch_size=2000,
    )
    publication = Publication.objects.create(
        title=f"A Brief for {count:,} Readers",
        publication_type=kind,
        lead="What many readers will be told about, in one paragraph. " * 3,
        status="published",
        published_at=now,
    )
    Authorship.objects.create(publication=publication, author=author, position=0)
    return publication


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=50_000)
    count = parser.parse_args().subscribers

    call_command("migrate", verbosity=0)
    sink = Sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    # Tasks are called here one after another, as one worker runs them: what they
    # enqueue is not run by the backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    publication = fill(count)

    started = time.perf_counter()
    tasks.announce.call(publication.pk)
    announced = time.perf_counter() - started
    pending = Delivery.objects.filter(publication=publication).pending()
    started = time.perf_counter()
    while pending.exists():
        tasks.send_alerts.call(publication.pk)
    sent = time.perf_counter() - started

    assert sink.received == count, f"the sink received {sink.received}, not {count}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{count:,} subscribers ({engine}): announced in {announced:.1f} s; "
        f"sent in {sent:.1f} s, {count / sent:,.0f} emails a second "
        f"(batches of {tasks.BATCH_SIZE}); peak memory {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()
