from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"

    def ready(self):
        from . import caching, search

        caching.connect_signals()
        search.connect_signals()
