"""Factories of the monitoring part's tests: a programme with indicators, periods,
targets, measurements in every status, breakdowns, evidence and actions, made directly
(the results framework's and the plan's services are tested on their own)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from lokalnie.revitalization.models import Action, Measurement, Stakeholder
from lokalnie.revitalization.tests.factories_results import (
    make_evidence,
    make_indicator,
    make_measurement,
    make_period,
    make_target,
)

__all__ = [
    "approved",
    "make_action",
    "make_evidence",
    "make_indicator",
    "make_measurement",
    "make_period",
    "make_target",
    "results_world",
]


def approved(indicator, period, *, by=None, **fields) -> Measurement:
    """An approved measurement (what charts, exports and the public page count)."""
    fields.setdefault("status", Measurement.Status.APPROVED)
    fields.setdefault("approved_by", by)
    fields.setdefault("approved_at", timezone.now())
    return make_measurement(indicator, period, **fields)


def make_action(programme, *, starts_on, ends_on, budget="1000.00", title=None) -> Action:
    responsible = Stakeholder.objects.filter(programme=programme).first()
    if responsible is None:
        responsible = Stakeholder.objects.create(
            programme=programme,
            kind=Stakeholder.Kind.NGO,
            name="Stowarzyszenie Sąsiedzi",
            interest=5,
            influence=3,
            contact_name="Anna Kowalska",
            contact_email="anna@example.org",
        )
    return Action.objects.create(
        programme=programme,
        title=title or f"Klub sąsiedzki {Action.objects.count() + 1}",
        goal="Więcej mieszkańców działa razem.",
        responsible=responsible,
        starts_on=starts_on,
        ends_on=ends_on,
        budget_pln=Decimal(budget),
        funding_source="EFS+",
        target_group="mieszkańcy",
    )


def results_world(programme, *, approver=None, indicators: int = 2):
    """Two periods (2025, 2026) and ``indicators`` quantitative indicators, each with a
    baseline, targets for both years, an approved measurement in 2025 (with a breakdown by
    sex) and a submitted one in 2026 that must never count."""
    first, second = make_period(programme, 2025), make_period(programme, 2026)
    made = []
    for number in range(indicators):
        indicator = make_indicator(
            programme,
            baseline_value=100,
            baseline_year=2024,
            breakdowns=["sex"],
            tolerance_pct=Decimal("10"),
        )
        make_target(indicator, first, 120)
        make_target(indicator, second, 140)
        approved(
            indicator,
            first,
            by=approver,
            value=115 + number,
            breakdown={("sex", "female"): 60, ("sex", "male"): 55 + number},
        )
        make_measurement(indicator, second, value=999, status=Measurement.Status.SUBMITTED)
        made.append(indicator)
    return made, (first, second)
