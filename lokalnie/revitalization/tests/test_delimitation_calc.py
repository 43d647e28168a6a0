"""The delimitation algorithm on its own (no database): art. 10 limits, pins, reasons, and
the exact solution checked against brute force and against HiGHS's branch and bound."""

from __future__ import annotations

import itertools
import json
import random
import warnings

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from lokalnie.revitalization.calc import delimitation as calc
from lokalnie.revitalization.calc.delimitation import (
    DelimitationInputError,
    Limits,
    UnitInput,
    delimit,
)


def unit(code, residents, area, index=1.0, degraded=True, pin=""):
    return UnitInput(code, residents, area, degraded, index, pin)


def run(units, area=1000.0, residents=1000, **kwargs):
    return delimit(units, gmina_area_ha=area, gmina_residents=residents, **kwargs)


def total(units, codes):
    chosen = [u for u in units if u.code in set(codes)]
    return (
        round(sum(u.area_ha for u in chosen), 2),
        sum(u.residents for u in chosen),
    )


# --- The legal limits --------------------------------------------------------------------


def test_limits_are_20_percent_of_area_and_30_percent_of_residents_computed_exactly():
    result = run([unit("A", 300, 200.0)], area=1000.0, residents=1000)
    # 0.3 * 1000 is 300 (not 299.999...), and 0.2 * 1000 ha is 200 ha: both exactly reached.
    assert result.residents_limit == 300
    assert result.area_limit_ha == 200.0
    assert result.selected == ("A",)
    assert result.area_share == pytest.approx(0.2)
    assert result.residents_share == pytest.approx(0.3)


def test_area_limit_binds():
    units = [
        unit("A", 10, 120.0, index=3.0),
        unit("B", 10, 90.0, index=2.0),
        unit("C", 10, 70.0, index=1.0),
    ]
    result = run(units, objective="index")
    # 200 ha allowed: A+C (190 ha, 4.0) beats B+C (160 ha, 3.0); A+B is 210 ha.
    assert result.selected == ("A", "C")
    assert result.status == calc.OPTIMAL and result.proven_optimal
    assert result.area_ha <= result.area_limit_ha
    reason = result.reasons["B"]
    assert reason.code == calc.WOULD_EXCEED_AREA
    assert reason.excess_area_ha == pytest.approx(80.0)  # 190 + 90 - 200
    assert reason.excess_residents is None


def test_residents_limit_binds():
    units = [
        unit("A", 200, 1.0, index=3.0),
        unit("B", 150, 1.0, index=2.5),
        unit("C", 100, 1.0, index=2.0),
    ]
    result = run(units, objective="index")
    # 300 residents allowed: B+C (250, 4.5) beats A+C (300, 5.0)? No: A+C = 5.0 wins.
    assert result.selected == ("A", "C")
    assert result.residents == 300
    assert result.reasons["B"].code == calc.WOULD_EXCEED_RESIDENTS
    assert result.reasons["B"].excess_residents == 150


def test_both_limits_bind():
    units = [
        unit("A", 200, 150.0, index=5.0),  # big on both
        unit("B", 100, 50.0, index=2.0),
        unit("C", 150, 60.0, index=2.0),
        unit("D", 50, 140.0, index=2.0),
    ]
    result = run(units, objective="index")
    area, residents = total(units, result.selected)
    assert area <= 200 and residents <= 300
    # A+B uses 200 ha and 300 residents exactly; nothing else fits beside A.
    assert result.selected == ("A", "B")
    assert result.objective == pytest.approx(7.0)
    assert result.reasons["C"].code == calc.WOULD_EXCEED_BOTH
    assert result.reasons["C"].excess_area_ha == pytest.approx(60.0)
    assert result.reasons["C"].excess_residents == 150


def test_all_degraded_units_fit():
    units = [unit("A", 10, 10.0), unit("B", 20, 20.0), unit("C", 5, 5.0, degraded=False)]
    result = run(units)
    assert result.method == "all_fit"
    assert result.selected == ("A", "B")
    assert result.proven_optimal and result.gap_abs == 0
    assert result.reasons["C"].code == calc.NOT_DEGRADED


def test_nothing_qualifies_when_no_unit_is_degraded():
    result = run([unit("A", 10, 10.0, degraded=False)])
    assert result.status == calc.NOTHING_QUALIFIES
    assert result.status_reason == calc.NO_DEGRADED_UNITS
    assert result.selected == ()
    assert result.objective == 0


def test_nothing_qualifies_when_every_degraded_unit_is_excluded():
    units = [
        unit("A", 10, 10.0, pin="out"),
        unit("B", 10, 10.0, index=-0.5),
        unit("C", 400, 10.0),  # more residents than the whole limit
    ]
    result = run(units)
    assert result.status == calc.NOTHING_QUALIFIES
    assert result.status_reason == calc.NO_ELIGIBLE_UNITS
    assert result.reasons["A"].code == calc.PINNED_OUT
    assert result.reasons["B"].code == calc.NON_POSITIVE_SCORE
    assert result.reasons["C"].code == calc.ALONE_EXCEEDS_LIMITS
    assert result.reasons["C"].excess_residents == 100
    assert result.reasons["C"].excess_area_ha is None


# --- Pins --------------------------------------------------------------------------------


def test_pinned_in_unit_is_taken_even_with_a_low_score_and_pinned_out_never():
    units = [
        unit("A", 100, 100.0, index=0.1, pin="in"),
        unit("B", 100, 100.0, index=5.0, pin="out"),
        unit("C", 100, 100.0, index=3.0),
        unit("D", 100, 100.0, index=2.0),
    ]
    result = run(units, objective="index")
    assert result.selected == ("A", "C")
    assert result.reasons["A"].code == calc.PINNED_IN and result.reasons["A"].selected
    assert result.reasons["B"].code == calc.PINNED_OUT and not result.reasons["B"].selected
    assert result.reasons["D"].code == calc.WOULD_EXCEED_AREA
    # The greedy ranking honours pins too.
    assert result.greedy.selected == ("A", "C")


@pytest.mark.parametrize(
    ("a_area", "a_res", "reason"),
    [
        (150.0, 10, calc.PINNED_IN_EXCEED_AREA),
        (10.0, 200, calc.PINNED_IN_EXCEED_RESIDENTS),
        (150.0, 200, calc.PINNED_IN_EXCEED_BOTH),
    ],
)
def test_pinned_in_units_beyond_a_limit_are_infeasible(a_area, a_res, reason):
    units = [
        unit("A", a_res, a_area, pin="in"),
        unit("B", 150, 100.0, pin="in"),
        unit("C", 1, 1.0),
    ]
    result = run(units)
    assert result.status == calc.INFEASIBLE
    assert result.status_reason == reason
    assert result.selected == ()
    assert not result.proven_optimal
    assert result.greedy is None
    assert result.reasons["C"].code == calc.PINS_INFEASIBLE
    assert result.reasons["A"].code == calc.PINNED_IN and not result.reasons["A"].selected


def test_a_pinned_in_unit_must_be_degraded():
    with pytest.raises(DelimitationInputError) as error:
        run([unit("A", 10, 10.0, degraded=False, pin="in")])
    assert error.value.problems == [("pinned_in_not_degraded", "A")]


def test_unit_fitting_alone_but_not_beside_the_pinned_in_ones_would_exceed():
    units = [unit("A", 250, 10.0, pin="in"), unit("B", 100, 10.0, index=9.0)]
    result = run(units)
    assert result.selected == ("A",)
    assert result.reasons["B"].code == calc.WOULD_EXCEED_RESIDENTS
    assert result.reasons["B"].excess_residents == 50


# --- Objectives, ties, greedy ------------------------------------------------------------


def test_objectives_choose_differently():
    units = [
        unit("dense", 290, 10.0, index=1.0),  # many people, mildly worse off
        unit("poor", 20, 10.0, index=4.0),  # few people, much worse off
        unit("mid", 150, 10.0, index=2.0),
    ]
    assert run(units, objective="residents").selected == ("dense",)
    assert run(units, objective="index").selected == ("mid", "poor")
    # index × residents: dense 290, poor 80, mid 300 → mid + poor (380) beats dense (290).
    by_default = run(units)
    assert by_default.objective_name == "index_residents"
    assert by_default.selected == ("mid", "poor")
    assert by_default.objective == pytest.approx(380.0)


def test_ties_choose_one_deterministically():
    units = [unit("B", 200, 10.0), unit("A", 200, 10.0)]
    first = run(units)
    second = run(list(reversed(units)))
    assert len(first.selected) == 1
    assert first.objective == second.objective == pytest.approx(200.0)
    assert first.selected == second.selected
    other = ({"A", "B"} - set(first.selected)).pop()
    assert first.reasons[other].code == calc.WOULD_EXCEED_RESIDENTS


def test_exact_solution_beats_the_greedy_ranking():
    # The ranking takes the unit with the highest index first; it fills the area limit
    # alone, while the next two together are worth more.
    units = [
        unit("top", 100, 190.0, index=3.0),
        unit("x", 100, 100.0, index=2.5),
        unit("y", 100, 100.0, index=2.5),
    ]
    result = run(units)
    assert result.greedy.selected == ("top",)
    assert result.greedy.objective == pytest.approx(300.0)
    assert result.selected == ("x", "y")
    assert result.objective == pytest.approx(500.0)
    assert result.only_exact == ("x", "y")
    assert result.only_greedy == ("top",)
    assert result.objective > result.greedy.objective


def test_every_reason_code_is_explained():
    units = [
        unit("in", 50, 20.0, index=0.5, pin="in"),
        unit("out", 50, 20.0, index=9.0, pin="out"),
        unit("plain", 50, 20.0, index=-1.0, degraded=False),
        unit("neg", 50, 20.0, index=-0.2),
        unit("huge", 10, 500.0, index=9.0),
        unit("best", 150, 100.0, index=4.0),
        unit("area", 10, 90.0, index=1.0),
        unit("people", 120, 10.0, index=1.0),
    ]
    result = run(units)
    codes = {code: reason.code for code, reason in result.reasons.items()}
    assert codes == {
        "in": calc.PINNED_IN,
        "out": calc.PINNED_OUT,
        "plain": calc.NOT_DEGRADED,
        "neg": calc.NON_POSITIVE_SCORE,
        "huge": calc.ALONE_EXCEEDS_LIMITS,
        "best": calc.SELECTED,
        "area": calc.WOULD_EXCEED_AREA,
        "people": calc.WOULD_EXCEED_RESIDENTS,
    }
    assert result.reasons["huge"].excess_area_ha == pytest.approx(300.0)
    assert result.reasons["area"].excess_area_ha == pytest.approx(10.0)  # 120 + 90 - 200
    assert result.reasons["people"].excess_residents == 20  # 200 + 120 - 300
    assert {code for code, r in result.reasons.items() if r.selected} == {"in", "best"}


def test_result_is_plain_json():
    units = [unit("A", 100, 150.0, index=2.0), unit("B", 100, 100.0, index=1.0)]
    data = json.loads(json.dumps(run(units).as_dict()))
    assert data["selected"] == ["A"]
    assert data["reasons"]["B"]["code"] == calc.WOULD_EXCEED_AREA
    assert data["greedy"]["selected"] == ["A"]
    assert data["limits"] == {"area_share": 0.2, "residents_share": 0.3}
    assert data["status"] == "optimal"


def test_other_limits_can_be_given():
    units = [unit("A", 100, 100.0), unit("B", 100, 100.0)]
    result = run(units, limits=Limits(area_share=0.1, residents_share=0.3))
    assert result.area_limit_ha == 100.0
    assert len(result.selected) == 1


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"objective": "beauty"}, ("unknown_objective", "beauty")),
        ({"area": 0}, ("gmina_area_missing", "")),
        ({"residents": None}, ("gmina_residents_missing", "")),
    ],
)
def test_bad_parameters_are_named(kwargs, problem):
    with pytest.raises(DelimitationInputError) as error:
        run([unit("A", 10, 10.0)], **kwargs)
    assert problem in error.value.problems


def test_bad_units_are_named():
    units = [unit("A", -1, 10.0), unit("A", 10, -2.0), unit("B", 1, 1.0, pin="maybe")]
    with pytest.raises(DelimitationInputError) as error:
        run(units)
    assert error.value.problems == [
        ("negative_residents", "A"),
        ("duplicate_unit", "A"),
        ("negative_area", "A"),
        ("unknown_pin", "B"),
    ]


# --- Exactness ---------------------------------------------------------------------------


def brute_force(units, cap_area_ha, cap_residents, objective):
    best = None
    free = [u for u in units if u.degraded and u.pin == ""]
    fixed = [u for u in units if u.pin == "in"]
    for r in range(len(free) + 1):
        for combo in itertools.combinations(free, r):
            chosen = fixed + list(combo)
            area = sum(round(u.area_ha * 100) for u in chosen)
            residents = sum(u.residents for u in chosen)
            if area > round(cap_area_ha * 100) or residents > cap_residents:
                continue
            value = sum(calc.score_of(u, objective) for u in chosen)
            if best is None or value > best + 1e-9:
                best = value
    return best


def random_units(rng: random.Random, n: int) -> list[UnitInput]:
    units = []
    for i in range(n):
        degraded = rng.random() < 0.7
        pin = rng.choice(["", "", "", "", "out"] + (["in"] if degraded else []))
        units.append(
            UnitInput(
                code=f"U{i:02d}",
                residents=rng.randint(0, 400),
                area_ha=round(rng.uniform(0.5, 120), 2),
                degraded=degraded,
                index=round(rng.uniform(-0.5, 3), rng.choice([1, 6])),
                pin=pin,
            )
        )
    return units


@pytest.mark.parametrize("seed", range(60))
def test_matches_brute_force_on_small_random_instances(seed):
    rng = random.Random(seed)
    units = random_units(rng, rng.randint(1, 12))
    area = round(sum(u.area_ha for u in units) * rng.uniform(0.8, 2.5), 2) + 1
    residents = int(sum(u.residents for u in units) * rng.uniform(0.8, 2.5)) + 1
    objective = calc.OBJECTIVES[seed % 3]
    result = run(units, area=area, residents=residents, objective=objective)
    best = brute_force(units, result.area_limit_ha, result.residents_limit, objective)
    if best is None:
        assert result.status == calc.INFEASIBLE
        return
    assert result.proven_optimal
    assert result.objective == pytest.approx(best, abs=1e-9)
    chosen_area, chosen_residents = total(units, result.selected)
    assert chosen_area <= result.area_limit_ha + 1e-9
    assert chosen_residents <= result.residents_limit
    assert result.objective >= result.greedy.objective - 1e-9
    # Every unit has its reason, and the selected ones are exactly those marked selected.
    assert set(result.reasons) == {u.code for u in units}
    assert {c for c, r in result.reasons.items() if r.selected} == set(result.selected)


def synthetic(
    n: int, seed: int, *, equal_cells: bool = False
) -> tuple[list[UnitInput], float, int]:
    rng = np.random.default_rng(seed)
    residents = np.maximum(1, rng.lognormal(6.5, 0.9, n)).astype(int)
    area = np.full(n, 25.0) if equal_cells else np.round(rng.lognormal(3.0, 1.2, n), 2) + 0.01
    degraded = rng.random(n) < 0.4
    index = np.where(degraded, rng.gamma(2.0, 0.6, n), rng.normal(-0.5, 0.5, n))
    units = [
        UnitInput(
            f"U{i:05d}", int(residents[i]), float(area[i]), bool(degraded[i]), float(index[i])
        )
        for i in range(n)
    ]
    return units, float(round(area.sum(), 2)), int(residents.sum())


def highs_optimum(units, result, objective="index_residents"):
    scores = np.array([calc.score_of(u, objective) for u in units])
    upper = np.array([1.0 if u.degraded and u.pin != "out" else 0.0 for u in units])
    lower = np.array([1.0 if u.pin == "in" else 0.0 for u in units])
    weights = np.array([[round(u.area_ha * 100) for u in units], [u.residents for u in units]])
    caps = [round(result.area_limit_ha * 100), result.residents_limit]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        solved = milp(
            -scores,
            integrality=np.ones(len(units)),
            bounds=Bounds(lower, upper),
            constraints=LinearConstraint(weights, -np.inf, caps),
            options={"mip_rel_gap": 0, "mip_abs_gap": 1e-9, "time_limit": 60},
        )
    assert solved.status == 0
    return -solved.fun


@pytest.mark.parametrize(("n", "seed", "equal_cells"), [(300, 1, False), (400, 2, True)])
def test_matches_highs_branch_and_bound_on_larger_instances(n, seed, equal_cells):
    units, area, residents = synthetic(n, seed, equal_cells=equal_cells)
    result = run(units, area=area, residents=residents)
    assert result.proven_optimal
    assert result.gap_abs == 0
    assert result.objective == pytest.approx(highs_optimum(units, result), rel=1e-9)
    assert result.objective > result.greedy.objective


def test_branch_and_bound_takes_over_when_the_enumeration_is_too_large(monkeypatch):
    monkeypatch.setattr(calc, "MAX_STATES", 1)
    units, area, residents = synthetic(300, 3)
    result = run(units, area=area, residents=residents)
    assert result.method == "milp"
    assert result.proven_optimal
    assert result.objective == pytest.approx(highs_optimum(units, result), rel=1e-9)


def test_out_of_time_reports_the_best_selection_and_its_gap(monkeypatch):
    monkeypatch.setattr(calc, "_enumerate", lambda *args: "time")
    units, area, residents = synthetic(300, 4)
    result = run(units, area=area, residents=residents)
    assert result.status == calc.TIME_LIMIT
    assert not result.proven_optimal
    assert result.dual_bound >= result.objective
    assert result.gap_abs == pytest.approx(result.dual_bound - result.objective)
    assert 0 < result.gap_rel < 0.05  # the relaxation's bound, stated as it is
    # Still admissible, and every unit left out has a limit to blame.
    assert result.area_ha <= result.area_limit_ha
    assert result.residents <= result.residents_limit
    left_out = {
        r.code for r in result.reasons.values() if not r.selected and r.code.startswith("would")
    }
    assert left_out
    assert calc.SELECTED in {r.code for r in result.reasons.values()}
