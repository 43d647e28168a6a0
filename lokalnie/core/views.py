from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from lokalnie.accounts.permissions import permission_required
from lokalnie.accounts.services import PRIVACY_NOTICE_VERSION, user_set_language
from lokalnie.core import pagecache
from lokalnie.core.models import AuditEntry
from lokalnie.core.modules import MODULES, MODULES_BY_SLUG
from lokalnie.core.pdf import render_pdf

# The home page shows only what the code defines (the modules and the layout), so nothing
# needs to forget it: a deployment's changes reach the cached copies within this time.
HOME_PAGE_SECONDS = 5 * 60
HOME_VERSION_KEY = "core:home:version"


def home(request):
    def render_page(extra):
        return render(request, "core/home.html", {"modules": MODULES, "is_home": True, **extra})

    return pagecache.cached_page(
        request, version_key=HOME_VERSION_KEY, seconds=HOME_PAGE_SECONDS, render_page=render_page
    )


def module(request, slug: str):
    module = MODULES_BY_SLUG.get(slug)
    if module is None:
        raise Http404
    if module.ready:
        return redirect(module.url)
    return render(request, "core/module.html", {"module": module})


def accessibility(request):
    return render(request, "core/accessibility.html")


def privacy(request):
    return render(request, "core/privacy.html", {"privacy_version": PRIVACY_NOTICE_VERSION})


def privacy_pdf(request):
    pdf = render_pdf("core/pdf/privacy.html", {"privacy_version": PRIVACY_NOTICE_VERSION})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="lokalnie-privacy.pdf"'
    return response


@csrf_exempt
@require_POST
def set_language(request):
    """Switch the page language (a cookie) and go back to ``next``, a page on this site
    only. Visitors need no CSRF token: the layout's form would otherwise give every
    first-time visitor a token and a cookie, and make the cached public pages per visitor;
    another site that switches a visitor's language does no harm. A signed-in person's
    preference is saved too, so e-mails follow it: that changes their account, so for them
    the CSRF check applies (docs/decisions/0015-page-cache.md)."""
    if request.user.is_authenticated:
        return _set_language_and_preference(request)
    return django_set_language(request)


@csrf_protect
def _set_language_and_preference(request):
    response = django_set_language(request)
    user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@permission_required("audit.view")
def audit_log(request):
    entries = AuditEntry.objects.select_related("content_type").order_by("-created_at", "-id")
    filters = {
        "action": request.GET.get("action", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
        "object_type": request.GET.get("object_type", "").strip(),
        "date_from": request.GET.get("date_from", "").strip(),
        "date_to": request.GET.get("date_to", "").strip(),
    }
    errors = []
    if filters["action"]:
        entries = entries.filter(action__startswith=filters["action"])
    if filters["actor"]:
        entries = entries.filter(actor_label__icontains=filters["actor"])
    if filters["object_type"]:
        app_label, _sep, model = filters["object_type"].partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    for key, lookup in (
        ("date_from", "created_at__date__gte"),
        ("date_to", "created_at__date__lte"),
    ):
        if filters[key]:
            day = _parse_date(filters[key])
            if day is None:
                errors.append(
                    _("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": filters[key]}
                )
            else:
                entries = entries.filter(**{lookup: day})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    object_types = ContentType.objects.filter(
        pk__in=AuditEntry.objects.values("content_type").distinct()
    ).order_by("app_label", "model")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "object_types": object_types,
            "actions": AuditEntry.objects.order_by("action")
            .values_list("action", flat=True)
            .distinct(),
            "query": query.urlencode(),
        },
    )
