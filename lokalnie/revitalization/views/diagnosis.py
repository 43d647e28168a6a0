"""The diagnosis: results per unit with the map (the stage's page), the gmina's settings,
the units and their boundaries, the indicators and their values, the template files and
the results as CSV. Every page reads with ``revitalization.view``; every change needs
``revitalization.edit`` and goes through ``services.diagnosis``. A refused file is shown
as a table of its problems (row, column, problem) above the form it came from."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lokalnie.accounts.permissions import can
from lokalnie.revitalization import catalogue
from lokalnie.revitalization.access import programme_for
from lokalnie.revitalization.calc.geometry import choropleth_svg, swatch_svg
from lokalnie.revitalization.calc.indices import (
    SPHERES,
    DiagnosisResult,
    UnitResult,
    default_crisis_rules,
)
from lokalnie.revitalization.forms.diagnosis import (
    BoundariesImportForm,
    CatalogueForm,
    IndicatorForm,
    SettingsForm,
    TableImportForm,
    UnitsImportForm,
)
from lokalnie.revitalization.models import DiagnosisIndicator, Sphere, Unit
from lokalnie.revitalization.selectors import diagnosis as selectors
from lokalnie.revitalization.services import diagnosis as services
from lokalnie.revitalization.tabular import TableError

STAGE = "diagnosis"
PER_PAGE = 50
VIEW = "revitalization.view"
EDIT = "revitalization.edit"
# Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CATEGORIES = ("degraded", "social", "other", "none", "nodata")  # the map's, worst first


def _category_label(category: str) -> str:
    return {
        "degraded": _("degraded area (art. 9)"),
        "social": _("social crisis only"),
        "other": _("crisis in another sphere only"),
        "none": _("no crisis"),
        "nodata": _("no data"),
    }[category]


def _sphere_label(sphere: str) -> str:
    return str(Sphere(sphere).label)


def _number(value, places=2) -> str:
    return "—" if value is None else number_format(value, places, use_l10n=True)


def _context(request, programme, here: str, **extra) -> dict:
    return {
        "programme": programme,
        "stage": STAGE,
        "here": here,
        "may_edit": can(request.user, EDIT, programme),
        **extra,
    }


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# --- The results page ------------------------------------------------------------------


@dataclass
class Cell:
    value: float | None
    ratio: float | None
    worse: bool
    z: float | None


@dataclass
class SphereCell:
    sphere: str
    index: float | None
    crisis: bool
    worse_count: int
    indicators: int


@dataclass
class Row:
    unit: UnitResult
    spheres: list[SphereCell]
    cells: list[Cell]
    category: str
    category_label: str


def _rows(result: DiagnosisResult, units: list[UnitResult]) -> list[Row]:
    counts = {sphere: len(result.indicators_of(sphere)) for sphere in SPHERES}
    rows = []
    for unit in units:
        rows.append(
            Row(
                unit=unit,
                spheres=[
                    SphereCell(
                        sphere=sphere,
                        index=unit.sphere_index[sphere],
                        crisis=unit.crisis[sphere],
                        worse_count=unit.worse_count[sphere],
                        indicators=counts[sphere],
                    )
                    for sphere in result.spheres
                ],
                cells=[
                    Cell(
                        value=unit.values[indicator.code],
                        ratio=unit.ratios[indicator.code],
                        worse=unit.worse[indicator.code],
                        z=unit.z[indicator.code],
                    )
                    for indicator in result.indicators
                ],
                category=unit.category,
                category_label=_category_label(unit.category),
            )
        )
    return rows


def _order(units: list[UnitResult], order: str) -> list[UnitResult]:
    if order == "kod":
        return units
    # Worst first; units without an index last, then by code.
    return sorted(units, key=lambda u: (u.composite is None, -(u.composite or 0), u.code))


def _unit_title(unit: UnitResult) -> str:
    text = f"{unit.code} {unit.name}: {_category_label(unit.category)}"
    if unit.crisis_spheres:
        text += (
            " ("
            + _("crisis: %(spheres)s")
            % {"spheres": ", ".join(_sphere_label(s) for s in unit.crisis_spheres)}
            + ")"
        )
    if unit.composite is not None:
        text += "; " + _("composite index %(index)s") % {"index": _number(unit.composite)}
    return text


def _map(programme, result: DiagnosisResult) -> dict | None:
    geometries = selectors.unit_geometries(programme)
    if not geometries:
        return None
    counts = dict.fromkeys(CATEGORIES, 0)
    for unit in result.units:
        counts[unit.category] += 1
    label = _("Map of the units of the gmina by the diagnosis: %(counts)s.") % {
        "counts": "; ".join(
            f"{_category_label(category)}: {count}" for category, count in counts.items() if count
        )
    }
    svg = choropleth_svg(
        geometries,
        {unit.code: unit.category for unit in result.units},
        {unit.code: _unit_title(unit) for unit in result.units},
        width=480,
        label=label,
    )
    legend = [
        {
            "category": category,
            "label": _category_label(category),
            "count": count,
            "swatch": mark_safe(swatch_svg(category, prefix="legend")),
        }
        for category, count in counts.items()
        if count
    ]
    return {
        "svg": mark_safe(svg),  # built by calc.geometry: every text in it is escaped
        "legend": legend,
        "missing": len(result.units) - len(geometries),
    }


def _summary(programme, result: DiagnosisResult) -> dict:
    degraded = result.degraded
    residents = sum(unit.residents for unit in degraded)
    area = sum(unit.area_ha for unit in degraded)
    gmina_residents = programme.gmina_residents or sum(u.residents for u in result.units)
    gmina_area = float(programme.gmina_area_ha or 0) or sum(u.area_ha for u in result.units)
    return {
        "count": len(degraded),
        "residents": residents,
        "area_ha": area,
        "residents_share": residents / gmina_residents * 100 if gmina_residents else None,
        "area_share": area / gmina_area * 100 if gmina_area else None,
    }


def _missing(result: DiagnosisResult) -> list[dict]:
    names = {indicator.code: indicator.name for indicator in result.indicators}
    grouped: dict[tuple[str, str], list[str]] = {}
    for item in result.missing:
        grouped.setdefault((item.indicator, item.reason), []).append(item.unit)
    return [
        {
            "indicator": names.get(code, code),
            "code": code,
            "reason": reason,
            "units": units[:30],
            "more": max(len(units) - 30, 0),
            "count": len(units),
        }
        for (code, reason), units in grouped.items()
    ]


@login_required
def diagnosis(request, pk):
    programme = programme_for(request, pk)
    result = selectors.diagnosis_result(programme)
    order = "kod" if request.GET.get("kolejnosc") == "kod" else "indeks"
    page = Paginator(_order(result.units, order), PER_PAGE).get_page(request.GET.get("strona"))
    indicator_counts = {sphere: len(result.indicators_of(sphere)) for sphere in SPHERES}
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
            rows=_rows(result, list(page.object_list)),
            indicators=[
                {
                    "spec": indicator,
                    "gmina": result.gmina_values[indicator.code],
                    "sphere_label": _sphere_label(indicator.sphere),
                }
                for indicator in result.indicators
            ],
            spheres=[
                {
                    "key": sphere,
                    "label": _sphere_label(sphere),
                    "k": result.crisis_rules[sphere],
                    "count": indicator_counts[sphere],
                }
                for sphere in result.spheres
            ],
            map=_map(programme, result) if result.units else None,
            summary=_summary(programme, result),
            missing=_missing(result),
        ),
    )


@login_required
def results_csv(request, pk):
    """Every unit's values, ratios, standardized values, indices and flags (CSV, ``;``)."""
    programme = programme_for(request, pk)
    result = selectors.diagnosis_result(programme)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    header = [_("unit id"), _("name"), _("residents"), _("area (ha)")]
    for indicator in result.indicators:
        header += [
            indicator.code,
            f"{indicator.code} / {_('gmina')}",
            f"{indicator.code} z",
            f"{indicator.code} {_('worse')}",
        ]
    for sphere in result.spheres:
        header += [
            f"{_('index')} {_sphere_label(sphere)}",
            f"{_('crisis')} {_sphere_label(sphere)}",
        ]
    header += [_("composite index"), _("degraded area")]
    writer.writerow(header)
    yes, no = _("yes"), _("no")

    def number(value):
        return "" if value is None else f"{value:.4f}".replace(".", ",")

    gmina = [_("gmina"), programme.gmina.name, programme.gmina_residents or "", ""]
    for indicator in result.indicators:
        gmina += [number(result.gmina_values[indicator.code]), "", "", ""]
    writer.writerow(gmina)
    for unit in result.units:
        row = [_safe(unit.code), _safe(unit.name), unit.residents, number(unit.area_ha)]
        for indicator in result.indicators:
            code = indicator.code
            row += [
                number(unit.values[code]),
                number(unit.ratios[code]),
                number(unit.z[code]),
                yes if unit.worse[code] else no,
            ]
        for sphere in result.spheres:
            row += [number(unit.sphere_index[sphere]), yes if unit.crisis[sphere] else no]
        row += [number(unit.composite), yes if unit.degraded else no]
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
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
    units = Unit.objects.filter(programme=programme).count()
    by_sphere = [
        {
            "key": sphere,
            "label": _sphere_label(sphere),
            "indicators": [i for i in indicators if i.sphere == sphere],
        }
        for sphere in SPHERES
    ]
    catalogue_groups = [
        {
            "label": _sphere_label(sphere),
            "entries": [e for e in entries if e.code not in present],
        }
        for sphere, entries in catalogue.catalogue_by_sphere().items()
    ]
    return render(
        request,
        "revitalization/diagnosis/indicators.html",
        _context(
            request,
            programme,
            "indicators",
            by_sphere=by_sphere,
            unit_count=units,
            catalogue_groups=catalogue_groups,
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
            unit_count=Unit.objects.filter(programme=programme).count(),
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

TEMPLATES = {
    "jednostki": "jednostki.csv",
    "wartosci-dlugie": "wartosci-dlugie.csv",
    "wartosci-szerokie": "wartosci-szerokie.csv",
    "granice": "granice-przyklad.geojson",
}


def _csv_response(rows, filename) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel then reads the Polish letters right
    csv.writer(buffer, delimiter=";").writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _ha_text(value) -> str:
    return f"{value:.2f}".replace(".", ",")


@login_required
def template_file(request, pk, name):
    """A file to fill in: the programme's own units and indicators when it has them,
    an example otherwise."""
    programme = programme_for(request, pk)
    if name not in TEMPLATES:
        raise Http404
    filename = TEMPLATES[name]
    units = list(
        Unit.objects.filter(programme=programme)
        .order_by("code")
        .values_list("code", "name", "residents", "area_ha")
    )
    codes = list(
        DiagnosisIndicator.objects.filter(programme=programme).values_list("code", flat=True)
    ) or ["bezrobocie", "pomoc_spoleczna"]
    examples = [("A01", "Śródmieście", 1200, 150.5), ("A02", "Osiedle Północ", 800, 155)]
    if name == "jednostki":
        rows = [["id", "nazwa", "mieszkancy", "powierzchnia_ha"]]
        rows += [[_safe(c), _safe(n), r, _ha_text(a)] for c, n, r, a in units or examples]
        return _csv_response(rows, filename)
    unit_codes = [row[0] for row in units] or [row[0] for row in examples]
    if name == "wartosci-dlugie":
        rows = [["unit_id", "indicator", "value", "base"]]
        rows += [[unit, code, "", ""] for unit in unit_codes for code in codes]
        return _csv_response(rows, filename)
    if name == "wartosci-szerokie":
        header = ["unit_id"]
        for code in codes:
            header += [code, f"{code}_base"]
        rows = [header] + [[unit] + [""] * (2 * len(codes)) for unit in unit_codes]
        return _csv_response(rows, filename)
    example = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": unit, "nazwa": label},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[x, 51.76], [x + 0.02, 51.76], [x + 0.02, 51.77], [x, 51.77], [x, 51.76]]
                    ],
                },
            }
            for (unit, label, _r, _a), x in zip(examples, (19.40, 19.42), strict=True)
        ],
    }
    response = HttpResponse(
        json.dumps(example, ensure_ascii=False, indent=1), content_type="application/geo+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
