"""The indicator's line chart (a plain module, no database)."""

import re

from lokalnie.revitalization.calc.monitoring_chart import (
    Column,
    TrendChart,
    nice_ticks,
    trend_chart_svg,
)

LEGEND = {"actual": "Approved measurement", "target": "Target", "baseline": "Baseline"}


def chart(**fields):
    fields.setdefault("summary", "Klub: baseline 100; 2025: target 120, measured 115")
    fields.setdefault(
        "columns",
        [
            Column("2025", target=120, target_text="120", actual=115, actual_text="115"),
            Column("2026", target=140, target_text="140"),
        ],
    )
    fields.setdefault("baseline", 100)
    fields.setdefault("baseline_label", "Baseline (2024)")
    fields.setdefault("baseline_text", "100")
    fields.setdefault("legend", LEGEND)
    return TrendChart(**fields)


def test_axis_values_are_round_and_cover_the_data():
    assert nice_ticks(0, 168) == [0, 50, 100, 150, 200]
    assert nice_ticks(-3, 10) == [-5, 0, 5, 10]
    ticks = nice_ticks(0, 0.7)
    assert ticks[0] == 0 and ticks[-1] >= 0.7


def test_the_chart_is_an_image_named_by_its_summary_with_every_number():
    svg = trend_chart_svg(chart())
    assert 'role="img"' in svg
    assert 'aria-label="Klub: baseline 100; 2025: target 120, measured 115"' in svg
    assert "<title>Klub: baseline 100; 2025: target 120, measured 115</title>" in svg


def test_series_differ_by_shape_and_line_not_only_by_colour():
    svg = trend_chart_svg(chart())
    assert "stroke-dasharray" in svg  # targets: dashed
    assert "<circle" in svg  # measurements: filled circles
    assert "<rect" in svg  # targets: hollow squares
    assert "<path" in svg  # baseline: a diamond
    for text in LEGEND.values():
        assert f">{text}</text>" in svg
    assert ">115</text>" in svg  # the measured value is written beside its point


def test_a_period_without_a_measurement_breaks_the_line():
    columns = [
        Column("2025", actual=110, actual_text="110"),
        Column("2026"),
        Column("2027", actual=130, actual_text="130"),
        Column("2028", actual=150, actual_text="150"),
    ]
    svg = trend_chart_svg(chart(columns=columns))
    # baseline → 2025, then 2027 → 2028: two lines, nothing drawn across 2026.
    assert len(re.findall(r"<polyline", svg)) == 2


def test_texts_are_escaped():
    svg = trend_chart_svg(chart(summary='<script>"x"</script>', baseline_label="A & B"))
    assert "<script>" not in svg
    assert "A &amp; B" in svg


def test_a_chart_without_values_still_draws_its_axes():
    svg = trend_chart_svg(chart(columns=[Column("2025")], baseline=None))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
