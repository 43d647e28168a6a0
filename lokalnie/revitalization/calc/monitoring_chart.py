"""A small line chart of one result indicator as inline SVG: the baseline, the targets and
the approved measurements over the periods (no JavaScript, no Django).

The caller gives every text (labels, values already formatted in the reader's language,
the legend and the summary); this module only places them. The chart is an image with a
summary (``role="img"``, ``<title>`` and ``aria-label`` saying every number) and is always
shown beside a table of the same numbers. Nothing depends on colour: the measurements are
a solid line with filled circles, the targets a dashed line with hollow squares, the
baseline a diamond, each named in the legend, and the measured values are written beside
their points."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

WIDTH = 360  # the viewBox: drawn 1:1 on a 360 px phone, scaled up on wider screens
LEFT, RIGHT = 48, 12  # room for the axis values on the left
LEGEND_ROW = 18
PLOT_HEIGHT = 150
X_LABELS = 30  # room under the plot for the periods' labels
# "Lokalnie Sans" is the font PDFs embed (core/pdf/base.html); browsers fall back to the rest.
FONT = "Lokalnie Sans,DejaVu Sans,Verdana,Arial,sans-serif"
ACTUAL_COLOUR, TARGET_COLOUR, BASELINE_COLOUR = "#0b4f8a", "#8a3b00", "#333333"
VALUE_LABELS_UP_TO = 8  # columns; with more, the values are in the table only


@dataclass
class Column:
    """One period: its label, its target and its approved measurement (either may be
    missing), each with the text that states it."""

    label: str
    target: float | None = None
    target_text: str = ""
    actual: float | None = None
    actual_text: str = ""


@dataclass
class TrendChart:
    summary: str  # every number in words: the image's accessible name
    columns: list[Column]
    baseline: float | None = None
    baseline_label: str = ""  # e.g. "Baseline (2023)": the first column when there is one
    baseline_text: str = ""
    legend: dict[str, str] = field(default_factory=dict)  # keys: actual, target, baseline


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis values covering ``low``..``high`` (about ``count`` steps)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _tick_text(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:g}"


def _short(text: str, width: float) -> str:
    limit = max(int(width / 6.5), 3)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _legend(chart: TrendChart, has_target: bool, has_actual: bool) -> tuple[list[str], int]:
    items = []
    if has_actual:
        items.append(("actual", chart.legend.get("actual", "")))
    if has_target:
        items.append(("target", chart.legend.get("target", "")))
    if chart.baseline is not None:
        items.append(("baseline", chart.legend.get("baseline", "")))
    parts = []
    for row, (kind, text) in enumerate(items):
        y = row * LEGEND_ROW + 10
        if kind == "actual":
            parts.append(
                f'<line x1="2" y1="{y}" x2="26" y2="{y}" stroke="{ACTUAL_COLOUR}" '
                'stroke-width="2.5"/>'
                f'<circle cx="14" cy="{y}" r="4" fill="{ACTUAL_COLOUR}"/>'
            )
        elif kind == "target":
            parts.append(
                f'<line x1="2" y1="{y}" x2="26" y2="{y}" stroke="{TARGET_COLOUR}" '
                'stroke-width="2" stroke-dasharray="5 3"/>'
                f'<rect x="10" y="{y - 4}" width="8" height="8" fill="#fff" '
                f'stroke="{TARGET_COLOUR}" stroke-width="2"/>'
            )
        else:
            parts.append(_diamond(14, y))
        parts.append(f'<text x="34" y="{y + 4}">{escape(text)}</text>')
    return parts, len(items) * LEGEND_ROW + 6


def _diamond(x: float, y: float) -> str:
    return (
        f'<path d="M{x:.1f} {y - 6:.1f} L{x + 6:.1f} {y:.1f} L{x:.1f} {y + 6:.1f} '
        f'L{x - 6:.1f} {y:.1f} Z" fill="{BASELINE_COLOUR}"/>'
    )


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points: a period without a value breaks the line."""
    runs, run = [], []
    for point in points:
        if point is None:
            if len(run) > 1:
                runs.append(run)
            run = []
        else:
            run.append(point)
    if len(run) > 1:
        runs.append(run)
    return runs


def trend_chart_svg(chart: TrendChart) -> str:
    columns = chart.columns
    has_baseline = chart.baseline is not None
    labels = ([chart.baseline_label] if has_baseline else []) + [c.label for c in columns]
    targets = ([chart.baseline] if has_baseline else []) + [c.target for c in columns]
    actuals = ([chart.baseline] if has_baseline else []) + [c.actual for c in columns]
    has_target = any(c.target is not None for c in columns)
    has_actual = any(c.actual is not None for c in columns)
    values = [v for v in targets + actuals if v is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]) * 1.05 if values else 1.0)
    low, high = ticks[0], ticks[-1]

    legend, legend_height = _legend(chart, has_target, has_actual)
    top = legend_height + 8
    height = top + PLOT_HEIGHT + X_LABELS
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(len(labels), 1)

    def x_of(index: int) -> float:
        return LEFT + step * (index + 0.5)

    def y_of(value: float) -> float:
        return top + PLOT_HEIGHT - (value - low) / (high - low) * PLOT_HEIGHT

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f"aria-label={quoteattr(chart.summary)}>",
        f"<title>{escape(chart.summary)}</title>",
        f'<g font-family="{FONT}" font-size="11" fill="#1a1a1a">',
        *legend,
    ]
    # Axis values and grid lines.
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#555" if tick == 0 else "#d0d0d0"}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{_tick_text(tick)}</text>'
        )
    # The periods' labels under the plot.
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{top + PLOT_HEIGHT + 16}" text-anchor="middle">'
            f"{escape(_short(label, step))}</text>"
        )

    def place(series):
        return [None if v is None else (x_of(i), y_of(v)) for i, v in enumerate(series)]

    target_points, actual_points = place(targets), place(actuals)
    if has_target:
        for run in _segments(target_points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{TARGET_COLOUR}" '
                'stroke-width="2" stroke-dasharray="5 3"/>'
            )
    if has_actual:
        for run in _segments(actual_points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{ACTUAL_COLOUR}" '
                'stroke-width="2.5"/>'
            )
    offset = 1 if has_baseline else 0
    for index in range(len(columns)):
        point = target_points[index + offset]
        if point is not None:
            x, y = point
            parts.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" '
                f'stroke="{TARGET_COLOUR}" stroke-width="2"/>'
            )
    label_values = len(labels) <= VALUE_LABELS_UP_TO
    for index, column in enumerate(columns):
        point = actual_points[index + offset]
        if point is not None:
            x, y = point
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACTUAL_COLOUR}"/>')
            if label_values and column.actual_text:
                # Away from the target's square (below the point when the target is above
                # it), and never outside the plot.
                target_point = target_points[index + offset]
                room_above = y - 8 > top + 10
                room_below = y + 16 < top + PLOT_HEIGHT - 2
                target_above = target_point is not None and target_point[1] < y
                below = room_below and (target_above or not room_above)
                text_y = y + 16 if below else y - 8
                parts.append(
                    f'<text x="{x:.1f}" y="{text_y:.1f}" text-anchor="middle" '
                    f'font-weight="bold">{escape(column.actual_text)}</text>'
                )
    if has_baseline:
        x, y = actual_points[0]
        parts.append(_diamond(x, y))
        if label_values and chart.baseline_text:
            text_y = y - 9 if y - 9 > top + 10 else y + 18
            parts.append(
                f'<text x="{x:.1f}" y="{text_y:.1f}" text-anchor="middle">'
                f"{escape(chart.baseline_text)}</text>"
            )
    parts.append("</g></svg>")
    return "".join(parts)
