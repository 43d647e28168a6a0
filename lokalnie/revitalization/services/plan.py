"""Writes of the plan part: the programme's actions.

Every write checks ``revitalization.edit`` on the programme, validates everything before
touching the database (all problems at once, keyed by the form's field names), happens in
one transaction and is written to the audit log with the programme as its object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.models import Action, Programme, Stakeholder
from lokalnie.revitalization.services.monitoring import forget_public_results

ACTION_FIELDS = (
    "title",
    "goal",
    "responsible",
    "partners",
    "starts_on",
    "ends_on",
    "budget_pln",
    "funding_source",
    "target_group",
    "indicators",
)
MAX_BUDGET = Decimal("999999999999.99")  # what the column holds (14 digits, 2 after the point)
TEXT_LIMITS = {"title": 200, "funding_source": 200, "target_group": 300}


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _clean_action(*, programme: Programme, data: dict) -> dict:
    """The action's fields, normalized; ValidationError naming every problem."""
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not action fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    clean = {
        name: " ".join(str(data.get(name) or "").split())
        for name in ("title", "funding_source", "target_group")
    }
    clean["goal"] = str(data.get("goal") or "").strip()
    if not clean["title"]:
        fail("title", _("Give the action a title."))
    if not clean["goal"]:
        fail("goal", _("Say what the action is meant to achieve."))
    if not clean["funding_source"]:
        fail("funding_source", _("Give the source of funding (e.g. “środki własne gminy”)."))
    if not clean["target_group"]:
        fail("target_group", _("Say who the action is for."))
    for name, limit in TEXT_LIMITS.items():
        if len(clean[name]) > limit:
            fail(name, _("This is too long (at most %(limit)s characters).") % {"limit": limit})

    responsible = data.get("responsible")
    if responsible is None:
        fail("responsible", _("Choose the partner responsible for the action."))
    elif responsible.programme_id != programme.pk:
        fail(
            "responsible", _("Choose the responsible partner among this programme's stakeholders.")
        )
    clean["responsible"] = responsible
    partners = [
        p for p in data.get("partners") or [] if responsible is None or p.pk != responsible.pk
    ]
    if any(p.programme_id != programme.pk for p in partners):
        fail("partners", _("Choose the other partners among this programme's stakeholders."))
    clean["partners"] = partners
    indicators = list(data.get("indicators") or [])
    if any(i.programme_id != programme.pk for i in indicators):
        fail("indicators", _("Choose indicators of this programme."))
    clean["indicators"] = indicators

    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, dt.date):
        fail("starts_on", _("Give the date the action starts."))
    if not isinstance(ends_on, dt.date):
        fail("ends_on", _("Give the date the action ends."))
    if isinstance(starts_on, dt.date) and isinstance(ends_on, dt.date):
        if ends_on < starts_on:
            fail(
                "ends_on",
                _("The action cannot end (%(end)s) before it starts (%(start)s).")
                % {"end": _day(ends_on), "start": _day(starts_on)},
            )
        if programme.period_start and starts_on < programme.period_start:
            fail(
                "starts_on",
                _("The action starts on %(date)s, before the programme starts (%(start)s).")
                % {"date": _day(starts_on), "start": _day(programme.period_start)},
            )
        if programme.period_end and ends_on > programme.period_end:
            fail(
                "ends_on",
                _("The action ends on %(date)s, after the programme ends (%(end)s).")
                % {"date": _day(ends_on), "end": _day(programme.period_end)},
            )
    clean["starts_on"], clean["ends_on"] = starts_on, ends_on

    budget = data.get("budget_pln")
    try:
        budget = Decimal(budget) if budget is not None and budget != "" else None
    except (InvalidOperation, TypeError, ValueError):
        budget = None
        fail("budget_pln", _("Write the budget as an amount in PLN, e.g. 12 345,50."))
    if budget is None:
        if "budget_pln" not in errors:
            fail("budget_pln", _("Give the budget in PLN (0 if the action costs nothing)."))
    elif not budget.is_finite():
        fail("budget_pln", _("Write the budget as an amount in PLN, e.g. 12 345,50."))
    elif budget < 0:
        fail("budget_pln", _("The budget cannot be negative."))
    elif budget > MAX_BUDGET:
        fail("budget_pln", _("The budget is too large (at most 999 999 999 999,99 zł)."))
    elif budget != budget.quantize(Decimal("0.01")):
        fail("budget_pln", _("Give the budget to the grosz (at most two decimal places)."))
    else:
        budget = budget.quantize(Decimal("0.01"))
    clean["budget_pln"] = budget
    if errors:
        raise ValidationError(errors)
    return clean


def _lock_responsible(clean: dict) -> None:
    """Lock the responsible partner's row, so that removing it at the same moment waits
    for this action (and then refuses); refuse if it has just been removed."""
    responsible = clean["responsible"]
    locked = list(
        Stakeholder.objects.select_for_update()
        .filter(pk=responsible.pk, programme_id=responsible.programme_id)
        .values_list("pk", flat=True)
    )
    if not locked:
        raise ValidationError(
            {"responsible": [_("This stakeholder has just been removed; choose another.")]}
        )


def _action_data(action: Action, clean: dict) -> dict:
    return {
        "action": action.pk,
        "title": action.title,
        "responsible": action.responsible_id,
        "partners": sorted(p.pk for p in clean["partners"]),
        "starts_on": action.starts_on.isoformat(),
        "ends_on": action.ends_on.isoformat(),
        "budget_pln": str(action.budget_pln),
        "funding_source": action.funding_source,
        "indicators": sorted(i.pk for i in clean["indicators"]),
    }


@transaction.atomic
def action_create(*, programme: Programme, by, data: dict) -> Action:
    """A new action of the plan (fields as in ``ACTION_FIELDS``; ``responsible``,
    ``partners`` and ``indicators`` are model instances of this programme)."""
    require(by, "revitalization.edit", programme)
    clean = _clean_action(programme=programme, data=data)
    _lock_responsible(clean)
    partners, indicators = clean.pop("partners"), clean.pop("indicators")
    action = Action.objects.create(programme=programme, created_by=by, **clean)
    action.partners.set(partners)
    action.indicators.set(indicators)
    clean.update(partners=partners, indicators=indicators)
    audit_record(
        actor=by,
        action="revitalization.plan.action_created",
        obj=programme,
        to_state="planned",
        data=_action_data(action, clean),
    )
    forget_public_results(programme)  # the public page shows the plan
    return action


def _plain(value):
    if isinstance(value, list):
        return sorted(item.pk for item in value)
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return getattr(value, "pk", value)


@transaction.atomic
def action_update(*, action: Action, by, data: dict) -> Action:
    """Change an action; the audit entry lists each changed field (old, new)."""
    programme = action.programme
    require(by, "revitalization.edit", programme)
    clean = _clean_action(programme=programme, data=data)
    _lock_responsible(clean)
    changed = {}
    for name in ("partners", "indicators"):
        old = sorted(getattr(action, name).values_list("pk", flat=True))
        if old != _plain(clean[name]):
            changed[name] = [old, _plain(clean[name])]
            getattr(action, name).set(clean[name])
    fields = [name for name in clean if name not in ("partners", "indicators")]
    for name in fields:
        old = getattr(action, name)
        if old != clean[name]:
            changed[name] = [_plain(old), _plain(clean[name])]
            setattr(action, name, clean[name])
    if not changed:
        return action
    update_fields = [name for name in fields if name in changed]
    if update_fields:
        action.save(update_fields=update_fields)
    audit_record(
        actor=by,
        action="revitalization.plan.action_updated",
        obj=programme,
        data={"action": action.pk, "title": action.title, "changed": changed},
    )
    forget_public_results(programme)  # the public page shows the plan
    return action


@transaction.atomic
def action_delete(*, action: Action, by) -> None:
    programme = action.programme
    require(by, "revitalization.edit", programme)
    clean = {"partners": list(action.partners.all()), "indicators": list(action.indicators.all())}
    data = _action_data(action, clean)
    action.delete()
    audit_record(
        actor=by,
        action="revitalization.plan.action_deleted",
        obj=programme,
        from_state="planned",
        data=data,
    )
    forget_public_results(programme)  # the public page shows the plan


def plan_exported(*, programme: Programme, by, actions: int, file_format: str = "csv") -> None:
    """Record that the plan left the platform as a file (who, when, how many actions)."""
    require(by, "revitalization.view", programme)
    audit_record(
        actor=by,
        action="revitalization.plan.exported",
        obj=programme,
        data={"format": file_format, "actions": actions},
    )
