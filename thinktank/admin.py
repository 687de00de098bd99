"""The admin is the CMS, branded with the site's name rather than "Django administration"."""

from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.THINKTANK_NAME} CMS"
admin.site.site_title = f"{settings.THINKTANK_NAME} CMS"
admin.site.index_title = "Publications, authors and topics"
