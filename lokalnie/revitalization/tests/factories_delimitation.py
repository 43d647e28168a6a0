"""Factories of the delimitation: a diagnosis result made by hand (to know exactly which
units are degraded and how bad), and a stored run made without the database's diagnosis."""

from __future__ import annotations

from decimal import Decimal

from lokalnie.revitalization.calc import delimitation as calc
from lokalnie.revitalization.calc.indices import DiagnosisResult, IndicatorSpec, UnitResult
from lokalnie.revitalization.models import Delimitation, Programme, Unit
from lokalnie.revitalization.services.delimitation import snapshot

SOCIAL = IndicatorSpec(code="bezrobocie", name="Bezrobocie", sphere="social")
TECHNICAL = IndicatorSpec(code="budynki", name="Budynki do remontu", sphere="technical")


def unit_result(code, residents, area, composite, degraded, name=None) -> UnitResult:
    crisis = {"social": degraded, "technical": degraded}
    return UnitResult(
        code=code,
        name=name or f"Osiedle {code}",
        residents=residents,
        area_ha=area,
        values={},
        ratios={},
        z={},
        worse={},
        worse_count={"social": int(degraded), "technical": int(degraded)},
        sphere_index={"social": composite, "technical": composite},
        composite=composite,
        crisis=crisis,
        degraded=degraded,
    )


def fake_diagnosis(programme: Programme, specs) -> DiagnosisResult:
    """``specs``: (code, residents, area ha, composite index, degraded) per unit. Creates
    the units (for pins) and sets the gmina's totals to their sums."""
    units = [unit_result(*spec) for spec in specs]
    Unit.objects.bulk_create(
        [
            Unit(
                programme=programme,
                code=u.code,
                name=u.name,
                residents=u.residents,
                area_ha=Decimal(str(u.area_ha)),
            )
            for u in units
        ]
    )
    programme.gmina_area_ha = Decimal(str(round(sum(u.area_ha for u in units), 2)))
    programme.gmina_residents = sum(u.residents for u in units)
    programme.save(update_fields=["gmina_area_ha", "gmina_residents"])
    return DiagnosisResult(
        units=units,
        gmina_values={"bezrobocie": 10.0, "budynki": 20.0},
        indicators=[SOCIAL, TECHNICAL],
        missing=[],
        crisis_rules={"social": 1, "technical": 1},
        spheres=["social", "technical"],
    )


# Ten units, 1,000 residents and 1,000 ha: limits 200 ha and 300 residents. The best area
# is B + C + D (index × residents 2.0·100 + 1.8·100 + 1.5·90 = 515); the ranking by index
# takes A first, then only C still fits (3.0·60 + 1.8·100 = 360).
TEN = [
    ("A", 60, 150.0, 3.0, True),
    ("B", 100, 60.0, 2.0, True),
    ("C", 100, 40.0, 1.8, True),
    ("D", 90, 40.0, 1.5, True),
    ("E", 200, 10.0, 0.5, True),
    ("F", 50, 100.0, -0.4, False),
    ("G", 100, 150.0, -0.2, False),
    ("H", 100, 150.0, -0.3, False),
    ("I", 100, 150.0, -0.1, False),
    ("J", 100, 150.0, -0.6, False),
]


def stored_run(programme: Programme, diagnosis: DiagnosisResult, *, by=None, **fields):
    """A run stored as the service would, computed from ``diagnosis`` directly."""
    inputs = snapshot(programme, diagnosis)
    objective = fields.pop("objective", Delimitation.Objective.INDEX_RESIDENTS)
    inputs["objective"] = objective
    result = calc.delimit(
        [
            calc.UnitInput(
                u["code"], u["residents"], u["area_ha"], u["degraded"], u["composite"], u["pin"]
            )
            for u in inputs["units"]
        ],
        gmina_area_ha=inputs["gmina_area_ha"],
        gmina_residents=inputs["gmina_residents"],
        objective=objective,
    )
    return Delimitation.objects.create(
        programme=programme,
        objective=objective,
        inputs=inputs,
        result=result.as_dict(),
        created_by=by,
        **fields,
    )
