"""Writes of the delimitation: a run of the calculation, its adoption by the coordinator,
and the team's decisions to keep a unit in or out of the area.

**A run** reads the diagnosis as it is now (units, residents, area, composite index,
crisis flags and the degraded state of art. 9) and the units' pins, solves the art. 10
problem (``calc.delimitation``) and stores both: ``Delimitation.inputs`` is the snapshot
the result was computed from (so that a report printed later shows what was decided and
why, whatever changed since), ``Delimitation.result`` the solution, its bound and gap, the
greedy ranking and a reason per unit. The solving happens before the transaction (10,000
units take about 2 s at most), the write in one.

**Adoption**: the coordinator adopts one run; the one adopted before becomes superseded.
Only a draft whose inputs are still the current ones can be adopted (otherwise the area
would not follow from today's diagnosis: run it again first), and only one that chose
units.

**Pins**: "in" keeps a unit in the area whatever the calculation prefers, "out" keeps it
out; both need a reason (it is printed in the report). A unit pinned in must be degraded
(art. 10: the revitalization area lies within the degraded area). Pins take effect at the
next run.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.calc import delimitation as calc
from lokalnie.revitalization.calc.indices import DiagnosisResult
from lokalnie.revitalization.models import Delimitation, Programme, Unit
from lokalnie.revitalization.selectors.diagnosis import diagnosis_result

ADOPTABLE = (calc.OPTIMAL, calc.TIME_LIMIT)
TIME_LIMIT_S = 20.0
REASON_MAX = 300


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _number(value) -> float | None:
    return None if value is None else round(float(value), 9)


def snapshot(programme: Programme, diagnosis: DiagnosisResult) -> dict:
    """What a run is computed from, as plain JSON (see the module's docstring)."""
    pins = {
        code: (pin, reason)
        for code, pin, reason in Unit.objects.filter(programme=programme).values_list(
            "code", "pin", "pin_reason"
        )
    }
    units = []
    for unit in diagnosis.units:
        pin, reason = pins.get(unit.code, ("", ""))
        units.append(
            {
                "code": unit.code,
                "name": unit.name,
                "residents": int(unit.residents),
                "area_ha": round(float(unit.area_ha), 2),
                "degraded": bool(unit.degraded),
                "composite": _number(unit.composite),
                "sphere_index": {
                    sphere: _number(value) for sphere, value in unit.sphere_index.items()
                },
                "crisis": {sphere: bool(flag) for sphere, flag in unit.crisis.items()},
                "worse_count": dict(unit.worse_count),
                "pin": pin,
                "pin_reason": reason,
            }
        )
    data = {
        "gmina_area_ha": round(float(programme.gmina_area_ha or 0), 2),
        "gmina_residents": int(programme.gmina_residents or 0),
        "limits": {"area_share": 0.2, "residents_share": 0.3},
        "crisis_rules": dict(diagnosis.crisis_rules),
        "spheres": list(diagnosis.spheres),
        "indicators": [
            {
                "code": indicator.code,
                "name": indicator.name,
                "sphere": indicator.sphere,
                "direction": indicator.direction,
                "unit_label": indicator.unit_label,
                "gmina_value": _number(diagnosis.gmina_values.get(indicator.code)),
            }
            for indicator in diagnosis.indicators
        ],
        "units": units,
    }
    data["fingerprint"] = fingerprint(data)
    return data


def fingerprint(data: dict) -> str:
    """What decides the area: the gmina's totals and each unit's numbers, state and pin.
    Two runs with the same fingerprint answer the same question."""
    essence = [
        data["gmina_area_ha"],
        data["gmina_residents"],
        data["limits"],
        [
            [u["code"], u["residents"], u["area_ha"], u["degraded"], u["composite"], u["pin"]]
            for u in data["units"]
        ],
    ]
    return hashlib.sha256(json.dumps(essence, sort_keys=True).encode()).hexdigest()


def current_fingerprint(programme: Programme, diagnosis: DiagnosisResult | None = None) -> str:
    diagnosis = diagnosis if diagnosis is not None else diagnosis_result(programme)
    return snapshot(programme, diagnosis)["fingerprint"]


def _input_problems(error: calc.DelimitationInputError) -> list[str]:
    messages = []
    not_degraded = [unit for code, unit in error.problems if code == "pinned_in_not_degraded"]
    if not_degraded:
        messages.append(
            ngettext(
                "Unit %(units)s is kept in the area by the team's decision but is not "
                "degraded (art. 9); the revitalization area must lie within the degraded "
                "area. Change the decision or the diagnosis.",
                "Units %(units)s are kept in the area by the team's decision but are not "
                "degraded (art. 9); the revitalization area must lie within the degraded "
                "area. Change the decisions or the diagnosis.",
                len(not_degraded),
            )
            % {"units": ", ".join(not_degraded)}
        )
    for code, unit in error.problems:
        if code == "pinned_in_not_degraded":
            continue
        messages.append(
            _("The delimitation cannot start: %(problem)s %(unit)s.")
            % {"problem": code, "unit": unit}
        )
    return messages


def delimitation_run(
    *,
    programme: Programme,
    objective: str = Delimitation.Objective.INDEX_RESIDENTS,
    by,
    diagnosis: DiagnosisResult | None = None,
) -> Delimitation:
    """Solve the delimitation on the current diagnosis and store the run (a draft)."""
    require(by, "revitalization.edit", programme)
    if objective not in Delimitation.Objective.values:
        raise ValidationError(_("Choose what the area should maximize."))
    if not programme.gmina_area_ha or not programme.gmina_residents:
        raise ValidationError(
            _(
                "Enter the gmina's area and residents in the diagnosis settings first: the "
                "limits of art. 10 are shares of them."
            )
        )
    diagnosis = diagnosis if diagnosis is not None else diagnosis_result(programme)
    if not diagnosis.units:
        raise ValidationError(_("Import the gmina's units and the diagnosis first."))
    inputs = snapshot(programme, diagnosis)
    inputs["objective"] = objective
    units = [
        calc.UnitInput(
            code=u["code"],
            residents=u["residents"],
            area_ha=u["area_ha"],
            degraded=u["degraded"],
            index=u["composite"] if u["composite"] is not None else 0.0,
            pin=u["pin"],
        )
        for u in inputs["units"]
    ]
    try:
        result = calc.delimit(
            units,
            gmina_area_ha=inputs["gmina_area_ha"],
            gmina_residents=inputs["gmina_residents"],
            limits=calc.Limits(**inputs["limits"]),
            objective=objective,
            time_limit=TIME_LIMIT_S,
        )
    except calc.DelimitationInputError as error:
        raise ValidationError(_input_problems(error)) from error
    with transaction.atomic():
        _locked(programme)
        delimitation = Delimitation.objects.create(
            programme=programme,
            objective=objective,
            inputs=inputs,
            result=result.as_dict(),
            created_by=by,
        )
        audit_record(
            actor=by,
            action="revitalization.delimitation.run",
            obj=programme,
            to_state=result.status,
            data={
                "delimitation": delimitation.pk,
                "objective": objective,
                "status": result.status,
                "units": len(result.selected),
                "objective_value": result.objective,
                "gap_rel": result.gap_rel,
                "seconds": round(result.seconds, 3),
            },
        )
    return delimitation


def delimitation_adopt(*, delimitation: Delimitation, by) -> Delimitation:
    """The coordinator adopts a run as the programme's revitalization area."""
    programme = delimitation.programme
    require(by, "revitalization.coordinate", programme)
    now_fingerprint = current_fingerprint(programme)
    with transaction.atomic():
        _locked(programme)
        delimitation = Delimitation.objects.select_for_update().get(pk=delimitation.pk)
        if delimitation.status != Delimitation.Status.DRAFT:
            raise ValidationError(
                _("Only a draft can be adopted; this run is %(status)s.")
                % {"status": delimitation.get_status_display()}
            )
        status = delimitation.result.get("status")
        if status not in ADOPTABLE or not delimitation.result.get("selected"):
            raise ValidationError(_("This run chose no units: there is no area to adopt."))
        if delimitation.inputs.get("fingerprint") != now_fingerprint:
            raise ValidationError(
                _(
                    "The diagnosis or the team's decisions changed since this run. Run the "
                    "delimitation again and adopt the new result."
                )
            )
        previous = list(
            Delimitation.objects.select_for_update().filter(
                programme=programme, status=Delimitation.Status.ADOPTED
            )
        )
        for old in previous:
            old.status = Delimitation.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_record(
                actor=by,
                action="revitalization.delimitation.supersede",
                obj=programme,
                from_state=Delimitation.Status.ADOPTED,
                to_state=Delimitation.Status.SUPERSEDED,
                data={"delimitation": old.pk, "by": delimitation.pk},
            )
        delimitation.status = Delimitation.Status.ADOPTED
        delimitation.adopted_at = timezone.now()
        delimitation.adopted_by = by
        delimitation.save(update_fields=["status", "adopted_at", "adopted_by"])
        audit_record(
            actor=by,
            action="revitalization.delimitation.adopt",
            obj=programme,
            from_state=Delimitation.Status.DRAFT,
            to_state=Delimitation.Status.ADOPTED,
            data={
                "delimitation": delimitation.pk,
                "units": delimitation.result.get("selected", []),
                "superseded": [old.pk for old in previous],
            },
        )
    return delimitation


def unit_pin_set(
    *, unit: Unit, pin: str, reason: str, by, diagnosis: DiagnosisResult | None = None
) -> Unit:
    """Keep a unit in the area ("in"), out of it ("out"), or leave it to the calculation
    (""). A reason is required for "in" and "out"."""
    programme = unit.programme
    require(by, "revitalization.edit", programme)
    reason = (reason or "").strip()
    if pin not in Unit.Pin.values:
        raise ValidationError(_("Choose how the unit is decided."))
    if pin and not reason:
        raise ValidationError(
            _("Give the reason for the decision: it is printed in the delimitation report.")
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(max)s characters).") % {"max": REASON_MAX}
        )
    if not pin:
        reason = ""
    if pin == Unit.Pin.IN:
        diagnosis = diagnosis if diagnosis is not None else diagnosis_result(programme)
        found = diagnosis.unit(unit.code)
        if found is None or not found.degraded:
            raise ValidationError(
                _(
                    "Only a unit of the degraded area (art. 9) can be kept in the "
                    "revitalization area; %(unit)s is not degraded by the diagnosis."
                )
                % {"unit": f"{unit.code} {unit.name}"}
            )
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if locked.pin == pin and locked.pin_reason == reason:
            return locked
        before = locked.pin
        locked.pin = pin
        locked.pin_reason = reason
        locked.save(update_fields=["pin", "pin_reason"])
        audit_record(
            actor=by,
            action="revitalization.delimitation.pin",
            obj=programme,
            from_state=before or "calculation",
            to_state=pin or "calculation",
            reason=reason,
            data={"unit": locked.code},
        )
    return locked
