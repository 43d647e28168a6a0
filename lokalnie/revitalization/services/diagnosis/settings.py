"""The diagnosis settings: the gmina's totals, the year of the data and the crisis rule
per sphere."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.calc.indices import SPHERES
from lokalnie.revitalization.models import Programme, Unit
from lokalnie.revitalization.services.diagnosis._common import _locked, _totals_problems

CRISIS_MAX = 50


@transaction.atomic
def diagnosis_settings_update(
    *,
    programme: Programme,
    by,
    gmina_area_ha: Decimal | None,
    gmina_residents: int | None,
    reference_year: int | None,
    crisis_rules: dict[str, int | None],
) -> Programme:
    """The gmina's totals, the year of the data and the crisis rule per sphere
    (sphere → k, or None for the default). When units exist, the totals must still
    agree with them (within TOLERANCE)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    errors: dict[str, list[str]] = {}
    rules = {}
    for sphere, k in (crisis_rules or {}).items():
        if sphere not in SPHERES:
            raise ValueError(f"Not a sphere: {sphere}")
        if k is None:
            continue
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= CRISIS_MAX:
            errors.setdefault(f"crisis_{sphere}", []).append(
                _("Give a whole number from 1 to %(max)s, or leave it blank for the default.")
                % {"max": CRISIS_MAX}
            )
            continue
        rules[sphere] = k
    if gmina_area_ha is not None and gmina_area_ha <= 0:
        errors.setdefault("gmina_area_ha", []).append(_("The area must be greater than 0."))
    if gmina_residents is not None and gmina_residents <= 0:
        errors.setdefault("gmina_residents", []).append(
            _("The number of residents must be greater than 0.")
        )
    if errors:
        raise ValidationError(errors)
    totals = Unit.objects.filter(programme=programme).aggregate(
        count=Count("pk"), area=Sum("area_ha"), residents=Sum("residents")
    )
    if totals["count"]:
        draft = Programme(gmina_area_ha=gmina_area_ha, gmina_residents=gmina_residents)
        problems = _totals_problems(
            draft, area=totals["area"], residents=totals["residents"], count=totals["count"]
        )
        if problems:
            raise ValidationError([p.message for p in problems])
    new = {
        "gmina_area_ha": gmina_area_ha,
        "gmina_residents": gmina_residents,
        "reference_year": reference_year,
        "crisis_rules": rules,
    }
    changed = {}
    for name, value in new.items():
        old = getattr(programme, name)
        if old != value:
            changed[name] = [_jsonable(old), _jsonable(value)]
            setattr(programme, name, value)
    if changed:
        programme.save(update_fields=list(changed))
        audit_record(
            actor=by,
            action="revitalization.diagnosis.settings_updated",
            obj=programme,
            data=changed,
        )
    return programme


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value
