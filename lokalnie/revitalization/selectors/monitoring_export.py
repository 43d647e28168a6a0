"""The monitoring report as files: a workbook (XLSX) with the indicators, the approved
measurements with every breakdown, and the actions; and a PDF report for the council and
the partners. Only approved measurements are in either (each says so)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.core.pdf import render_pdf
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.models.results import BREAKDOWN_DIMENSIONS
from lokalnie.revitalization.selectors import monitoring as selectors
from lokalnie.training.reports import safe_cell

SHEET_TITLE_MAX = 31  # Excel's limit


@dataclass
class Workbook:
    content: bytes
    indicators: int
    measurements: int
    actions: int


def _breakdown_columns(results) -> list[tuple[str, str, str, bool]]:
    """Every (dimension, category) given in any approved measurement, as (dimension's
    label, category, category's label, whether any cell has a denominator): the standard
    breakdowns in their usual order, then any other."""
    found: dict[tuple[str, str], tuple[str, bool]] = {}
    for item in results:
        for cell in item.periods:
            for dimension, parts in cell.breakdown.items():
                for part in parts:
                    label, has = found.get((dimension, part.category), (part.label, False))
                    found[(dimension, part.category)] = (label, has or part.denominator is not None)
    order = {}
    for d_index, (dimension, spec) in enumerate(BREAKDOWN_DIMENSIONS.items()):
        for c_index, (category, _label) in enumerate(spec["categories"]):
            order[(dimension, category)] = (d_index, c_index, "")
    keys = sorted(found, key=lambda key: order.get(key, (len(order), 0, "\n".join(key))))
    return [
        (
            _dimension_label(dimension),
            category,
            found[(dimension, category)][0],
            found[(dimension, category)][1],
        )
        for dimension, category in keys
    ]


def _dimension_label(dimension: str) -> str:
    return str(BREAKDOWN_DIMENSIONS.get(dimension, {}).get("label", dimension))


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _style(sheet, *, date_columns=(), datetime_columns=(), widths=None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(1, sheet.max_column + 1):
        letter = get_column_letter(index)
        longest = max(
            (
                len(str(cell.value))
                for (cell,) in sheet.iter_rows(min_col=index, max_col=index)
                if cell.value is not None
            ),
            default=8,
        )
        sheet.column_dimensions[letter].width = min(max(longest + 2, 10), 50)
        number_format = (
            "yyyy-mm-dd"
            if index in date_columns
            else "yyyy-mm-dd hh:mm"
            if index in datetime_columns
            else None
        )
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def monitoring_workbook(programme: Programme, *, today: dt.date | None = None) -> Workbook:
    """The workbook: Indicators, Measurements (approved, one column per breakdown
    category), Breakdowns (one row per cell), Actions, and About (what the file holds)."""
    from openpyxl import Workbook as OpenpyxlWorkbook

    today = today or timezone.localdate()
    results = selectors.indicator_results(programme, with_approvers=True, with_charts=False)
    actions = list(selectors.actions_for_export(programme))
    book = OpenpyxlWorkbook()

    # --- Indicators ---
    sheet = book.active
    sheet.title = _("Indicators")[:SHEET_TITLE_MAX]
    sheet.append(
        [
            _("Code"),
            _("Indicator"),
            _("Kind"),
            _("Unit"),
            _("Direction"),
            _("Method of measurement"),
            _("Tolerance (%)"),
            _("Breakdowns"),
            _("Baseline"),
            _("Baseline year"),
            _("Source of the baseline"),
            _("Latest period with an approved measurement"),
            _("Latest approved value"),
            _("Target for that period"),
            _("Status against the target"),
            _("Deviation from the target (%)"),
            _("Period of the last target"),
            _("Last target"),
            _("Share of the planned change achieved (%)"),
        ]
    )
    for item in results:
        indicator = item.indicator
        latest, final = item.latest, item.final
        source = (
            _("diagnosis: %(indicator)s") % {"indicator": indicator.baseline_source.name}
            if indicator.baseline_source_id
            else (indicator.baseline_provenance or {}).get("reference", "")
        )
        breakdowns = ", ".join(_dimension_label(key) for key in indicator.breakdowns or [])
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    indicator.code,
                    indicator.name,
                    indicator.get_kind_display(),
                    indicator.unit_label,
                    indicator.get_direction_display(),
                    indicator.method,
                    float(indicator.tolerance_pct),
                    breakdowns,
                    _round(item.baseline),
                    indicator.baseline_year,
                    source,
                    latest.period.label if latest else "",
                    _round(latest.actual) if latest else None,
                    _round(latest.target) if latest else None,
                    item.status_text,
                    _round(item.status.deviation_pct, 1),
                    final.period.label if final else "",
                    _round(final.target) if final else None,
                    _round(item.final_achievement, 1),
                )
            ]
        )
    _style(sheet)

    # --- Measurements (approved), with a column per breakdown category ---
    columns = _breakdown_columns(results)
    sheet = book.create_sheet(_("Measurements")[:SHEET_TITLE_MAX])
    headers = [
        _("Indicator code"),
        _("Indicator"),
        _("Period"),
        _("Period starts"),
        _("Period ends"),
        _("Target"),
        _("Value"),
        _("Numerator"),
        _("Denominator"),
        _("Description (qualitative indicators)"),
        _("Status against the target"),
        _("Deviation from the target (%)"),
        _("Explanation of the deviation"),
        _("Approved by"),
        _("Approved at"),
    ]
    for dimension_label, _category, category_label, has_denominator in columns:
        headers.append(f"{dimension_label}: {category_label}")
        if has_denominator:
            headers.append(
                _("%(dimension)s: %(category)s — denominator")
                % {"dimension": dimension_label, "category": category_label}
            )
    sheet.append([safe_cell(header) for header in headers])
    measurement_rows = 0
    long_rows = []
    for item in results:
        indicator = item.indicator
        for cell in item.periods:
            measurement = cell.measurement
            if measurement is None:
                continue
            measurement_rows += 1
            parts = {
                (_dimension_label(dimension), part.category): part
                for dimension, dimension_parts in cell.breakdown.items()
                for part in dimension_parts
            }
            values = [
                indicator.code,
                indicator.name,
                cell.period.label,
                cell.period.starts_on,
                cell.period.ends_on,
                _round(cell.target),
                _round(cell.actual),
                measurement.numerator,
                measurement.denominator,
                measurement.text,
                selectors.cell_status_text(cell),
                _round(cell.status.deviation_pct, 1),
                measurement.explanation,
                measurement.approved_by.display_name if measurement.approved_by else "",
                _local(measurement.approved_at),
            ]
            for dimension_label, category, _label, has_denominator in columns:
                part = parts.get((dimension_label, category))
                values.append(part.value if part else None)
                if has_denominator:
                    values.append(part.denominator if part else None)
            sheet.append([safe_cell(value) for value in values])
            for (dimension_label, _category), part in parts.items():
                long_rows.append(
                    [
                        indicator.code,
                        indicator.name,
                        cell.period.label,
                        dimension_label,
                        part.label,
                        part.value,
                        part.denominator,
                    ]
                )
    _style(sheet, date_columns=(4, 5), datetime_columns=(15,))

    # --- Breakdowns, one row per cell (for pivot tables) ---
    sheet = book.create_sheet(_("Breakdowns")[:SHEET_TITLE_MAX])
    sheet.append(
        [
            _("Indicator code"),
            _("Indicator"),
            _("Period"),
            _("Breakdown"),
            _("Category"),
            _("Value (numerator)"),
            _("Denominator"),
        ]
    )
    for values in long_rows:
        sheet.append([safe_cell(value) for value in values])
    _style(sheet)

    # --- Actions ---
    sheet = book.create_sheet(_("Actions")[:SHEET_TITLE_MAX])
    sheet.append(
        [
            _("Action"),
            _("Goal"),
            _("Responsible partner"),
            _("Other partners"),
            _("Starts"),
            _("Ends"),
            _("State on %(date)s") % {"date": today.isoformat()},
            _("Budget (PLN)"),
            _("Source of funding"),
            _("Target group"),
            _("Indicators"),
        ]
    )
    for action in actions:
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    action.title,
                    action.goal,
                    action.responsible.name,
                    ", ".join(partner.name for partner in action.partners.all()),
                    action.starts_on,
                    action.ends_on,
                    selectors.action_state(action, today),
                    float(action.budget_pln),
                    action.funding_source,
                    action.target_group,
                    ", ".join(indicator.code for indicator in action.indicators.all()),
                )
            ]
        )
    _style(sheet, date_columns=(5, 6))
    for (cell,) in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        cell.number_format = "#,##0.00"

    # --- About the file ---
    sheet = book.create_sheet(_("About")[:SHEET_TITLE_MAX])
    sheet.column_dimensions["A"].width = 100
    gmina = programme.gmina
    for line in (
        programme.title,
        _("Gmina %(gmina)s (TERYT %(code)s)") % {"gmina": gmina.name, "code": gmina.code},
        _("Generated on %(date)s.") % {"date": today.isoformat()},
        _(
            "Only measurements approved by the programme's coordinator are included; drafts, "
            "submitted and returned measurements are not."
        ),
        _(
            "Percentage indicators: the value is the numerator over the denominator × 100; "
            "their breakdowns give each category's numerator and denominator."
        ),
    ):
        sheet.append([safe_cell(line)])

    buffer = io.BytesIO()
    book.save(buffer)
    return Workbook(
        content=buffer.getvalue(),
        indicators=len(results),
        measurements=measurement_rows,
        actions=len(actions),
    )


def monitoring_pdf(programme: Programme, *, by, now: dt.datetime | None = None) -> bytes:
    """The monitoring report as PDF: the programme and its gmina, the period covered, each
    indicator's chart and table with who approved each measurement, the action plan in
    figures and the evaluation reviews."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    results = selectors.indicator_results(programme, with_approvers=True)
    reviews = list(selectors.reviews(programme))
    return render_pdf(
        "revitalization/monitoring/report_pdf.html",
        {
            "programme": programme,
            "results": results,
            "covered": selectors.covered_period(results),
            "actions": selectors.action_summary(programme, today=today),
            "reviews": reviews,
            "next_review": selectors.next_review(
                programme, reviews[0].held_on if reviews else None, today=today
            ),
            "generated_at": timezone.localtime(now),
            "generated_by": by,
            "counts": selectors.status_counts(results),
        },
    )
