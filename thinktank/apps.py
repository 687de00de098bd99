from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ThinktankConfig(AppConfig):
    name = "thinktank"

    def ready(self):
        from .building_blocks.planner import refresh_after_migrate

        # Once per migrate, after the last app's tables: publications is listed last.
        post_migrate.connect(
            refresh_after_migrate,
            sender=apps.get_app_config("publications"),
            dispatch_uid="planner-statistics",
        )


class CMSAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the CMS's site (its home a dashboard) as admin.site."""

    default_site = "thinktank.admin.CMSAdminSite"
    # Named in INSTALLED_APPS; never the config of "thinktank" itself.
    default = False
