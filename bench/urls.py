"""The application's URLs plus the framework floor, which exists only in the bench settings."""

from django.http import HttpResponse
from django.urls import path

from lokalnie.urls import handler403, handler404, handler500
from lokalnie.urls import urlpatterns as app_urlpatterns

FLOOR_PATH = "/bench/floor/"


def floor(request):
    """The framework floor: the full middleware stack and a small response, no template and
    no database."""
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="bench_floor"), *app_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
