"""Views of the results framework (stage "monitoring"): the indicator list, an indicator
with its baseline and periods, the indicator and target forms, the periods (and locking
them), the measurement form with its breakdown grid and evidence, and the coordinator's
approval queue. Thin: each finds the programme with ``programme_for`` (outsiders 404, team
members without the right 403), validates a form, calls a service and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.core.uploads import serve_upload
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.forms.results import (
    GeneratePeriodsForm,
    IndicatorForm,
    MeasurementForm,
    PeriodForm,
    ReasonForm,
    TargetsForm,
    add_service_errors,
)
from lokalnie.revitalization.models import Measurement, Target
from lokalnie.revitalization.models.results import BREAKDOWN_DIMENSIONS, measurement_may
from lokalnie.revitalization.selectors import results as selectors
from lokalnie.revitalization.services import results as services

STAGE = "monitoring"
EDIT, COORDINATE = "revitalization.edit", "revitalization.coordinate"


def _page(request, template, programme, **context):
    context.update(
        programme=programme,
        stage=STAGE,
        may_edit=can(request.user, EDIT, programme),
        may_coordinate=can(request.user, COORDINATE, programme),
    )
    return render(request, f"revitalization/results/{template}", context)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Indicators -----------------------------------------------------------------------------


@login_required
def index(request, pk):
    """The indicators with their baseline, targets and latest status."""
    programme = programme_for(request, pk)
    table = selectors.indicator_table(programme)
    waiting = sum(
        1
        for row in table.rows
        for cell in row.cells
        if cell.measurement is not None and cell.measurement.status == Measurement.Status.SUBMITTED
    )
    return _page(request, "index.html", programme, table=table, waiting=waiting)


@login_required
def indicator_new(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = IndicatorForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                programme=programme, by=request.user, baseline=form.baseline(), **form.definition()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator is added. Now set its targets."))
            return redirect("revitalization:results_targets", programme.pk, indicator.pk)
    return _page(
        request,
        "indicator_form.html",
        programme,
        form=form,
        indicator=None,
        area_size=len(selectors.area_codes(programme)),
    )


@login_required
def indicator_detail(request, pk, indicator):
    programme = programme_for(request, pk)
    item = selectors.indicator_of(programme, indicator)
    table = selectors.indicator_table(programme, indicator=item)
    return _page(
        request,
        "indicator.html",
        programme,
        row=table.rows[0],
        periods=table.periods,
        area_changed=selectors.baseline_area_changed(programme, item),
        breakdown_labels=[BREAKDOWN_DIMENSIONS[d]["label"] for d in item.breakdowns],
    )


@login_required
def indicator_edit(request, pk, indicator):
    programme = programme_for(request, pk, EDIT)
    item = selectors.indicator_of(programme, indicator)
    count = item.measurements.count()
    form = IndicatorForm(
        request.POST or None, programme=programme, indicator=item, measurement_count=count
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=item, by=request.user, baseline=form.baseline(), **form.definition()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("revitalization:results_indicator", programme.pk, item.pk)
    return _page(
        request,
        "indicator_form.html",
        programme,
        form=form,
        indicator=item,
        measurement_count=count,
        area_size=len(selectors.area_codes(programme)),
        current_row=selectors.IndicatorRow(
            indicator=item, baseline=selectors.baseline_of(item), cells=[], latest=None
        ),
        area_changed=selectors.baseline_area_changed(programme, item),
    )


@require_POST
@login_required
def indicator_delete(request, pk, indicator):
    programme = programme_for(request, pk, EDIT)
    item = selectors.indicator_of(programme, indicator)
    try:
        services.indicator_delete(indicator=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect("revitalization:results_indicator", programme.pk, item.pk)
    messages.success(request, _("The indicator is removed."))
    return redirect("revitalization:results", programme.pk)


@login_required
def targets(request, pk, indicator):
    programme = programme_for(request, pk, EDIT)
    item = selectors.indicator_of(programme, indicator)
    periods = list(selectors.periods_with_counts(programme))
    current = dict(Target.objects.filter(indicator=item).values_list("period_id", "value"))
    form = TargetsForm(request.POST or None, indicator=item, periods=periods, targets=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_set(indicator=item, by=request.user, values=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The targets are saved."))
            return redirect("revitalization:results_indicator", programme.pk, item.pk)
    return _page(request, "targets.html", programme, form=form, indicator=item, periods=periods)


# --- Periods --------------------------------------------------------------------------------


@login_required
def periods(request, pk):
    """The periods (with their measurements and whether they are locked); the team adds
    them one by one or as years or half-years."""
    programme = programme_for(request, pk)
    form = PeriodForm()
    generate = GeneratePeriodsForm(
        prefix="generate",
        initial={"starts_on": programme.period_start, "ends_on": programme.period_end},
    )
    if request.method == "POST":
        programme = programme_for(request, pk, EDIT)
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                services.period_create(programme=programme, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The period is added."))
                return redirect("revitalization:results_periods", programme.pk)
    return _page(
        request,
        "periods.html",
        programme,
        periods=selectors.periods_with_counts(programme),
        form=form,
        generate=generate,
    )


@require_POST
@login_required
def periods_generate(request, pk):
    programme = programme_for(request, pk, EDIT)
    generate = GeneratePeriodsForm(request.POST, prefix="generate")
    if generate.is_valid():
        try:
            created = services.periods_generate(
                programme=programme, by=request.user, **generate.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(generate, error)
        else:
            messages.success(
                request,
                _("Periods added: %(labels)s.") % {"labels": ", ".join(p.label for p in created)},
            )
            return redirect("revitalization:results_periods", programme.pk)
    return _page(
        request,
        "periods.html",
        programme,
        periods=selectors.periods_with_counts(programme),
        form=PeriodForm(),
        generate=generate,
    )


@login_required
def period_edit(request, pk, period):
    programme = programme_for(request, pk, EDIT)
    item = selectors.period_of(programme, period)
    form = PeriodForm(
        request.POST or None,
        initial={"label": item.label, "starts_on": item.starts_on, "ends_on": item.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(period=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The period is saved."))
            return redirect("revitalization:results_periods", programme.pk)
    return _page(request, "period_form.html", programme, form=form, period=item)


@require_POST
@login_required
def period_delete(request, pk, period):
    programme = programme_for(request, pk, EDIT)
    item = selectors.period_of(programme, period)
    try:
        services.period_delete(period=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The period is removed."))
    return redirect("revitalization:results_periods", programme.pk)


@require_POST
@login_required
def period_lock(request, pk, period):
    programme = programme_for(request, pk, COORDINATE)
    item = selectors.period_of(programme, period)
    try:
        services.period_lock(period=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The period “%(period)s” is locked: its measurements and targets cannot change.")
            % {"period": item.label},
        )
    return redirect("revitalization:results_periods", programme.pk)


@login_required
def period_unlock(request, pk, period):
    programme = programme_for(request, pk, COORDINATE)
    item = selectors.period_of(programme, period)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_unlock(period=item, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The period “%(period)s” is unlocked.") % {"period": item.label}
            )
            return redirect("revitalization:results_periods", programme.pk)
    return _page(request, "period_unlock.html", programme, form=form, period=item)


# --- Measurements ---------------------------------------------------------------------------


@login_required
def measurement(request, pk, indicator, period):
    """One indicator in one period: the form while the measurement may change (for the
    team), otherwise what was measured; the coordinator's decisions below."""
    programme = programme_for(request, pk)
    item = selectors.indicator_of(programme, indicator)
    term = selectors.period_of(programme, period)
    current = selectors.measurement_for(item, term)
    status = current.status if current is not None else Measurement.Status.DRAFT
    editable = (
        can(request.user, EDIT, programme) and not term.locked and measurement_may("save", status)
    )
    form = MeasurementForm(indicator=item, measurement=current) if editable else None
    if request.method == "POST":
        programme_for(request, pk, EDIT)
        if term.locked:
            _refused(request, services.locked_error(term))
            return redirect(request.path)
        form = MeasurementForm(request.POST, request.FILES, indicator=item, measurement=current)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.measurement_save(
                    indicator=item,
                    period=term,
                    by=request.user,
                    data=form.data_input(),
                    evidence=form.evidence(),
                    submit=submit,
                    expected_updated_at=form.version_time(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The measurement is submitted for the coordinator's approval.")
                    if submit
                    else _("The measurement is saved as a draft."),
                )
                return redirect(request.path)
        editable = True
    table = selectors.indicator_table(programme, indicator=item)
    cell = next(c for c in table.rows[0].cells if c.period.pk == term.pk)
    return _page(
        request,
        "measurement.html",
        programme,
        indicator=item,
        period=term,
        measurement=current,
        row=table.rows[0],
        cell=cell,
        form=form,
        editable=editable,
        reason_form=ReasonForm(),
    )


def _transition(request, pk, measurement_pk, *, right, run, done):
    programme = programme_for(request, pk, right)
    item = selectors.measurement_of(programme, measurement_pk)
    try:
        run(item)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    target = request.POST.get("next")
    if target == "queue":
        return redirect("revitalization:results_queue", programme.pk)
    return redirect(
        "revitalization:results_measurement", programme.pk, item.indicator_id, item.period_id
    )


@require_POST
@login_required
def measurement_withdraw(request, pk, measurement):
    return _transition(
        request,
        pk,
        measurement,
        right=EDIT,
        run=lambda m: services.measurement_withdraw(measurement=m, by=request.user),
        done=_("The measurement is back to draft."),
    )


@require_POST
@login_required
def measurement_approve(request, pk, measurement):
    return _transition(
        request,
        pk,
        measurement,
        right=COORDINATE,
        run=lambda m: services.measurement_approve(measurement=m, by=request.user),
        done=_("The measurement is approved."),
    )


@require_POST
@login_required
def measurement_return(request, pk, measurement):
    return _transition(
        request,
        pk,
        measurement,
        right=COORDINATE,
        run=lambda m: services.measurement_return(
            measurement=m, by=request.user, reason=request.POST.get("reason", "")
        ),
        done=_("The measurement is returned to the team."),
    )


@require_POST
@login_required
def measurement_reopen(request, pk, measurement):
    return _transition(
        request,
        pk,
        measurement,
        right=COORDINATE,
        run=lambda m: services.measurement_reopen(
            measurement=m, by=request.user, reason=request.POST.get("reason", "")
        ),
        done=_("The measurement is reopened for correction."),
    )


@require_POST
@login_required
def measurement_delete(request, pk, measurement):
    programme = programme_for(request, pk, EDIT)
    item = selectors.measurement_of(programme, measurement)
    try:
        services.measurement_delete(measurement=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The measurement is removed."))
    return redirect(
        "revitalization:results_measurement", programme.pk, item.indicator_id, item.period_id
    )


@login_required
def evidence_download(request, pk, evidence):
    """An evidence file, for whoever may read the programme (404 for other programmes')."""
    programme = programme_for(request, pk)
    item = selectors.evidence_of(programme, evidence)
    if not item.file or not item.file.storage.exists(item.file.name):
        raise Http404
    return serve_upload(item.file, filename=item.filename, content_type=item.content_type)


@require_POST
@login_required
def evidence_delete(request, pk, evidence):
    programme = programme_for(request, pk, EDIT)
    item = selectors.evidence_of(programme, evidence)
    owner = item.measurement
    try:
        services.evidence_delete(evidence=item, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The file “%(file)s” is removed.") % {"file": item.filename})
    return redirect(
        "revitalization:results_measurement", programme.pk, owner.indicator_id, owner.period_id
    )


@login_required
def queue(request, pk):
    """Measurements waiting for the coordinator's approval (the team sees them too)."""
    programme = programme_for(request, pk)
    return _page(
        request,
        "queue.html",
        programme,
        items=selectors.approval_queue(programme),
        reason_form=ReasonForm(),
    )


P = "programy/<int:pk>/rezultaty/"
urlpatterns = [
    path(P, index, name="results"),
    path(f"{P}wskazniki/nowy/", indicator_new, name="results_indicator_new"),
    path(f"{P}wskazniki/<int:indicator>/", indicator_detail, name="results_indicator"),
    path(f"{P}wskazniki/<int:indicator>/edycja/", indicator_edit, name="results_indicator_edit"),
    path(f"{P}wskazniki/<int:indicator>/usun/", indicator_delete, name="results_indicator_delete"),
    path(f"{P}wskazniki/<int:indicator>/cele/", targets, name="results_targets"),
    path(
        f"{P}wskazniki/<int:indicator>/okresy/<int:period>/",
        measurement,
        name="results_measurement",
    ),
    path(f"{P}okresy/", periods, name="results_periods"),
    path(f"{P}okresy/generuj/", periods_generate, name="results_periods_generate"),
    path(f"{P}okresy/<int:period>/", period_edit, name="results_period_edit"),
    path(f"{P}okresy/<int:period>/usun/", period_delete, name="results_period_delete"),
    path(f"{P}okresy/<int:period>/zablokuj/", period_lock, name="results_period_lock"),
    path(f"{P}okresy/<int:period>/odblokuj/", period_unlock, name="results_period_unlock"),
    path(
        f"{P}pomiary/<int:measurement>/wycofaj/",
        measurement_withdraw,
        name="results_measurement_withdraw",
    ),
    path(
        f"{P}pomiary/<int:measurement>/zatwierdz/",
        measurement_approve,
        name="results_measurement_approve",
    ),
    path(
        f"{P}pomiary/<int:measurement>/zwroc/",
        measurement_return,
        name="results_measurement_return",
    ),
    path(
        f"{P}pomiary/<int:measurement>/otworz/",
        measurement_reopen,
        name="results_measurement_reopen",
    ),
    path(
        f"{P}pomiary/<int:measurement>/usun/",
        measurement_delete,
        name="results_measurement_delete",
    ),
    path(f"{P}dowody/<int:evidence>/", evidence_download, name="results_evidence"),
    path(f"{P}dowody/<int:evidence>/usun/", evidence_delete, name="results_evidence_delete"),
    path(f"{P}do-zatwierdzenia/", queue, name="results_queue"),
]
