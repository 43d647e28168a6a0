"""Measurements: saving and submitting with breakdowns, explanations and evidence, the
coordinator's decisions (the transition table is ``models.results.MEASUREMENT_TRANSITIONS``)
and removing drafts and evidence."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.core.uploads import DOCX, JPEG, ODT, PDF, PNG, Kind, check_upload
from lokalnie.revitalization.calc.progress import DEVIATES, percentage, progress_status
from lokalnie.revitalization.models import (
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    ResultIndicator,
    Target,
)
from lokalnie.revitalization.models.results import (
    BREAKDOWN_DIMENSIONS,
    MEASUREMENT_TRANSITIONS,
    measurement_may,
)
from lokalnie.revitalization.services.results._common import (
    Kinds,
    Status,
    _check_unlocked,
    _finite,
    _fraction_problem,
    number_text,
    public_results_changed,
)

# Evidence files: documents, pictures and spreadsheets, checked by their content.
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
EVIDENCE_KINDS = (PDF, JPEG, PNG, DOCX, ODT, XLSX)
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

_SUM_PRECISION = 1e-6


# --- Measurements --------------------------------------------------------------------------


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
        public_results_changed(measurement.period.programme_id)
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
    public_results_changed(measurement.period.programme_id)
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
    public_results_changed(measurement.indicator.programme_id)
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
    public_results_changed(measurement.period.programme_id)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
