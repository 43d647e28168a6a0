"""Error pages in the visitor's language (403/404 with the full layout; 500 standalone)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or a template may be what failed.
    return HttpResponseServerError(get_template("500.html").render({"request": request}))
