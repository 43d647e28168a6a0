"""The diagnosis: results per unit with the map (the stage's page), the gmina's settings,
the units and their boundaries, the indicators and their values, the template files and
the results as CSV. Every page reads with ``revitalization.view``; every change needs
``revitalization.edit`` and goes through ``services.diagnosis``. A refused file is shown
as a table of its problems (row, column, problem) above the form it came from. What the
pages show is built in ``selectors.diagnosis_pages``, the files in
``selectors.diagnosis_export``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.calc.indices import SPHERES, default_crisis_rules
from lokalnie.revitalization.forms.diagnosis import (
    BoundariesImportForm,
    CatalogueForm,
    IndicatorForm,
    SettingsForm,
    TableImportForm,
    UnitsImportForm,
)
from lokalnie.revitalization.models import DiagnosisIndicator
from lokalnie.revitalization.selectors import diagnosis as selectors
from lokalnie.revitalization.selectors import diagnosis_export as export
from lokalnie.revitalization.selectors import diagnosis_pages as pages
from lokalnie.revitalization.services import diagnosis as services
from lokalnie.revitalization.tabular import TableError

STAGE = "diagnosis"
PER_PAGE = 50
VIEW = "revitalization.view"
EDIT = "revitalization.edit"


def _context(request, programme, here: str, **extra) -> dict:
    return {
        "programme": programme,
        "stage": STAGE,
        "here": here,
        "may_edit": can(request.user, EDIT, programme),
        **extra,
    }


# --- The results page ------------------------------------------------------------------


@login_required
def diagnosis(request, pk):
    programme = programme_for(request, pk)
    result = selectors.diagnosis_result(programme)
    order = "kod" if request.GET.get("kolejnosc") == "kod" else "indeks"
    page = Paginator(pages.order_units(result.units, order), PER_PAGE).get_page(
        request.GET.get("strona")
    )
    return render(
        request,
        "revitalization/diagnosis/results.html",
        _context(
            request,
            programme,
            "results",
            result=result,
            page=page,
            query=f"kolejnosc={order}",
            order=order,
            rows=pages.result_rows(result, list(page.object_list)),
            indicators=pages.indicator_columns(result),
            spheres=pages.sphere_columns(result),
            map=pages.results_map(programme, result) if result.units else None,
            summary=pages.degraded_summary(programme, result),
            missing=pages.missing_values(result),
        ),
    )


@login_required
def results_csv(request, pk):
    """Every unit's values, ratios, standardized values, indices and flags (CSV, ``;``)."""
    programme = programme_for(request, pk)
    result = selectors.diagnosis_result(programme)
    response = HttpResponse(
        export.results_csv_text(programme, result), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="diagnoza-wyniki.csv"'
    return response


# --- Settings --------------------------------------------------------------------------


@login_required
def settings_page(request, pk):
    programme = programme_for(request, pk, EDIT if request.method == "POST" else VIEW)
    indicators = [selectors.indicator_spec(i) for i in selectors.indicators_of(programme)]
    counts = {sphere: sum(1 for i in indicators if i.sphere == sphere) for sphere in SPHERES}
    defaults = default_crisis_rules(indicators)
    initial = {
        "gmina_area_ha": programme.gmina_area_ha,
        "gmina_residents": programme.gmina_residents,
        "reference_year": programme.reference_year,
    }
    for sphere, k in (programme.crisis_rules or {}).items():
        initial[f"crisis_{sphere}"] = k
    form = SettingsForm(initial=initial, indicator_counts=counts, defaults=defaults)
    if request.method == "POST":
        form = SettingsForm(request.POST, indicator_counts=counts, defaults=defaults)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.diagnosis_settings_update(
                    programme=programme,
                    by=request.user,
                    gmina_area_ha=data["gmina_area_ha"],
                    gmina_residents=data["gmina_residents"],
                    reference_year=data["reference_year"],
                    crisis_rules=form.crisis_rules(),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The diagnosis settings are saved."))
                return redirect("revitalization:diagnosis_settings", programme.pk)
    return render(
        request,
        "revitalization/diagnosis/settings.html",
        _context(request, programme, "settings", form=form),
    )


# --- Units and boundaries --------------------------------------------------------------


def _units_page(
    request, programme, *, units_form=None, boundaries_form=None, problems=None, source=""
):
    page = Paginator(selectors.units_of(programme), PER_PAGE).get_page(request.GET.get("strona"))
    overview = selectors.overview(programme)
    return render(
        request,
        "revitalization/diagnosis/units.html",
        _context(
            request,
            programme,
            "units",
            page=page,
            overview=overview,
            units_form=units_form or UnitsImportForm(auto_id="units_%s"),
            boundaries_form=boundaries_form or BoundariesImportForm(auto_id="boundaries_%s"),
            problems=problems,
            source=source,
            tolerance=f"{float(services.TOLERANCE * 100):g}",
        ),
    )


@login_required
def units(request, pk):
    return _units_page(request, programme_for(request, pk))


def _report_message(request, report: services.ImportReport, done: str) -> None:
    messages.success(request, " ".join([done, *report.notes]))


@login_required
@require_POST
def units_import(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = UnitsImportForm(request.POST, request.FILES, auto_id="units_%s")
    if form.is_valid():
        try:
            report = services.units_import(
                programme=programme,
                file=form.cleaned_data["file"],
                by=request.user,
                remove_missing=form.cleaned_data["remove_missing"],
                sheet=form.cleaned_data["sheet"] or None,
            )
        except TableError as exc:
            return _units_page(
                request, programme, units_form=form, problems=exc.problems, source="units"
            )
        _report_message(
            request,
            report,
            _(
                "The unit list is imported: %(created)s added, %(updated)s changed, "
                "%(removed)s removed."
            )
            % {"created": report.created, "updated": report.updated, "removed": report.removed},
        )
        return redirect("revitalization:diagnosis_units", programme.pk)
    return _units_page(request, programme, units_form=form)


@login_required
@require_POST
def boundaries_import(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = BoundariesImportForm(request.POST, request.FILES, auto_id="boundaries_%s")
    if form.is_valid():
        try:
            report = services.boundaries_import(
                programme=programme, file=form.cleaned_data["file"], by=request.user
            )
        except TableError as exc:
            return _units_page(
                request,
                programme,
                boundaries_form=form,
                problems=exc.problems,
                source="boundaries",
            )
        _report_message(
            request,
            report,
            ngettext(
                "The boundary of %(count)s unit is imported; its area is now computed from it.",
                "The boundaries of %(count)s units are imported; their areas are now computed "
                "from them.",
                report.updated,
            )
            % {"count": report.updated},
        )
        return redirect("revitalization:diagnosis_units", programme.pk)
    return _units_page(request, programme, boundaries_form=form)


# --- Indicators ------------------------------------------------------------------------


def _indicators_page(request, programme, *, catalogue_form=None, indicator_form=None):
    indicators = list(selectors.indicators_of(programme))
    present = {indicator.code for indicator in indicators}
    return render(
        request,
        "revitalization/diagnosis/indicators.html",
        _context(
            request,
            programme,
            "indicators",
            by_sphere=pages.indicators_by_sphere(indicators),
            unit_count=pages.unit_count(programme),
            catalogue_groups=pages.catalogue_groups(present),
            catalogue_form=catalogue_form or CatalogueForm(present=present),
            indicator_form=indicator_form or IndicatorForm(),
            selected=set(catalogue_form["codes"].value() or []) if catalogue_form else set(),
        ),
    )


@login_required
def indicators(request, pk):
    return _indicators_page(request, programme_for(request, pk))


@login_required
@require_POST
def indicators_add(request, pk):
    programme = programme_for(request, pk, EDIT)
    present = set(
        DiagnosisIndicator.objects.filter(programme=programme).values_list("code", flat=True)
    )
    form = CatalogueForm(request.POST, present=present)
    if form.is_valid():
        try:
            added = services.indicator_add_from_catalogue(
                programme=programme, codes=form.cleaned_data["codes"], by=request.user
            )
        except ValidationError as error:
            form.add_error("codes", error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s indicator is added.", "%(count)s indicators are added.", len(added)
                )
                % {"count": len(added)},
            )
            return redirect("revitalization:diagnosis_indicators", programme.pk)
    return _indicators_page(request, programme, catalogue_form=form)


@login_required
@require_POST
def indicator_define(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator = services.indicator_define(
                programme=programme, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The indicator “%(name)s” is added with the code %(code)s.")
                % {"name": indicator.name, "code": indicator.code},
            )
            return redirect("revitalization:diagnosis_indicators", programme.pk)
    return _indicators_page(request, programme, indicator_form=form)


@login_required
@require_POST
def indicator_remove(request, pk, indicator):
    programme = programme_for(request, pk, EDIT)
    item = get_object_or_404(DiagnosisIndicator, programme=programme, pk=indicator)
    name = item.name
    removed = services.indicator_remove(programme=programme, indicator=item, by=request.user)
    messages.success(
        request,
        ngettext(
            "The indicator “%(name)s” is removed with its %(count)s value.",
            "The indicator “%(name)s” is removed with its %(count)s values.",
            removed,
        )
        % {"name": name, "count": removed},
    )
    return redirect("revitalization:diagnosis_indicators", programme.pk)


# --- Values ----------------------------------------------------------------------------


def _values_page(request, programme, *, form=None, problems=None):
    indicators = list(selectors.indicators_of(programme))
    return render(
        request,
        "revitalization/diagnosis/values.html",
        _context(
            request,
            programme,
            "values",
            form=form or TableImportForm(),
            problems=problems,
            indicators=indicators,
            unit_count=pages.unit_count(programme),
        ),
    )


@login_required
def values(request, pk):
    return _values_page(request, programme_for(request, pk))


@login_required
@require_POST
def values_import(request, pk):
    programme = programme_for(request, pk, EDIT)
    form = TableImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.values_import(
                programme=programme,
                file=form.cleaned_data["file"],
                by=request.user,
                sheet=form.cleaned_data["sheet"] or None,
            )
        except TableError as exc:
            return _values_page(request, programme, form=form, problems=exc.problems)
        _report_message(
            request,
            report,
            _("The values are imported: %(created)s added, %(updated)s replaced.")
            % {"created": report.created, "updated": report.updated},
        )
        return redirect("revitalization:diagnosis_values", programme.pk)
    return _values_page(request, programme, form=form)


# --- Template files --------------------------------------------------------------------


@login_required
def template_file(request, pk, name):
    """A file to fill in: the programme's own units and indicators when it has them,
    an example otherwise."""
    programme = programme_for(request, pk)
    if name not in export.TEMPLATES:
        raise Http404
    content, content_type = export.template_content(programme, name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.TEMPLATES[name]}"'
    return response


BASE = "programy/<int:pk>/diagnoza/"
urlpatterns = [
    path(BASE, diagnosis, name="diagnosis"),
    path(f"{BASE}wyniki.csv", results_csv, name="diagnosis_results_csv"),
    path(f"{BASE}ustawienia/", settings_page, name="diagnosis_settings"),
    path(f"{BASE}jednostki/", units, name="diagnosis_units"),
    path(f"{BASE}jednostki/import/", units_import, name="diagnosis_units_import"),
    path(f"{BASE}granice/import/", boundaries_import, name="diagnosis_boundaries_import"),
    path(f"{BASE}wskazniki/", indicators, name="diagnosis_indicators"),
    path(f"{BASE}wskazniki/z-katalogu/", indicators_add, name="diagnosis_indicators_add"),
    path(f"{BASE}wskazniki/nowy/", indicator_define, name="diagnosis_indicator_define"),
    path(
        f"{BASE}wskazniki/<int:indicator>/usun/",
        indicator_remove,
        name="diagnosis_indicator_remove",
    ),
    path(f"{BASE}wartosci/", values, name="diagnosis_values"),
    path(f"{BASE}wartosci/import/", values_import, name="diagnosis_values_import"),
    path(f"{BASE}wzory/<slug:name>/", template_file, name="diagnosis_template"),
]
