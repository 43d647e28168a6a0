"""Result indicators and their baselines (typed, or computed from the diagnosis over the
adopted revitalization area, with provenance)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.calc.progress import percentage
from lokalnie.revitalization.models import (
    DiagnosisIndicator,
    Programme,
    ResultIndicator,
    Unit,
    UnitValue,
)
from lokalnie.revitalization.models.results import (
    BREAKDOWN_DIMENSIONS,
)
from lokalnie.revitalization.selectors import results as results_selectors
from lokalnie.revitalization.services.results._common import (
    Kinds,
    _finite,
    _fraction_problem,
    number_text,
    public_results_changed,
)

# Once measurements exist these define what was measured; changing them would mix two
# different indicators under one name.
DEFINING_FIELDS = ("kind", "method", "unit_label", "direction", "numerator_may_exceed")
INDICATOR_FIELDS = (
    "code",
    "name",
    "description",
    "kind",
    "method",
    "unit_label",
    "direction",
    "tolerance_pct",
    "breakdowns",
    "numerator_may_exceed",
)


# --- Indicators ----------------------------------------------------------------------------


def _field_label(name: str) -> str:
    labels = {
        "kind": _("kind"),
        "method": _("method of measurement"),
        "unit_label": _("unit"),
        "direction": _("direction"),
        "numerator_may_exceed": _("rule on numerators above the denominator"),
    }
    return str(labels[name])


def _clean_indicator(programme: Programme, fields: dict, *, instance=None) -> dict:
    """The indicator's fields checked and normalized; ValidationError keyed by field."""
    errors: dict[str, str] = {}
    code = (fields.get("code") or "").strip()
    name = (fields.get("name") or "").strip()
    if not code:
        errors["code"] = _("Give the indicator a short code, e.g. W1.")
    elif (
        ResultIndicator.objects.filter(programme=programme, code__iexact=code)
        .exclude(pk=getattr(instance, "pk", None))
        .exists()
    ):
        errors["code"] = _("An indicator with the code %(code)s already exists here.") % {
            "code": code
        }
    if not name:
        errors["name"] = _("Give the indicator a name.")
    kind = fields.get("kind")
    if kind not in Kinds.values:
        errors["kind"] = _("Choose the kind of indicator.")
    if fields.get("direction") not in ResultIndicator.Direction.values:
        errors["direction"] = _("Choose whether the indicator should increase or decrease.")
    if not (fields.get("method") or "").strip():
        errors["method"] = _(
            "Describe how the indicator is measured (what is counted, from which source, when)."
        )
    tolerance = fields.get("tolerance_pct")
    if tolerance is None or not (0 <= float(tolerance) <= 100):
        errors["tolerance_pct"] = _("The tolerance is a percentage from 0 to 100.")
    breakdowns = list(fields.get("breakdowns") or [])
    unknown = [b for b in breakdowns if b not in BREAKDOWN_DIMENSIONS]
    if unknown:
        raise ValueError(f"Unknown breakdowns: {unknown}")
    if kind == Kinds.QUALITATIVE and breakdowns:
        errors["breakdowns"] = _(
            "A qualitative indicator is described in words: it has no breakdowns."
        )
    if errors:
        raise ValidationError(errors)
    return {
        **fields,
        "tolerance_pct": Decimal(str(tolerance)).quantize(Decimal("0.1")),
        "code": code,
        "name": name,
        "description": (fields.get("description") or "").strip(),
        "method": fields["method"].strip(),
        "unit_label": (fields.get("unit_label") or "").strip(),
        "breakdowns": [b for b in BREAKDOWN_DIMENSIONS if b in breakdowns],  # standard order
        "numerator_may_exceed": bool(fields.get("numerator_may_exceed"))
        and kind == Kinds.PERCENTAGE,
    }


@dataclass
class BaselineInput:
    """What the indicator form says about the baseline.

    mode: "none" (no baseline), "typed" (value, or numerator and denominator for a
    percentage, or a text for a qualitative indicator; with year and source) or
    "diagnosis" (computed from ``diagnosis_indicator``; ``take`` = "rate" for the rate or
    mean, "total" for the total count of a rate indicator)."""

    mode: str = "none"
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    text: str = ""
    year: int | None = None
    reference: str = ""
    diagnosis_indicator: DiagnosisIndicator | None = None
    take: str = "rate"
    recompute: bool = False


def baseline_from_diagnosis(
    *, programme: Programme, indicator: DiagnosisIndicator, kind: str, take: str = "rate", by=None
) -> dict:
    """The baseline computed from the diagnosis values, with its provenance.

    Over the units of the adopted revitalization area, or over the whole gmina when no area
    is adopted. A rate is the area's total count over its total base (times the indicator's
    "per"; a percentage indicator always takes count / base × 100), never the mean of the
    units' rates; a mean indicator is weighted by residents. Units without a value are
    listed as missing. Returns the provenance dict (its "value", "numerator" and
    "denominator" are the baseline)."""
    if indicator.programme_id != programme.pk:
        raise ValueError("The diagnosis indicator belongs to another programme.")
    is_rate = indicator.aggregation == DiagnosisIndicator.Aggregation.RATE
    if kind == Kinds.QUALITATIVE:
        raise ValidationError(
            {"baseline_mode": _("A qualitative indicator cannot take a number from the diagnosis.")}
        )
    if kind == Kinds.PERCENTAGE and not is_rate:
        raise ValidationError(
            {
                "diagnosis_indicator": _(
                    "“%(name)s” is a mean value, not a count over a base, so it cannot be the "
                    "baseline of a percentage indicator. Choose a rate, make the indicator "
                    "quantitative, or type the baseline."
                )
                % {"name": indicator.name}
            }
        )
    if take == "total" and (not is_rate or kind == Kinds.PERCENTAGE):
        raise ValidationError(
            {
                "baseline_take": _(
                    "Only a quantitative indicator can take the total count of a rate."
                )
            }
        )
    area = results_selectors.area_codes(programme)
    units = Unit.objects.filter(programme=programme)
    if area:
        units = units.filter(code__in=area)
    scope_units = {u.code: u.residents for u in units.only("code", "residents")}
    values = {
        v.unit.code: v
        for v in UnitValue.objects.filter(indicator=indicator, unit__code__in=scope_units)
        .select_related("unit")
        .only("value", "base", "unit__code", "unit__residents")
    }
    # A blank base of a rate means the unit's residents (as in the diagnosis itself).
    bases = {
        code: (v.base if v.base is not None else scope_units[code]) for code, v in values.items()
    }
    used = sorted(values)
    missing = sorted(set(scope_units) - set(used))
    scope_name = _("the revitalization area") if area else _("the gmina")
    if not used:
        raise ValidationError(
            {
                "diagnosis_indicator": _(
                    "None of the %(count)s units of %(scope)s has a value of “%(name)s” in "
                    "the diagnosis."
                )
                % {"count": len(scope_units), "scope": scope_name, "name": indicator.name}
            }
        )
    numerator = denominator = None
    if is_rate:
        numerator = sum(values[code].value for code in used)
        denominator = sum(bases[code] for code in used)
        if denominator <= 0:
            raise ValidationError(
                {
                    "diagnosis_indicator": _(
                        "The base of “%(name)s” adds up to %(base)s over %(scope)s, so no rate "
                        "can be computed."
                    )
                    % {
                        "name": indicator.name,
                        "base": number_text(denominator),
                        "scope": scope_name,
                    }
                }
            )
        if take == "total":
            value = numerator
        elif kind == Kinds.PERCENTAGE:
            value = numerator / denominator * 100
        else:
            value = numerator / denominator * indicator.per
    else:
        residents = sum(scope_units[code] for code in used)
        if residents <= 0:
            raise ValidationError(
                {
                    "diagnosis_indicator": _(
                        "The units of %(scope)s with a value of “%(name)s” have no residents, "
                        "so no mean weighted by residents can be computed."
                    )
                    % {"scope": scope_name, "name": indicator.name}
                }
            )
        value = sum(values[code].value * scope_units[code] for code in used) / residents
    return {
        "source": "diagnosis",
        "indicator_id": indicator.pk,
        "indicator_code": indicator.code,
        "indicator_name": indicator.name,
        "aggregation": indicator.aggregation,
        "per": indicator.per,
        "take": take,
        "scope": "area" if area else "gmina",
        "units": used,
        "units_missing": missing,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "year": programme.reference_year,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "computed_by": getattr(by, "email", "") if by is not None else "",
    }


def _baseline_fields(
    programme: Programme, baseline: BaselineInput, *, kind: str, instance=None, by=None
) -> dict | None:
    """The model fields the baseline sets, or None to leave the stored baseline alone."""
    empty = {
        "baseline_value": None,
        "baseline_numerator": None,
        "baseline_denominator": None,
        "baseline_year": None,
        "baseline_source": None,
        "baseline_provenance": {},
    }
    if baseline.mode == "none":
        return empty
    if baseline.mode == "diagnosis":
        source = baseline.diagnosis_indicator
        if source is None:
            raise ValidationError(
                {
                    "diagnosis_indicator": _(
                        "Choose the diagnosis indicator to take the baseline from."
                    )
                }
            )
        previous = getattr(instance, "baseline_provenance", None) or {}
        unchanged = (
            instance is not None
            and previous.get("source") == "diagnosis"
            and previous.get("indicator_id") == source.pk
            and previous.get("take", "rate") == baseline.take
            and instance.kind == kind
        )
        if unchanged and not baseline.recompute:
            return None
        provenance = baseline_from_diagnosis(
            programme=programme, indicator=source, kind=kind, take=baseline.take, by=by
        )
        return {
            "baseline_value": provenance["value"],
            "baseline_numerator": provenance["numerator"] if kind == Kinds.PERCENTAGE else None,
            "baseline_denominator": provenance["denominator"] if kind == Kinds.PERCENTAGE else None,
            "baseline_year": provenance["year"],
            "baseline_source": source,
            "baseline_provenance": provenance,
        }
    if baseline.mode != "typed":
        raise ValueError(f"Unknown baseline mode {baseline.mode!r}")
    errors = {}
    value = _finite(baseline.value, field_name="baseline_value", label=_("The baseline"))
    numerator = _finite(baseline.numerator, field_name="baseline_numerator", label=_("Numerator"))
    denominator = _finite(
        baseline.denominator, field_name="baseline_denominator", label=_("Denominator")
    )
    text = (baseline.text or "").strip()
    if kind == Kinds.QUALITATIVE:
        if not text:
            errors["baseline_text"] = _("Describe the situation at the start.")
        value = numerator = denominator = None
    elif kind == Kinds.PERCENTAGE:
        if numerator is not None or denominator is not None:
            if numerator is None or denominator is None:
                errors["baseline_numerator"] = _(
                    "Give both the numerator and the denominator, or only the percentage."
                )
            else:
                problem = _fraction_problem(numerator, denominator, may_exceed=False)
                if problem:
                    errors["baseline_numerator"] = problem
                else:
                    value = percentage(numerator, denominator)
        if value is None and "baseline_numerator" not in errors:
            errors["baseline_value"] = _(
                "Give the baseline percentage, or its numerator and denominator."
            )
        text = ""
    else:
        if value is None:
            errors["baseline_value"] = _("Give the baseline value.")
        numerator = denominator = None
        text = ""
    if not baseline.year:
        errors["baseline_year"] = _("Give the year the baseline describes.")
    elif not (1990 <= int(baseline.year) <= 2100):
        errors["baseline_year"] = _("Give a year between 1990 and 2100.")
    if not (baseline.reference or "").strip():
        errors["baseline_reference"] = _(
            "Say where the baseline comes from (e.g. the OPS report for 2024)."
        )
    if errors:
        raise ValidationError(errors)
    return {
        **empty,
        "baseline_value": value,
        "baseline_numerator": numerator,
        "baseline_denominator": denominator,
        "baseline_year": int(baseline.year),
        "baseline_provenance": {
            "source": "typed",
            "reference": baseline.reference.strip(),
            "year": int(baseline.year),
            "text": text,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "entered_at": timezone.now().isoformat(timespec="seconds"),
            "entered_by": getattr(by, "email", "") if by is not None else "",
        },
    }


def _baseline_summary(fields: dict) -> dict:
    provenance = fields["baseline_provenance"] or {}
    return {
        "source": provenance.get("source", ""),
        "value": fields["baseline_value"],
        "year": fields["baseline_year"],
    }


@transaction.atomic
def indicator_create(
    *, programme: Programme, by, baseline: BaselineInput | None = None, **fields
) -> ResultIndicator:
    """A new result indicator of the programme, with its baseline if one is given."""
    require(by, "revitalization.edit", programme)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Not indicator fields: {sorted(unknown)}")
    fields.setdefault("tolerance_pct", 10)
    cleaned = _clean_indicator(programme, fields)
    baseline_fields = _baseline_fields(
        programme, baseline or BaselineInput(), kind=cleaned["kind"], by=by
    )
    position = (
        ResultIndicator.objects.filter(programme=programme).aggregate(top=Max("position"))["top"]
        or 0
    )
    indicator = ResultIndicator.objects.create(
        programme=programme, position=position + 1, **cleaned, **(baseline_fields or {})
    )
    audit_record(
        actor=by,
        action="revitalization.results.indicator_create",
        obj=indicator,
        data={
            "code": indicator.code,
            "kind": indicator.kind,
            "baseline": _baseline_summary(baseline_fields) if baseline_fields else None,
        },
    )
    public_results_changed(indicator.programme_id)
    return indicator


def _defining_change_errors(indicator: ResultIndicator, cleaned: dict) -> dict[str, str]:
    changed = [
        name
        for name in DEFINING_FIELDS
        if name in cleaned and cleaned[name] != getattr(indicator, name)
    ]
    if not changed:
        return {}
    count = indicator.measurements.count()
    if not count:
        return {}
    errors = {}
    for name in changed:
        errors[name] = ngettext(
            "The %(field)s cannot be changed: %(count)s measurement already uses this "
            "indicator as it is defined. Create a new indicator for the new definition (and "
            "stop reporting this one) instead.",
            "The %(field)s cannot be changed: %(count)s measurements already use this "
            "indicator as it is defined. Create a new indicator for the new definition (and "
            "stop reporting this one) instead.",
            count,
        ) % {"field": _field_label(name), "count": count}
    return errors


@transaction.atomic
def indicator_update(
    *, indicator: ResultIndicator, by, baseline: BaselineInput | None = None, **fields
) -> ResultIndicator:
    """Change an indicator. Its name, description, code, tolerance and breakdowns may
    change at any time; its kind, method, unit and direction only while it has no
    measurements. ``baseline`` None leaves the baseline as it is."""
    indicator = ResultIndicator.objects.select_for_update().get(pk=indicator.pk)
    programme = indicator.programme
    require(by, "revitalization.edit", programme)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Not indicator fields: {sorted(unknown)}")
    merged = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    merged.update(fields)
    cleaned = _clean_indicator(programme, merged, instance=indicator)
    errors = _defining_change_errors(indicator, cleaned)
    if errors:
        raise ValidationError(errors)
    baseline_fields = (
        _baseline_fields(programme, baseline, kind=cleaned["kind"], instance=indicator, by=by)
        if baseline is not None
        else None
    )
    changes = {}
    for name, value in cleaned.items():
        old = getattr(indicator, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(indicator, name, value)
    old_baseline = {
        "source": (indicator.baseline_provenance or {}).get("source", ""),
        "value": indicator.baseline_value,
        "year": indicator.baseline_year,
    }
    if baseline_fields is not None:
        for name, value in baseline_fields.items():
            setattr(indicator, name, value)
    if not changes and baseline_fields is None:
        return indicator
    indicator.save()
    data = {"changes": changes}
    if baseline_fields is not None:
        data["baseline"] = {"from": old_baseline, "to": _baseline_summary(baseline_fields)}
    audit_record(
        actor=by, action="revitalization.results.indicator_update", obj=indicator, data=data
    )
    public_results_changed(indicator.programme_id)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: ResultIndicator, by) -> None:
    """Remove an indicator that has no measurements (its targets go with it)."""
    require(by, "revitalization.edit", indicator.programme)
    count = indicator.measurements.count()
    if count:
        raise ValidationError(
            ngettext(
                "The indicator cannot be removed: %(count)s measurement of it exists.",
                "The indicator cannot be removed: %(count)s measurements of it exist.",
                count,
            )
            % {"count": count},
            code="has_measurements",
        )
    audit_record(
        actor=by,
        action="revitalization.results.indicator_delete",
        obj=indicator.programme,
        data={"indicator": indicator.pk, "code": indicator.code, "name": indicator.name},
    )
    public_results_changed(indicator.programme_id)
    indicator.delete()
