"""The diagnosis's calculation: each unit's indicator values against the gmina's, the
standardized values, the indices per sphere and the composite index, the crisis flags
per sphere and the degraded state of art. 9 of the Revitalization Act.

A plain module (no Django), fed by ``selectors.diagnosis.diagnosis_result``.

Definitions (they are also shown to the team on the diagnosis page):

- **Value of a unit.** A *rate* indicator is ``value / base × per`` (e.g. registered
  unemployed / residents of working age × 100); when the base is blank the unit's
  residents are the base. A *mean* indicator (e.g. the mean exam result) is used as given.
- **Value of the gmina.** For a rate: the total count over the total base of the units
  that have a value (all unemployed over all residents of working age) × per — not the
  mean of the units' rates, which would give a unit of 50 residents the weight of one of
  5,000. For a mean: the mean of the units' values weighted by their residents.
- **Ratio** = the unit's value / the gmina's value (None when the gmina's value is 0).
- **Worse than the gmina**: above the gmina's value when higher is worse, below it when
  higher is better (equal is not worse).
- **Standardized value** (z): ``(value − mean of the units' values) / their standard
  deviation`` (population, ddof = 0), with the sign turned so that **positive = worse**
  whatever the indicator's direction; 0 for every unit when all values are equal.
- **Index of a sphere**: the mean of the unit's standardized values of that sphere.
- **Composite index**: the mean of the unit's sphere indices (not of all indicators):
  each sphere then weighs the same whatever number of indicators the team chose in it,
  so adding a fourth social indicator does not quietly outweigh the technical sphere.
  Art. 9 already gives the social sphere its own role: it is the required crisis.
- **Crisis in a sphere**: at least *k* of the sphere's indicators worse than the gmina's
  value. The team sets *k* per sphere (``crisis_rules``); ``default_crisis_rules``:
  social — half of the social indicators rounded up (a "concentration" of negative
  phenomena, not one bad number), every other sphere — 1. A sphere without indicators
  is never in crisis.
- **Degraded** (art. 9): a crisis in the social sphere and in at least one other sphere.

**Missing values** are never zero: a unit without a value of an indicator (or with a
rate whose base is 0) gets None for it, is left out of the gmina's value and the
standard deviation of that indicator, does not count as worse, and is listed in
``DiagnosisResult.missing`` so that the page can show what is incomplete.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

SPHERES = ("social", "economic", "environmental", "spatial", "technical")
SOCIAL = "social"
HIGHER_WORSE = "higher_worse"
HIGHER_BETTER = "higher_better"
RATE = "rate"
MEAN = "mean"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    sphere: str  # one of SPHERES
    direction: str = HIGHER_WORSE  # or HIGHER_BETTER
    aggregation: str = RATE  # or MEAN
    per: float = 100
    unit_label: str = ""

    @property
    def higher_is_worse(self) -> bool:
        return self.direction == HIGHER_WORSE


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    residents: int
    area_ha: float
    # indicator code → (value, base or None)
    values: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Missing:
    unit: str  # unit code
    indicator: str  # indicator code
    reason: str  # "no_value" or "zero_base"


@dataclass
class UnitResult:
    code: str
    name: str
    residents: int
    area_ha: float
    values: dict[str, float | None]  # indicator code → value (rate) or None
    ratios: dict[str, float | None]  # indicator code → value / the gmina's value
    z: dict[str, float | None]  # indicator code → standardized value, positive = worse
    worse: dict[str, bool]  # indicator code → worse than the gmina
    worse_count: dict[str, int]  # sphere → how many of its indicators are worse
    sphere_index: dict[str, float | None]  # sphere → mean z of its indicators
    composite: float | None
    crisis: dict[str, bool]  # sphere → crisis by the rule
    degraded: bool

    @property
    def crisis_spheres(self) -> list[str]:
        return [sphere for sphere in SPHERES if self.crisis.get(sphere)]

    @property
    def category(self) -> str:
        """For maps: degraded, social (crisis only there), other, none or nodata."""
        if self.degraded:
            return "degraded"
        if self.crisis.get(SOCIAL):
            return "social"
        if any(self.crisis.values()):
            return "other"
        if self.composite is None:
            return "nodata"
        return "none"


@dataclass
class DiagnosisResult:
    units: list[UnitResult]
    gmina_values: dict[str, float | None]  # indicator code → the gmina's value
    indicators: list[IndicatorSpec]
    missing: list[Missing]
    crisis_rules: dict[str, int]  # the rule applied: sphere → k
    spheres: list[str]  # spheres that have at least one indicator, in SPHERES order

    def unit(self, code: str) -> UnitResult | None:
        return self._by_code.get(code)

    @cached_property
    def _by_code(self) -> dict[str, UnitResult]:
        return {unit.code: unit for unit in self.units}

    @property
    def degraded(self) -> list[UnitResult]:
        return [unit for unit in self.units if unit.degraded]

    def indicators_of(self, sphere: str) -> list[IndicatorSpec]:
        return [indicator for indicator in self.indicators if indicator.sphere == sphere]


def default_crisis_rules(indicators: Iterable[IndicatorSpec]) -> dict[str, int]:
    """Social: half of the social indicators rounded up (at least 1); others: 1."""
    counts = dict.fromkeys(SPHERES, 0)
    for indicator in indicators:
        counts[indicator.sphere] = counts.get(indicator.sphere, 0) + 1
    return {
        sphere: max(1, math.ceil(counts[sphere] / 2)) if sphere == SOCIAL else 1
        for sphere in SPHERES
    }


def effective_crisis_rules(
    indicators: Iterable[IndicatorSpec], rules: Mapping[str, int] | None
) -> dict[str, int]:
    """The team's rule where it set one (a positive whole number), the default elsewhere."""
    indicators = list(indicators)
    effective = default_crisis_rules(indicators)
    for sphere, k in (rules or {}).items():
        if sphere in effective and isinstance(k, int) and not isinstance(k, bool) and k >= 1:
            effective[sphere] = k
    return effective


def _unit_value(indicator: IndicatorSpec, unit: UnitInput) -> tuple[float | None, str | None]:
    """The unit's value of the indicator, or None and why."""
    given = unit.values.get(indicator.code)
    if given is None:
        return None, "no_value"
    value, base = given
    if indicator.aggregation == MEAN:
        return float(value), None
    base = unit.residents if base is None else base
    if not base:
        return None, "zero_base"
    return value / base * indicator.per, None


def _gmina_value(indicator: IndicatorSpec, units: list[UnitInput], values) -> float | None:
    counted = [unit for unit in units if values[unit.code] is not None]
    if not counted:
        return None
    if indicator.aggregation == MEAN:
        weight = sum(unit.residents for unit in counted)
        if weight <= 0:
            return sum(values[unit.code] for unit in counted) / len(counted)
        return sum(values[unit.code] * unit.residents for unit in counted) / weight
    count = 0.0
    base_total = 0.0
    for unit in counted:
        value, base = unit.values[indicator.code]
        count += value
        base_total += unit.residents if base is None else base
    return count / base_total * indicator.per if base_total else None


def _mean(numbers: list[float]) -> float | None:
    return sum(numbers) / len(numbers) if numbers else None


def compute(
    units: Iterable[UnitInput],
    indicators: Iterable[IndicatorSpec],
    crisis_rules: Mapping[str, int] | None = None,
) -> DiagnosisResult:
    """The diagnosis of ``units`` on ``indicators`` (see the module's docstring)."""
    units = list(units)
    indicators = list(indicators)
    rules = effective_crisis_rules(indicators, crisis_rules)
    spheres = [s for s in SPHERES if any(i.sphere == s for i in indicators)]

    values: dict[str, dict[str, float | None]] = {}  # indicator → unit → value
    gmina: dict[str, float | None] = {}
    z: dict[str, dict[str, float | None]] = {}
    missing: list[Missing] = []
    for indicator in indicators:
        column: dict[str, float | None] = {}
        for unit in units:
            value, reason = _unit_value(indicator, unit)
            column[unit.code] = value
            if reason:
                missing.append(Missing(unit=unit.code, indicator=indicator.code, reason=reason))
        values[indicator.code] = column
        gmina[indicator.code] = _gmina_value(indicator, units, column)
        known = [value for value in column.values() if value is not None]
        mean = _mean(known)
        sd = math.sqrt(sum((v - mean) ** 2 for v in known) / len(known)) if known else 0.0
        sign = 1 if indicator.higher_is_worse else -1
        z[indicator.code] = {
            code: None
            if value is None
            else (sign * (value - mean) / sd if sd > 1e-12 * max(abs(mean), 1) else 0.0)
            for code, value in column.items()
        }

    results = []
    for unit in units:
        unit_values = {i.code: values[i.code][unit.code] for i in indicators}
        ratios = {}
        worse = {}
        for indicator in indicators:
            value = unit_values[indicator.code]
            reference = gmina[indicator.code]
            ratios[indicator.code] = value / reference if value is not None and reference else None
            if value is None or reference is None:
                worse[indicator.code] = False
            elif indicator.higher_is_worse:
                worse[indicator.code] = value > reference
            else:
                worse[indicator.code] = value < reference
        unit_z = {i.code: z[i.code][unit.code] for i in indicators}
        sphere_index = {}
        worse_count = {}
        crisis = {}
        for sphere in SPHERES:
            of_sphere = [i for i in indicators if i.sphere == sphere]
            sphere_index[sphere] = _mean(
                [unit_z[i.code] for i in of_sphere if unit_z[i.code] is not None]
            )
            worse_count[sphere] = sum(1 for i in of_sphere if worse[i.code])
            crisis[sphere] = bool(of_sphere) and worse_count[sphere] >= rules[sphere]
        composite = _mean([index for index in sphere_index.values() if index is not None])
        degraded = crisis[SOCIAL] and any(crisis[s] for s in SPHERES if s != SOCIAL)
        results.append(
            UnitResult(
                code=unit.code,
                name=unit.name,
                residents=unit.residents,
                area_ha=unit.area_ha,
                values=unit_values,
                ratios=ratios,
                z=unit_z,
                worse=worse,
                worse_count=worse_count,
                sphere_index=sphere_index,
                composite=composite,
                crisis=crisis,
                degraded=degraded,
            )
        )
    return DiagnosisResult(
        units=results,
        gmina_values=gmina,
        indicators=indicators,
        missing=missing,
        crisis_rules=rules,
        spheres=spheres,
    )
