"""Where a result indicator stands against its target, with a tolerance.

A plain module (no Django): the results framework, the monitoring dashboard, the exports
and the public results page all call ``progress_status`` so that they agree.

The rule
--------
The *deviation* is the difference between the actual value and the target, relative to
the target: ``deviation_pct = (actual - target) / |target| * 100`` (positive: above the
target, negative: below it). For a percentage indicator ``actual`` and ``target`` are both
percentages (numerator / denominator × 100) and the deviation is still relative (a target
of 20% missed by 2 percentage points deviates by -10%).

- ``on_track``: ``|deviation_pct| <= tolerance_pct`` (the boundary counts as on track);
- ``deviates``: beyond the tolerance, on either side. ``side`` says which: ``behind``
  (worse than planned, given the indicator's direction) or ``ahead`` (better than
  planned). Both need an explanation before a measurement is submitted: the plan and the
  reality disagree, and the evaluation must say why;
- ``no_target``: there is an actual value but no target for the period;
- ``no_data``: there is no actual value (nothing measured yet);
- ``none``: qualitative indicators have no numeric status.

When the target is 0 the relative deviation is measured against the planned change
(``|target - baseline|``) if a different baseline is known; with neither, any value other
than 0 deviates and ``deviation_pct`` is None.

``achievement_pct`` is the share of the planned change (baseline → target) achieved so far:
baseline 100, target 80, actual 90 → 50%. None without a baseline or when the target
equals the baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ON_TRACK = "on_track"
DEVIATES = "deviates"
NO_TARGET = "no_target"
NO_DATA = "no_data"
NONE = "none"
CODES = (ON_TRACK, DEVIATES, NO_TARGET, NO_DATA, NONE)

AHEAD = "ahead"
BEHIND = "behind"

QUANTITATIVE = "quantitative"
PERCENTAGE = "percentage"
QUALITATIVE = "qualitative"
INCREASE = "increase"
DECREASE = "decrease"

_EPSILON = 1e-9


@dataclass(frozen=True)
class ProgressStatus:
    code: str  # one of CODES
    deviation_pct: float | None = None  # (actual - target) / |target| × 100
    side: str = ""  # "ahead" / "behind" (only when the actual differs from the target)
    difference: float | None = None  # actual - target, in the indicator's unit
    achievement_pct: float | None = None  # share of the planned change achieved
    tolerance_pct: float = 0.0
    target: float | None = None
    actual: float | None = None

    @property
    def needs_explanation(self) -> bool:
        """A measurement with this status may be submitted only with an explanation."""
        return self.code == DEVIATES

    @property
    def behind(self) -> bool:
        return self.side == BEHIND


def percentage(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator × 100, or None when either is missing or the base is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * 100


def _finite(number) -> float | None:
    if number is None:
        return None
    number = float(number)
    return number if math.isfinite(number) else None


def progress_status(
    *,
    kind: str,
    direction: str,
    baseline: float | None,
    target: float | None,
    actual: float | None,
    tolerance_pct: float,
) -> ProgressStatus:
    """The status of ``actual`` against ``target`` (see the module's docstring)."""
    if kind not in (QUANTITATIVE, PERCENTAGE, QUALITATIVE):
        raise ValueError(f"Unknown indicator kind {kind!r}.")
    if direction not in (INCREASE, DECREASE):
        raise ValueError(f"Unknown direction {direction!r}.")
    tolerance = abs(float(tolerance_pct or 0))
    if kind == QUALITATIVE:
        return ProgressStatus(NONE, tolerance_pct=tolerance)
    baseline, target, actual = _finite(baseline), _finite(target), _finite(actual)
    if actual is None:
        return ProgressStatus(NO_DATA, tolerance_pct=tolerance, target=target)
    if target is None:
        return ProgressStatus(NO_TARGET, tolerance_pct=tolerance, actual=actual)

    difference = actual - target
    side = ""
    if abs(difference) > _EPSILON:
        better = difference > 0 if direction == INCREASE else difference < 0
        side = AHEAD if better else BEHIND

    if abs(target) > _EPSILON:
        scale = abs(target)
    elif baseline is not None and abs(baseline - target) > _EPSILON:
        scale = abs(baseline - target)
    else:
        scale = None
    deviation = difference / scale * 100 if scale is not None else None
    if deviation is not None:
        within = abs(deviation) <= tolerance + _EPSILON
    else:
        within = abs(difference) <= _EPSILON

    achievement = None
    if baseline is not None and abs(target - baseline) > _EPSILON:
        achievement = (actual - baseline) / (target - baseline) * 100

    return ProgressStatus(
        code=ON_TRACK if within else DEVIATES,
        deviation_pct=deviation,
        side=side,
        difference=difference,
        achievement_pct=achievement,
        tolerance_pct=tolerance,
        target=target,
        actual=actual,
    )
