"""Reads of the monitoring part: where each result indicator stands (only approved
measurements count), the action plan in figures, the evaluation reviews and when the next
is due, and the programmes whose results are public.

Every read here takes a constant number of queries whatever the number of indicators,
periods and measurements (the tests count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lokalnie.institutions.models import TerytUnit
from lokalnie.revitalization.calc.monitoring_chart import Column, TrendChart, trend_chart_svg
from lokalnie.revitalization.calc.progress import (
    BEHIND,
    DEVIATES,
    NO_DATA,
    NO_TARGET,
    NONE,
    ON_TRACK,
    ProgressStatus,
    percentage,
    progress_status,
)
from lokalnie.revitalization.models import (
    Action,
    Measurement,
    MeasurementBreakdown,
    Period,
    Programme,
    ResultIndicator,
    Review,
    Target,
)
from lokalnie.revitalization.models.results import BREAKDOWN_DIMENSIONS
from lokalnie.training.charts import Bar, Chart

# The page cache (lokalnie.core.pagecache): the public list of programmes and each public
# results page are kept under these versions; ``services.monitoring.forget_public_results``
# deletes them whenever what they show changes.
PUBLIC_LIST_VERSION_KEY = "revitalization:results"


def public_version_key(slug: str) -> str:
    """The version of a programme's public results page, by the programme's address (its
    slug, which never changes once the programme exists)."""
    return f"revitalization:results:{slug}"


# The law (art. 22 of the Revitalization Act): the programme's progress is assessed at
# least every 3 years.
REVIEW_EVERY_YEARS = 3
REVIEW_SOON_DAYS = 180


# --- Numbers as the reader reads them ----------------------------------------------------


def number_text(value: float | Decimal | None, decimals: int = 2) -> str:
    """A number in the active language (decimal comma in Polish), without trailing zeros;
    a dash for no value."""
    if value is None:
        return "–"
    rounded = round(float(value), decimals)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, decimal_pos=decimals, force_grouping=True).rstrip("0")


def value_text(indicator: ResultIndicator, value: float | None) -> str:
    """A value with its unit: "42 osoby", "12,5%"."""
    if value is None:
        return "–"
    if indicator.kind == ResultIndicator.Kind.PERCENTAGE:
        return f"{number_text(value, 1)}%"
    if indicator.unit_label:
        return f"{number_text(value)} {indicator.unit_label}"
    return number_text(value)


def baseline_of(indicator: ResultIndicator) -> float | None:
    if indicator.kind == ResultIndicator.Kind.QUALITATIVE:
        return None
    if indicator.baseline_value is not None:
        return indicator.baseline_value
    if indicator.kind == ResultIndicator.Kind.PERCENTAGE:
        return percentage(indicator.baseline_numerator, indicator.baseline_denominator)
    return None


def actual_of(indicator: ResultIndicator, measurement: Measurement | None) -> float | None:
    """The measured value (for a percentage indicator the results framework stores
    numerator / denominator × 100 as the value)."""
    if measurement is None or indicator.kind == ResultIndicator.Kind.QUALITATIVE:
        return None
    return measurement.value


def breakdown_labels(dimension: str, category: str) -> tuple[str, str]:
    """The names of a breakdown and its category in the active language."""
    spec = BREAKDOWN_DIMENSIONS.get(dimension)
    if spec is None:
        return dimension, category
    labels = {key: str(label) for key, label in spec["categories"]}
    return str(spec["label"]), labels.get(category, category)


# --- Status in words ------------------------------------------------------------------------

STATUS_SYMBOLS = {ON_TRACK: "✓", DEVIATES: "!", NO_TARGET: "–", NO_DATA: "–", NONE: "–"}


def status_label(status: ProgressStatus) -> str:
    """The status in a few words (the table cell and the badge)."""
    if status.code == ON_TRACK:
        return _("on track")
    if status.code == DEVIATES:
        return _("behind the target") if status.side == BEHIND else _("ahead of the target")
    if status.code == NO_TARGET:
        return _("no target for this period")
    if status.code == NO_DATA:
        return _("no approved measurement")
    return _("described in words")


def status_sentence(status: ProgressStatus) -> str:
    """The status with its numbers, e.g. "Behind the target by 15.2% (tolerance 10%)"."""
    tolerance = number_text(status.tolerance_pct, 1)
    if status.code in (ON_TRACK, DEVIATES) and status.deviation_pct is not None:
        deviation = number_text(abs(status.deviation_pct), 1)
        if status.code == ON_TRACK:
            if not status.side:
                return _("On track: exactly the target (tolerance %(tolerance)s%%).") % {
                    "tolerance": tolerance
                }
            template = (
                _(
                    "On track: %(deviation)s%% below the target, within the tolerance of "
                    "%(tolerance)s%%."
                )
                if status.difference is not None and status.difference < 0
                else _(
                    "On track: %(deviation)s%% above the target, within the tolerance of "
                    "%(tolerance)s%%."
                )
            )
            return template % {"deviation": deviation, "tolerance": tolerance}
        if status.side == BEHIND:
            template = _("Behind the target by %(deviation)s%% (tolerance %(tolerance)s%%).")
        else:
            template = _("Ahead of the target by %(deviation)s%% (tolerance %(tolerance)s%%).")
        return template % {"deviation": deviation, "tolerance": tolerance}
    if status.code == ON_TRACK:
        return _("On track: exactly the target.")
    if status.code == DEVIATES:
        return _("Differs from a target of zero.")
    if status.code == NO_TARGET:
        return _("Measured, but no target is set for this period.")
    if status.code == NO_DATA:
        return _("No approved measurement yet.")
    return _("A qualitative indicator: its results are described in words.")


# --- One indicator over the periods -------------------------------------------------------


@dataclass
class PeriodResult:
    period: Period
    target: float | None
    measurement: Measurement | None  # approved only
    actual: float | None
    status: ProgressStatus
    target_text: str = "–"
    actual_text: str = "–"

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status.code]

    @property
    def breakdown_lines(self) -> list[str]:
        """Each breakdown cell in words ("sex, women: 12" or "…: 12 / 40" for a percentage
        indicator's numerator and denominator). Needs the breakdowns prefetched."""
        if self.measurement is None:
            return []
        lines = []
        for cell in self.measurement.breakdown.all():
            dimension, category = breakdown_labels(cell.dimension, cell.category)
            value = number_text(cell.value)
            if cell.denominator is not None:
                value = f"{value} / {number_text(cell.denominator)}"
            lines.append(f"{dimension}, {category}: {value}")
        return lines

    @property
    def deviation_text(self) -> str:
        if self.status.deviation_pct is None:
            return ""
        sign = (
            "+" if self.status.deviation_pct > 0 else "−" if self.status.deviation_pct < 0 else ""
        )
        return f"{sign}{number_text(abs(self.status.deviation_pct), 1)}%"


@dataclass
class IndicatorResults:
    indicator: ResultIndicator
    baseline: float | None
    periods: list[PeriodResult]
    latest: PeriodResult | None  # the latest period with an approved measurement
    final: PeriodResult | None  # the last period with a target
    chart: SafeString | None = None
    chart_summary: str = ""

    @property
    def qualitative(self) -> bool:
        return self.indicator.kind == ResultIndicator.Kind.QUALITATIVE

    @property
    def status(self) -> ProgressStatus:
        if self.latest is not None:
            return self.latest.status
        return _status(self.indicator, self.baseline, None, None)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_sentence(self) -> str:
        return status_sentence(self.status)

    @property
    def status_code(self) -> str:
        return self.status.code

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status.code]

    @property
    def final_achievement(self) -> float | None:
        """The share of the change planned by the last target achieved by the latest
        approved measurement."""
        if self.final is None or self.latest is None or self.baseline is None:
            return None
        status = _status(self.indicator, self.baseline, self.final.target, self.latest.actual)
        return status.achievement_pct

    def text(self, value: float | None) -> str:
        return value_text(self.indicator, value)

    @property
    def achievement_text(self) -> str:
        share = self.final_achievement
        return "" if share is None else f"{number_text(share, 0)}%"

    @property
    def baseline_text(self) -> str:
        return value_text(self.indicator, self.baseline)

    @property
    def rows(self) -> list[PeriodResult]:
        """The periods worth a row: with a target or an approved measurement."""
        return [p for p in self.periods if p.target is not None or p.measurement is not None]


def _status(indicator, baseline, target, actual) -> ProgressStatus:
    return progress_status(
        kind=indicator.kind,
        direction=indicator.direction,
        baseline=baseline,
        target=target,
        actual=actual,
        tolerance_pct=float(indicator.tolerance_pct),
    )


def _baseline_label(indicator: ResultIndicator) -> str:
    if indicator.baseline_year:
        return _("Baseline (%(year)s)") % {"year": indicator.baseline_year}
    return _("Baseline")


def _chart(results: IndicatorResults) -> tuple[SafeString | None, str]:
    indicator = results.indicator
    if results.qualitative:
        return None, ""
    columns = [
        Column(
            label=row.period.label,
            target=row.target,
            target_text=results.text(row.target) if row.target is not None else "",
            actual=row.actual,
            actual_text=number_text(row.actual, 1) if row.actual is not None else "",
        )
        for row in results.periods
    ]
    if results.baseline is None and not any(
        c.target is not None or c.actual is not None for c in columns
    ):
        return None, ""
    parts = []
    if results.baseline is not None:
        parts.append(_("baseline %(value)s") % {"value": results.text(results.baseline)})
    for row in results.periods:
        if row.target is None and row.actual is None:
            continue
        parts.append(
            _("%(period)s: target %(target)s, approved measurement %(actual)s")
            % {
                "period": row.period.label,
                "target": results.text(row.target),
                "actual": results.text(row.actual),
            }
        )
    summary = _("%(indicator)s: %(values)s.") % {
        "indicator": indicator.name,
        "values": "; ".join(parts),
    }
    chart = TrendChart(
        summary=summary,
        columns=columns,
        baseline=results.baseline,
        baseline_label=_baseline_label(indicator),
        baseline_text=number_text(results.baseline, 1) if results.baseline is not None else "",
        legend={
            "actual": _("Approved measurement"),
            "target": _("Target"),
            "baseline": _baseline_label(indicator),
        },
    )
    # Every text in the SVG is escaped by trend_chart_svg.
    return mark_safe(trend_chart_svg(chart)), summary


def indicator_results(
    programme: Programme, *, with_breakdowns: bool = False, with_charts: bool = True
) -> list[IndicatorResults]:
    """Each result indicator of the programme over its periods: the targets, the approved
    measurements (with who approved them and, if asked, their breakdowns) and the status
    against the target with the indicator's tolerance. Measurements not yet approved are
    left out. Four queries (five with breakdowns)."""
    indicators = list(
        ResultIndicator.objects.filter(programme=programme).select_related("baseline_source")
    )
    periods = list(Period.objects.filter(programme=programme).order_by("starts_on", "pk"))
    targets = {
        (t.indicator_id, t.period_id): t.value
        for t in Target.objects.filter(indicator__programme=programme).only(
            "indicator_id", "period_id", "value"
        )
    }
    measurements = approved_measurements(programme)
    if with_breakdowns:
        measurements = measurements.prefetch_related(
            Prefetch(
                "breakdown",
                queryset=MeasurementBreakdown.objects.order_by("dimension", "pk"),
            )
        )
    by_cell = {(m.indicator_id, m.period_id): m for m in measurements}
    results = []
    for indicator in indicators:
        baseline = baseline_of(indicator)
        rows = []
        for period in periods:
            measurement = by_cell.get((indicator.pk, period.pk))
            target = targets.get((indicator.pk, period.pk))
            actual = actual_of(indicator, measurement)
            rows.append(
                PeriodResult(
                    period=period,
                    target=target,
                    measurement=measurement,
                    actual=actual,
                    status=_status(indicator, baseline, target, actual),
                    target_text=value_text(indicator, target),
                    actual_text=value_text(indicator, actual),
                )
            )
        measured = [row for row in rows if row.measurement is not None]
        with_target = [row for row in rows if row.target is not None]
        item = IndicatorResults(
            indicator=indicator,
            baseline=baseline,
            periods=rows,
            latest=measured[-1] if measured else None,
            final=with_target[-1] if with_target else None,
        )
        if with_charts:
            item.chart, item.chart_summary = _chart(item)
        results.append(item)
    return results


def approved_measurements(programme: Programme):
    """The programme's approved measurements (what charts, exports and the public page
    count), with who approved them."""
    return (
        Measurement.objects.filter(period__programme=programme, status=Measurement.Status.APPROVED)
        .select_related("approved_by")
        .order_by("period__starts_on", "indicator_id")
    )


def pending_approvals(programme: Programme) -> int:
    """Measurements submitted and waiting for the coordinator's approval."""
    return Measurement.objects.filter(
        period__programme=programme, status=Measurement.Status.SUBMITTED
    ).count()


def status_counts(results: list[IndicatorResults]) -> dict[str, int]:
    counts = dict.fromkeys((ON_TRACK, DEVIATES, NO_TARGET, NO_DATA, NONE), 0)
    for item in results:
        counts[item.status_code] += 1
    counts["behind"] = sum(
        1 for item in results if item.status_code == DEVIATES and item.status.side == BEHIND
    )
    counts["ahead"] = counts[DEVIATES] - counts["behind"]
    return counts


def covered_period(results: list[IndicatorResults]) -> tuple[dt.date, dt.date] | None:
    """From the start of the first to the end of the last period with an approved
    measurement."""
    periods = {
        row.period.pk: row.period
        for item in results
        for row in item.periods
        if row.measurement is not None
    }
    if not periods:
        return None
    return (
        min(p.starts_on for p in periods.values()),
        max(p.ends_on for p in periods.values()),
    )


# --- The action plan in figures -------------------------------------------------------------


@dataclass
class ActionSummary:
    total: int
    budget: Decimal
    planned: int
    running: int
    finished: int
    chart: Chart | None = field(default=None, repr=False)

    @property
    def budget_text(self) -> str:
        return number_format(self.budget, decimal_pos=2, force_grouping=True)


def action_summary(programme: Programme, *, today: dt.date | None = None) -> ActionSummary:
    """How many actions, their budget, and how many are planned (not started), running
    (today within their dates) or finished, with a bar chart of those three (one query)."""
    today = today or timezone.localdate()
    figures = Action.objects.filter(programme=programme).aggregate(
        total=Count("pk"),
        budget=Sum("budget_pln"),
        planned=Count("pk", filter=Q(starts_on__gt=today)),
        running=Count("pk", filter=Q(starts_on__lte=today, ends_on__gte=today)),
        finished=Count("pk", filter=Q(ends_on__lt=today)),
    )
    summary = ActionSummary(
        total=figures["total"],
        budget=figures["budget"] or Decimal("0"),
        planned=figures["planned"],
        running=figures["running"],
        finished=figures["finished"],
    )
    if summary.total:
        states = [
            (pgettext("actions", "planned (not started)"), summary.planned),
            (pgettext("actions", "running"), summary.running),
            (pgettext("actions", "finished"), summary.finished),
        ]
        summary.chart = Chart(
            title=_("Actions by the state of their dates"),
            bars=[Bar(label=label, value=count, text=str(count)) for label, count in states],
            headers=(_("State"), _("Actions")),
            rows=list(states),
            maximum=summary.total,
        )
    return summary


def action_state(action: Action, today: dt.date) -> str:
    if action.starts_on > today:
        return pgettext("actions", "planned (not started)")
    if action.ends_on < today:
        return pgettext("actions", "finished")
    return pgettext("actions", "running")


def actions_for_export(programme: Programme):
    return (
        Action.objects.filter(programme=programme)
        .select_related("responsible")
        .prefetch_related("partners", "indicators")
        .order_by("starts_on", "pk")
    )


# --- Evaluation reviews ---------------------------------------------------------------------


def reviews(programme: Programme):
    return Review.objects.filter(programme=programme).select_related("created_by")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class NextReview:
    due_on: dt.date | None
    counted_from: str  # "review", "programme_start" or "" (nothing to count from)
    last_held_on: dt.date | None
    overdue: bool = False
    soon: bool = False

    @property
    def sentence(self) -> str:
        if self.due_on is None:
            return _(
                "The next review's date cannot be worked out yet: record the first review "
                "or set the date when the programme starts."
            )
        due = date_format(self.due_on, "DATE_FORMAT")
        if self.overdue:
            return _("The next review was due by %(date)s and is overdue.") % {"date": due}
        if self.counted_from == "review":
            return _("The next review is due by %(date)s (at most 3 years after the last one).") % {
                "date": due
            }
        return _(
            "The first review is due by %(date)s (at most 3 years after the programme started)."
        ) % {"date": due}


def next_review(
    programme: Programme, last_held_on: dt.date | None, *, today: dt.date | None = None
) -> NextReview:
    """When the next review is due: 3 years after the last one, or after the programme's
    start while there is none."""
    today = today or timezone.localdate()
    if last_held_on is not None:
        base, source = last_held_on, "review"
    elif programme.period_start is not None:
        base, source = programme.period_start, "programme_start"
    else:
        return NextReview(due_on=None, counted_from="", last_held_on=None)
    due = _add_years(base, REVIEW_EVERY_YEARS)
    return NextReview(
        due_on=due,
        counted_from=source,
        last_held_on=last_held_on,
        overdue=due < today,
        soon=today <= due <= today + dt.timedelta(days=REVIEW_SOON_DAYS),
    )


# --- Public pages ---------------------------------------------------------------------------


def public_programme(slug: str) -> Programme | None:
    """The programme with this address if its team made its results public."""
    return (
        Programme.objects.filter(slug=slug, public_results=True)
        .select_related("gmina__parent__parent", "institution")
        .first()
    )


@dataclass
class PublicFilters:
    voivodeship: str = ""

    @classmethod
    def from_query(cls, query) -> PublicFilters:
        voivodeship = (query.get("wojewodztwo") or "").strip()
        return cls(
            voivodeship=voivodeship if voivodeship.isdigit() and len(voivodeship) == 2 else ""
        )

    @property
    def active(self) -> bool:
        return bool(self.voivodeship)


def public_programmes(filters: PublicFilters):
    """Programmes with public results, by title, with their gmina, voivodeship and the
    number of indicators."""
    programmes = (
        Programme.objects.filter(public_results=True)
        .select_related("gmina__parent__parent")
        .annotate(indicator_count=Count("result_indicators", distinct=True))
        .order_by("title", "pk")
    )
    if filters.voivodeship:
        programmes = programmes.filter(gmina__code__startswith=filters.voivodeship)
    return programmes


def voivodeships() -> list[tuple[str, str]]:
    return list(
        TerytUnit.objects.filter(level=TerytUnit.Level.VOIVODESHIP)
        .order_by("name")
        .values_list("code", "name")
    )
