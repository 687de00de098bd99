from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .caching import connect_signals

        connect_signals()
