"""Small server-rendered bar charts as inline SVG (no JavaScript).

Each chart is an image with a summary (``role="img"``, ``<title>`` and ``aria-label``
saying every number) and is always shown with a data table holding the same numbers
(``training/evaluation/_chart.html`` renders both). Every bar carries its label and its
value in text, so nothing depends on colour."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH = 360  # the viewBox: drawn 1:1 on a 360 px phone, scaled up on wider screens
ROW = 40
BAR_TOP, BAR_HEIGHT = 18, 14
VALUE_ROOM = 96  # room right of the longest bar for its value text
MAX_LABEL = 52


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as written at the end of the bar, e.g. "7 (35%)"


@dataclass
class Chart:
    """A horizontal bar chart and the table with its numbers.

    ``title``: what the chart shows (the table's caption and the start of the summary);
    ``headers``: the table's column headers; ``rows``: the table's rows (the first cell
    is a row header)."""

    title: str
    bars: list[Bar]
    headers: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    maximum: float | None = None

    @property
    def summary(self) -> str:
        return f"{self.title}: " + "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)

    @property
    def svg(self) -> SafeString:
        return mark_safe(bar_chart_svg(self))


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart_svg(chart: Chart) -> str:
    height = ROW * max(len(chart.bars), 1) + 4
    top = chart.maximum or max((bar.value for bar in chart.bars), default=0) or 1
    room = WIDTH - VALUE_ROOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label={quoteattr(chart.summary)}>',
        f"<title>{escape(chart.summary)}</title>",
        '<g font-family="DejaVu Sans,Verdana,Arial,sans-serif" font-size="12" fill="#1a1a1a">',
    ]
    for number, bar in enumerate(chart.bars):
        y = number * ROW + 2
        width = max(round(room * max(bar.value, 0) / top), 0)
        parts.append(f'<text x="0" y="{y + 13}">{escape(_short(bar.label))}</text>')
        # The bar, outlined so that it shows on any background; a hairline for zero.
        parts.append(
            f'<rect x="0" y="{y + BAR_TOP}" width="{max(width, 1)}" height="{BAR_HEIGHT}" '
            'fill="#0b4f8a" stroke="#073a66"/>'
        )
        parts.append(
            f'<text x="{width + 6}" y="{y + BAR_TOP + 11}" font-weight="bold">'
            f"{escape(bar.text)}</text>"
        )
    parts.append("</g></svg>")
    return "".join(parts)
