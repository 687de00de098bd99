"""The ceiling: a bare Django view returning a constant page, as a WSGI application.

Served by bench/run.py with gunicorn exactly like the real site
(`gunicorn --chdir bench ceiling:application -w 2`), so every page's requests/s can
be given as a ratio to what Django itself costs on this machine. No database, no
middleware, no templates: only Django's request handling and URL routing.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAGE = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ceiling</title>"
    b"</head><body><h1>A constant page</h1><p>Nothing but Django.</p></body></html>"
)


def constant(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", constant)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-ceiling-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )

application = get_wsgi_application()
