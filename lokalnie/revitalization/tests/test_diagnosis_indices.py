"""The diagnosis's calculation on its own (calc.indices, no database)."""

import math

import pytest

from lokalnie.revitalization.calc.indices import (
    HIGHER_BETTER,
    MEAN,
    IndicatorSpec,
    Missing,
    UnitInput,
    compute,
    default_crisis_rules,
    effective_crisis_rules,
)

UNEMPLOYMENT = IndicatorSpec("bezrobocie", "Bezrobocie", "social", per=100)
BENEFITS = IndicatorSpec("pomoc", "Pomoc społeczna", "social", per=1000)
EXAM = IndicatorSpec("egzamin", "Egzamin", "social", direction=HIGHER_BETTER, aggregation=MEAN)
BUSINESSES = IndicatorSpec("firmy", "Firmy", "economic", direction=HIGHER_BETTER, per=100)
REPAIRS = IndicatorSpec("remonty", "Remonty", "technical", per=100)


def unit(code, residents, **values):
    return UnitInput(
        code=code, name=f"Jednostka {code}", residents=residents, area_ha=10.0, values=values
    )


def test_the_gmina_rate_is_total_count_over_total_base_not_the_mean_of_rates():
    units = [
        unit("A", 100, bezrobocie=(50, 100)),  # 50 per 100
        unit("B", 9900, bezrobocie=(990, 9900)),  # 10 per 100
    ]
    result = compute(units, [UNEMPLOYMENT])
    # (50 + 990) / (100 + 9900) × 100 = 10.4, not (50 + 10) / 2 = 30
    assert result.gmina_values["bezrobocie"] == pytest.approx(10.4)
    a, b = result.units
    assert a.values["bezrobocie"] == pytest.approx(50)
    assert a.ratios["bezrobocie"] == pytest.approx(50 / 10.4)
    assert a.worse["bezrobocie"] is True
    assert b.worse["bezrobocie"] is False


def test_a_blank_base_means_the_units_residents():
    result = compute(
        [unit("A", 2000, pomoc=(30, None)), unit("B", 1000, pomoc=(30, None))], [BENEFITS]
    )
    a, b = result.units
    assert a.values["pomoc"] == pytest.approx(15)  # 30 / 2000 × 1000
    assert b.values["pomoc"] == pytest.approx(30)
    assert result.gmina_values["pomoc"] == pytest.approx(20)  # 60 / 3000 × 1000


def test_a_mean_indicator_is_used_as_given_and_weighted_by_residents_for_the_gmina():
    result = compute(
        [unit("A", 3000, egzamin=(60, None)), unit("B", 1000, egzamin=(40, None))], [EXAM]
    )
    assert result.units[0].values["egzamin"] == 60
    assert result.gmina_values["egzamin"] == pytest.approx(55)  # (60×3000 + 40×1000) / 4000
    # Higher is better: B (40) is worse than the gmina, A is not.
    assert result.units[1].worse["egzamin"] is True
    assert result.units[0].worse["egzamin"] is False


def test_standardized_values_are_oriented_so_that_positive_is_worse():
    units = [
        unit("A", 100, firmy=(2, None)),
        unit("B", 100, firmy=(4, None)),
        unit("C", 100, firmy=(6, None)),
    ]
    result = compute(units, [BUSINESSES])
    z = [u.z["firmy"] for u in result.units]
    # Values 2, 4, 6: mean 4, population sd √(8/3); fewer businesses is worse → A positive.
    sd = math.sqrt(8 / 3)
    assert z == pytest.approx([2 / sd, 0, -2 / sd])
    assert sum(z) == pytest.approx(0)


def test_equal_values_give_zero_standardized_values_and_nobody_worse():
    result = compute(
        [unit("A", 100, bezrobocie=(5, None)), unit("B", 200, bezrobocie=(10, None))],
        [UNEMPLOYMENT],
    )
    assert [u.z["bezrobocie"] for u in result.units] == [0.0, 0.0]
    assert not any(u.worse["bezrobocie"] for u in result.units)


def test_missing_values_are_reported_not_taken_as_zero():
    units = [
        unit("A", 100, bezrobocie=(20, None)),
        unit("B", 100),  # no value
        unit("C", 0, bezrobocie=(3, None)),  # no residents, blank base: no rate
        unit("D", 100, bezrobocie=(10, None)),
    ]
    result = compute(units, [UNEMPLOYMENT])
    assert result.missing == [
        Missing("B", "bezrobocie", "no_value"),
        Missing("C", "bezrobocie", "zero_base"),
    ]
    b = result.unit("B")
    assert b.values["bezrobocie"] is None
    assert b.z["bezrobocie"] is None
    assert b.ratios["bezrobocie"] is None
    assert b.worse["bezrobocie"] is False
    assert b.sphere_index["social"] is None
    assert b.composite is None
    # The gmina's value counts only the units with a value: (20 + 10) / 200 × 100.
    assert result.gmina_values["bezrobocie"] == pytest.approx(15)


def test_sphere_index_and_composite_are_means_of_oriented_z():
    units = [
        unit("A", 100, bezrobocie=(30, None), pomoc=(50, None), firmy=(1, None)),
        unit("B", 100, bezrobocie=(10, None), pomoc=(10, None), firmy=(9, None)),
    ]
    result = compute(units, [UNEMPLOYMENT, BENEFITS, BUSINESSES])
    a = result.unit("A")
    assert a.z == {
        "bezrobocie": pytest.approx(1),
        "pomoc": pytest.approx(1),
        "firmy": pytest.approx(1),
    }
    assert a.sphere_index["social"] == pytest.approx(1)
    assert a.sphere_index["economic"] == pytest.approx(1)
    assert a.sphere_index["technical"] is None  # no indicator in the sphere
    assert a.composite == pytest.approx(1)
    assert result.unit("B").composite == pytest.approx(-1)


def test_composite_weighs_each_sphere_equally():
    # Social: two indicators, A is worse on both (z = 1); economic: one, A better (z = -1).
    units = [
        unit("A", 100, bezrobocie=(30, None), pomoc=(50, None), firmy=(9, None)),
        unit("B", 100, bezrobocie=(10, None), pomoc=(10, None), firmy=(1, None)),
    ]
    result = compute(units, [UNEMPLOYMENT, BENEFITS, BUSINESSES])
    # Mean of spheres (1 + -1) / 2 = 0, not the mean of indicators (1 + 1 - 1) / 3.
    assert result.unit("A").composite == pytest.approx(0)


def test_default_crisis_rule_is_half_the_social_indicators_rounded_up_and_one_elsewhere():
    assert default_crisis_rules([UNEMPLOYMENT, BENEFITS, EXAM, BUSINESSES]) == {
        "social": 2,
        "economic": 1,
        "environmental": 1,
        "spatial": 1,
        "technical": 1,
    }
    assert default_crisis_rules([])["social"] == 1


def test_team_rules_override_the_default_and_nonsense_is_ignored():
    rules = effective_crisis_rules(
        [UNEMPLOYMENT, BENEFITS], {"social": 1, "economic": 0, "technical": "x"}
    )
    assert rules["social"] == 1
    assert rules["economic"] == 1
    assert rules["technical"] == 1


def _three_units():
    return [
        # Worse on both social indicators and on repairs: degraded.
        unit(
            "A",
            1000,
            bezrobocie=(100, None),
            pomoc=(100, None),
            firmy=(50, None),
            remonty=(30, 100),
        ),
        # Worse on both social ones but nowhere else: social crisis only.
        unit(
            "B",
            1000,
            bezrobocie=(100, None),
            pomoc=(100, None),
            firmy=(50, None),
            remonty=(10, 100),
        ),
        # Better everywhere social; worse on repairs: other crisis only.
        unit(
            "C",
            4000,
            bezrobocie=(100, None),
            pomoc=(100, None),
            firmy=(200, None),
            remonty=(40, 100),
        ),
    ]


def test_degraded_needs_a_social_crisis_and_a_crisis_in_another_sphere():
    result = compute(_three_units(), [UNEMPLOYMENT, BENEFITS, BUSINESSES, REPAIRS])
    a, b, c = result.units
    assert a.crisis == {
        "social": True,
        "economic": False,
        "environmental": False,
        "spatial": False,
        "technical": True,
    }
    assert a.degraded is True
    assert a.category == "degraded"
    assert b.crisis["social"] is True and b.degraded is False
    assert b.category == "social"
    assert c.crisis["social"] is False and c.crisis["technical"] is True
    assert c.degraded is False
    assert c.category == "other"
    assert [u.code for u in result.degraded] == ["A"]
    assert result.spheres == ["social", "economic", "technical"]


def test_a_stricter_social_rule_removes_the_crisis():
    result = compute(_three_units(), [UNEMPLOYMENT, BENEFITS, BUSINESSES, REPAIRS], {"social": 3})
    assert result.crisis_rules["social"] == 3
    assert not any(u.crisis["social"] for u in result.units)
    assert result.degraded == []


def test_a_sphere_without_indicators_is_never_in_crisis():
    result = compute(_three_units(), [UNEMPLOYMENT, BENEFITS])
    assert not any(u.crisis["technical"] or u.degraded for u in result.units)


def test_no_units_and_no_indicators_give_an_empty_result():
    empty = compute([], [UNEMPLOYMENT])
    assert empty.units == [] and empty.gmina_values == {"bezrobocie": None}
    nothing = compute([unit("A", 10)], [])
    assert nothing.units[0].composite is None
    assert nothing.units[0].category == "nodata"
