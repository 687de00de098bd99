"""Small tasks for the tests of the task queue (tests/test_tasks.py) and the real
worker (tests/test_deployment.py). A task must live at a module's top level: the
worker imports it by its dotted path."""

from django_tasks import task

from publications.models import Publication


@task()
def count_published():
    """What a worker sees of the site's database: the number of public publications."""
    return Publication.objects.published().count()
