"""The interest × influence map of a programme's stakeholders as inline SVG (no
JavaScript, no Django).

Both scales run from 1 to 5; levels from ``HIGH_FROM`` up count as high. The grid of
5 × 5 cells is split into the four quadrants of the usual stakeholder matrix:

- high influence, high interest: manage closely;
- high influence, low interest: keep satisfied;
- low influence, high interest: keep informed;
- low influence, low interest: monitor.

The caller gives every text (the quadrants' names, the axes, the summary); this module
only places them. Each stakeholder is a numbered marker in its cell (the number refers to
the table shown with the map, which names the stakeholder and its quadrant in words);
partners are filled squares, other stakeholders hollow circles, so nothing depends on
colour. A cell shows up to nine markers; with more, eight and "+k"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

LEVELS = (1, 2, 3, 4, 5)
HIGH_FROM = 3  # levels 3–5 are high, 1–2 low

MANAGE_CLOSELY = "manage_closely"
KEEP_SATISFIED = "keep_satisfied"
KEEP_INFORMED = "keep_informed"
MONITOR = "monitor"
QUADRANTS = (MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR)

WIDTH = 360  # the viewBox: drawn 1:1 on a 360 px phone, scaled up on wider screens
LEFT = 40  # room for the influence axis
CELL = 60
BAND = 22  # the quadrants' names above and below the grid
GRID_TOP = BAND
GRID_BOTTOM = GRID_TOP + CELL * len(LEVELS)
HEIGHT = GRID_BOTTOM + BAND + 40  # the interest axis under the grid
SLOT = 19  # markers sit on a 3 × 3 lattice inside a cell
RADIUS = 8.5
PER_CELL = 9
FONT = "DejaVu Sans,Verdana,Arial,sans-serif"
INK, BRAND, GRID_LINE = "#1a1a1a", "#0b4f8a", "#b0b0b0"
FILLS = {
    MANAGE_CLOSELY: "#e3edf9",
    KEEP_SATISFIED: "#fbf1d9",
    KEEP_INFORMED: "#e4f3e8",
    MONITOR: "#f2f2f2",
}


def is_high(level: int) -> bool:
    return level >= HIGH_FROM


def quadrant(*, interest: int, influence: int) -> str:
    """The quadrant key of a stakeholder with these levels."""
    if is_high(influence):
        return MANAGE_CLOSELY if is_high(interest) else KEEP_SATISFIED
    return KEEP_INFORMED if is_high(interest) else MONITOR


@dataclass(frozen=True)
class Point:
    number: int  # the row number in the table shown with the map
    label: str  # the stakeholder's name (the marker's tooltip)
    interest: int
    influence: int
    partner: bool = False


@dataclass(frozen=True)
class MapText:
    """Every text the map shows, already in the reader's language."""

    summary: str  # the image's accessible name (``aria-label`` and ``<title>``)
    interest_axis: str
    influence_axis: str
    quadrant_names: dict  # quadrant key → name
    point_title: str = (
        "{number}. {label}"  # the marker's tooltip; {number} {label} {interest} {influence}
    )


def _cell_origin(interest: int, influence: int) -> tuple[int, int]:
    return LEFT + (interest - 1) * CELL, GRID_TOP + (5 - influence) * CELL


def _quadrant_box(key: str) -> tuple[int, int, int, int]:
    """x, y, width, height of a quadrant (with its band for the name)."""
    split_x = LEFT + (HIGH_FROM - 1) * CELL
    split_y = GRID_TOP + (5 - HIGH_FROM + 1) * CELL
    right = LEFT + 5 * CELL
    low_x, high_x = (LEFT, split_x - LEFT), (split_x, right - split_x)
    top, bottom = (0, split_y), (split_y, GRID_BOTTOM + BAND - split_y)
    x, width = high_x if key in (MANAGE_CLOSELY, KEEP_INFORMED) else low_x
    y, height = top if key in (MANAGE_CLOSELY, KEEP_SATISFIED) else bottom
    return x, y, width, height


def _marker(point: Point, cx: float, cy: float, text: MapText) -> str:
    title = text.point_title.format(
        number=point.number,
        label=point.label,
        interest=point.interest,
        influence=point.influence,
    )
    if point.partner:
        side = RADIUS * 2
        shape = (
            f'<rect x="{cx - RADIUS:g}" y="{cy - RADIUS:g}" width="{side:g}" height="{side:g}" '
            f'fill="{BRAND}" stroke="{INK}" stroke-width="1"/>'
        )
        colour = "#ffffff"
    else:
        shape = (
            f'<circle cx="{cx:g}" cy="{cy:g}" r="{RADIUS:g}" fill="#ffffff" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
        colour = INK
    size = 9 if point.number < 100 else 7.5
    return (
        f'<g class="map-point"><title>{escape(title)}</title>{shape}'
        f'<text x="{cx:g}" y="{cy + 3.2:g}" text-anchor="middle" font-size="{size:g}" '
        f'font-weight="bold" fill="{colour}">{point.number}</text></g>'
    )


def map_svg(points: list[Point], text: MapText) -> str:
    """The map as an SVG element (a string; the caller marks it safe)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stakeholder-map" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f"aria-label={quoteattr(text.summary)}>",
        f"<title>{escape(text.summary)}</title>",
        f'<g font-family="{FONT}" font-size="11" fill="{INK}">',
    ]
    # The quadrants: a tint each (not needed to read the map) and the name in words.
    for key in QUADRANTS:
        x, y, width, height = _quadrant_box(key)
        parts.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{FILLS[key]}"/>'
        )
        label_y = y + 15 if key in (MANAGE_CLOSELY, KEEP_SATISFIED) else y + height - 7
        parts.append(
            f'<text x="{x + width / 2:g}" y="{label_y}" text-anchor="middle" '
            f'font-size="10.5" font-weight="bold">{escape(text.quadrant_names[key])}</text>'
        )
    # The cells' grid and the heavy lines between low and high.
    for level in range(len(LEVELS) + 1):
        x = LEFT + level * CELL
        y = GRID_TOP + level * CELL
        parts.append(
            f'<line x1="{x}" y1="{GRID_TOP}" x2="{x}" y2="{GRID_BOTTOM}" stroke="{GRID_LINE}"/>'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + 5 * CELL}" y2="{y}" stroke="{GRID_LINE}"/>'
        )
    split_x = LEFT + (HIGH_FROM - 1) * CELL
    split_y = GRID_TOP + (5 - HIGH_FROM + 1) * CELL
    parts.append(
        f'<line x1="{split_x}" y1="0" x2="{split_x}" y2="{GRID_BOTTOM + BAND}" '
        f'stroke="{INK}" stroke-width="2"/>'
    )
    parts.append(
        f'<line x1="{LEFT}" y1="{split_y}" x2="{LEFT + 5 * CELL}" y2="{split_y}" '
        f'stroke="{INK}" stroke-width="2"/>'
    )
    # The axes: the levels and their names.
    for level in LEVELS:
        x, y = _cell_origin(level, level)
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 4:g}" text-anchor="end">{level}</text>'
        )
        parts.append(
            f'<text x="{x + CELL / 2:g}" y="{GRID_BOTTOM + BAND + 14}" '
            f'text-anchor="middle">{level}</text>'
        )
    parts.append(
        f'<text x="{LEFT + 5 * CELL / 2:g}" y="{GRID_BOTTOM + BAND + 32}" text-anchor="middle" '
        f'font-weight="bold">{escape(text.interest_axis)} →</text>'
    )
    middle = GRID_TOP + 5 * CELL / 2
    parts.append(
        f'<text x="12" y="{middle:g}" text-anchor="middle" font-weight="bold" '
        f'transform="rotate(-90 12 {middle:g})">{escape(text.influence_axis)} →</text>'
    )
    # The stakeholders, cell by cell.
    cells: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for point in points:
        cells[(point.interest, point.influence)].append(point)
    for (interest, influence), members in sorted(cells.items()):
        x, y = _cell_origin(interest, influence)
        shown = members if len(members) <= PER_CELL else members[: PER_CELL - 1]
        for index, point in enumerate(shown):
            cx = x + 11 + SLOT * (index % 3)
            cy = y + 11 + SLOT * (index // 3)
            parts.append(_marker(point, cx, cy, text))
        if len(shown) < len(members):
            parts.append(
                f'<text x="{x + 11 + SLOT * 2:g}" y="{y + 11 + SLOT * 2 + 3.5:g}" '
                f'text-anchor="middle" font-size="9" font-weight="bold">'
                f"+{len(members) - len(shown)}</text>"
            )
    parts.append("</g></svg>")
    return "".join(parts)
