"""Reporting periods (and locking them) and the indicators' targets per period."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.models import (
    Period,
    Programme,
    ResultIndicator,
    Target,
)
from lokalnie.revitalization.services.results._common import (
    Kinds,
    Status,
    _check_unlocked,
    _finite,
    locked_error,
    public_results_changed,
)

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
    public_results_changed(period.programme_id)
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
    public_results_changed(programme.pk)
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
    public_results_changed(period.programme_id)
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
    public_results_changed(period.programme_id)
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
    public_results_changed(period.programme_id)
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
    public_results_changed(period.programme_id)
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
            errors[key] = str(locked_error(period).messages[0])
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
        public_results_changed(indicator.programme_id)
