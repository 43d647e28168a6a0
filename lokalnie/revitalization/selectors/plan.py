"""Reads of the plan part: a programme's actions, the budget's totals by source of funding
and by year, the timeline and the CSV export.

Every read is scoped to one programme (the views find it with ``access.programme_for``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from lokalnie.revitalization.calc import timeline as calc
from lokalnie.revitalization.models import Action, Programme, ResultIndicator, Stakeholder

# Offered when typing the source of funding (with the sources the programme already uses).
FUNDING_SUGGESTIONS = (
    "środki własne gminy",
    "EFS+ (FEnIKS/program regionalny)",
    "EFRR (program regionalny)",
    "budżet państwa",
    "Fundusz Pracy",
    "PFRON",
    "środki partnerów",
    "środki prywatne",
)
ZERO = Decimal("0.00")


def format_pln(value: Decimal | None) -> str:
    """An amount as the reader writes it: "12 345,00 zł" in Polish (with no-break spaces),
    "PLN 12,345.00" in English."""
    if value is None:
        return ""
    text = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if (get_language() or "pl").startswith("pl"):
        return f"{text}\xa0zł"
    return f"PLN\xa0{text}"


def actions_of(programme: Programme) -> QuerySet[Action]:
    """The programme's actions in the order they start, with their partners and indicators
    (a fixed number of queries however many there are)."""
    return (
        Action.objects.filter(programme=programme)
        .select_related("responsible")
        .prefetch_related(
            Prefetch("partners", queryset=Stakeholder.objects.order_by("name", "pk")),
            Prefetch("indicators", queryset=ResultIndicator.objects.order_by("position", "code")),
        )
        .order_by("starts_on", "ends_on", "pk")
    )


def action_for(programme: Programme, pk: int) -> Action:
    """One action of the programme (404 for any other id)."""
    return get_object_or_404(actions_of(programme).select_related("programme", "created_by"), pk=pk)


def indicator_choices(programme: Programme) -> QuerySet[ResultIndicator]:
    return ResultIndicator.objects.filter(programme=programme).order_by("position", "code")


def funding_suggestions(programme: Programme) -> list[str]:
    """The usual sources and those the programme's actions already name (each once)."""
    used = (
        Action.objects.filter(programme=programme)
        .order_by("funding_source")
        .values_list("funding_source", flat=True)
        .distinct()
    )
    seen, result = set(), []
    for source in (*FUNDING_SUGGESTIONS, *used):
        key = _source_key(source)
        if key and key not in seen:
            seen.add(key)
            result.append(source)
    return result


# --- The budget --------------------------------------------------------------------------


def _source_key(source: str) -> str:
    return " ".join((source or "").split()).casefold()


@dataclass
class SourceTotal:
    source: str
    amount: Decimal
    actions: int

    @property
    def amount_text(self) -> str:
        return format_pln(self.amount)


@dataclass
class YearTotal:
    year: int
    amount: Decimal

    @property
    def amount_text(self) -> str:
        return format_pln(self.amount)


@dataclass
class BudgetTotals:
    total: Decimal = ZERO
    by_source: list[SourceTotal] = field(default_factory=list)
    by_year: list[YearTotal] = field(default_factory=list)

    @property
    def total_text(self) -> str:
        return format_pln(self.total)


def budget_totals(actions) -> BudgetTotals:
    """The plan's budget in total, by source of funding (sources that differ only in case
    or spacing are one; the largest first) and by calendar year (an action spanning years
    is split in proportion to its days in each)."""
    totals = BudgetTotals()
    sources: dict[str, SourceTotal] = {}
    years: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for action in actions:
        totals.total += action.budget_pln
        key = _source_key(action.funding_source)
        if key not in sources:
            sources[key] = SourceTotal(" ".join(action.funding_source.split()), ZERO, 0)
        sources[key].amount += action.budget_pln
        sources[key].actions += 1
        for year, amount in calc.split_by_year(
            action.budget_pln, action.starts_on, action.ends_on
        ).items():
            years[year] += amount
    totals.by_source = sorted(sources.values(), key=lambda s: (-s.amount, s.source.casefold()))
    totals.by_year = [YearTotal(year, years[year]) for year in sorted(years)]
    return totals


# --- The timeline --------------------------------------------------------------------------


@dataclass
class Timeline:
    svg: SafeString
    summary: str
    scale: str
    width: int


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def timeline(actions: list[Action], *, scale: str = "") -> Timeline | None:
    """The actions as a Gantt-like chart by month or by quarter (``scale``; by default by
    month for plans up to two years long). None without actions."""
    if not actions:
        return None
    first = min(action.starts_on for action in actions)
    last = max(action.ends_on for action in actions)
    if scale not in (calc.MONTH, calc.QUARTER):
        scale = calc.choose_scale(first, last)
    summary = (
        ngettext(
            "Timeline of %(count)s action from %(start)s to %(end)s",
            "Timeline of %(count)s actions from %(start)s to %(end)s",
            len(actions),
        )
        % {"count": len(actions), "start": _day(first), "end": _day(last)}
        + (" " + (_("by month.") if scale == calc.MONTH else _("by quarter.")))
        + " "
        + _("The same dates are in the table below.")
    )
    bars = [
        calc.Bar(
            label=action.title,
            starts_on=action.starts_on,
            ends_on=action.ends_on,
            title=_("%(title)s: %(start)s – %(end)s")
            % {"title": action.title, "start": _day(action.starts_on), "end": _day(action.ends_on)},
        )
        for action in actions
    ]
    svg = calc.timeline_svg(
        bars, scale=scale, summary=summary, quarter_label=pgettext("quarter", "Q{n}")
    )
    columns = len(calc.columns(first, last, scale))
    return Timeline(
        svg=mark_safe(svg),
        summary=summary,
        scale=scale,
        width=calc.LABEL_WIDTH + calc.COLUMN[scale] * columns + 8,
    )


def duration_months(action: Action) -> int:
    """How many calendar months the action touches."""
    return calc.months_between(action.starts_on, action.ends_on)


# --- CSV -------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")  # Polish Excel reads the decimal comma


def plan_csv(actions) -> bytes:
    """The plan as CSV: UTF-8 with a byte-order mark and ``;`` between fields, so that
    Polish Excel opens it with the right letters and columns; amounts with a decimal
    comma, dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Title"),
            _("Goal"),
            _("Responsible partner"),
            _("Other partners"),
            _("Starts"),
            _("Ends"),
            _("Budget (PLN)"),
            _("Source of funding"),
            _("Target group"),
            _("Indicators"),
        ]
    )
    for action in actions:
        writer.writerow(
            [
                _cell(action.title),
                _cell(action.goal),
                _cell(action.responsible.name),
                _cell(", ".join(p.name for p in action.partners.all())),
                action.starts_on.isoformat(),
                action.ends_on.isoformat(),
                _amount(action.budget_pln),
                _cell(action.funding_source),
                _cell(action.target_group),
                _cell(", ".join(f"{i.code} {i.name}" for i in action.indicators.all())),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
