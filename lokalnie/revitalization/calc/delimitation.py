"""The revitalization area (art. 10 of the Revitalization Act) as an exact 0-1 programme.

Choose a subset of the degraded units (art. 9, decided elsewhere) that maximizes a stated
objective, with at most ``area_share`` of the gmina's area and at most ``residents_share``
of its residents, honouring units the team pinned in or out:

    maximize    sum_j score_j * x_j
    subject to  sum_j area_j * x_j      <= floor(area_share * gmina area)
                sum_j residents_j * x_j <= floor(residents_share * gmina residents)
                x_j = 0 for units that are not degraded or are pinned out
                x_j = 1 for units pinned in;  x_j in {0, 1}

Areas are compared in whole hundredths of a hectare (the precision the units are stored
with) and residents are integers, so the limits are checked exactly, never within a
floating-point tolerance.

How it is solved (a two-constraint knapsack):

1. HiGHS (``scipy.optimize.linprog``) solves the linear relaxation. Its duals ``u`` give
   every unit a reduced score ``d_j = score_j - u . weight_j`` and the bound
   ``Z = u . capacity + sum(max(d_j, 0))``; no selection can score more than ``Z``.
2. A first selection: the units the relaxation takes whole, then any unit that still fits
   (by reduced score), or the greedy ranking's selection if that is better.
3. Exactly: any selection worth more than a threshold ``T`` can differ from the rounded
   relaxation only in units whose ``|d_j|`` is below ``Z - T``, and only in a way that
   fills both limits to within ``(Z - T) / u``. All such selections are enumerated
   (meet in the middle: each half of those units on its own, then the halves matched by
   their area and residents). If one scores above ``T`` the best of them is optimal; if
   none does and ``T`` is the first selection's score, that selection is optimal. ``T``
   starts just below ``Z`` and is lowered step by step, so the enumeration stays small.
4. If the enumeration would grow too large, ``scipy.optimize.milp`` (HiGHS branch and
   bound) solves the problem that remains after step 3's fixing, within the time limit;
   its dual bound then gives the reported gap.

The module has no Django imports; the Django side phrases the machine-readable reasons
(``UnitReason.code`` and its numbers) in Polish or English.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

OBJECTIVES = ("index_residents", "index", "residents")
Objective = Literal["index_residents", "index", "residents"]

# Status of a result.
OPTIMAL = "optimal"  # proven: no admissible selection scores more
TIME_LIMIT = "time_limit"  # the best selection found in time; the gap says how far it can be
INFEASIBLE = "infeasible"  # the pins contradict the limits (status_reason says which)
NOTHING_QUALIFIES = "nothing_qualifies"  # no unit can be in the area (status_reason says why)

# Reasons per unit.
NOT_DEGRADED = "not_degraded"
PINNED_OUT = "pinned_out"
PINNED_IN = "pinned_in"
SELECTED = "selected"
NON_POSITIVE_SCORE = "non_positive_score"
ALONE_EXCEEDS_LIMITS = "alone_exceeds_limits"
WOULD_EXCEED_AREA = "would_exceed_area"
WOULD_EXCEED_RESIDENTS = "would_exceed_residents"
WOULD_EXCEED_BOTH = "would_exceed_both"
PINS_INFEASIBLE = "pins_infeasible"

# Why a result is infeasible or empty.
PINNED_IN_EXCEED_AREA = "pinned_in_exceed_area"
PINNED_IN_EXCEED_RESIDENTS = "pinned_in_exceed_residents"
PINNED_IN_EXCEED_BOTH = "pinned_in_exceed_both"
NO_DEGRADED_UNITS = "no_degraded_units"
NO_ELIGIBLE_UNITS = "no_eligible_units"

# Enumeration budget: beyond this many partial selections, HiGHS's branch and bound takes
# over (memory stays well under 1 GB).
MAX_STATES = 1_500_000
MAX_PAIRS_PER_CHUNK = 4_000_000
MAX_PAIRS = 40_000_000


class DelimitationInputError(ValueError):
    """The input cannot be delimited; ``problems`` lists (code, unit code or "") pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{code} {unit}".strip() for code, unit in problems))


@dataclass(frozen=True)
class UnitInput:
    code: str
    residents: int
    area_ha: float
    degraded: bool
    index: float  # the composite index: higher = worse off = more in need
    pin: str = ""  # "in", "out" or ""


@dataclass(frozen=True)
class Limits:
    area_share: float = 0.20
    residents_share: float = 0.30


@dataclass(frozen=True)
class UnitReason:
    code: str
    selected: bool
    score: float
    # For would_exceed_* and alone_exceeds_limits: by how much the limit would be passed.
    excess_area_ha: float | None = None
    excess_residents: int | None = None


@dataclass(frozen=True)
class Greedy:
    """The simple ranking: degraded units by composite index, each taken if it still fits."""

    selected: tuple[str, ...]
    objective: float
    area_ha: float
    residents: int


@dataclass(frozen=True)
class DelimitationResult:
    objective_name: str
    status: str
    status_reason: str
    method: str  # "none", "all_fit", "relaxation", "enumeration", "milp"
    selected: tuple[str, ...]
    objective: float
    dual_bound: float
    gap_abs: float
    gap_rel: float
    proven_optimal: bool
    seconds: float
    area_ha: float
    residents: int
    area_share: float
    residents_share: float
    area_limit_ha: float
    residents_limit: int
    gmina_area_ha: float
    gmina_residents: int
    limits: Limits
    greedy: Greedy | None
    reasons: dict[str, UnitReason] = field(default_factory=dict)

    @property
    def only_exact(self) -> tuple[str, ...]:
        """Units the exact solution takes and the greedy ranking does not."""
        if self.greedy is None:
            return ()
        greedy = set(self.greedy.selected)
        return tuple(code for code in self.selected if code not in greedy)

    @property
    def only_greedy(self) -> tuple[str, ...]:
        if self.greedy is None:
            return ()
        exact = set(self.selected)
        return tuple(code for code in self.greedy.selected if code not in exact)

    def as_dict(self) -> dict:
        """Plain JSON-friendly data (what the Django side stores)."""
        data = asdict(self)
        data["selected"] = list(self.selected)
        data["only_exact"] = list(self.only_exact)
        data["only_greedy"] = list(self.only_greedy)
        if self.greedy is not None:
            data["greedy"]["selected"] = list(self.greedy.selected)
        return data


# --- Scores and the integer data ---------------------------------------------------------


def score_of(unit: UnitInput, objective: str) -> float:
    if objective == "index_residents":
        return float(unit.index) * unit.residents
    if objective == "index":
        return float(unit.index)
    if objective == "residents":
        return float(unit.residents)
    raise DelimitationInputError([("unknown_objective", objective)])


def _hundredths(hectares: float) -> int:
    return round(Decimal(str(hectares)) * 100)


def _share_floor(share: float, total: int) -> int:
    """floor(share * total) computed exactly (0.3 * 1000 is 300, not 299.99...)."""
    return math.floor(Decimal(str(share)) * total)


def _validate(units, gmina_area_ha, gmina_residents, limits, objective) -> None:
    problems: list[tuple[str, str]] = []
    if objective not in OBJECTIVES:
        problems.append(("unknown_objective", str(objective)))
    if not (gmina_area_ha and gmina_area_ha > 0):
        problems.append(("gmina_area_missing", ""))
    if not (gmina_residents and gmina_residents > 0):
        problems.append(("gmina_residents_missing", ""))
    for share in (limits.area_share, limits.residents_share):
        if not 0 < share <= 1:
            problems.append(("limit_out_of_range", str(share)))
    seen: set[str] = set()
    for unit in units:
        if unit.code in seen:
            problems.append(("duplicate_unit", unit.code))
        seen.add(unit.code)
        if unit.residents < 0:
            problems.append(("negative_residents", unit.code))
        if unit.area_ha < 0:
            problems.append(("negative_area", unit.code))
        if not math.isfinite(unit.index):
            problems.append(("index_not_a_number", unit.code))
        if unit.pin not in ("", "in", "out"):
            problems.append(("unknown_pin", unit.code))
        if unit.pin == "in" and not unit.degraded:
            # Art. 10: the revitalization area lies within the degraded area.
            problems.append(("pinned_in_not_degraded", unit.code))
    if problems:
        raise DelimitationInputError(problems)


# --- The greedy ranking ------------------------------------------------------------------


def greedy_ranking(
    units: list[UnitInput],
    scores: list[float],
    areas: list[int],
    cap_area: int,
    cap_residents: int,
) -> list[int]:
    """Indices taken by the ranking: pinned-in units first, then degraded units not pinned
    out with a positive score, by composite index descending (ties by code), each taken if
    it still fits under both limits (``areas`` in hundredths of a hectare)."""
    chosen = [i for i, unit in enumerate(units) if unit.pin == "in"]
    used_a = sum(areas[i] for i in chosen)
    used_r = sum(units[i].residents for i in chosen)
    ranked = sorted(
        (i for i, unit in enumerate(units) if unit.degraded and not unit.pin and scores[i] > 0),
        key=lambda i: (-units[i].index, units[i].code),
    )
    for i in ranked:
        a, r = areas[i], units[i].residents
        if used_a + a <= cap_area and used_r + r <= cap_residents:
            chosen.append(i)
            used_a += a
            used_r += r
    return chosen


# --- The solver of the two-constraint knapsack ------------------------------------------


@dataclass
class _Solved:
    x: np.ndarray  # bool per candidate
    bound: float  # an upper bound on any admissible selection's score
    proven: bool
    method: str
    timed_out: bool = False


def _fill(x: np.ndarray, s: np.ndarray, A: np.ndarray, cap: np.ndarray, order) -> np.ndarray:
    """Add, in the given order, every candidate with a positive score that still fits."""
    x = x.copy()
    used = A[:, x].sum(axis=1)
    for j in order:
        if not x[j] and s[j] > 0 and used[0] + A[0, j] <= cap[0] and used[1] + A[1, j] <= cap[1]:
            x[j] = True
            used += A[:, j]
    return x


def _subsets(
    items: np.ndarray, dA: np.ndarray, loss: np.ndarray, budget: float, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Every subset of ``items`` whose loss stays within ``budget``: (Δarea, Δresidents,
    loss, bitmask words). None when there would be more than ``limit`` of them."""
    words = max(1, (len(items) + 63) // 64)
    size = distinct = 1
    dedupe = True
    capacity = 1024
    da = np.zeros(capacity, np.int64)
    dr = np.zeros(capacity, np.int64)
    ls = np.zeros(capacity)
    bits = np.zeros((capacity, words), np.uint64)
    for k, j in enumerate(items):
        ok = np.flatnonzero(ls[:size] + loss[j] <= budget)
        m = len(ok)
        if not m:
            continue
        if size + m > limit:
            return None
        if size + m > capacity:
            capacity = min(limit, max(2 * capacity, size + m))
            da, dr, ls = (np.resize(arr, capacity) for arr in (da, dr, ls))
            bits = np.resize(bits, (capacity, words))
        da[size : size + m] = da[ok] + dA[0, j]
        dr[size : size + m] = dr[ok] + dA[1, j]
        ls[size : size + m] = ls[ok] + loss[j]
        bits[size : size + m] = bits[ok]
        bits[size : size + m, k // 64] |= np.uint64(1) << np.uint64(k % 64)
        size += m
        if dedupe and size > 2 * distinct:
            # Of subsets that change area and residents alike, keep the one losing least
            # (many such when units are alike, e.g. a grid of equal cells).
            before = size
            order = np.lexsort((ls[:size], dr[:size], da[:size]))
            first = np.ones(size, dtype=bool)
            first[1:] = (np.diff(da[:size][order]) != 0) | (np.diff(dr[:size][order]) != 0)
            keep = order[first]
            size = len(keep)
            da[:size], dr[:size], ls[:size] = da[keep], dr[keep], ls[keep]
            bits[:size] = bits[keep]
            # Stop trying once it no longer pays (units all different).
            dedupe = len(keep) < 0.9 * before
            distinct = size
    return da[:size], dr[:size], ls[:size], bits[:size]


def _members(items: np.ndarray, bits: np.ndarray) -> list[int]:
    return [int(j) for k, j in enumerate(items) if int(bits[k // 64]) >> (k % 64) & 1]


def _enumerate(s, A, cap, u, d, Z, threshold, tol, deadline):
    """The best selection scoring more than ``threshold`` (None if there is none), or
    "too_large"/"time" when the enumeration is abandoned. See the module docstring."""
    gap = Z - threshold + tol
    x0 = d > 0
    free = np.flatnonzero(np.abs(d) <= gap)
    loss = np.abs(d)
    sign = np.where(x0, -1, 1)
    dA = A * sign  # how flipping a unit changes area and residents
    slack0 = cap - A[:, x0].sum(axis=1)  # of the rounded relaxation (may be negative)
    # The halves: units interleaved by loss so both hold small and large ones.
    free = free[np.argsort(loss[free], kind="stable")]
    halves = (free[0::2], free[1::2])
    lists = []
    for half in halves:
        if time.perf_counter() > deadline:
            return "time"
        listed = _subsets(half, dA, loss, gap, MAX_STATES)
        if listed is None:
            return "too_large"
        lists.append(listed)
    (a1, r1, l1, b1), (a2, r2, l2, b2) = lists
    # A pair (i, i') must leave slack = slack0 - Δ_i - Δ_i' with 0 <= slack and
    # u . slack <= gap: in each dimension with u > 0 a window gap / u wide. The second
    # list is sorted by grid cell of that size, so each entry of the first list looks at
    # two runs of cells only.
    width = np.array(
        [gap / u[0] if u[0] > 0 else np.inf, gap / u[1] if u[1] > 0 else np.inf], dtype=float
    )
    if not np.isfinite(width).any():
        return "too_large"
    k = 0 if width[0] / (np.ptp(a2) + 1) <= width[1] / (np.ptp(r2) + 1) else 1
    other = 1 - k
    key1, key2 = (a1, a2) if k == 0 else (r1, r2)
    okey1, okey2 = (a1, a2) if other == 0 else (r1, r2)
    # Cells at least as wide as the window, so a window meets at most two of them.
    wk = float(max(1, math.ceil(width[k])))
    wo = float(max(1, math.ceil(width[other]))) if np.isfinite(width[other]) else None
    ck2 = np.floor_divide(key2, wk).astype(np.int64)
    co2 = np.floor_divide(okey2, wo).astype(np.int64) if wo else np.zeros_like(key2)
    co_span = int(co2.max() - co2.min() + 3)
    co_base = int(co2.min()) - 1
    combined = ck2 * co_span + (co2 - co_base)
    order2 = np.argsort(combined, kind="stable")
    combined_sorted = combined[order2]
    # Needed: key2 in [slack0_k - key1 - width_k, slack0_k - key1] (likewise in the other
    # dimension, or just <= slack0_o - okey1 when u_o = 0).
    # What the first list's entry already loses narrows its window.
    left = np.maximum(gap - l1, 0)
    need_k_hi = slack0[k] - key1
    need_k_lo = need_k_hi - left / u[k]
    need_o_hi = slack0[other] - okey1
    if wo:
        top = co_base + co_span - 1
        co_lo = np.clip(np.floor_divide(need_o_hi - left / u[other], wo), co_base, top)
        co_hi = np.clip(np.floor_divide(need_o_hi, wo), co_base, top)
    else:
        co_lo = co_hi = np.zeros_like(need_o_hi)
    cells = []
    for ck in (np.floor_divide(need_k_lo, wk), np.floor_divide(need_k_hi, wk)):
        ck = ck.astype(np.int64)
        lo = np.searchsorted(combined_sorted, ck * co_span + (co_lo.astype(np.int64) - co_base))
        hi = np.searchsorted(
            combined_sorted, ck * co_span + (co_hi.astype(np.int64) - co_base), side="right"
        )
        cells.append((lo, hi))
    # The two runs coincide when the window sits inside one cell: count it once.
    same = np.floor_divide(need_k_lo, wk) == np.floor_divide(need_k_hi, wk)
    cells[1] = (np.where(same, cells[1][1], cells[1][0]), cells[1][1])
    if sum(int(np.maximum(hi - lo, 0).sum()) for lo, hi in cells) > MAX_PAIRS:
        return "too_large"
    best_value, best_pair = threshold, None
    for lo, hi in cells:
        counts = np.maximum(hi - lo, 0)
        start, n1 = 0, len(key1)
        while start < n1:
            if time.perf_counter() > deadline:
                return "time"
            csum = np.cumsum(counts[start:])
            stop = start + max(1, int(np.searchsorted(csum, MAX_PAIRS_PER_CHUNK, side="right")))
            idx1 = np.arange(start, stop)
            cnt = counts[idx1]
            total = int(cnt.sum())
            if total:
                i1 = np.repeat(idx1, cnt)
                offsets = np.repeat(np.cumsum(cnt) - cnt, cnt)
                i2 = order2[np.repeat(lo[idx1], cnt) + (np.arange(total) - offsets)]
                slack_k = slack0[k] - key1[i1] - key2[i2]
                slack_o = slack0[other] - okey1[i1] - okey2[i2]
                value = Z - u[k] * slack_k - u[other] * slack_o - l1[i1] - l2[i2]
                ok = (slack_k >= 0) & (slack_o >= 0) & (value > best_value)
                if ok.any():
                    m = int(np.argmax(np.where(ok, value, -np.inf)))
                    best_value, best_pair = float(value[m]), (int(i1[m]), int(i2[m]))
            start = stop
    if best_pair is None:
        return None
    flipped = _members(halves[0], b1[best_pair[0]]) + _members(halves[1], b2[best_pair[1]])
    x = x0.copy()
    x[flipped] = ~x[flipped]
    return x


def _milp(s, A, cap, fixed0, fixed1, time_left):
    """HiGHS branch and bound on the units not fixed; returns (x or None, bound, proven)."""
    free = ~(fixed0 | fixed1)
    base = float(s[fixed1].sum())
    rest = cap - A[:, fixed1].sum(axis=1)
    nfree = int(free.sum())
    if nfree == 0:
        return fixed1.copy(), base, True
    with warnings.catch_warnings():
        # HiGHS prints nothing, but SciPy warns that mip_abs_gap is passed on verbatim.
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        res = milp(
            -s[free],
            integrality=np.ones(nfree),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(A[:, free].astype(float), -np.inf, rest.astype(float)),
            options={
                "time_limit": max(0.05, time_left),
                "mip_rel_gap": 0.0,
                "mip_abs_gap": 1e-9,
                "presolve": True,
            },
        )
    if res.x is None:
        return None, math.inf, False
    x = fixed1.copy()
    x[np.flatnonzero(free)] = np.round(res.x) > 0.5
    bound = base - float(res.mip_dual_bound) if res.mip_dual_bound is not None else math.inf
    return x, bound, res.status == 0


def solve_knapsack(
    s: np.ndarray, A: np.ndarray, cap: np.ndarray, incumbent: np.ndarray, time_limit: float
) -> _Solved:
    """Maximize s.x subject to A x <= cap for x in {0,1}^n (s > 0, A >= 0 integer, every
    column fits alone and not all columns fit together). ``incumbent`` is a feasible
    selection to start from."""
    started = time.perf_counter()
    deadline = started + time_limit
    lp = linprog(-s, A_ub=A.astype(float), b_ub=cap.astype(float), bounds=(0, 1), method="highs")
    if lp.status != 0:  # pragma: no cover - HiGHS solves bounded feasible LPs
        none = np.zeros_like(incumbent)
        x, bound, proven = _milp(s, A, cap, none, none, time_limit)
        return _Solved(x if x is not None else incumbent, bound, proven, "milp", not proven)
    u = np.maximum(0.0, -np.asarray(lp.ineqlin.marginals, dtype=float))
    d = s - u @ A
    Z = float(u @ cap + np.maximum(d, 0).sum())
    # The first selection: what the relaxation takes whole, filled up by reduced score.
    whole = np.asarray(lp.x) > 1 - 1e-9
    if (A[:, whole].sum(axis=1) > cap).any():
        whole = np.zeros_like(whole)
    x = _fill(whole, s, A, cap, np.argsort(-d, kind="stable"))
    if s[incumbent].sum() > s[x].sum():
        x = incumbent.copy()
    value = float(s[x].sum())
    tol = 1e-9 * max(1.0, abs(Z))
    if Z - value <= tol:
        return _Solved(x, value, True, "relaxation")
    # Lower the threshold step by step: start just below Z, end at the first selection.
    step = max((Z - value) / 256, tol)
    threshold = max(value, Z - step)
    upper = Z  # no selection scores more (lowered by each round that finds none above)
    while True:
        found = _enumerate(s, A, cap, u, d, Z, threshold, tol, deadline)
        if isinstance(found, np.ndarray):
            if (A[:, found].sum(axis=1) <= cap).all() and s[found].sum() >= value:
                return _Solved(found, float(s[found].sum()), True, "enumeration")
            found = "too_large"  # pragma: no cover - arithmetic safety net
        if found is None:
            if threshold <= value:
                return _Solved(x, value, True, "enumeration")
            upper = threshold + tol
            step *= math.sqrt(2)
            threshold = max(value, Z - step)
            continue
        break
    # The enumeration grew too large (or ran out of time): branch and bound on what is
    # left once the units that cannot change in a selection better than x are fixed.
    gap = Z - value + tol
    fixed1 = (d > 0) & (d > gap)
    fixed0 = (d <= 0) & (-d > gap)
    time_left = deadline - time.perf_counter()
    if found == "time" or time_left <= 0:
        return _Solved(x, upper, False, "enumeration", timed_out=True)
    y, bound, proven = _milp(s, A, cap, fixed0, fixed1, time_left)
    bound = min(upper, max(bound, value))
    if y is not None and (A[:, y].sum(axis=1) <= cap).all() and s[y].sum() > value:
        x, value = y, float(s[y].sum())
    if proven:
        return _Solved(x, value, True, "milp")
    return _Solved(x, max(bound, value), False, "milp", timed_out=True)


# --- The delimitation --------------------------------------------------------------------


def delimit(
    units: list[UnitInput],
    *,
    gmina_area_ha: float,
    gmina_residents: int,
    limits: Limits | None = None,
    objective: str = "index_residents",
    time_limit: float = 10.0,
) -> DelimitationResult:
    """The revitalization area: the best admissible subset of the degraded units."""
    started = time.perf_counter()
    limits = limits or Limits()
    units = list(units)
    _validate(units, gmina_area_ha, gmina_residents, limits, objective)
    # The same units in any order give the same answer (ties included).
    units.sort(key=lambda unit: unit.code)
    gmina_area = _hundredths(gmina_area_ha)
    cap_area = _share_floor(limits.area_share, gmina_area)
    cap_res = _share_floor(limits.residents_share, int(gmina_residents))
    scores = [score_of(unit, objective) for unit in units]
    areas = [_hundredths(unit.area_ha) for unit in units]
    residents = [int(unit.residents) for unit in units]

    pinned_in = [i for i, unit in enumerate(units) if unit.pin == "in"]
    pin_area = sum(areas[i] for i in pinned_in)
    pin_res = sum(residents[i] for i in pinned_in)

    def alone_too_big(i: int) -> bool:
        return areas[i] > cap_area or residents[i] > cap_res

    candidates = [
        i
        for i, unit in enumerate(units)
        if unit.degraded
        and not unit.pin
        and scores[i] > 0
        and not alone_too_big(i)
        and pin_area + areas[i] <= cap_area
        and pin_res + residents[i] <= cap_res
    ]

    status, status_reason, method = OPTIMAL, "", "none"
    selected: list[int]
    bound: float
    greedy: Greedy | None = None
    if pin_area > cap_area or pin_res > cap_res:
        status = INFEASIBLE
        status_reason = (
            PINNED_IN_EXCEED_BOTH
            if pin_area > cap_area and pin_res > cap_res
            else PINNED_IN_EXCEED_AREA
            if pin_area > cap_area
            else PINNED_IN_EXCEED_RESIDENTS
        )
        selected, bound = [], 0.0
    else:
        greedy_idx = greedy_ranking(units, scores, areas, cap_area, cap_res)
        greedy = Greedy(
            selected=tuple(units[i].code for i in greedy_idx),
            objective=float(sum(scores[i] for i in greedy_idx)),
            area_ha=sum(areas[i] for i in greedy_idx) / 100,
            residents=sum(residents[i] for i in greedy_idx),
        )
        base = float(sum(scores[i] for i in pinned_in))
        if not candidates:
            selected, bound = list(pinned_in), base
            if not pinned_in:
                status = NOTHING_QUALIFIES
                status_reason = (
                    NO_DEGRADED_UNITS
                    if not any(unit.degraded for unit in units)
                    else NO_ELIGIBLE_UNITS
                )
        elif (
            pin_area + sum(areas[i] for i in candidates) <= cap_area
            and pin_res + sum(residents[i] for i in candidates) <= cap_res
        ):
            method = "all_fit"
            selected = list(pinned_in) + candidates
            bound = base + float(sum(scores[i] for i in candidates))
        else:
            s = np.array([scores[i] for i in candidates], dtype=float)
            A = np.array(
                [[areas[i] for i in candidates], [residents[i] for i in candidates]],
                dtype=np.int64,
            )
            cap = np.array([cap_area - pin_area, cap_res - pin_res], dtype=np.int64)
            position = {i: k for k, i in enumerate(candidates)}
            incumbent = np.zeros(len(candidates), dtype=bool)
            for i in greedy_idx:
                if i in position:
                    incumbent[position[i]] = True
            solved = solve_knapsack(
                s, A, cap, incumbent, max(0.1, time_limit - (time.perf_counter() - started))
            )
            x = solved.x
            if solved.timed_out:
                status = TIME_LIMIT
                # Whatever still fits goes in, so every unit left out has a limit to blame.
                x = _fill(x, s, A, cap, np.argsort(-s, kind="stable"))
            method = solved.method
            selected = list(pinned_in) + [candidates[k] for k in np.flatnonzero(x)]
            bound = base + solved.bound

    objective_value = float(sum(scores[i] for i in selected))
    bound = max(bound, objective_value)
    if status in (OPTIMAL, NOTHING_QUALIFIES):
        bound = objective_value
    gap_abs = bound - objective_value
    gap_rel = gap_abs / abs(objective_value) if objective_value else (0.0 if not gap_abs else 1.0)
    sel_area = sum(areas[i] for i in selected)
    sel_res = sum(residents[i] for i in selected)
    selected_set = set(selected)

    reasons: dict[str, UnitReason] = {}
    for i, unit in enumerate(units):
        score = scores[i]
        if not unit.degraded:
            reason = UnitReason(NOT_DEGRADED, False, score)
        elif unit.pin == "out":
            reason = UnitReason(PINNED_OUT, False, score)
        elif unit.pin == "in":
            reason = UnitReason(PINNED_IN, status != INFEASIBLE, score)
        elif i in selected_set:
            reason = UnitReason(SELECTED, True, score)
        elif status == INFEASIBLE:
            reason = UnitReason(PINS_INFEASIBLE, False, score)
        elif score <= 0:
            reason = UnitReason(NON_POSITIVE_SCORE, False, score)
        elif alone_too_big(i):
            reason = UnitReason(
                ALONE_EXCEEDS_LIMITS,
                False,
                score,
                excess_area_ha=max(0, areas[i] - cap_area) / 100 or None,
                excess_residents=max(0, residents[i] - cap_res) or None,
            )
        else:
            over_a = sel_area + areas[i] - cap_area
            over_r = sel_res + residents[i] - cap_res
            code = (
                WOULD_EXCEED_BOTH
                if over_a > 0 and over_r > 0
                else WOULD_EXCEED_AREA
                if over_a > 0
                else WOULD_EXCEED_RESIDENTS
            )
            reason = UnitReason(
                code,
                False,
                score,
                excess_area_ha=over_a / 100 if over_a > 0 else None,
                excess_residents=over_r if over_r > 0 else None,
            )
        reasons[unit.code] = reason

    return DelimitationResult(
        objective_name=objective,
        status=status,
        status_reason=status_reason,
        method=method,
        selected=tuple(units[i].code for i in sorted(selected_set, key=lambda i: units[i].code)),
        objective=objective_value,
        dual_bound=bound,
        gap_abs=gap_abs,
        gap_rel=gap_rel,
        proven_optimal=status in (OPTIMAL, NOTHING_QUALIFIES),
        seconds=time.perf_counter() - started,
        area_ha=sel_area / 100,
        residents=sel_res,
        area_share=sel_area / gmina_area,
        residents_share=sel_res / int(gmina_residents),
        area_limit_ha=cap_area / 100,
        residents_limit=cap_res,
        gmina_area_ha=gmina_area / 100,
        gmina_residents=int(gmina_residents),
        limits=limits,
        greedy=greedy,
        reasons=reasons,
    )
