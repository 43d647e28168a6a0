"""What the diagnosis pages show, built from the calculation's result: the results table
(rows per unit with their spheres and indicators), the map with its legend, the summary of
the degraded area, what is missing, and the indicators grouped by sphere with the
catalogue's entries still to add."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lokalnie.revitalization import catalogue
from lokalnie.revitalization.calc.geometry import choropleth_svg, swatch_svg
from lokalnie.revitalization.calc.indices import SPHERES, DiagnosisResult, UnitResult
from lokalnie.revitalization.models import Programme, Sphere, Unit
from lokalnie.revitalization.selectors import diagnosis as selectors

CATEGORIES = ("degraded", "social", "other", "none", "nodata")  # the map's, worst first


def category_label(category: str) -> str:
    return {
        "degraded": _("degraded area (art. 9)"),
        "social": _("social crisis only"),
        "other": _("crisis in another sphere only"),
        "none": _("no crisis"),
        "nodata": _("no data"),
    }[category]


def sphere_label(sphere: str) -> str:
    return str(Sphere(sphere).label)


def number_text(value, places=2) -> str:
    return "—" if value is None else number_format(value, places, use_l10n=True)


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


def result_rows(result: DiagnosisResult, units: list[UnitResult]) -> list[Row]:
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
                category_label=category_label(unit.category),
            )
        )
    return rows


def order_units(units: list[UnitResult], order: str) -> list[UnitResult]:
    if order == "kod":
        return units
    # Worst first; units without an index last, then by code.
    return sorted(units, key=lambda u: (u.composite is None, -(u.composite or 0), u.code))


def unit_title(unit: UnitResult) -> str:
    text = f"{unit.code} {unit.name}: {category_label(unit.category)}"
    if unit.crisis_spheres:
        text += (
            " ("
            + _("crisis: %(spheres)s")
            % {"spheres": ", ".join(sphere_label(s) for s in unit.crisis_spheres)}
            + ")"
        )
    if unit.composite is not None:
        text += "; " + _("composite index %(index)s") % {"index": number_text(unit.composite)}
    return text


def results_map(programme, result: DiagnosisResult) -> dict | None:
    geometries = selectors.unit_geometries(programme)
    if not geometries:
        return None
    counts = dict.fromkeys(CATEGORIES, 0)
    for unit in result.units:
        counts[unit.category] += 1
    label = _("Map of the units of the gmina by the diagnosis: %(counts)s.") % {
        "counts": "; ".join(
            f"{category_label(category)}: {count}" for category, count in counts.items() if count
        )
    }
    svg = choropleth_svg(
        geometries,
        {unit.code: unit.category for unit in result.units},
        {unit.code: unit_title(unit) for unit in result.units},
        width=480,
        label=label,
    )
    legend = [
        {
            "category": category,
            "label": category_label(category),
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


def degraded_summary(programme, result: DiagnosisResult) -> dict:
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


def missing_values(result: DiagnosisResult) -> list[dict]:
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


def indicator_columns(result: DiagnosisResult) -> list[dict]:
    """The results table's indicators: the spec, the gmina's value and the sphere's name."""
    return [
        {
            "spec": indicator,
            "gmina": result.gmina_values[indicator.code],
            "sphere_label": sphere_label(indicator.sphere),
        }
        for indicator in result.indicators
    ]


def sphere_columns(result: DiagnosisResult) -> list[dict]:
    """The results table's spheres: the crisis rule applied and the number of indicators."""
    indicator_counts = {sphere: len(result.indicators_of(sphere)) for sphere in SPHERES}
    return [
        {
            "key": sphere,
            "label": sphere_label(sphere),
            "k": result.crisis_rules[sphere],
            "count": indicator_counts[sphere],
        }
        for sphere in result.spheres
    ]


def unit_count(programme: Programme) -> int:
    return Unit.objects.filter(programme=programme).count()


def indicators_by_sphere(indicators: list) -> list[dict]:
    """The programme's indicators grouped by sphere (every sphere, in order)."""
    return [
        {
            "key": sphere,
            "label": sphere_label(sphere),
            "indicators": [i for i in indicators if i.sphere == sphere],
        }
        for sphere in SPHERES
    ]


def catalogue_groups(present: set[str]) -> list[dict]:
    """The catalogue's entries per sphere, without those already in the diagnosis."""
    return [
        {
            "label": sphere_label(sphere),
            "entries": [e for e in entries if e.code not in present],
        }
        for sphere, entries in catalogue.catalogue_by_sphere().items()
    ]
