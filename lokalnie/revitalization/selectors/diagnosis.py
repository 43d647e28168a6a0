"""Reads of the diagnosis: the calculation's result, the unit list, boundaries and what
is still missing. Each function runs a fixed number of queries, whatever the number of
units (the calculation itself is ``calc.indices``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from lokalnie.revitalization.calc.indices import (
    DiagnosisResult,
    IndicatorSpec,
    UnitInput,
    compute,
)
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Unit, UnitValue


def indicator_spec(indicator: DiagnosisIndicator) -> IndicatorSpec:
    return IndicatorSpec(
        code=indicator.code,
        name=indicator.name,
        sphere=indicator.sphere,
        direction=indicator.direction,
        aggregation=indicator.aggregation,
        per=indicator.per or 1,
        unit_label=indicator.unit_label,
    )


def diagnosis_result(programme: Programme) -> DiagnosisResult:
    """The diagnosis of the programme's units on its indicators (three queries):
    ``result.units`` in the order of their codes, each a ``UnitResult`` with ``.code
    .name .residents .area_ha .values .ratios .z .worse .sphere_index .composite .crisis
    .degraded``; ``result.gmina_values``, ``result.indicators``, ``result.missing`` and
    the crisis rules applied (see ``calc.indices``)."""
    units = list(
        Unit.objects.filter(programme=programme)
        .order_by("code")
        .values_list("pk", "code", "name", "residents", "area_ha")
    )
    indicators = list(DiagnosisIndicator.objects.filter(programme=programme))
    by_pk = {indicator.pk: indicator.code for indicator in indicators}
    values: dict[int, dict[str, tuple[float, float | None]]] = {pk: {} for pk, *_ in units}
    for unit_pk, indicator_pk, value, base in UnitValue.objects.filter(
        unit__programme=programme
    ).values_list("unit_id", "indicator_id", "value", "base"):
        values[unit_pk][by_pk[indicator_pk]] = (value, base)
    return compute(
        [
            UnitInput(
                code=code,
                name=name,
                residents=residents,
                area_ha=float(area_ha),
                values=values[pk],
            )
            for pk, code, name, residents, area_ha in units
        ],
        [indicator_spec(indicator) for indicator in indicators],
        programme.crisis_rules or {},
    )


def unit_geometries(programme: Programme) -> dict[str, dict]:
    """Unit code → boundary (GeoJSON geometry, WGS84) of the units that have one."""
    return dict(
        Unit.objects.filter(programme=programme, geometry__isnull=False).values_list(
            "code", "geometry"
        )
    )


def units_of(programme: Programme):
    """The programme's units without their boundaries (for tables), with the number of
    indicator values of each."""
    return (
        Unit.objects.filter(programme=programme)
        .defer("geometry")
        .annotate(value_count=Count("values"), has_boundary=Q(geometry__isnull=False))
        .order_by("code")
    )


def indicators_of(programme: Programme):
    """The programme's indicators with the number of units that have a value."""
    return DiagnosisIndicator.objects.filter(programme=programme).annotate(
        value_count=Count("values")
    )


@dataclass
class Overview:
    units: int
    with_boundary: int
    residents: int
    area_ha: float
    indicators: int
    values: int

    @property
    def expected_values(self) -> int:
        return self.units * self.indicators

    @property
    def complete(self) -> bool:
        return self.units > 0 and self.indicators > 0 and self.values >= self.expected_values


def overview(programme: Programme) -> Overview:
    """Counts for the diagnosis's checklist (three queries)."""
    totals = Unit.objects.filter(programme=programme).aggregate(
        units=Count("pk"),
        with_boundary=Count("pk", filter=Q(geometry__isnull=False)),
        residents=Sum("residents"),
        area=Sum("area_ha"),
    )
    return Overview(
        units=totals["units"],
        with_boundary=totals["with_boundary"],
        residents=int(totals["residents"] or 0),
        area_ha=float(totals["area"] or 0),
        indicators=DiagnosisIndicator.objects.filter(programme=programme).count(),
        values=UnitValue.objects.filter(unit__programme=programme).count(),
    )
