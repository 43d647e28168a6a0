"""The interest × influence map as a plain module: quadrants, placement and the SVG."""

import re

import pytest

from lokalnie.revitalization.calc import stakeholder_map as calc

TEXT = calc.MapText(
    summary="Mapa interesariuszy",
    interest_axis="Interest",
    influence_axis="Influence",
    quadrant_names={key: key.replace("_", " ") for key in calc.QUADRANTS},
)


@pytest.mark.parametrize(
    ("interest", "influence", "quadrant"),
    [
        (5, 5, calc.MANAGE_CLOSELY),
        (3, 3, calc.MANAGE_CLOSELY),  # 3 is the first high level
        (2, 3, calc.KEEP_SATISFIED),
        (1, 5, calc.KEEP_SATISFIED),
        (3, 2, calc.KEEP_INFORMED),
        (5, 1, calc.KEEP_INFORMED),
        (2, 2, calc.MONITOR),
        (1, 1, calc.MONITOR),
    ],
)
def test_quadrants(interest, influence, quadrant):
    assert calc.quadrant(interest=interest, influence=influence) == quadrant


def test_every_level_pair_has_one_quadrant():
    seen = {calc.quadrant(interest=i, influence=f) for i in calc.LEVELS for f in calc.LEVELS}
    assert seen == set(calc.QUADRANTS)


def test_the_svg_is_an_image_with_its_summary_quadrants_and_axes():
    svg = calc.map_svg([], TEXT)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img" aria-label="Mapa interesariuszy"' in svg
    assert "<title>Mapa interesariuszy</title>" in svg
    for key in calc.QUADRANTS:
        assert f">{key.replace('_', ' ')}</text>" in svg
    assert ">Interest →</text>" in svg and ">Influence →</text>" in svg
    assert 'viewBox="0 0 360 ' in svg  # drawn 1:1 on a 360 px phone


def _centres(svg):
    found = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="9" '
        r'font-weight="bold" fill="[^"]+">(\d+)</text>',
        svg,
    )
    return {int(number): (float(x), float(y)) for x, y, number in found}


def test_points_sit_in_their_cells_and_partners_are_squares():
    points = [
        calc.Point(1, "Urząd", interest=5, influence=5, partner=True),
        calc.Point(2, "Sklep", interest=1, influence=1),
    ]
    svg = calc.map_svg(points, TEXT)
    centres = _centres(svg)
    (x1, y1), (x2, y2) = centres[1], centres[2]
    # Interest 5 is the last column, influence 5 the top row; 1/1 the bottom-left cell.
    assert calc.LEFT + 4 * calc.CELL < x1 < calc.LEFT + 5 * calc.CELL
    assert calc.GRID_TOP < y1 < calc.GRID_TOP + calc.CELL
    assert calc.LEFT < x2 < calc.LEFT + calc.CELL
    assert calc.GRID_BOTTOM - calc.CELL < y2 < calc.GRID_BOTTOM
    assert "<title>1. Urząd</title><rect" in svg
    assert "<title>2. Sklep</title><circle" in svg


def test_a_full_cell_shows_eight_markers_and_the_rest_as_a_count():
    points = [calc.Point(n, f"P{n}", interest=4, influence=4) for n in range(1, 13)]
    svg = calc.map_svg(points, TEXT)
    assert svg.count('class="map-point"') == 8
    assert ">+4</text>" in svg


def test_names_are_escaped():
    svg = calc.map_svg([calc.Point(1, 'A & <B> "C"', 3, 3)], TEXT)
    assert "A &amp; &lt;B&gt;" in svg
    assert "<B>" not in svg
