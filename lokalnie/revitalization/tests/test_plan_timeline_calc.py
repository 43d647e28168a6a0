"""The plan's pure helpers: the timeline's columns and SVG, the budget split by year, and
amounts as people type and read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from lokalnie.revitalization.calc import timeline as calc
from lokalnie.revitalization.forms.plan import parse_pln
from lokalnie.revitalization.selectors.plan import format_pln


def test_scale_is_monthly_up_to_two_years():
    assert calc.choose_scale(dt.date(2025, 1, 15), dt.date(2026, 12, 1)) == calc.MONTH
    assert calc.choose_scale(dt.date(2025, 1, 15), dt.date(2027, 1, 1)) == calc.QUARTER


def test_columns_cover_every_day():
    months = calc.columns(dt.date(2025, 11, 15), dt.date(2026, 2, 1), calc.MONTH)
    assert [(c.year, c.number) for c in months] == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert months[-1].ends_on == dt.date(2026, 2, 28)
    quarters = calc.columns(dt.date(2025, 11, 15), dt.date(2026, 4, 1), calc.QUARTER)
    assert [(c.year, c.number) for c in quarters] == [(2025, 4), (2026, 1), (2026, 2)]
    assert quarters[0].starts_on == dt.date(2025, 10, 1)


def test_months_between_counts_touched_months():
    assert calc.months_between(dt.date(2025, 1, 31), dt.date(2025, 2, 1)) == 2
    assert calc.months_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 12


def _bar_rects(svg):
    import re

    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="14"', svg)
    ]


def test_bars_start_and_end_at_their_dates():
    bars = [
        calc.Bar("Cały rok", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        calc.Bar("Lipiec", dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ]
    svg = calc.timeline_svg(bars, scale=calc.MONTH, summary="Harmonogram")
    (x1, w1), (x2, w2) = _bar_rects(svg)
    width = calc.COLUMN[calc.MONTH]
    assert x1 == calc.LABEL_WIDTH and w1 == pytest.approx(12 * width, abs=0.1)
    assert x2 == pytest.approx(calc.LABEL_WIDTH + 6 * width, abs=0.1)
    assert w2 == pytest.approx(width, abs=0.1)
    assert 'role="img" aria-label="Harmonogram"' in svg
    assert f'width="{calc.LABEL_WIDTH + 12 * width + 8}"' in svg  # as wide as its columns


def test_long_names_wrap_to_two_lines_and_are_escaped():
    bars = [
        calc.Bar(
            "Program <aktywizacji> zawodowej osób długotrwale bezrobotnych w obszarze",
            dt.date(2025, 1, 1),
            dt.date(2025, 3, 1),
        )
    ]
    svg = calc.timeline_svg(bars, scale=calc.QUARTER, summary="s", quarter_label="{n} kw.")
    assert "Program &lt;aktywizacji&gt;<tspan" in svg
    assert "…</tspan>" in svg
    assert ">1 kw.</text>" in svg
    assert "<title>Program &lt;aktywizacji&gt; zawodowej" in svg


def test_no_bars_no_chart():
    assert calc.timeline_svg([], scale=calc.MONTH, summary="s") == ""


@pytest.mark.parametrize(
    ("amount", "first", "last", "expected"),
    [
        ("100.00", dt.date(2025, 3, 1), dt.date(2025, 4, 1), {2025: "100.00"}),
        ("730.00", dt.date(2025, 7, 2), dt.date(2026, 7, 1), {2025: "366.00", 2026: "364.00"}),
        (
            "0.01",
            dt.date(2025, 7, 1),
            dt.date(2027, 6, 30),
            {2025: "0.00", 2026: "0.01", 2027: "0.00"},
        ),
        ("0.00", dt.date(2025, 1, 1), dt.date(2026, 1, 1), {2025: "0.00", 2026: "0.00"}),
    ],
)
def test_split_by_year(amount, first, last, expected):
    split = calc.split_by_year(Decimal(amount), first, last)
    assert split == {year: Decimal(value) for year, value in expected.items()}
    assert sum(split.values()) == Decimal(amount)


def test_split_by_year_always_adds_up():
    for grosze in (1, 2, 99, 100001, 123456789):
        amount = Decimal(grosze).scaleb(-2)
        split = calc.split_by_year(amount, dt.date(2024, 2, 29), dt.date(2030, 11, 3))
        assert sum(split.values()) == amount


def test_split_refuses_a_reversed_period():
    with pytest.raises(ValueError):
        calc.split_by_year(Decimal(1), dt.date(2025, 2, 1), dt.date(2025, 1, 1))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12 345,50", "12345.50"),
        ("12\u00a0345,50 zł", "12345.50"),
        ("12345.5", "12345.5"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("PLN 100", "100"),
        ("0", "0"),
        ("-5", "-5"),  # parsed, so that the service can say the budget cannot be negative
    ],
)
def test_parse_pln(typed, value):
    assert parse_pln(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "abc", "--5", "1e6", "12,34,5", "1 2 3,4,5"])
def test_parse_pln_refuses(typed):
    with pytest.raises(ValueError):
        parse_pln(typed)


def test_format_pln_in_each_language():
    with translation.override("pl"):
        assert format_pln(Decimal("12345")) == "12\u00a0345,00\u00a0zł"
        assert format_pln(Decimal("0.5")) == "0,50\u00a0zł"
    with translation.override("en"):
        assert format_pln(Decimal("1234567.8")) == "PLN\u00a01,234,567.80"
