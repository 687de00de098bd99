"""Small tasks for the tests of the task queue (tests/test_tasks.py) and the real
worker (tests/test_deployment.py). A task must live at a module's top level: the
worker imports it by its dotted path."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from publications.models import Publication


@task()
def count_published():
    """What a worker sees of the site's database: the number of public publications."""
    return Publication.objects.published().count()


@task()
def send_email(to):
    """An email with a plain and an HTML part, from DEFAULT_FROM_EMAIL, as the worker's
    settings send it."""
    message = EmailMultiAlternatives(
        "Sent by the task worker", "Plain words from the worker.", to=[to]
    )
    message.attach_alternative("<p>Words from the <b>worker</b>.</p>", "text/html")
    return message.send()


@task()
def add(a, b):
    """Work that needs no database: for the Redis queue's worker (tests/test_deployment.py)."""
    return a + b
