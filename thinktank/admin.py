"""The admin is the CMS, branded with the site's name rather than "Django administration",
and its home is a dashboard: the panels the apps' admins add, then every section."""

from django.conf import settings
from django.contrib import admin

from .building_blocks.admin_actions import ActionIdsChecked


class CMSAdminSite(admin.AdminSite):
    site_header = f"{settings.THINKTANK_NAME} CMS"
    site_title = f"{settings.THINKTANK_NAME} CMS"
    index_title = "Dashboard"
    # The app list beside every page would leave a changelist with its filters too narrow
    # at 1280 px; the home page and the breadcrumbs lead everywhere it does.
    enable_nav_sidebar = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._panel_makers = []

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, each model admin (ours and the other apps': users,
        groups, sign-in attempts, tasks) with its list's actions refusing ids no item
        could have (ActionIdsChecked): one check for every list, none left out."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ActionIdsChecked):
            names = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
            admin_class = type(admin_class.__name__, (ActionIdsChecked, admin_class), names)
        super().register(model_or_iterable, admin_class, **options)

    def dashboard_panels(self, make):
        """Show on the home page the panels `make(request)` returns, each an object with
        the `template` that renders it (as `panel`). Use it as a decorator, as
        admin.register is used for models."""
        self._panel_makers.append(make)
        return make

    def index(self, request, extra_context=None):
        panels = [panel for make in self._panel_makers for panel in make(request)]
        return super().index(request, {"panels": panels, **(extra_context or {})})
