"""The diagnosis' indicators: from the standard catalogue or the team's own, and removing
them with their values."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization import catalogue
from lokalnie.revitalization.calc.indices import MEAN
from lokalnie.revitalization.models import DiagnosisIndicator, Programme, Sphere, UnitValue
from lokalnie.revitalization.services.diagnosis._common import BASE_SUFFIXES, _locked
from lokalnie.revitalization.tabular import ALIASES, normalize_header

# Codes an indicator may not take: they already mean a column of the files.
RESERVED_CODES = {name for names in ALIASES.values() for name in names} | set(ALIASES)


def _next_position(programme: Programme) -> int:
    top = DiagnosisIndicator.objects.filter(programme=programme).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


@transaction.atomic
def indicator_add_from_catalogue(
    *, programme: Programme, codes: Iterable[str], by
) -> list[DiagnosisIndicator]:
    """Add indicators of the standard catalogue (with its Polish names and labels)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ValidationError({"codes": _("Choose at least one indicator.")})
    unknown = [code for code in codes if code not in catalogue.BY_CODE]
    if unknown:
        raise ValidationError({"codes": _("Not in the catalogue: %s") % ", ".join(unknown)})
    present = set(
        DiagnosisIndicator.objects.filter(programme=programme, code__in=codes).values_list(
            "code", flat=True
        )
    )
    if present:
        raise ValidationError(
            {
                "codes": _("Already in the diagnosis: %(codes)s.")
                % {"codes": ", ".join(sorted(present))}
            }
        )
    position = _next_position(programme)
    created = []
    for number, code in enumerate(codes):
        entry = catalogue.BY_CODE[code]
        created.append(
            DiagnosisIndicator.objects.create(
                programme=programme,
                code=entry.code,
                catalogue_code=entry.code,
                name=entry.name_pl,
                sphere=entry.sphere,
                direction=entry.direction,
                aggregation=entry.aggregation,
                per=entry.per,
                unit_label=entry.unit_pl,
                base_label=entry.base_pl,
                source=entry.source,
                position=position + number,
            )
        )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicators_added",
        obj=programme,
        data={"codes": codes, "from": "catalogue"},
    )
    return created


def clean_indicator_code(code: str) -> str:
    """The code as the files' headers will match it: lower case, no diacritics, ``_``."""
    return normalize_header(code)[:40]


@transaction.atomic
def indicator_define(
    *,
    programme: Programme,
    by,
    code: str,
    name: str,
    sphere: str,
    direction: str,
    aggregation: str,
    per: int = 100,
    unit_label: str = "",
    base_label: str = "",
    source: str = "",
) -> DiagnosisIndicator:
    """An indicator of the team's own. ``code`` is normalized (it is the header of its
    column in the wide values file)."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    errors: dict[str, list[str]] = {}
    clean = clean_indicator_code(code)
    if not clean:
        errors["code"] = [_("Give a code of letters, digits and underscores, e.g. “eviction”.")]
    elif clean in RESERVED_CODES or clean.endswith(BASE_SUFFIXES):
        errors["code"] = [
            _("“%(code)s” already means a column of the files; choose another code.")
            % {"code": clean}
        ]
    elif DiagnosisIndicator.objects.filter(programme=programme, code=clean).exists():
        errors["code"] = [
            _("The diagnosis already has an indicator with the code “%(code)s”.") % {"code": clean}
        ]
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Give the indicator a name.")]
    if sphere not in Sphere.values:
        errors["sphere"] = [_("Choose a sphere.")]
    if direction not in DiagnosisIndicator.Direction.values:
        errors["direction"] = [_("Choose whether a higher value is worse or better.")]
    if aggregation not in DiagnosisIndicator.Aggregation.values:
        errors["aggregation"] = [_("Choose how the indicator is computed.")]
    if aggregation != MEAN and (not isinstance(per, int) or not 1 <= per <= 1_000_000):
        errors["per"] = [_("Give a whole number from 1 to 1,000,000 (e.g. 100 or 1,000).")]
    if errors:
        raise ValidationError(errors)
    indicator = DiagnosisIndicator.objects.create(
        programme=programme,
        code=clean,
        name=name[:200],
        sphere=sphere,
        direction=direction,
        aggregation=aggregation,
        per=1 if aggregation == MEAN else per,
        unit_label=unit_label.strip()[:60],
        base_label=base_label.strip()[:120],
        source=source.strip()[:300],
        position=_next_position(programme),
    )
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicator_defined",
        obj=programme,
        data={
            "code": clean,
            "name": indicator.name,
            "sphere": sphere,
            "direction": direction,
            "aggregation": aggregation,
            "per": indicator.per,
        },
    )
    return indicator


@transaction.atomic
def indicator_remove(*, programme: Programme, indicator: DiagnosisIndicator, by) -> int:
    """Remove the indicator with its values; the number of values removed."""
    require(by, "revitalization.edit", programme)
    programme = _locked(programme)
    if indicator.programme_id != programme.pk:
        raise ValueError("The indicator belongs to another programme.")
    values = UnitValue.objects.filter(indicator=indicator).count()
    code = indicator.code
    indicator.delete()
    audit_record(
        actor=by,
        action="revitalization.diagnosis.indicator_removed",
        obj=programme,
        data={"code": code, "values_removed": values},
    )
    return values
