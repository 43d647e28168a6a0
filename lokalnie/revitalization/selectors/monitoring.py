"""Reads of the monitoring part: where each result indicator stands (only approved
measurements count), the action plan in figures, the evaluation reviews and when the next
is due, and the programmes whose results are public.

The indicators come from the results framework's ``selectors.results.indicator_table``
(approved measurements only), whose statuses come from ``calc.progress``; this module adds
what monitoring shows on top: the charts, the last target and the share of the planned
change achieved, who approved what. Every read takes a constant number of queries whatever
the number of indicators, periods and measurements (the tests count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
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
    progress_status,
)
from lokalnie.revitalization.models import (
    Action,
    Measurement,
    Programme,
    ResultIndicator,
    Review,
)
from lokalnie.revitalization.selectors.results import (
    STATUS_SYMBOLS,
    Cell,
    IndicatorRow,
    indicator_table,
    number_text,
    status_css,
    status_text,
)
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


# --- One indicator over the periods -------------------------------------------------------


def cell_status_text(cell: Cell) -> str:
    """A period's status in words; a period without an approved measurement says so (here
    only approved measurements count, so "not measured" would not be true)."""
    if cell.measurement is None and cell.status.code == NO_DATA:
        return _("No approved measurement")
    return cell.status_text


@dataclass
class IndicatorResults:
    """An indicator's row of the results framework's table (approved measurements only),
    with what monitoring adds."""

    row: IndicatorRow
    final: Cell | None  # the last period with a target
    chart: SafeString | None = None
    chart_summary: str = ""

    @property
    def indicator(self) -> ResultIndicator:
        return self.row.indicator

    @property
    def baseline(self) -> float | None:
        return self.row.baseline.value

    @property
    def baseline_text(self) -> str:
        return self.row.baseline_text

    @property
    def periods(self) -> list[Cell]:
        return self.row.cells

    @property
    def rows(self) -> list[Cell]:
        """The periods worth a row: with a target or an approved measurement."""
        return [c for c in self.row.cells if c.target is not None or c.measurement is not None]

    @property
    def latest(self) -> Cell | None:
        """The latest period with an approved measurement."""
        return self.row.latest

    @property
    def qualitative(self) -> bool:
        return self.indicator.kind == ResultIndicator.Kind.QUALITATIVE

    @property
    def status(self) -> ProgressStatus:
        """At the latest approved measurement, against that period's target."""
        if self.latest is not None:
            return self.latest.status
        return _status(self.indicator, self.baseline, None, None)

    @property
    def status_code(self) -> str:
        return self.status.code

    @property
    def status_text(self) -> str:
        if self.status.code == NO_DATA:
            return _("No approved measurement yet")
        return status_text(self.status)

    @property
    def status_css(self) -> str:
        return status_css(self.status)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.status_css, "–")

    @property
    def final_achievement(self) -> float | None:
        """The share of the change planned by the last target (from the baseline) that the
        latest approved measurement has achieved."""
        if self.final is None or self.latest is None or self.baseline is None:
            return None
        status = _status(self.indicator, self.baseline, self.final.target, self.latest.actual)
        return status.achievement_pct

    @property
    def achievement_text(self) -> str:
        share = self.final_achievement
        return "" if share is None else f"{number_text(share, 0)}%"


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
    cells = results.periods
    if results.baseline is None and not any(
        c.target is not None or c.actual is not None for c in cells
    ):
        return None, ""
    columns = [
        Column(
            label=cell.period.label,
            target=cell.target,
            target_text=cell.target_text if cell.target is not None else "",
            actual=cell.actual,
            actual_text=number_text(cell.actual, 1) if cell.actual is not None else "",
        )
        for cell in cells
    ]
    parts = []
    if results.baseline is not None:
        parts.append(_("baseline %(value)s") % {"value": results.baseline_text})
    for cell in cells:
        if cell.target is None and cell.actual is None:
            continue
        parts.append(
            _("%(period)s: target %(target)s, approved measurement %(actual)s")
            % {"period": cell.period.label, "target": cell.target_text, "actual": cell.actual_text}
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
    programme: Programme, *, with_approvers: bool = False, with_charts: bool = True
) -> list[IndicatorResults]:
    """Each result indicator of the programme over its periods: the targets, the approved
    measurements (measurements not yet approved are left out) and their status against the
    target, with the chart; ``with_approvers`` also loads who approved each measurement
    (for the team's pages and reports, never the public page). The results framework's
    five queries, and one for the approvers."""
    table = indicator_table(programme, approved_only=True)
    if with_approvers:
        _load_approvers([c.measurement for row in table.rows for c in row.cells])
    results = []
    for row in table.rows:
        targeted = [cell for cell in row.cells if cell.target is not None]
        item = IndicatorResults(row=row, final=targeted[-1] if targeted else None)
        if with_charts:
            item.chart, item.chart_summary = _chart(item)
        results.append(item)
    return results


def _load_approvers(measurements: list[Measurement | None]) -> None:
    measurements = [m for m in measurements if m is not None and m.approved_by_id]
    ids = {m.approved_by_id for m in measurements}
    users = (
        get_user_model().objects.filter(pk__in=ids).only("pk", "first_name", "last_name", "email")
        if ids
        else []
    )
    by_pk = {user.pk: user for user in users}
    for measurement in measurements:
        measurement.approved_by = by_pk.get(measurement.approved_by_id)


def pending_approvals(programme: Programme) -> int:
    """Measurements submitted and waiting for the coordinator's approval."""
    return Measurement.objects.filter(
        indicator__programme=programme, status=Measurement.Status.SUBMITTED
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
    periods = [
        cell.period for item in results for cell in item.periods if cell.measurement is not None
    ]
    if not periods:
        return None
    return min(p.starts_on for p in periods), max(p.ends_on for p in periods)


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
