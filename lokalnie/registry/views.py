"""Thin views: the public registry and verification, open data, published keys and status
lists, and the private pages of certificates and investigations."""

from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, require
from lokalnie.core import pagecache
from lokalnie.registry import documents, selectors, services, signing
from lokalnie.registry.forms import (
    ChargesForm,
    DecisionForm,
    NumberForm,
    ReinstateForm,
    ResponseForm,
    ResponsiblePersonForm,
    TokenForm,
)
from lokalnie.registry.models import Certificate, ResponsiblePerson, parse_number
from lokalnie.registry.workflow import Status, TransitionNotAllowed

PAGE_SIZE = 25


def _public_headers(response, *, max_age: int):
    """Published documents: cacheable for a short time and readable by any verifier."""
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# --- Public pages served from the cache -----------------------------------------------------
#
# The verification page (what a certificate's QR code opens), the registry list, the map and
# the institutions' registry pages are rendered once for anonymous visitors and then served
# from the page cache (``lokalnie.core.pagecache``) until what they show changes. Each entry
# is stored with the version it was rendered under: the certificate's
# (``selectors.certificate_version_key``) or the registry's
# (``selectors.REGISTRY_VERSION_KEY``). The services forget these versions whenever a
# certificate is issued or changes status (before and after commit), so the next request
# renders afresh. Institution and reference-data changes (names, TERYT, areas) made outside
# the registry's services reach the cached registry pages within ``REGISTRY_PAGE_SECONDS``.

CERTIFICATE_PAGE_SECONDS = 60 * 60
REGISTRY_PAGE_SECONDS = 60


# --- The public registry ------------------------------------------------------------------


def registry(request):
    def render_page(extra):
        filters = selectors.RegistryFilters.from_query(request.GET)
        page = Paginator(selectors.registry_search(filters), PAGE_SIZE).get_page(
            request.GET.get("strona")
        )
        query = request.GET.copy()
        query.pop("strona", None)
        return render(
            request,
            "registry/registry.html",
            {
                "page": page,
                "filters": filters,
                "query": query.urlencode(),
                **selectors.registry_choices(),
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.REGISTRY_VERSION_KEY,
        seconds=REGISTRY_PAGE_SECONDS,
        render_page=render_page,
    )


def registry_map(request):
    def render_page(extra):
        rows = selectors.map_counts()
        return render(
            request,
            "registry/map.html",
            {
                "rows": rows,
                "total": sum(row["count"] for row in rows),
                "map_config": {
                    "tiles": settings.MAP_TILE_URL,
                    "attribution": settings.MAP_TILE_ATTRIBUTION,
                    "registry_url": reverse("registry:registry"),
                    "points": [
                        {
                            "code": row["code"],
                            "name": row["name"],
                            "lat": row["lat"],
                            "lon": row["lon"],
                            "count": row["count"],
                        }
                        for row in rows
                    ],
                },
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.REGISTRY_VERSION_KEY,
        seconds=REGISTRY_PAGE_SECONDS,
        render_page=render_page,
    )


def institution(request, pk: int):
    def render_page(extra):
        certificates = selectors.institution_certificates(pk)
        if not certificates:
            raise Http404
        return render(
            request,
            "registry/institution.html",
            {"institution": certificates[0].institution, "certificates": certificates, **extra},
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.REGISTRY_VERSION_KEY,
        seconds=REGISTRY_PAGE_SECONDS,
        render_page=render_page,
    )


def open_data(request):
    return render(request, "registry/open_data.html", {"fields": EXPORT_FIELDS})


# Documented in docs/registry.md and on the open-data page.
EXPORT_FIELDS = [
    "number",
    "status",
    "institution",
    "institution_as_certified",
    "town",
    "gmina",
    "gmina_teryt",
    "voivodeship",
    "area",
    "area_name",
    "issued_on",
    "valid_until",
    "verification_url",
    "credential_url",
]
LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL",
}


def _export_rows(request):
    filters = selectors.RegistryFilters.from_query(request.GET)
    today = timezone.localdate()
    for certificate in selectors.registry_search(filters, today=today).iterator(chunk_size=2000):
        gmina = certificate.institution.gmina
        voivodeship = gmina.parent.parent if gmina.parent_id and gmina.parent.parent_id else None
        yield {
            "number": certificate.number,
            "status": certificate.current_status(today),
            "institution": certificate.institution.name,
            "institution_as_certified": certificate.institution_name,
            "town": certificate.place,
            "gmina": gmina.name,
            "gmina_teryt": gmina.code,
            "voivodeship": voivodeship.name.lower() if voivodeship else "",
            "area": certificate.area.slug,
            "area_name": certificate.area.name_pl,
            "issued_on": certificate.issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "verification_url": signing.verification_url(certificate),
            "credential_url": signing.absolute(reverse("registry:jwt", args=[certificate.slug])),
        }


def export_csv(request):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_export_rows(request))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rejestr-certyfikatow-cal.csv"'
    return _public_headers(response, max_age=300)


def export_json(request):
    document = {
        "title": "Rejestr Certyfikatów Jakości CAL",
        "publisher": LICENCE["attribution"],
        "licence": LICENCE,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "documentation": signing.absolute(reverse("registry:open_data")),
        "fields": EXPORT_FIELDS,
        "certificates": list(_export_rows(request)),
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="rejestr-certyfikatow-cal.json"'
    return _public_headers(response, max_age=300)


# --- Verification -------------------------------------------------------------------------


def _not_found(request, number: str, extra=None):
    return render(
        request,
        "registry/not_found.html",
        {"number": number, "form": NumberForm(initial={"numer": number}), **(extra or {})},
        status=404,
    )


def verify(request):
    number_form, token_form, result = NumberForm(), TokenForm(), None
    status = 200
    if "numer" in request.GET:
        number_form = NumberForm(request.GET)
        if number_form.is_valid():
            number = number_form.cleaned_data["numer"]
            return redirect("registry:verify_number", number.replace("/", "-"))
        status = 400
    elif request.method == "POST":
        from lokalnie.registry.verification import verify_here

        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            result = verify_here(token_form.cleaned_data["token"])
        else:
            status = 400
    certificate = None
    if result is not None and result.payload:
        certificate = selectors.certificate_by_slug(
            str(result.payload.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
        )
    return render(
        request,
        "registry/verify.html",
        {
            "number_form": number_form,
            "token_form": token_form,
            "result": result,
            "certificate": certificate,
            "subject_name": _subject_name(result.payload) if result and result.payload else "",
        },
        status=status,
    )


def _subject_name(payload: dict) -> str:
    subject = payload.get("credentialSubject")
    if not isinstance(subject, dict):
        return ""
    for identifier in subject.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("identityType") == "name":
            return str(identifier.get("identityHash", ""))
    return ""


def _certificate_or_none(number: str) -> Certificate | None:
    return selectors.certificate_by_slug(number)


def verify_number(request, number: str):
    canonical = parse_number(number)
    if canonical is None:
        return _not_found(request, number)

    def render_page(extra):
        certificate = _certificate_or_none(number)
        if certificate is None:
            return _not_found(request, number, extra)
        if number != certificate.slug:
            return redirect("registry:verify_number", certificate.slug, permanent=True)
        return render(
            request,
            "registry/verify_number.html",
            {
                "certificate": certificate,
                "status": certificate.current_status(),
                "history": selectors.certificate_history(certificate),
                "renewal": getattr(certificate, "renewal", None),
                "can_download": can(request.user, "certificate.download", certificate),
                **extra,
            },
        )

    return pagecache.cached_page(
        request,
        version_key=selectors.certificate_version_key(canonical),
        seconds=CERTIFICATE_PAGE_SECONDS,
        render_page=render_page,
    )


def badge(request, number: str):
    certificate = _certificate_or_none(number)
    if certificate is None:
        svg = documents.badge_svg(
            number=number[:20],
            label="CAL",
            status_text=_("not found"),
            status="",
            title=_("Certificate not found"),
        )
        response = HttpResponse(svg, content_type="image/svg+xml", status=404)
    else:
        status = certificate.current_status()
        label = Status(status).label
        svg = documents.badge_svg(
            number=certificate.number,
            label="CAL",
            status_text=label,
            status=status,
            title=_("CAL Quality Certificate %(number)s: %(status)s")
            % {"number": certificate.number, "status": label},
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return _public_headers(response, max_age=300)


def _credential_document(number: str, kind: str) -> tuple[str, str]:
    """(address slug, published credential as "jwt" or "json") of a certificate, or 404."""
    canonical = parse_number(number)
    document = selectors.published_credential(canonical, kind) if canonical else None
    if document is None:
        raise Http404
    return canonical.replace("/", "-"), document


def credential_jwt(request, number: str):
    slug, token = _credential_document(number, "jwt")
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{slug}.jwt"'
    return _public_headers(response, max_age=3600)


def credential_json(request, number: str):
    slug, document = _credential_document(number, "json")
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    return _public_headers(response, max_age=3600)


def status_list(request, purpose: str):
    real_purpose = signing.STATUS_LIST_PURPOSES.get(purpose)
    if real_purpose is None:
        raise Http404
    response = HttpResponse(
        services.status_list_token(real_purpose), content_type="application/vc+jwt"
    )
    return _public_headers(response, max_age=60)


def jwks(request):
    response = HttpResponse(
        json.dumps(signing.jwks_document()), content_type="application/jwk-set+json"
    )
    return _public_headers(response, max_age=3600)


# --- Certificates (private pages) ---------------------------------------------------------


@login_required
def certificates(request):
    return render(
        request,
        "registry/certificates.html",
        {
            "certificates": selectors.certificates_for_user(user=request.user),
            "sees_all": can(request.user, "investigation.list_all"),
            "can_manage": can(request.user, "certificate.manage"),
        },
    )


def _private_certificate(request, number: str) -> Certificate:
    """404 (not 403) for certificates whose private page the user may not open."""
    canonical = parse_number(number)
    if canonical is None:
        raise Http404
    return get_object_or_404(selectors.certificates_for_user(user=request.user), number=canonical)


def _certificate_page(request, certificate, *, charges_form=None, reinstate_form=None, status=200):
    user = request.user
    investigating = can(user, "certificate.investigate", certificate)
    open_investigation = selectors.open_investigation(certificate)
    current = certificate.current_status()
    return render(
        request,
        "registry/certificate.html",
        {
            "certificate": certificate,
            "status": current,
            "history": selectors.certificate_history(certificate).select_related("investigation"),
            "investigations": certificate.investigations.all(),
            "can_download": can(user, "certificate.download", certificate),
            "open_investigation": open_investigation,
            "can_open": investigating
            and open_investigation is None
            and current in (Status.VALID, Status.SUSPENDED),
            "can_reinstate": investigating and certificate.status == Status.SUSPENDED,
            "charges_form": charges_form or ChargesForm(),
            "reinstate_form": reinstate_form or ReinstateForm(),
        },
        status=status,
    )


@login_required
def certificate(request, number: str):
    certificate = _private_certificate(request, number)
    return _certificate_page(request, certificate)


@login_required
def certificate_pdf(request, number: str):
    certificate = _private_certificate(request, number)
    if not can(request.user, "certificate.download", certificate):
        raise Http404
    response = HttpResponse(documents.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certyfikat-{certificate.slug}.pdf"'
    return response


@login_required
def investigation_open(request, number: str):
    certificate = _private_certificate(request, number)
    require(request.user, "certificate.investigate", certificate)
    form = ChargesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = services.investigation_open(
                certificate=certificate, by=request.user, charges=form.cleaned_data["charges"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The investigation is open; the institution has been notified.")
            )
            return redirect("registry:investigation", investigation.pk)
    return render(
        request,
        "registry/investigation_open.html",
        {"certificate": certificate, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reinstate(request, number: str):
    certificate = _private_certificate(request, number)
    require(request.user, "certificate.investigate", certificate)
    form = ReinstateForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_transition(
                certificate=certificate,
                action="reinstate",
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TransitionNotAllowed:
            messages.error(request, _("The certificate is not suspended (any more)."))
            return redirect("registry:certificate", certificate.slug)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The suspension has been lifted."))
            return redirect("registry:certificate", certificate.slug)
    return _certificate_page(request, certificate, reinstate_form=form, status=400)


# --- Investigations -----------------------------------------------------------------------


@login_required
def investigations(request):
    return render(
        request,
        "registry/investigations.html",
        {"investigations": selectors.investigations_for_user(user=request.user)},
    )


def _visible_investigation(request, pk: int):
    return get_object_or_404(selectors.investigations_for_user(user=request.user), pk=pk)


def _investigation_page(
    request, investigation, *, response_form=None, decision_form=None, status=200
):
    user = request.user
    return render(
        request,
        "registry/investigation.html",
        {
            "investigation": investigation,
            "certificate": investigation.certificate,
            "responses": investigation.responses.select_related("by"),
            "can_respond": investigation.is_open
            and can(user, "certificate.respond", investigation),
            "can_decide": investigation.is_open
            and can(user, "certificate.investigate", investigation.certificate),
            "response_form": response_form or ResponseForm(),
            "decision_form": decision_form or DecisionForm(),
        },
        status=status,
    )


@login_required
def investigation(request, pk: int):
    return _investigation_page(request, _visible_investigation(request, pk))


@login_required
@require_POST
def investigation_respond(request, pk: int):
    investigation = _visible_investigation(request, pk)
    require(request.user, "certificate.respond", investigation)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.investigation_respond(
                investigation=investigation, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your response has been sent to the Committee."))
            return redirect("registry:investigation", investigation.pk)
    return _investigation_page(request, investigation, response_form=form, status=400)


@login_required
@require_POST
def investigation_decide(request, pk: int):
    investigation = _visible_investigation(request, pk)
    require(request.user, "certificate.investigate", investigation.certificate)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.investigation_decide(
                investigation=investigation,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except TransitionNotAllowed:
            form.add_error(
                "decision",
                _("This decision is not possible for the certificate in its present status."),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("registry:investigation", investigation.pk)
    return _investigation_page(request, investigation, decision_form=form, status=400)


# --- The person responsible for certification ---------------------------------------------


@permission_required("certificate.manage")
def responsible_person(request):
    form = ResponsiblePersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsible_person_appoint(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The appointment has been recorded."))
            return redirect("registry:responsible_person")
    return render(
        request,
        "registry/responsible_person.html",
        {
            "form": form,
            "people": ResponsiblePerson.objects.all(),
            "current": services.responsible_person_on(timezone.localdate()),
        },
        status=400 if form.errors else 200,
    )
