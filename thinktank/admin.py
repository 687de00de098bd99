"""The admin is the CMS, branded with the site's name rather than "Django administration"."""

from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.THINKTANK_NAME} CMS"
admin.site.site_title = f"{settings.THINKTANK_NAME} CMS"
admin.site.index_title = "Publications, authors and topics"
# The app list beside every page would leave a changelist with its filters too narrow
# at 1280 px; the home page and the breadcrumbs lead everywhere it does.
admin.site.enable_nav_sidebar = False
