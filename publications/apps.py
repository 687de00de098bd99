from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    # The one Django picks for "publications": this module holds other app configs too.
    default = True

    def ready(self):
        from . import receivers

        receivers.connect()


class TagsConfig(TaggitAppConfig):
    """django-taggit, listed in the admin in plain words ("Tags", not "Taggit")."""

    verbose_name = "Tags"
