import os

from django.core.asgi import get_asgi_application

from thinktank.building_blocks.database import limit_waits

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinktank.settings")

application = get_asgi_application()
# No request waits on a frozen database until gunicorn kills its worker.
limit_waits()
