"""What the monitoring dashboard reads: only approved measurements, the status against the
target with the tolerance, the action plan in figures and the next review's date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.revitalization.calc.progress import DEVIATES, NO_DATA, NO_TARGET, ON_TRACK
from lokalnie.revitalization.models import Measurement, ResultIndicator
from lokalnie.revitalization.selectors import monitoring as selectors
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_monitoring import (
    approved,
    make_action,
    make_indicator,
    make_measurement,
    make_period,
    make_target,
    results_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_only_approved_measurements_count():
    programme = make_programme()
    results_world(programme, indicators=1)
    (item,) = selectors.indicator_results(programme)
    first, second = item.periods
    assert first.actual == 115 and first.measurement.status == Measurement.Status.APPROVED
    assert second.measurement is None and second.actual is None  # submitted: left out
    assert item.latest is first
    assert item.final is second
    assert "999" not in item.chart and "999" not in item.chart_summary


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_measurements_not_approved_never_show(status):
    programme = make_programme()
    indicator = make_indicator(programme)
    period = make_period(programme)
    make_target(indicator, period, 10)
    make_measurement(indicator, period, value=5, status=status)
    (item,) = selectors.indicator_results(programme)
    assert item.latest is None
    assert item.status.code == NO_DATA
    assert item.status_text == "No approved measurement yet"
    assert selectors.cell_status_text(item.periods[0]) == "No approved measurement"


def test_status_against_the_latest_target_with_the_tolerance():
    programme = make_programme()
    period = make_period(programme)
    within = make_indicator(programme, tolerance_pct=10)
    behind = make_indicator(programme, tolerance_pct=10)
    untargeted = make_indicator(programme)
    for indicator in (within, behind):
        make_target(indicator, period, 100)
    approved(within, period, value=91)
    approved(behind, period, value=89)
    approved(untargeted, period, value=5)
    by_code = {item.indicator.code: item for item in selectors.indicator_results(programme)}
    assert by_code[within.code].status.code == ON_TRACK
    assert by_code[within.code].status_text == "On track"
    assert by_code[behind.code].status.code == DEVIATES
    assert by_code[behind.code].status_text == "Behind the target by 11% (tolerance 10%)"
    assert by_code[behind.code].status_symbol == "▼"  # not only the colour
    assert by_code[untargeted.code].status.code == NO_TARGET
    counts = selectors.status_counts(selectors.indicator_results(programme))
    assert (counts["on_track"], counts["behind"], counts["ahead"], counts["no_target"]) == (
        1,
        1,
        0,
        1,
    )


def test_a_decrease_indicator_below_its_target_is_ahead():
    programme = make_programme()
    period = make_period(programme)
    indicator = make_indicator(programme, direction="decrease", baseline_value=30)
    make_target(indicator, period, 25)
    approved(indicator, period, value=20)
    (item,) = selectors.indicator_results(programme)
    assert item.status_text == "Ahead of the target by 20% (tolerance 10%)"
    assert item.achievement_text == "200%"  # 30 → 20 is twice the planned 30 → 25


def test_percentage_indicators_show_as_percentages():
    programme = make_programme()
    period = make_period(programme)
    indicator = make_indicator(
        programme,
        kind=ResultIndicator.Kind.PERCENTAGE,
        unit_label="",
        baseline_numerator=20,
        baseline_denominator=100,
    )
    make_target(indicator, period, 25)
    approved(indicator, period, numerator=30, denominator=120)
    (item,) = selectors.indicator_results(programme)
    assert item.baseline == 20
    assert item.baseline_text == "20%"
    assert item.latest.actual_text == "25%"
    assert item.status.code == ON_TRACK


def test_qualitative_indicators_have_their_text_and_no_chart():
    programme = make_programme()
    period = make_period(programme)
    indicator = make_indicator(programme, kind=ResultIndicator.Kind.QUALITATIVE)
    approved(indicator, period, text="Mieszkańcy założyli radę osiedla.")
    (item,) = selectors.indicator_results(programme)
    assert item.chart is None
    assert item.rows[0].measurement.text == "Mieszkańcy założyli radę osiedla."
    assert item.status_text == "Described in words"


def test_the_chart_summary_says_every_number():
    programme = make_programme()
    results_world(programme, indicators=1)
    (item,) = selectors.indicator_results(programme)
    assert "baseline 100 osoby" in item.chart_summary
    assert "2025: target 120 osoby, approved measurement 115 osoby" in item.chart_summary
    assert "2026: target 140 osoby, approved measurement –" in item.chart_summary


def test_who_approved_is_known_and_the_covered_period_spans_approved_measurements():
    approver = make_user()
    programme = make_programme(coordinator=approver)
    results_world(programme, approver=approver)
    results = selectors.indicator_results(programme)
    assert results[0].latest.measurement.approved_by == approver
    assert selectors.covered_period(results) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert selectors.pending_approvals(programme) == 2


def test_actions_by_the_state_of_their_dates():
    programme = make_programme()
    today = dt.date(2026, 6, 15)
    make_action(programme, starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 12, 31))
    make_action(
        programme, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 15), budget="2500.50"
    )
    make_action(programme, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2026, 6, 14))
    make_action(make_programme(), starts_on=today, ends_on=today)  # another programme's
    summary = selectors.action_summary(programme, today=today)
    assert (summary.total, summary.planned, summary.running, summary.finished) == (3, 1, 1, 1)
    assert summary.budget == Decimal("4500.50")
    assert summary.budget_text == "4,500.50"
    assert summary.chart.rows == [
        ("planned (not started)", 1),
        ("running", 1),
        ("finished", 1),
    ]


def test_no_actions_no_chart():
    summary = selectors.action_summary(make_programme())
    assert summary.total == 0 and summary.chart is None


def test_the_next_review_is_due_three_years_after_the_last():
    today = dt.date(2026, 6, 15)
    programme = make_programme(period_start=dt.date(2022, 1, 1))
    due = selectors.next_review(programme, dt.date(2024, 2, 29), today=today)
    assert due.due_on == dt.date(2027, 2, 28)
    assert not due.overdue and not due.soon
    assert "at most 3 years after the last one" in due.sentence
    first = selectors.next_review(programme, None, today=today)
    assert first.due_on == dt.date(2025, 1, 1) and first.overdue
    assert "overdue" in first.sentence
    soon = selectors.next_review(programme, dt.date(2023, 9, 1), today=today)
    assert soon.soon and not soon.overdue
    unknown = selectors.next_review(make_programme(), None, today=today)
    assert unknown.due_on is None and "cannot be worked out" in unknown.sentence


def test_the_public_list_has_only_public_programmes_and_filters_by_voivodeship():
    lodz = make_programme(public_results=True)
    make_programme()  # not public
    krakow = make_programme(public_results=True, gmina_code="1261011")
    make_indicator(krakow)
    everything = selectors.public_programmes(selectors.PublicFilters())
    assert list(everything) == sorted([lodz, krakow], key=lambda p: (p.title, p.pk))
    only = selectors.public_programmes(selectors.PublicFilters.from_query({"wojewodztwo": "12"}))
    assert [(p, p.indicator_count) for p in only] == [(krakow, 1)]
    ignored = selectors.PublicFilters.from_query({"wojewodztwo": "x'; drop"})
    assert not ignored.active
