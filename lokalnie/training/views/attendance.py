"""Attendance and completion: the coordinator's attendance list of each day (made for a
phone: big buttons, one small form per person, swapped row by row with htmx), issuing and
revoking completions, the participant's completion certificate (PDF) and the public
verification of its credential."""

from __future__ import annotations

import base64
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import visible_managed_editions
from lokalnie.core.pdf import render_pdf
from lokalnie.registry import signing
from lokalnie.registry.documents import qr_data_uri
from lokalnie.registry.selectors import JWT_CLAIMS
from lokalnie.registry.views import _public_headers
from lokalnie.training import attendance as service
from lokalnie.training.models import Completion, EditionDay, Registration
from lokalnie.training.workflow import RegStatus

PRESENT_VALUES = {"true": True, "1": True, "false": False, "0": False}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=gettext_lazy("Recorded in the audit log; the public page says it is revoked."),
    )


def _managed_edition(request, pk):
    return get_object_or_404(
        visible_managed_editions(request.user).select_related("programme"), pk=pk
    )


def _day(edition, number: int) -> EditionDay:
    day = get_object_or_404(EditionDay, edition=edition, number=number)
    day.edition = edition
    return day


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- The attendance list of a day ------------------------------------------------------------


def _row_context(day, registration, mark, *, may_mark, error="", saved=False):
    return {
        "day": day,
        "edition": day.edition,
        "person": registration,
        "mark": mark,
        "may_mark": may_mark,
        "error": error,
        "saved": saved,
    }


@login_required
def attendance_day(request, pk: int, day: int):
    edition = _managed_edition(request, pk)
    day = _day(edition, day)
    marks = service.marks_of(day)
    may_mark = service.may_mark(day)
    people = [
        _row_context(day, registration, marks.get(registration.pk), may_mark=may_mark)
        for registration in service.participants(edition)
    ]
    return render(
        request,
        "training/attendance/day.html",
        {
            "edition": edition,
            "day": day,
            "days": edition.days.all(),
            "people": people,
            "counts": service.day_counts(day),
            "may_mark": may_mark,
            "status_blocks": edition.status not in service.RUNNING,
        },
    )


@login_required
@require_POST
def attendance_mark(request, pk: int, day: int, registration: int):
    """Mark one person present or absent (``present=true|false``). Idempotent: the same
    mark sent again (a retry) changes nothing."""
    edition = _managed_edition(request, pk)
    day = _day(edition, day)
    registration = get_object_or_404(Registration.objects.filter(edition=edition), pk=registration)
    present = PRESENT_VALUES.get(request.POST.get("present", "").lower())
    if present is None:
        return HttpResponseBadRequest(_("Say whether the person was present or absent."))
    error, status = "", 200
    try:
        service.attendance_mark(
            registration=registration, day=day, present=present, by=request.user
        )
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 409
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                (_("%(name)s: present.") if present else _("%(name)s: absent."))
                % {"name": registration.full_name},
            )
        url = reverse("training:attendance_day", args=[edition.pk, day.number])
        return redirect(f"{url}#person-{registration.pk}")
    if registration.status != RegStatus.ACCEPTED:
        # Not on the list: nothing to redraw but the message.
        return HttpResponse(error, status=status, content_type="text/plain; charset=utf-8")
    context = _row_context(
        day,
        registration,
        service.marks_of(day).get(registration.pk),
        may_mark=service.may_mark(day),
        error=error,
        saved=not error,
    )
    context["counts"] = service.day_counts(day)
    context["oob_counts"] = True
    return render(request, "training/attendance/_row.html", context, status=status)


# --- Completions (coordinator) -----------------------------------------------------------------


def _participants_with_days(edition):
    return service.participants(edition).annotate(
        present_days=Count("attendance", filter=Q(attendance__present=True))
    )


@login_required
def completions(request, pk: int):
    edition = _managed_edition(request, pk)
    issued = {
        completion.registration_id: completion
        for completion in Completion.objects.filter(registration__edition=edition)
    }
    people = [
        {
            "person": registration,
            "days": registration.present_days,
            "completion": issued.get(registration.pk),
            "qualifies": registration.present_days >= edition.programme.min_days_to_complete,
        }
        for registration in _participants_with_days(edition)
    ]
    return render(
        request,
        "training/attendance/completions.html",
        {
            "edition": edition,
            "people": people,
            "issued": sorted(issued.values(), key=lambda c: c.sequence),
            "qualifying": service.qualifying(edition).count(),
            "may_issue": service.may_issue(edition),
            "rule": service.completion_rule_text(edition.programme),
        },
    )


@login_required
@require_POST
def completions_issue(request, pk: int):
    edition = _managed_edition(request, pk)
    try:
        issued = service.completions_issue(edition=edition, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if issued:
            messages.success(
                request,
                _("Completions issued: %(count)d. Each person has been sent an e-mail.")
                % {"count": len(issued)},
            )
        else:
            messages.info(request, _("Nobody else meets the completion rule yet."))
    return redirect("training:completions", edition.pk)


@login_required
def completion_revoke(request, pk: int, completion: int):
    edition = _managed_edition(request, pk)
    completion = get_object_or_404(
        Completion.objects.select_related("registration"),
        pk=completion,
        registration__edition=edition,
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.completion_revoke(
                completion=completion, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Completion %(number)s revoked.") % {"number": completion.number}
            )
            return redirect("training:completions", edition.pk)
    return render(
        request,
        "training/attendance/revoke.html",
        {"edition": edition, "completion": completion, "form": form},
    )


# --- The participant -----------------------------------------------------------------------------


def registration_context(registration) -> dict:
    """What this part adds to the participant's registration page (keys ``attendance_*``)."""
    completion = Completion.objects.filter(registration=registration).first()
    if registration.status != RegStatus.ACCEPTED and completion is None:
        return {"attendance_shown": False}
    edition = registration.edition
    marks = dict(registration.attendance.values_list("day_id", "present"))
    days = [{"day": day, "present": marks.get(day.pk)} for day in edition.days.all()]
    return {
        "attendance_shown": True,
        "attendance_days": days,
        "attendance_present": sum(1 for day in days if day["present"]),
        "attendance_rule": service.completion_rule_text(edition.programme),
        "attendance_completion": completion,
    }


def completion_pdf(request, token: str):
    registration = get_object_or_404(
        Registration.objects.select_related("edition__programme"), token=token
    )
    completion = Completion.objects.filter(registration=registration, revoked_at=None).first()
    if completion is None:
        raise Http404
    url = service.verification_url(completion)
    pdf = render_pdf(
        "training/pdf/completion.html",
        {
            "completion": completion,
            "registration": registration,
            "edition": registration.edition,
            "programme": registration.edition.programme,
            "days": registration.edition.programme.days,
            "verification_url": url,
            "qr": qr_data_uri(url),
            "issuer_name": signing.issuer()["name"],
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{completion.slug}.pdf"'
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public verification --------------------------------------------------------------------------


def _completion_or_404(slug: str) -> Completion:
    completion = service.completion_by_slug(slug)
    if completion is None:
        raise Http404
    return completion


def completion_verify(request, slug: str):
    completion = _completion_or_404(slug)
    if slug != completion.slug:
        return redirect("training:completion_verify", completion.slug, permanent=True)
    edition = completion.registration.edition
    return render(
        request,
        "training/attendance/verify.html",
        {
            "completion": completion,
            "registration": completion.registration,
            "edition": edition,
            "programme": edition.programme,
            "rule": service.completion_rule_text(edition.programme),
        },
    )


def completion_credential(request, slug: str):
    completion = _completion_or_404(slug)
    response = HttpResponse(completion.credential_jws, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{completion.slug}.jwt"'
    return _public_headers(response, max_age=3600)


def completion_credential_json(request, slug: str):
    completion = _completion_or_404(slug)
    body = completion.credential_jws.split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    credential = {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
    response = HttpResponse(
        json.dumps(credential, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{completion.slug}.json"'
    return _public_headers(response, max_age=3600)


urlpatterns = [
    path("koordynacja/edycje/<int:pk>/obecnosc/<int:day>/", attendance_day, name="attendance_day"),
    path(
        "koordynacja/edycje/<int:pk>/obecnosc/<int:day>/<int:registration>/",
        attendance_mark,
        name="attendance_mark",
    ),
    path("koordynacja/edycje/<int:pk>/ukonczenia/", completions, name="completions"),
    path(
        "koordynacja/edycje/<int:pk>/ukonczenia/wydaj/",
        completions_issue,
        name="completions_issue",
    ),
    path(
        "koordynacja/edycje/<int:pk>/ukonczenia/<int:completion>/uniewaznij/",
        completion_revoke,
        name="completion_revoke",
    ),
    path("zgloszenie/<str:token>/zaswiadczenie.pdf", completion_pdf, name="completion_pdf"),
    path("poswiadczenie/<str:slug>/", completion_verify, name="completion_verify"),
    path(
        "poswiadczenie/<str:slug>/poswiadczenie.jwt",
        completion_credential,
        name="completion_credential",
    ),
    path(
        "poswiadczenie/<str:slug>/poswiadczenie.json",
        completion_credential_json,
        name="completion_credential_json",
    ),
]
