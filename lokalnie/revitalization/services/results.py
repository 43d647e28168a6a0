"""Writes of the results framework: indicators and their baselines, periods (and locking
them), targets, measurements with breakdowns and evidence, and their approval.

Every function checks the permission, validates everything before writing, writes in one
transaction and records an audit entry (``revitalization.results.<what>_<verb>``). Bad
input raises a ValidationError whose message says what is wrong (with the numbers);
messages are keyed by form field where there is one.

Rules kept here (tests enumerate them):
- an indicator's kind, method, unit, direction and whether a numerator may exceed its
  denominator cannot change once measurements exist (make a new indicator instead);
- a baseline is typed (with its year and source) or computed from the diagnosis over the
  adopted revitalization area's units (the whole gmina while no area is adopted) as the
  total count over the total base, and its provenance is kept;
- one measurement per indicator and period; its status moves only as
  ``models.results.MEASUREMENT_TRANSITIONS`` allows, and nothing of a locked period moves;
- breakdowns must cover every category of every required dimension and add up to the
  measurement's value (numerator and denominator for a percentage);
- a measurement deviating from its target beyond the tolerance is submitted (and
  approved) only with an explanation.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.core.uploads import DOCX, JPEG, ODT, PDF, PNG, Kind, check_upload
from lokalnie.revitalization.calc.progress import DEVIATES, percentage, progress_status
from lokalnie.revitalization.models import (
    DiagnosisIndicator,
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    Programme,
    ResultIndicator,
    Target,
    Unit,
    UnitValue,
)
from lokalnie.revitalization.models.results import (
    BREAKDOWN_DIMENSIONS,
    MEASUREMENT_TRANSITIONS,
    measurement_may,
)

Kinds = ResultIndicator.Kind
Status = Measurement.Status

# Evidence files: documents, pictures and spreadsheets, checked by their content.
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
EVIDENCE_KINDS = (PDF, JPEG, PNG, DOCX, ODT, XLSX)
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

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

_SUM_PRECISION = 1e-6


# --- Small helpers -------------------------------------------------------------------------


def number_text(value) -> str:
    """A number as people read it: no trailing ".0", at most two decimals, localized."""
    if value is None:
        return "–"
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(rounded, decimal_pos=2, force_grouping=True).rstrip("0")


def _field_label(name: str) -> str:
    labels = {
        "kind": _("kind"),
        "method": _("method of measurement"),
        "unit_label": _("unit"),
        "direction": _("direction"),
        "numerator_may_exceed": _("rule on numerators above the denominator"),
    }
    return str(labels[name])


def _finite(value, *, field_name: str, label: str) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError({field_name: _("%(label)s must be a number.") % {"label": label}})
    return number


def _locked_error(period: Period) -> ValidationError:
    return ValidationError(
        _(
            "The period “%(period)s” is locked: its measurements and targets cannot be "
            "changed, submitted or approved. The coordinator can unlock it, giving a reason."
        )
        % {"period": period.label},
        code="locked",
    )


def _check_unlocked(period: Period) -> None:
    if period.locked:
        raise _locked_error(period)


# --- Indicators ----------------------------------------------------------------------------


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


def _area_unit_codes(programme: Programme) -> set[str]:
    """The unit codes of the adopted revitalization area (empty: no area adopted)."""
    from lokalnie.revitalization.selectors.delimitation import area_unit_codes

    return set(area_unit_codes(programme))


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
    area = _area_unit_codes(programme)
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
    if is_rate:
        used = sorted(code for code, v in values.items() if v.base is not None)
    else:
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
        denominator = sum(values[code].base for code in used)
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
    indicator.delete()


# --- Periods -------------------------------------------------------------------------------


def _check_period_dates(programme, *, label, starts_on, ends_on, instance=None) -> None:
    errors = {}
    if not (label or "").strip():
        errors["label"] = _("Give the period a label, e.g. 2026 or 1st half of 2026.")
    if starts_on is None:
        errors["starts_on"] = _("Give the first day of the period.")
    if ends_on is None:
        errors["ends_on"] = _("Give the last day of the period.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    others = Period.objects.filter(programme=programme).exclude(pk=getattr(instance, "pk", None))
    if others.filter(label__iexact=label.strip()).exists():
        raise ValidationError(
            {"label": _("Another period is already called “%(label)s”.") % {"label": label.strip()}}
        )
    overlapping = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_on": _(
                    "The period overlaps “%(other)s” (%(start)s – %(end)s); periods may not "
                    "overlap."
                )
                % {
                    "other": overlapping.label,
                    "start": overlapping.starts_on.isoformat(),
                    "end": overlapping.ends_on.isoformat(),
                }
            }
        )


@transaction.atomic
def period_create(*, programme: Programme, by, label: str, starts_on, ends_on) -> Period:
    require(by, "revitalization.edit", programme)
    _check_period_dates(programme, label=label, starts_on=starts_on, ends_on=ends_on)
    period = Period.objects.create(
        programme=programme, label=label.strip(), starts_on=starts_on, ends_on=ends_on
    )
    audit_record(
        actor=by,
        action="revitalization.results.period_create",
        obj=period,
        data={"label": period.label, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return period


def _period_spans(
    every: str, starts_on: dt.date, ends_on: dt.date
) -> list[tuple[str, dt.date, dt.date]]:
    spans = []
    if every == "year":
        for year in range(starts_on.year, ends_on.year + 1):
            spans.append((str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)))
    elif every == "half_year":
        for year in range(starts_on.year, ends_on.year + 1):
            spans.append(
                (
                    _("1st half of %(year)s") % {"year": year},
                    dt.date(year, 1, 1),
                    dt.date(year, 6, 30),
                )
            )
            spans.append(
                (
                    _("2nd half of %(year)s") % {"year": year},
                    dt.date(year, 7, 1),
                    dt.date(year, 12, 31),
                )
            )
        spans = [s for s in spans if s[2] >= starts_on and s[1] <= ends_on]
    else:
        raise ValueError(f"Unknown period length {every!r}")
    return spans


@transaction.atomic
def periods_generate(*, programme: Programme, by, every: str, starts_on, ends_on) -> list[Period]:
    """Calendar years or half-years covering starts_on..ends_on; refused as a whole when
    one of them would overlap an existing period."""
    require(by, "revitalization.edit", programme)
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must come after the first day.")})
    spans = _period_spans(every, starts_on, ends_on)
    if len(spans) > 60:
        raise ValidationError(
            {"ends_on": _("That would make more than 60 periods; choose a shorter span.")}
        )
    created = []
    for label, start, end in spans:
        _check_period_dates(programme, label=label, starts_on=start, ends_on=end)
        created.append(
            Period.objects.create(programme=programme, label=label, starts_on=start, ends_on=end)
        )
    audit_record(
        actor=by,
        action="revitalization.results.period_generate",
        obj=programme,
        data={"every": every, "periods": [p.label for p in created]},
    )
    return created


@transaction.atomic
def period_update(*, period: Period, by, label: str, starts_on, ends_on) -> Period:
    """Rename a period or move its dates (dates only while nothing is measured in it)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(by, "revitalization.edit", period.programme)
    _check_unlocked(period)
    _check_period_dates(
        period.programme, label=label, starts_on=starts_on, ends_on=ends_on, instance=period
    )
    moved = (starts_on, ends_on) != (period.starts_on, period.ends_on)
    if moved:
        count = period.measurements.count()
        if count:
            raise ValidationError(
                {
                    "starts_on": ngettext(
                        "The dates cannot change: %(count)s measurement of this period exists.",
                        "The dates cannot change: %(count)s measurements of this period exist.",
                        count,
                    )
                    % {"count": count}
                }
            )
    before = {
        "label": period.label,
        "starts_on": str(period.starts_on),
        "ends_on": str(period.ends_on),
    }
    period.label, period.starts_on, period.ends_on = label.strip(), starts_on, ends_on
    period.save(update_fields=["label", "starts_on", "ends_on"])
    audit_record(
        actor=by,
        action="revitalization.results.period_update",
        obj=period,
        data={
            "from": before,
            "to": {"label": period.label, "starts_on": str(starts_on), "ends_on": str(ends_on)},
        },
    )
    return period


@transaction.atomic
def period_delete(*, period: Period, by) -> None:
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(by, "revitalization.edit", period.programme)
    _check_unlocked(period)
    count = period.measurements.count()
    if count:
        raise ValidationError(
            ngettext(
                "The period cannot be removed: %(count)s measurement of it exists.",
                "The period cannot be removed: %(count)s measurements of it exist.",
                count,
            )
            % {"count": count},
            code="has_measurements",
        )
    audit_record(
        actor=by,
        action="revitalization.results.period_delete",
        obj=period.programme,
        data={"period": period.pk, "label": period.label},
    )
    period.delete()


@transaction.atomic
def period_lock(*, period: Period, by, reason: str = "") -> Period:
    """Lock a period: none of its measurements or targets can change until unlocked."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(by, "revitalization.coordinate", period.programme)
    if period.locked:
        raise ValidationError(
            _("The period “%(period)s” is already locked.") % {"period": period.label}
        )
    unapproved = period.measurements.exclude(status=Status.APPROVED).count()
    period.locked, period.locked_at, period.locked_by = True, timezone.now(), by
    period.save(update_fields=["locked", "locked_at", "locked_by"])
    audit_record(
        actor=by,
        action="revitalization.results.period_lock",
        obj=period,
        from_state="unlocked",
        to_state="locked",
        reason=reason.strip(),
        data={"not_approved": unapproved},
    )
    return period


@transaction.atomic
def period_unlock(*, period: Period, by, reason: str) -> Period:
    """Unlock a period; the reason is required and kept in the audit log."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(by, "revitalization.coordinate", period.programme)
    if not period.locked:
        raise ValidationError(
            _("The period “%(period)s” is not locked.") % {"period": period.label}
        )
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say why the period is unlocked; the reason is kept in the audit log.")}
        )
    period.locked, period.locked_at, period.locked_by = False, None, None
    period.save(update_fields=["locked", "locked_at", "locked_by"])
    audit_record(
        actor=by,
        action="revitalization.results.period_unlock",
        obj=period,
        from_state="locked",
        to_state="unlocked",
        reason=reason.strip(),
    )
    return period


# --- Targets -------------------------------------------------------------------------------


@transaction.atomic
def targets_set(*, indicator: ResultIndicator, by, values: dict[int, float | None]) -> None:
    """The indicator's targets per period ({period pk: value or None to remove}). Targets
    of locked periods cannot change."""
    require(by, "revitalization.edit", indicator.programme)
    if indicator.kind == Kinds.QUALITATIVE:
        raise ValidationError(_("A qualitative indicator has no numeric targets."))
    periods = {p.pk: p for p in Period.objects.filter(programme_id=indicator.programme_id)}
    unknown = set(values) - set(periods)
    if unknown:
        raise ValueError(f"Periods of another programme: {sorted(unknown)}")
    current = {t.period_id: t for t in Target.objects.filter(indicator=indicator)}
    errors = {}
    changes = {}
    for period_pk, raw in values.items():
        period = periods[period_pk]
        key = f"target_{period_pk}"
        try:
            value = _finite(raw, field_name=key, label=_("The target"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        old = current.get(period_pk)
        old_value = old.value if old is not None else None
        if old_value == value:
            continue
        if period.locked:
            errors[key] = str(_locked_error(period).messages[0])
            continue
        if value is not None and indicator.kind == Kinds.PERCENTAGE and value < 0:
            errors[key] = _("A percentage target cannot be negative.")
            continue
        if (
            value is not None
            and indicator.kind == Kinds.PERCENTAGE
            and value > 100
            and not indicator.numerator_may_exceed
        ):
            errors[key] = _(
                "A percentage target cannot exceed 100: this indicator's numerator may not "
                "exceed its denominator."
            )
            continue
        changes[period_pk] = (old_value, value)
    if errors:
        raise ValidationError(errors)
    for period_pk, (_old, value) in changes.items():
        if value is None:
            current[period_pk].delete()
        else:
            Target.objects.update_or_create(
                indicator=indicator, period_id=period_pk, defaults={"value": value}
            )
    if changes:
        audit_record(
            actor=by,
            action="revitalization.results.targets_set",
            obj=indicator,
            data={
                "targets": {
                    periods[pk].label: {"from": old, "to": new}
                    for pk, (old, new) in changes.items()
                }
            },
        )


# --- Measurements --------------------------------------------------------------------------


def _fraction_problem(numerator: float, denominator: float, *, may_exceed: bool) -> str:
    if denominator <= 0:
        return _("The denominator must be greater than 0 (it is %(denominator)s).") % {
            "denominator": number_text(denominator)
        }
    if numerator < 0:
        return _("The numerator cannot be negative.")
    if numerator > denominator and not may_exceed:
        return _(
            "The numerator (%(numerator)s) is greater than the denominator "
            "(%(denominator)s); this indicator does not allow that."
        ) % {"numerator": number_text(numerator), "denominator": number_text(denominator)}
    return ""


@dataclass
class MeasurementInput:
    """What the measurement form says. ``breakdown``: {dimension: {category: value}};
    ``breakdown_denominators`` likewise (percentage indicators)."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    text: str = ""
    explanation: str = ""
    breakdown: dict[str, dict[str, float | None]] = field(default_factory=dict)
    breakdown_denominators: dict[str, dict[str, float | None]] = field(default_factory=dict)


def _dimension_label(dimension: str) -> str:
    return str(BREAKDOWN_DIMENSIONS[dimension]["label"])


def _clean_measurement(indicator: ResultIndicator, data: MeasurementInput) -> dict:
    """The measurement's own numbers checked (not completeness: drafts may be partial)."""
    errors = {}
    cleaned = {
        "value": None,
        "numerator": None,
        "denominator": None,
        "text": "",
        "explanation": (data.explanation or "").strip(),
    }
    if indicator.kind == Kinds.QUALITATIVE:
        cleaned["text"] = (data.text or "").strip()
        return cleaned
    if indicator.kind == Kinds.PERCENTAGE:
        numerator = _finite(data.numerator, field_name="numerator", label=_("Numerator"))
        denominator = _finite(data.denominator, field_name="denominator", label=_("Denominator"))
        if numerator is not None and denominator is not None:
            problem = _fraction_problem(
                numerator, denominator, may_exceed=indicator.numerator_may_exceed
            )
            if problem:
                errors["denominator" if denominator <= 0 else "numerator"] = problem
            else:
                cleaned["value"] = percentage(numerator, denominator)
        elif numerator is not None and numerator < 0:
            errors["numerator"] = _("The numerator cannot be negative.")
        elif denominator is not None and denominator <= 0:
            errors["denominator"] = _fraction_problem(0, denominator, may_exceed=True)
        cleaned["numerator"], cleaned["denominator"] = numerator, denominator
    else:
        cleaned["value"] = _finite(data.value, field_name="value", label=_("The value"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_breakdown(
    indicator: ResultIndicator, data: MeasurementInput, cleaned: dict, *, complete: bool
) -> list[tuple[str, str, float, float | None]]:
    """The breakdown cells, checked: every value 0 or more, each complete dimension adding
    up to the measurement's total; with ``complete`` every category must be given."""
    if indicator.kind == Kinds.QUALITATIVE:
        return []
    given = set(data.breakdown) | set(data.breakdown_denominators)
    unknown = given - set(indicator.breakdowns)
    if unknown:
        raise ValueError(f"Breakdowns this indicator does not ask for: {sorted(unknown)}")
    percentage_kind = indicator.kind == Kinds.PERCENTAGE
    errors: list[str] = []
    cells = []
    for dimension in indicator.breakdowns:
        spec = BREAKDOWN_DIMENSIONS[dimension]
        label = _dimension_label(dimension)
        values = data.breakdown.get(dimension, {})
        denominators = data.breakdown_denominators.get(dimension, {})
        missing, negative, exceeding = [], [], []
        row = []
        for category, category_label in spec["categories"]:
            value = values.get(category)
            denominator = denominators.get(category) if percentage_kind else None
            value = None if value is None or value == "" else float(value)
            denominator = None if denominator is None or denominator == "" else float(denominator)
            if value is None or (percentage_kind and denominator is None):
                missing.append(str(category_label))
                if value is None and denominator is None:
                    continue
            if (value is not None and value < 0) or (denominator is not None and denominator < 0):
                negative.append(str(category_label))
                continue
            if (
                percentage_kind
                and value is not None
                and denominator is not None
                and value > denominator
                and not indicator.numerator_may_exceed
            ):
                exceeding.append(str(category_label))
            if value is not None and (not percentage_kind or denominator is not None):
                row.append((dimension, category, value, denominator))
        if negative:
            errors.append(
                _("Breakdown by %(dimension)s: values cannot be negative (%(categories)s).")
                % {"dimension": label, "categories": ", ".join(negative)}
            )
            continue
        if exceeding:
            errors.append(
                _(
                    "Breakdown by %(dimension)s: the numerator is greater than the denominator "
                    "for %(categories)s; this indicator does not allow that."
                )
                % {"dimension": label, "categories": ", ".join(exceeding)}
            )
            continue
        if missing:
            if complete:
                errors.append(
                    _(
                        "Breakdown by %(dimension)s is required: give a number for every "
                        "category (missing: %(categories)s). Use 0 where there is nobody."
                    )
                    % {"dimension": label, "categories": ", ".join(missing)}
                )
            cells.extend(row)
            continue
        if percentage_kind:
            checks = [
                (sum(c[2] for c in row), cleaned["numerator"], _("numerators"), _("numerator")),
                (
                    sum(c[3] for c in row),
                    cleaned["denominator"],
                    _("denominators"),
                    _("denominator"),
                ),
            ]
        else:
            checks = [(sum(c[2] for c in row), cleaned["value"], None, None)]
        for total, expected, parts_name, total_name in checks:
            if expected is None:
                continue  # a missing total is reported on its own field when submitting
            if abs(total - expected) > _SUM_PRECISION * max(1.0, abs(expected)):
                if parts_name is None:
                    errors.append(
                        _(
                            "Breakdown by %(dimension)s adds up to %(total)s, but the value is "
                            "%(expected)s; the categories must add up to the value."
                        )
                        % {
                            "dimension": label,
                            "total": number_text(total),
                            "expected": number_text(expected),
                        }
                    )
                else:
                    errors.append(
                        _(
                            "Breakdown by %(dimension)s: the %(parts)s add up to %(total)s, but "
                            "the %(whole)s is %(expected)s."
                        )
                        % {
                            "dimension": label,
                            "parts": parts_name,
                            "whole": total_name,
                            "total": number_text(total),
                            "expected": number_text(expected),
                        }
                    )
        cells.extend(row)
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})
    return cells


def _target_of(indicator: ResultIndicator, period: Period) -> float | None:
    return (
        Target.objects.filter(indicator=indicator, period=period)
        .values_list("value", flat=True)
        .first()
    )


def _baseline_number(indicator: ResultIndicator) -> float | None:
    if indicator.baseline_value is not None:
        return indicator.baseline_value
    return percentage(indicator.baseline_numerator, indicator.baseline_denominator)


def deviation_message(indicator: ResultIndicator, status) -> str:
    """Why an explanation is needed: by how much and on which side of the target."""
    if status.deviation_pct is None:
        return _(
            "The value %(actual)s differs from the target of %(target)s: explain the deviation."
        ) % {"actual": number_text(status.actual), "target": number_text(status.target)}
    template = (
        _(
            "The value %(actual)s is %(deviation)s%% below the target of %(target)s, beyond "
            "the tolerance of %(tolerance)s%%: explain the deviation."
        )
        if status.deviation_pct < 0
        else _(
            "The value %(actual)s is %(deviation)s%% above the target of %(target)s, beyond "
            "the tolerance of %(tolerance)s%%: explain the deviation."
        )
    )
    return template % {
        "actual": number_text(status.actual),
        "deviation": number_text(abs(status.deviation_pct)),
        "target": number_text(status.target),
        "tolerance": number_text(status.tolerance_pct),
    }


def _submission_errors(indicator: ResultIndicator, period: Period, cleaned: dict) -> dict:
    """What a measurement needs before it can be submitted or approved (besides complete
    breakdowns): its value and, when it deviates beyond the tolerance, an explanation."""
    errors = {}
    if indicator.kind == Kinds.QUALITATIVE:
        if not cleaned["text"]:
            errors["text"] = _("Describe what was observed in this period.")
        return errors
    if indicator.kind == Kinds.PERCENTAGE:
        if cleaned["numerator"] is None:
            errors["numerator"] = _("Give the numerator.")
        if cleaned["denominator"] is None:
            errors["denominator"] = _("Give the denominator.")
    elif cleaned["value"] is None:
        errors["value"] = _("Give the measured value.")
    if errors or cleaned["value"] is None:
        return errors
    status = progress_status(
        kind=indicator.kind,
        direction=indicator.direction,
        baseline=_baseline_number(indicator),
        target=_target_of(indicator, period),
        actual=cleaned["value"],
        tolerance_pct=float(indicator.tolerance_pct),
    )
    if status.code == DEVIATES and not cleaned["explanation"]:
        errors["explanation"] = deviation_message(indicator, status)
    return errors


def _check_evidence(upload) -> Kind:
    """The checked kind of an evidence file (XLSX recognised here: core knows the rest)."""
    try:
        return check_upload(
            upload,
            allowed=tuple(k for k in EVIDENCE_KINDS if k is not XLSX),
            max_bytes=EVIDENCE_MAX_BYTES,
        )
    except ValidationError as exc:
        if exc.code != "wrong_type":
            raise
    import zipfile

    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        names = set()
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX  # check_upload already refused zip bombs before saying "wrong type"
    raise ValidationError(
        _(
            "This file is not a valid PDF, JPEG, PNG, DOCX, ODT or XLSX file (its content was "
            "checked, not its name)."
        ),
        code="wrong_type",
    )


def _check_transition(action: str, measurement: Measurement) -> None:
    if measurement_may(action, measurement.status):
        return
    status = measurement.get_status_display()
    if action in ("save", "delete") and measurement.status == Status.APPROVED:
        message = _(
            "Approved measurements are read-only. The coordinator can reopen it, giving a reason."
        )
    elif action in ("save", "delete"):
        message = _("The measurement is %(status)s and cannot be changed now.") % {"status": status}
    elif action == "submit":
        message = _(
            "Only a draft or a returned measurement can be submitted; this one is %(status)s."
        ) % {"status": status}
    elif action in ("approve", "return"):
        message = _(
            "Only a submitted measurement can be approved or returned; this one is %(status)s."
        ) % {"status": status}
    elif action == "withdraw":
        message = _("Only a submitted measurement can be withdrawn; this one is %(status)s.") % {
            "status": status
        }
    else:  # reopen
        message = _("Only an approved measurement can be reopened; this one is %(status)s.") % {
            "status": status
        }
    raise ValidationError(message, code="transition")


def _locked_period(period: Period) -> Period:
    """The period row, locked against a concurrent lock/unlock, and refused if locked."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _check_unlocked(period)
    return period


def _store_evidence(measurement, uploads, by, stored: list) -> list[Evidence]:
    items = []
    for upload, description, kind in uploads:
        item = Evidence(
            measurement=measurement,
            filename=(upload.name or f"evidence{kind.extension}")[-200:],
            content_type=kind.content_type,
            size=upload.size,
            description=(description or "").strip()[:300],
            uploaded_by=by,
        )
        upload.seek(0)
        item.file.save(f"{uuid.uuid4().hex}{kind.extension}", upload, save=False)
        stored.append((item.file.storage, item.file.name))
        item.save()
        items.append(item)
    return items


@transaction.atomic
def measurement_save(
    *,
    indicator: ResultIndicator,
    period: Period,
    by,
    data: MeasurementInput,
    evidence: list[tuple] = (),
    submit: bool = False,
    expected_updated_at: dt.datetime | None = None,
) -> Measurement:
    """Create or change the measurement of ``indicator`` in ``period`` (a draft, or a
    returned one); with ``submit`` it is also submitted for approval, and then it must be
    complete: its value, every required breakdown adding up, an explanation of a deviation
    beyond the tolerance. ``evidence``: (upload, description) pairs to attach.
    ``expected_updated_at`` (from the form) refuses to overwrite someone else's newer save.
    Nothing is stored when anything is refused."""
    programme = indicator.programme
    if period.programme_id != indicator.programme_id:
        raise ValueError("The period belongs to another programme.")
    require(by, "revitalization.edit", programme)
    period = _locked_period(period)
    measurement = (
        Measurement.objects.select_for_update().filter(indicator=indicator, period=period).first()
    )
    if measurement is not None:
        _check_transition("submit" if submit else "save", measurement)
        if expected_updated_at is not None and measurement.updated_at.replace(
            microsecond=0
        ) != expected_updated_at.replace(microsecond=0):
            raise ValidationError(
                _(
                    "Someone else saved this measurement after you opened it (at %(time)s). "
                    "Reload the page to see their changes; yours were not saved."
                )
                % {"time": timezone.localtime(measurement.updated_at).strftime("%H:%M")},
                code="stale",
            )
    errors: dict[str, list] = {}
    cleaned = {}
    try:
        cleaned = _clean_measurement(indicator, data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    cells = []
    if not errors:
        try:
            cells = _clean_breakdown(indicator, data, cleaned, complete=submit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if submit:
            for key, message in _submission_errors(indicator, period, cleaned).items():
                errors.setdefault(key, []).append(message)
    checked_uploads = []
    for upload, description in evidence:
        try:
            checked_uploads.append((upload, description, _check_evidence(upload)))
        except ValidationError as exc:
            errors.setdefault("evidence", []).extend(
                [
                    _("%(file)s: %(problem)s") % {"file": upload.name, "problem": message}
                    for message in exc.messages
                ]
            )
    if errors:
        raise ValidationError(errors)

    created = measurement is None
    old_status = "" if created else measurement.status
    if created:
        measurement = Measurement(indicator=indicator, period=period)
    for name, value in cleaned.items():
        setattr(measurement, name, value)
    if submit:
        measurement.status = Status.SUBMITTED
        measurement.submitted_at, measurement.submitted_by = timezone.now(), by
    measurement.save()
    measurement.breakdown.all().delete()
    MeasurementBreakdown.objects.bulk_create(
        MeasurementBreakdown(
            measurement=measurement,
            dimension=dimension,
            category=category,
            value=value,
            denominator=denominator,
        )
        for dimension, category, value, denominator in cells
    )
    stored: list = []
    try:
        files = _store_evidence(measurement, checked_uploads, by, stored)
        audit_record(
            actor=by,
            action="revitalization.results.measurement_submit"
            if submit
            else "revitalization.results.measurement_save",
            obj=measurement,
            from_state=old_status,
            to_state=measurement.status,
            data={
                "value": measurement.value,
                "numerator": measurement.numerator,
                "denominator": measurement.denominator,
                "breakdown": [list(c) for c in cells],
                "evidence_added": [f.filename for f in files],
                "created": created,
            },
        )
    except BaseException:
        for storage, name in stored:
            storage.delete(name)  # no orphan files
        raise
    return measurement


def _transition(
    action: str, *, measurement: Measurement, by, reason: str = "", audit_action: str
) -> Measurement:
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    indicator = measurement.indicator
    require(by, MEASUREMENT_TRANSITIONS[action][2], indicator.programme)
    period = _locked_period(measurement.period)
    _check_transition(action, measurement)
    old = measurement.status
    measurement.status = MEASUREMENT_TRANSITIONS[action][1]
    update = ["status", "updated_at"]
    if action == "approve":
        cleaned = {
            "value": measurement.value,
            "numerator": measurement.numerator,
            "denominator": measurement.denominator,
            "text": measurement.text,
            "explanation": measurement.explanation,
        }
        errors = _submission_errors(indicator, period, cleaned)
        if errors:
            raise ValidationError(
                _("It cannot be approved: %(problems)s Return it to the team for correction.")
                % {"problems": " ".join(str(m) for m in errors.values())},
                code="incomplete",
            )
        measurement.approved_at, measurement.approved_by = timezone.now(), by
        update += ["approved_at", "approved_by"]
    if action in ("return", "reopen"):
        if not (reason or "").strip():
            raise ValidationError(
                {"reason": _("Say what needs correcting; the team will read it.")}
            )
        measurement.return_reason = reason.strip()
        update.append("return_reason")
    if action == "reopen":
        measurement.approved_at, measurement.approved_by = None, None
        update += ["approved_at", "approved_by"]
    measurement.save(update_fields=update)
    audit_record(
        actor=by,
        action=audit_action,
        obj=measurement,
        from_state=old,
        to_state=measurement.status,
        reason=(reason or "").strip(),
    )
    return measurement


@transaction.atomic
def measurement_submit(*, measurement: Measurement, by) -> Measurement:
    """Submit a draft or returned measurement as it is stored."""
    breakdown: dict[str, dict[str, float]] = {}
    denominators: dict[str, dict[str, float]] = {}
    asked = set(measurement.indicator.breakdowns)
    for cell in measurement.breakdown.all():
        if cell.dimension not in asked:
            continue  # a breakdown the indicator no longer asks for is dropped
        breakdown.setdefault(cell.dimension, {})[cell.category] = cell.value
        if cell.denominator is not None:
            denominators.setdefault(cell.dimension, {})[cell.category] = cell.denominator
    return measurement_save(
        indicator=measurement.indicator,
        period=measurement.period,
        by=by,
        submit=True,
        data=MeasurementInput(
            value=measurement.value,
            numerator=measurement.numerator,
            denominator=measurement.denominator,
            text=measurement.text,
            explanation=measurement.explanation,
            breakdown=breakdown,
            breakdown_denominators=denominators,
        ),
    )


@transaction.atomic
def measurement_withdraw(*, measurement: Measurement, by) -> Measurement:
    """Take a submitted measurement back to draft (before the coordinator decides)."""
    return _transition(
        "withdraw",
        measurement=measurement,
        by=by,
        audit_action="revitalization.results.measurement_withdraw",
    )


@transaction.atomic
def measurement_approve(*, measurement: Measurement, by) -> Measurement:
    return _transition(
        "approve",
        measurement=measurement,
        by=by,
        audit_action="revitalization.results.measurement_approve",
    )


@transaction.atomic
def measurement_return(*, measurement: Measurement, by, reason: str) -> Measurement:
    """Send a submitted measurement back to the team with what to correct."""
    return _transition(
        "return",
        measurement=measurement,
        by=by,
        reason=reason,
        audit_action="revitalization.results.measurement_return",
    )


@transaction.atomic
def measurement_reopen(*, measurement: Measurement, by, reason: str) -> Measurement:
    """Reopen an approved measurement for correction (it goes back to the team)."""
    return _transition(
        "reopen",
        measurement=measurement,
        by=by,
        reason=reason,
        audit_action="revitalization.results.measurement_reopen",
    )


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by) -> None:
    """Remove a draft or returned measurement with its breakdown and evidence."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    require(by, "revitalization.edit", measurement.indicator.programme)
    _locked_period(measurement.period)
    _check_transition("delete", measurement)
    files = [(e.file.storage, e.file.name) for e in measurement.evidence.all()]
    audit_record(
        actor=by,
        action="revitalization.results.measurement_delete",
        obj=measurement.indicator,
        from_state=measurement.status,
        data={"period": measurement.period.label, "value": measurement.value},
    )
    measurement.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    """Remove an evidence file of a draft or returned measurement."""
    measurement = Measurement.objects.select_for_update().get(pk=evidence.measurement_id)
    require(by, "revitalization.edit", measurement.indicator.programme)
    _locked_period(measurement.period)
    _check_transition("save", measurement)
    storage, name = evidence.file.storage, evidence.file.name
    audit_record(
        actor=by,
        action="revitalization.results.evidence_delete",
        obj=measurement,
        data={"evidence": evidence.pk, "file": evidence.filename},
    )
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
