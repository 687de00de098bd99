import os

from django.core.wsgi import get_wsgi_application

from thinktank.building_blocks.database import limit_waits

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")

application = get_wsgi_application()
# No request waits on a frozen database until gunicorn kills its worker.
limit_waits()
