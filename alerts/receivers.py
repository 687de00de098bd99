"""How alerts hear of publishing, whoever publishes (the admin, a command, an import):
a publication saved as published is announced once the save commits, at its publish
date (tasks.announce_later). publications knows nothing of alerts."""

from django.db import transaction
from django.db.models.signals import post_save

from publications.models import Publication

from .tasks import announce_later


def connect():
    post_save.connect(_publication_saved, sender=Publication, dispatch_uid="alerts-publication")


def _publication_saved(sender, instance, raw=False, using="default", **kwargs):
    if raw or instance.status != Publication.Status.PUBLISHED:
        return
    pk, publish_date = instance.pk, instance.published_at
    transaction.on_commit(lambda: announce_later(pk, publish_date), using=using)
