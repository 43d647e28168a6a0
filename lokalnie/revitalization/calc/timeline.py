"""The action plan's timeline: a Gantt-like chart by month or quarter as inline SVG, and
the split of a budget between calendar years (no JavaScript, no Django).

The caller gives every text (names, the summary, the quarters' labels); this module only
places them. The chart is an image with a summary (``role="img"``, ``<title>`` and
``aria-label``) and is always shown with a table of the same dates. Each row carries the
action's name in text at its left; bars are one colour with an outline, so nothing
depends on colour. The chart is as wide as its columns need: the page scrolls it sideways
inside its own box on a narrow screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

MONTH, QUARTER = "month", "quarter"
MONTHS_FOR_MONTHLY = 24  # a longer plan is drawn by quarter
LABEL_WIDTH = 150
MAX_LABEL = 24  # characters per line of a name (two lines at most)
COLUMN = {MONTH: 26, QUARTER: 40}
HEADER = 44  # two rows: the years, then the months or quarters
ROW = 30
BAR_TOP, BAR_HEIGHT = 8, 14
FONT = "DejaVu Sans,Verdana,Arial,sans-serif"
INK, BAR, BAR_EDGE, STRIPE, LINE = "#1a1a1a", "#0b4f8a", "#073a66", "#f2f2f2", "#b0b0b0"


@dataclass(frozen=True)
class Bar:
    label: str  # the action's name
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    title: str = ""  # the bar's tooltip (e.g. the name and the dates in words)


@dataclass(frozen=True)
class Column:
    starts_on: dt.date
    ends_on: dt.date  # inclusive
    year: int
    number: int  # the month (1–12) or the quarter (1–4)

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many calendar months the days from ``first`` to ``last`` touch."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def choose_scale(first: dt.date, last: dt.date) -> str:
    return MONTH if months_between(first, last) <= MONTHS_FOR_MONTHLY else QUARTER


def columns(first: dt.date, last: dt.date, scale: str) -> list[Column]:
    """The months or quarters that cover every day from ``first`` to ``last``."""
    step = 1 if scale == MONTH else 3
    start = _month_start(first)
    if scale == QUARTER:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    result = []
    while start <= last:
        following = _add_months(start, step)
        number = start.month if scale == MONTH else (start.month - 1) // 3 + 1
        result.append(Column(start, following - dt.timedelta(days=1), start.year, number))
        start = following
    return result


def _x(day: dt.date, cols: list[Column], width: int) -> float:
    """The horizontal position of the start of ``day``."""
    for index, col in enumerate(cols):
        if col.starts_on <= day <= col.ends_on:
            return LABEL_WIDTH + width * (index + (day - col.starts_on).days / col.days)
    return LABEL_WIDTH + width * len(cols)  # the day after the last column


def _lines(text: str) -> list[str]:
    """The name in at most two lines of ``MAX_LABEL`` characters (cut with "…")."""
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= MAX_LABEL or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [
        line if len(line) <= MAX_LABEL else line[: MAX_LABEL - 1].rstrip() + "…" for line in lines
    ]


def timeline_svg(bars: list[Bar], *, scale: str, summary: str, quarter_label: str = "Q{n}") -> str:
    """The chart as an SVG element (a string; the caller marks it safe). ``quarter_label``
    is a format with ``{n}`` (the quarter's number) for the quarter columns."""
    if not bars:
        return ""
    cols = columns(min(b.starts_on for b in bars), max(b.ends_on for b in bars), scale)
    width = COLUMN[scale]
    total_width = LABEL_WIDTH + width * len(cols) + 8
    height = HEADER + ROW * len(bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" '
        f'viewBox="0 0 {total_width} {height}" width="{total_width}" height="{height}" '
        f'role="img" aria-label={quoteattr(summary)}>',
        f"<title>{escape(summary)}</title>",
        f'<g font-family="{FONT}" font-size="12" fill="{INK}">',
    ]
    for number in range(len(bars)):  # stripes to follow a row across
        if number % 2:
            parts.append(
                f'<rect x="0" y="{HEADER + number * ROW}" width="{total_width}" '
                f'height="{ROW}" fill="{STRIPE}"/>'
            )
    # The header: each year once over its first column, then every month or quarter.
    for index, col in enumerate(cols):
        x = LABEL_WIDTH + index * width
        first_of_year = index == 0 or cols[index - 1].year != col.year
        if first_of_year:
            parts.append(f'<text x="{x + 3}" y="16" font-weight="bold">{col.year}</text>')
        line_top = 2 if first_of_year else 24
        parts.append(
            f'<line x1="{x}" y1="{line_top}" x2="{x}" y2="{height}" '
            f'stroke="{INK if first_of_year else LINE}"/>'
        )
        label = str(col.number) if scale == MONTH else quarter_label.format(n=col.number)
        parts.append(
            f'<text x="{x + width / 2:g}" y="38" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    end_x = LABEL_WIDTH + width * len(cols)
    parts.append(f'<line x1="{end_x}" y1="2" x2="{end_x}" y2="{height}" stroke="{INK}"/>')
    parts.append(f'<line x1="0" y1="{HEADER}" x2="{total_width}" y2="{HEADER}" stroke="{INK}"/>')
    for number, bar in enumerate(bars):
        y = HEADER + number * ROW
        lines = _lines(bar.label)
        if len(lines) == 1:
            parts.append(f'<text x="4" y="{y + 19}">{escape(lines[0])}</text>')
        else:
            parts.append(
                f'<text x="4" y="{y + 13}" font-size="11">{escape(lines[0])}'
                f'<tspan x="4" y="{y + 26}">{escape(lines[1])}</tspan></text>'
            )
        left = _x(bar.starts_on, cols, width)
        right = _x(bar.ends_on + dt.timedelta(days=1), cols, width)
        parts.append(
            f'<rect x="{left:.1f}" y="{y + BAR_TOP}" width="{max(right - left, 2):.1f}" '
            f'height="{BAR_HEIGHT}" fill="{BAR}" stroke="{BAR_EDGE}">'
            f"<title>{escape(bar.title or bar.label)}</title></rect>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def split_by_year(amount: Decimal, first: dt.date, last: dt.date) -> dict[int, Decimal]:
    """``amount`` (PLN, to the grosz) split between the calendar years from ``first`` to
    ``last`` in proportion to the days of each; the parts add up to ``amount`` exactly
    (left-over grosze go to the years with the largest remainders, earlier years first
    on ties)."""
    if last < first:
        raise ValueError("The period ends before it starts.")
    grosze = int((amount * 100).to_integral_value())
    total_days = (last - first).days + 1
    days = {}
    for year in range(first.year, last.year + 1):
        start = max(first, dt.date(year, 1, 1))
        end = min(last, dt.date(year, 12, 31))
        days[year] = (end - start).days + 1
    shares = {year: grosze * count // total_days for year, count in days.items()}
    left = grosze - sum(shares.values())
    by_remainder = sorted(days, key=lambda year: (-(grosze * days[year] % total_days), year))
    for year in by_remainder[:left]:
        shares[year] += 1
    return {year: Decimal(value).scaleb(-2) for year, value in shares.items()}
