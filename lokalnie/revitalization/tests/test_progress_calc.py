"""The status of a result against its target (a plain module, no database)."""

import pytest

from lokalnie.revitalization.calc.progress import (
    AHEAD,
    BEHIND,
    DEVIATES,
    NO_DATA,
    NO_TARGET,
    NONE,
    ON_TRACK,
    percentage,
    progress_status,
)


def status(**kwargs):
    arguments = {
        "kind": "quantitative",
        "direction": "increase",
        "baseline": None,
        "target": 100.0,
        "actual": 100.0,
        "tolerance_pct": 10,
    }
    arguments.update(kwargs)
    return progress_status(**arguments)


def test_exactly_on_target_is_on_track_with_no_side():
    result = status()
    assert result.code == ON_TRACK
    assert result.deviation_pct == 0
    assert result.side == ""
    assert not result.needs_explanation


def test_within_the_tolerance_is_on_track_and_the_boundary_counts():
    assert status(actual=95).code == ON_TRACK
    assert status(actual=90).code == ON_TRACK  # exactly 10% below
    assert status(actual=110).code == ON_TRACK  # exactly 10% above


def test_beyond_the_tolerance_below_an_increase_target_is_behind():
    result = status(actual=85)
    assert result.code == DEVIATES
    assert result.deviation_pct == pytest.approx(-15)
    assert result.side == BEHIND
    assert result.behind
    assert result.difference == pytest.approx(-15)
    assert result.needs_explanation


def test_beyond_the_tolerance_above_an_increase_target_is_ahead_and_still_deviates():
    result = status(actual=130)
    assert result.code == DEVIATES
    assert result.deviation_pct == pytest.approx(30)
    assert result.side == AHEAD
    assert result.needs_explanation


def test_for_a_decrease_indicator_below_the_target_is_ahead():
    result = status(direction="decrease", target=20, actual=15)
    assert result.code == DEVIATES
    assert result.deviation_pct == pytest.approx(-25)
    assert result.side == AHEAD
    above = status(direction="decrease", target=20, actual=25)
    assert above.side == BEHIND


def test_zero_tolerance_deviates_at_any_difference():
    assert status(actual=100.5, tolerance_pct=0).code == DEVIATES
    assert status(actual=100, tolerance_pct=0).code == ON_TRACK


def test_missing_actual_is_no_data_and_missing_target_is_no_target():
    assert status(actual=None).code == NO_DATA
    no_target = status(target=None, actual=5)
    assert no_target.code == NO_TARGET
    assert no_target.actual == 5
    assert status(target=None, actual=None).code == NO_DATA


def test_qualitative_indicators_have_no_numeric_status():
    result = status(kind="qualitative", target=None, actual=None)
    assert result.code == NONE
    assert not result.needs_explanation


def test_percentage_deviation_is_relative_to_the_target():
    actual = percentage(18, 100)
    result = status(kind="percentage", target=20, actual=actual)
    assert result.deviation_pct == pytest.approx(-10)
    assert result.code == ON_TRACK
    assert result.difference == pytest.approx(-2)  # percentage points


def test_a_zero_target_is_measured_against_the_planned_change():
    # From 8 cases to none: 1 case left is 12.5% of the planned change.
    result = status(direction="decrease", baseline=8, target=0, actual=1)
    assert result.deviation_pct == pytest.approx(12.5)
    assert result.code == DEVIATES
    assert result.side == BEHIND


def test_a_zero_target_without_a_baseline_only_accepts_zero():
    assert status(target=0, actual=0).code == ON_TRACK
    result = status(target=0, actual=1)
    assert result.code == DEVIATES
    assert result.deviation_pct is None


def test_achievement_is_the_share_of_the_planned_change():
    result = status(direction="decrease", baseline=100, target=80, actual=90, tolerance_pct=20)
    assert result.achievement_pct == pytest.approx(50)
    assert status(baseline=None).achievement_pct is None
    assert status(baseline=100, target=100).achievement_pct is None


def test_percentage_helper():
    assert percentage(1, 4) == 25
    assert percentage(1, 0) is None
    assert percentage(None, 4) is None


def test_non_finite_numbers_count_as_missing():
    assert status(actual=float("nan")).code == NO_DATA
    assert status(target=float("inf"), actual=3).code == NO_TARGET


@pytest.mark.parametrize(
    "arguments", [{"kind": "ratio"}, {"direction": "sideways"}], ids=["kind", "direction"]
)
def test_unknown_kind_or_direction_is_a_programming_error(arguments):
    with pytest.raises(ValueError):
        status(**arguments)
