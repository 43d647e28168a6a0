"""Reads of the results framework: the indicator table (baseline, and per period the
target, the measurement, its status against the target and its breakdowns), the approval
queue, the periods and the evidence files, each scoped to one programme.

``indicator_table(programme)`` is what other parts (monitoring, exports, the public page)
build on; it runs five queries whatever the number of indicators, periods and
measurements. Its shapes:

- ``IndicatorTable.periods``: the programme's periods in date order;
- ``IndicatorTable.rows``: one ``IndicatorRow`` per indicator (in the indicators' order):
  - ``indicator``: the ResultIndicator (``baseline_source`` loaded);
  - ``baseline``: ``Baseline(value, numerator, denominator, year, source, reference,
    text, provenance)``; ``value`` is in the indicator's unit (a percentage for percentage
    indicators), ``source`` is "diagnosis", "typed" or "" (none);
  - ``cells``: one ``Cell`` per period, aligned with ``periods``: ``target`` (float or
    None), ``measurement`` (Measurement or None; with ``evidence_count``), ``actual``
    (the value; numerator / denominator × 100 for a percentage; None for qualitative or
    unmeasured), ``status`` (``calc.progress.ProgressStatus``), ``status_text`` and
    ``status_css``, ``breakdown``: {dimension: [BreakdownCell(category, label, value,
    denominator)]} in the standard category order (only the dimensions the measurement
    has);
  - ``latest``: the last cell with a measurement, or None.
With ``approved_only=True`` measurements not yet approved are left out (the public page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lokalnie.revitalization.calc.progress import (
    AHEAD,
    DEVIATES,
    NO_DATA,
    NO_TARGET,
    ON_TRACK,
    ProgressStatus,
    percentage,
    progress_status,
)
from lokalnie.revitalization.models import (
    DiagnosisIndicator,
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    Programme,
    ResultIndicator,
    Target,
)
from lokalnie.revitalization.models.results import BREAKDOWN_DIMENSIONS

Kinds = ResultIndicator.Kind

# --- Numbers and statuses as people read them --------------------------------------------


def number_text(value, decimals: int = 2) -> str:
    """A number in the active language (decimal comma in Polish), without trailing zeros."""
    if value is None:
        return "–"
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, decimal_pos=decimals, force_grouping=True).rstrip("0")


def value_text(indicator: ResultIndicator, value) -> str:
    """A value with its unit: "42 osoby", "12,5%"."""
    if value is None:
        return "–"
    if indicator.kind == Kinds.PERCENTAGE:
        return f"{number_text(value, 1)}%"
    if indicator.unit_label:
        return f"{number_text(value)} {indicator.unit_label}"
    return number_text(value)


def status_text(status: ProgressStatus) -> str:
    """The status in words (never only a colour): "On track", "Behind the target by 15%
    (tolerance 10%)"..."""
    tolerance = number_text(status.tolerance_pct, 1)
    if status.code == ON_TRACK:
        return _("On track")
    if status.code == DEVIATES:
        if status.deviation_pct is None:
            return _("Differs from a target of zero")
        values = {"deviation": number_text(abs(status.deviation_pct), 1), "tolerance": tolerance}
        if status.side == AHEAD:
            return _("Ahead of the target by %(deviation)s%% (tolerance %(tolerance)s%%)") % values
        return _("Behind the target by %(deviation)s%% (tolerance %(tolerance)s%%)") % values
    if status.code == NO_TARGET:
        return _("No target for this period")
    if status.code == NO_DATA:
        return _("Not measured yet")
    return _("Described in words")


def status_css(status: ProgressStatus) -> str:
    if status.code == DEVIATES:
        return "progress-ahead" if status.side == AHEAD else "progress-behind"
    if status.code == ON_TRACK:
        return "progress-on-track"
    return "progress-none"


STATUS_SYMBOLS = {"progress-on-track": "✓", "progress-behind": "▼", "progress-ahead": "▲"}


# --- The indicator table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    value: float | None
    numerator: float | None
    denominator: float | None
    year: int | None
    source: str  # "diagnosis", "typed" or ""
    reference: str  # the typed baseline's source
    text: str  # a qualitative indicator's starting situation
    provenance: dict

    @property
    def from_diagnosis(self) -> bool:
        return self.source == "diagnosis"

    @property
    def when(self):
        """When it was computed (diagnosis) or typed in, as a datetime."""
        raw = self.provenance.get("computed_at") or self.provenance.get("entered_at") or ""
        return parse_datetime(raw) if raw else None

    @property
    def numerator_text(self) -> str:
        return number_text(self.provenance.get("numerator", self.numerator))

    @property
    def denominator_text(self) -> str:
        return number_text(self.provenance.get("denominator", self.denominator))

    @property
    def by(self) -> str:
        return self.provenance.get("computed_by") or self.provenance.get("entered_by") or ""


def baseline_of(indicator: ResultIndicator) -> Baseline:
    provenance = indicator.baseline_provenance or {}
    value = indicator.baseline_value
    if value is None and indicator.kind == Kinds.PERCENTAGE:
        value = percentage(indicator.baseline_numerator, indicator.baseline_denominator)
    return Baseline(
        value=value if indicator.kind != Kinds.QUALITATIVE else None,
        numerator=indicator.baseline_numerator,
        denominator=indicator.baseline_denominator,
        year=indicator.baseline_year,
        source=provenance.get("source", ""),
        reference=provenance.get("reference", ""),
        text=provenance.get("text", ""),
        provenance=provenance,
    )


def actual_of(indicator: ResultIndicator, measurement: Measurement | None) -> float | None:
    if measurement is None or indicator.kind == Kinds.QUALITATIVE:
        return None
    if indicator.kind == Kinds.PERCENTAGE:
        computed = percentage(measurement.numerator, measurement.denominator)
        if computed is not None:
            return computed
    return measurement.value


@dataclass(frozen=True)
class BreakdownCell:
    category: str
    label: str
    value: float
    denominator: float | None

    @property
    def value_text(self) -> str:
        return number_text(self.value)

    @property
    def denominator_text(self) -> str:
        return number_text(self.denominator)


@dataclass
class Cell:
    indicator: ResultIndicator
    period: Period
    target: float | None
    measurement: Measurement | None
    actual: float | None
    status: ProgressStatus
    breakdown: dict[str, list[BreakdownCell]] = field(default_factory=dict)

    @property
    def target_text(self) -> str:
        return value_text(self.indicator, self.target)

    @property
    def actual_text(self) -> str:
        return value_text(self.indicator, self.actual)

    @property
    def fraction_text(self) -> str:
        """ "12 / 48" for a percentage measurement."""
        if self.measurement is None or self.measurement.numerator is None:
            return ""
        numerator, denominator = self.measurement.numerator, self.measurement.denominator
        return f"{number_text(numerator)} / {number_text(denominator)}"

    @property
    def status_text(self) -> str:
        return status_text(self.status)

    @property
    def status_css(self) -> str:
        return status_css(self.status)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.status_css, "–")

    @property
    def evidence_count(self) -> int:
        return getattr(self.measurement, "evidence_count", 0) if self.measurement else 0

    @property
    def breakdown_rows(self) -> list[tuple[str, list[BreakdownCell]]]:
        """[(dimension label, cells)] for templates."""
        return [
            (str(BREAKDOWN_DIMENSIONS[d]["label"]), cells) for d, cells in self.breakdown.items()
        ]


@dataclass
class IndicatorRow:
    indicator: ResultIndicator
    baseline: Baseline
    cells: list[Cell]
    latest: Cell | None

    def text(self, value) -> str:
        return value_text(self.indicator, value)

    @property
    def baseline_text(self) -> str:
        return value_text(self.indicator, self.baseline.value)

    @property
    def targets(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.target is not None]


@dataclass
class IndicatorTable:
    periods: list[Period]
    rows: list[IndicatorRow]


def _status(indicator, baseline: Baseline, target, actual) -> ProgressStatus:
    return progress_status(
        kind=indicator.kind,
        direction=indicator.direction,
        baseline=baseline.value,
        target=target,
        actual=actual,
        tolerance_pct=float(indicator.tolerance_pct),
    )


def _label_of(dimension: str, category: str) -> str:
    for code, label in BREAKDOWN_DIMENSIONS.get(dimension, {}).get("categories", []):
        if code == category:
            return str(label)
    return category


def _order_of(dimension: str, category: str) -> int:
    codes = [c for c, _label in BREAKDOWN_DIMENSIONS.get(dimension, {}).get("categories", [])]
    return codes.index(category) if category in codes else len(codes)


def indicator_table(
    programme: Programme, *, approved_only: bool = False, indicator: ResultIndicator | None = None
) -> IndicatorTable:
    """Every indicator of the programme over its periods (see the module's docstring).
    Five queries; ``indicator`` limits it to one."""
    indicators = ResultIndicator.objects.filter(programme=programme).select_related(
        "baseline_source"
    )
    scope = Q(indicator__programme=programme)
    if indicator is not None:
        indicators = indicators.filter(pk=indicator.pk)
        scope &= Q(indicator_id=indicator.pk)
    periods = list(Period.objects.filter(programme=programme).order_by("starts_on", "pk"))
    targets = {
        (t.indicator_id, t.period_id): t.value
        for t in Target.objects.filter(scope).only("indicator_id", "period_id", "value")
    }
    measurements = Measurement.objects.filter(scope).annotate(evidence_count=Count("evidence"))
    breakdowns = MeasurementBreakdown.objects.filter(
        Q(measurement__indicator__programme=programme)
        & (Q(measurement__indicator_id=indicator.pk) if indicator is not None else Q())
    )
    if approved_only:
        measurements = measurements.filter(status=Measurement.Status.APPROVED)
        breakdowns = breakdowns.filter(measurement__status=Measurement.Status.APPROVED)
    by_cell = {(m.indicator_id, m.period_id): m for m in measurements}
    cells_of: dict[int, dict[str, list[BreakdownCell]]] = {}
    for item in breakdowns.order_by("pk"):
        cells_of.setdefault(item.measurement_id, {}).setdefault(item.dimension, []).append(
            BreakdownCell(
                category=item.category,
                label=_label_of(item.dimension, item.category),
                value=item.value,
                denominator=item.denominator,
            )
        )
    for dimensions in cells_of.values():
        for dimension, cells in dimensions.items():
            cells.sort(key=lambda c, d=dimension: _order_of(d, c.category))
    rows = []
    for item in indicators:
        baseline = baseline_of(item)
        cells = []
        for period in periods:
            measurement = by_cell.get((item.pk, period.pk))
            target = targets.get((item.pk, period.pk))
            actual = actual_of(item, measurement)
            breakdown = cells_of.get(measurement.pk, {}) if measurement is not None else {}
            ordered = {d: breakdown[d] for d in BREAKDOWN_DIMENSIONS if d in breakdown}
            cells.append(
                Cell(
                    indicator=item,
                    period=period,
                    target=target,
                    measurement=measurement,
                    actual=actual,
                    status=_status(item, baseline, target, actual),
                    breakdown=ordered,
                )
            )
        measured = [cell for cell in cells if cell.measurement is not None]
        rows.append(
            IndicatorRow(
                indicator=item,
                baseline=baseline,
                cells=cells,
                latest=measured[-1] if measured else None,
            )
        )
    return IndicatorTable(periods=periods, rows=rows)


# --- Pages of the part ---------------------------------------------------------------------------


def indicator_of(programme: Programme, pk: int) -> ResultIndicator:
    """One indicator of the programme (404 for any other)."""
    return get_object_or_404(
        ResultIndicator.objects.select_related("baseline_source"), programme=programme, pk=pk
    )


def period_of(programme: Programme, pk: int) -> Period:
    return get_object_or_404(Period, programme=programme, pk=pk)


def measurement_of(programme: Programme, pk: int) -> Measurement:
    return get_object_or_404(
        Measurement.objects.select_related("indicator", "period"),
        indicator__programme=programme,
        pk=pk,
    )


def evidence_of(programme: Programme, pk: int) -> Evidence:
    """An evidence file of the programme's measurements (404 for another programme's)."""
    return get_object_or_404(
        Evidence.objects.select_related("measurement"),
        measurement__indicator__programme=programme,
        pk=pk,
    )


def measurement_for(indicator: ResultIndicator, period: Period) -> Measurement | None:
    """The measurement of the indicator in the period with its evidence, or None."""
    return (
        Measurement.objects.filter(indicator=indicator, period=period)
        .select_related("submitted_by", "approved_by")
        .prefetch_related("evidence", "breakdown")
        .first()
    )


def periods_with_counts(programme: Programme):
    """The programme's periods with how many measurements each has, by status."""
    statuses = Measurement.Status
    return (
        Period.objects.filter(programme=programme)
        .select_related("locked_by")
        .annotate(
            measurements_total=Count("measurements"),
            measurements_approved=Count(
                "measurements", filter=Q(measurements__status=statuses.APPROVED)
            ),
            measurements_submitted=Count(
                "measurements", filter=Q(measurements__status=statuses.SUBMITTED)
            ),
        )
        .order_by("starts_on", "pk")
    )


@dataclass
class QueueItem:
    measurement: Measurement
    indicator: ResultIndicator
    target: float | None
    actual: float | None
    status: ProgressStatus

    @property
    def status_text(self) -> str:
        return status_text(self.status)

    @property
    def status_css(self) -> str:
        return status_css(self.status)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.status_css, "–")

    @property
    def target_text(self) -> str:
        return value_text(self.indicator, self.target)

    @property
    def actual_text(self) -> str:
        return value_text(self.indicator, self.actual)


def approval_queue(programme: Programme) -> list[QueueItem]:
    """Submitted measurements waiting for the coordinator, oldest first, each with its
    target and status. Two queries."""
    measurements = list(
        Measurement.objects.filter(
            indicator__programme=programme, status=Measurement.Status.SUBMITTED
        )
        .select_related("indicator", "period", "submitted_by")
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at", "pk")
    )
    targets = {
        (t.indicator_id, t.period_id): t.value
        for t in Target.objects.filter(
            indicator__programme=programme,
            period_id__in={m.period_id for m in measurements},
        )
    }
    items = []
    for measurement in measurements:
        indicator = measurement.indicator
        target = targets.get((indicator.pk, measurement.period_id))
        actual = actual_of(indicator, measurement)
        items.append(
            QueueItem(
                measurement=measurement,
                indicator=indicator,
                target=target,
                actual=actual,
                status=_status(indicator, baseline_of(indicator), target, actual),
            )
        )
    return items


def diagnosis_indicators(programme: Programme):
    """The diagnosis indicators a baseline may come from."""
    return DiagnosisIndicator.objects.filter(programme=programme).order_by("position", "code")


def area_codes(programme: Programme) -> set[str]:
    """The unit codes of the adopted revitalization area; empty while none is adopted (a
    baseline is then computed over the whole gmina)."""
    from lokalnie.revitalization.selectors.delimitation import area_unit_codes

    return set(area_unit_codes(programme))


def baseline_area_changed(programme: Programme, indicator: ResultIndicator) -> bool:
    """Whether a baseline computed from the diagnosis was computed over other units than
    the adopted area (or the gmina) has now: the team may want to recompute it."""
    provenance = indicator.baseline_provenance or {}
    if provenance.get("source") != "diagnosis":
        return False
    area = area_codes(programme)
    scope = "area" if area else "gmina"
    if scope != provenance.get("scope"):
        return True
    if scope == "area":
        used = set(provenance.get("units", [])) | set(provenance.get("units_missing", []))
        return used != area
    return False
