"""The delimitation (the stage "area"): the revitalization area of art. 10 chosen exactly
among the degraded units of art. 9, with the reason for each unit, the greedy ranking
beside it, the team's decisions (pins), the coordinator's adoption, the history of runs,
the report as PDF (fit to annex to the council's resolution) and the unit list as CSV.

Every page reads with ``revitalization.view``; running and pinning need
``revitalization.edit``, adopting ``revitalization.coordinate``. A run is solved in the
request: 10,000 units take about 2 s at most (``docs/performance.md``), so no task queue.
The words, tables, map, PDF and CSV are built in ``selectors.delimitation_report``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.forms.delimitation import OBJECTIVE_HELP, PinForm, RunForm
from lokalnie.revitalization.models import Delimitation, Unit
from lokalnie.revitalization.selectors import delimitation as selectors
from lokalnie.revitalization.selectors import delimitation_report as report
from lokalnie.revitalization.selectors.diagnosis import diagnosis_result
from lokalnie.revitalization.services import delimitation as services

STAGE = "area"
PER_PAGE = 100
VIEW = "revitalization.view"
EDIT = "revitalization.edit"
COORDINATE = "revitalization.coordinate"


# --- Pages -------------------------------------------------------------------------------


def _page(request, programme, *, run_form=None):
    may_edit = can(request.user, EDIT, programme)
    may_coordinate = can(request.user, COORDINATE, programme)
    diagnosis = diagnosis_result(programme)
    run = None
    wanted = request.GET.get("przebieg")
    if wanted and wanted.isdigit():
        run = selectors.run_of(programme, int(wanted))
    else:
        run = selectors.latest_run(programme)
    context = {
        "programme": programme,
        "stage": STAGE,
        "may_edit": may_edit,
        "may_coordinate": may_coordinate,
        "run_form": run_form or RunForm(),
        "objective_help": [
            {"value": value, "label": label, "help": OBJECTIVE_HELP[value]}
            for value, label in Delimitation.Objective.choices
        ],
        "degraded_count": len(diagnosis.degraded),
        "unit_count": len(diagnosis.units),
        "settings_missing": not (programme.gmina_area_ha and programme.gmina_residents),
        "adopted": selectors.adopted_delimitation(programme),
        "history": report.history(programme),
        "pins": selectors.pinned_units(programme),
    }
    if run is not None:
        rows = report.unit_rows(run)
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("strona"))
        unit_pks = selectors.unit_pks(programme, [row["code"] for row in page.object_list])
        for row in page.object_list:
            row["unit_pk"] = unit_pks.get(row["code"])
        context.update(report.run_summary(programme, run))
        context.update(
            page=page,
            rows=page.object_list,
            map=report.area_map(programme, run),
            stale=run.inputs.get("fingerprint")
            != services.current_fingerprint(programme, diagnosis),
            query=f"przebieg={run.pk}",
        )
    return render(request, "revitalization/delimitation/page.html", context)


@login_required
def delimitation(request, pk):
    programme = programme_for(request, pk)
    return _page(request, programme)


@login_required
@require_POST
def delimitation_run(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _page(request, programme, run_form=form)
    try:
        run = services.delimitation_run(
            programme=programme, objective=form.cleaned_data["objective"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("revitalization:delimitation", programme.pk)
    messages.success(
        request,
        _("Delimitation computed: %(status)s.")
        % {"status": report.status_label(run.result["status"])},
    )
    return redirect(
        reverse("revitalization:delimitation", args=[programme.pk]) + f"?przebieg={run.pk}"
    )


@login_required
@require_POST
def delimitation_adopt(request, pk, run):
    programme = programme_for(request, pk, COORDINATE)
    delimitation = selectors.run_of(programme, run)
    try:
        services.delimitation_adopt(delimitation=delimitation, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The revitalization area is adopted."))
    return redirect(
        reverse("revitalization:delimitation", args=[programme.pk]) + f"?przebieg={run}"
    )


@login_required
def delimitation_pin(request, pk, unit):
    programme = programme_for(request, pk, EDIT)
    unit = get_object_or_404(Unit.objects.defer("geometry"), programme=programme, pk=unit)
    if request.method == "POST":
        form = PinForm(request.POST)
        if form.is_valid():
            try:
                services.unit_pin_set(
                    unit=unit,
                    pin=form.cleaned_data["pin"] or "",
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("The decision on %(unit)s is saved; it counts from the next run.")
                    % {"unit": f"{unit.code} {unit.name}"},
                )
                return redirect("revitalization:delimitation", programme.pk)
    else:
        form = PinForm(initial={"pin": unit.pin, "reason": unit.pin_reason})
    found = diagnosis_result(programme).unit(unit.code)
    return render(
        request,
        "revitalization/delimitation/pin.html",
        {
            "programme": programme,
            "stage": STAGE,
            "unit": unit,
            "form": form,
            "diagnosed": found,
            "crisis_text": ", ".join(report.sphere_label(s) for s in found.crisis_spheres)
            if found
            else "",
        },
    )


@login_required
def delimitation_pdf(request, pk, run):
    """The delimitation report: method, indicators and crisis, units with reasons, the
    limits check and the map, fit to annex to the council's resolution."""
    programme = programme_for(request, pk)
    delimitation = selectors.run_of(programme, run)
    pdf = report.report_pdf(programme, delimitation, by=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="delimitacja-{programme.slug}-{delimitation.pk}.pdf"'
    )
    return response


@login_required
def delimitation_csv(request, pk, run):
    """The run's units (UTF-8 with BOM, ``;`` and decimal commas, as Polish Excel reads)."""
    programme = programme_for(request, pk)
    delimitation = selectors.run_of(programme, run)
    response = HttpResponse(
        report.units_csv_text(delimitation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="obszar-rewitalizacji-{programme.slug}-{delimitation.pk}.csv"'
    )
    return response


BASE = "programy/<int:pk>/obszar/"

urlpatterns = [
    path(BASE, delimitation, name="delimitation"),
    path(f"{BASE}oblicz/", delimitation_run, name="delimitation_run"),
    path(f"{BASE}<int:run>/przyjmij/", delimitation_adopt, name="delimitation_adopt"),
    path(f"{BASE}<int:run>/raport.pdf", delimitation_pdf, name="delimitation_pdf"),
    path(f"{BASE}<int:run>/jednostki.csv", delimitation_csv, name="delimitation_csv"),
    path(f"{BASE}jednostki/<int:unit>/", delimitation_pin, name="delimitation_pin"),
]
