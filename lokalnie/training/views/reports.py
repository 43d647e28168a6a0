"""Reports: alumni report the trainings they deliver (the cascade, by the token of their
registration); coordinators see their editions' figures on the dashboard and the
cascade totals; staff export the funder report (XLSX or CSV)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can, permission_required, visible_managed_editions
from lokalnie.training import reports as service
from lokalnie.training.models import CascadeTraining, Edition, Programme, Registration

# --- Participants: the cascade ------------------------------------------------------------


class CascadeForm(forms.ModelForm):
    participants = forms.IntegerField(
        label=gettext_lazy("Number of participants"),
        min_value=1,
        max_value=service.MAX_CASCADE_PARTICIPANTS,
        error_messages={
            "required": gettext_lazy("Give the number of participants."),
            "invalid": gettext_lazy("Give the number of participants as a whole number."),
            "min_value": gettext_lazy("The number of participants must be at least 1."),
            "max_value": gettext_lazy("The number of participants must be at most 10,000."),
        },
    )

    class Meta:
        model = CascadeTraining
        fields = ["date", "place", "topic", "participants"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "place": gettext_lazy("The town and the institution or venue."),
        }
        error_messages = {
            "date": {
                "required": gettext_lazy("Give the date of the training."),
                "invalid": gettext_lazy("Give the date as YYYY-MM-DD, for example 2025-03-14."),
            },
            "place": {"required": gettext_lazy("Say where the training took place.")},
            "topic": {"required": gettext_lazy("Give the topic of the training.")},
        }


def registration_context(registration) -> dict:
    """What this part adds to the participant's registration page."""
    if not service.may_report_cascade(registration):
        return {"cascade_may_report": False}
    return {
        "cascade_may_report": True,
        "cascade_summary": service.cascade_summary(registration),
    }


def _registration(token: str) -> Registration:
    return get_object_or_404(Registration.objects.select_related("edition__programme"), token=token)


def _closed(request, registration):
    return render(
        request, "training/reports/cascade_closed.html", {"registration": registration}, status=403
    )


def cascade_report(request, token: str):
    registration = _registration(token)
    if not service.may_report_cascade(registration):
        return _closed(request, registration)
    form = CascadeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.cascade_add(registration=registration, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: the training has been reported."))
            return redirect("training:cascade_report", registration.token)
    return render(
        request,
        "training/reports/cascade.html",
        {
            "registration": registration,
            "form": form,
            "trainings": registration.cascade_trainings.all(),
            "summary": service.cascade_summary(registration),
            "today": timezone.localdate(),
        },
    )


def cascade_edit(request, token: str, pk: int):
    registration = _registration(token)
    if not service.may_report_cascade(registration):
        return _closed(request, registration)
    training = get_object_or_404(registration.cascade_trainings, pk=pk)
    form = CascadeForm(request.POST or None, instance=CascadeTraining.objects.get(pk=training.pk))
    if request.method == "POST" and form.is_valid():
        try:
            service.cascade_change(training=training, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The training has been changed."))
            return redirect("training:cascade_report", registration.token)
    return render(
        request,
        "training/reports/cascade_edit.html",
        {"registration": registration, "training": training, "form": form},
    )


@require_POST
def cascade_delete(request, token: str, pk: int):
    registration = _registration(token)
    training = get_object_or_404(registration.cascade_trainings, pk=pk)
    service.cascade_delete(training=training)
    messages.success(request, _("The training has been deleted."))
    return redirect("training:cascade_report", registration.token)


# --- Coordinators ---------------------------------------------------------------------------


@permission_required("training.coordinate")
def dashboard(request):
    today = timezone.localdate()
    figures = service.dashboard_editions(visible_managed_editions(request.user), today=today)
    return render(
        request,
        "training/reports/dashboard.html",
        {
            "upcoming": [f for f in figures if f.edition.ends_on >= today],
            "recent": [f for f in figures if f.edition.ends_on < today],
            "recent_days": service.RECENT_DAYS,
            "can_funder_report": can(request.user, "training.funder_report"),
        },
    )


@permission_required("training.coordinate")
def edition_reports(request, pk: int):
    edition = get_object_or_404(
        service.cascade_totals_of_editions(
            visible_managed_editions(request.user).select_related("programme")
        ),
        pk=pk,
    )
    trainings = CascadeTraining.objects.filter(registration__edition=edition).select_related(
        "registration"
    )
    return render(
        request,
        "training/reports/edition.html",
        {
            "edition": edition,
            "trainings": trainings,
            "can_funder_report": can(request.user, "training.funder_report"),
        },
    )


@permission_required("programme.manage")
def cascade_totals(request):
    programmes = list(service.cascade_totals_of_programmes())
    editions = service.cascade_totals_of_editions(
        Edition.objects.filter(registrations__cascade_trainings__isnull=False)
        .distinct()
        .select_related("programme")
    ).order_by("programme__title_pl", "starts_on", "pk")
    return render(
        request,
        "training/reports/cascade_totals.html",
        {"programmes": programmes, "editions": editions},
    )


# --- Staff: the funder report -------------------------------------------------------------

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@permission_required("training.funder_report")
def funder_report(request):
    programmes = Programme.objects.prefetch_related("editions").order_by("title_pl")
    return render(
        request,
        "training/reports/funder.html",
        {"programmes": programmes, "legal_basis": service.legal_basis_text()},
    )


def _export(request, *, editions, obj, title: str, filename: str, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    report = service.funder_report(editions, title=title)
    build = service.report_xlsx if file_format == "xlsx" else service.report_csv
    content = build(report)
    service.report_export_audit(
        by=request.user, obj=obj, file_format=file_format, rows=len(report.rows)
    )
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "no-store"  # personal data: not kept by caches
    return response


@permission_required("training.funder_report")
def funder_export_edition(request, pk: int, file_format: str):
    edition = get_object_or_404(Edition.objects.select_related("programme"), pk=pk)
    return _export(
        request,
        editions=Edition.objects.filter(pk=edition.pk),
        obj=edition,
        title=str(edition),
        filename=f"uczestnicy-{edition.slug}",
        file_format=file_format,
    )


@permission_required("training.funder_report")
def funder_export_programme(request, slug: str, file_format: str):
    programme = get_object_or_404(Programme, slug=slug)
    return _export(
        request,
        editions=programme.editions.all(),
        obj=programme,
        title=programme.title_pl,
        filename=f"uczestnicy-{programme.slug}",
        file_format=file_format,
    )


urlpatterns = [
    path("zgloszenie/<str:token>/szkolenia/", cascade_report, name="cascade_report"),
    path("zgloszenie/<str:token>/szkolenia/<int:pk>/", cascade_edit, name="cascade_edit"),
    path("zgloszenie/<str:token>/szkolenia/<int:pk>/usun/", cascade_delete, name="cascade_delete"),
    path("koordynacja/pulpit/", dashboard, name="dashboard"),
    path("koordynacja/edycje/<int:pk>/raporty/", edition_reports, name="edition_reports"),
    path("koordynacja/kaskada/", cascade_totals, name="cascade_totals"),
    path("koordynacja/raport-dla-grantodawcy/", funder_report, name="funder_report"),
    path(
        "koordynacja/raport-dla-grantodawcy/edycje/<int:pk>/<str:file_format>/",
        funder_export_edition,
        name="funder_export_edition",
    ),
    path(
        "koordynacja/raport-dla-grantodawcy/programy/<slug:slug>/<str:file_format>/",
        funder_export_programme,
        name="funder_export_programme",
    ),
]
