from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"

    def ready(self):
        from . import caching, search, slugs

        caching.connect_signals()
        slugs.connect_signals()
        search.connect_signals()
