"""Writes about a programme as a whole: creating it, its details, its team and its stage."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import forget_cached_permissions
from lokalnie.core.audit import audit_record
from lokalnie.institutions.text import fold
from lokalnie.revitalization.models import Programme, ProgrammeMember, Stage, TeamRole
from lokalnie.revitalization.models.programme import STAGE_ORDER
from lokalnie.revitalization.selectors.programme import STAGE_DONE_WHEN, stage_completion

PROGRAMME_FIELDS = ("title", "gmina", "institution", "description", "period_start", "period_end")


def _unique_slug(title: str, gmina_name: str) -> str:
    text = f"{title} {gmina_name}".replace("–", " ").replace("—", " ")
    base = slugify(fold(text))[:70].strip("-") or "program"
    slug, number = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_period(period_start, period_end) -> None:
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The programme cannot end before it starts.")})


@transaction.atomic
def programme_create(
    *, by, title, gmina, institution=None, description="", period_start=None, period_end=None
) -> Programme:
    """A new programme of the gmina; whoever creates it becomes its coordinator."""
    _check_period(period_start, period_end)
    programme = Programme.objects.create(
        slug=_unique_slug(title, gmina.name),
        title=title,
        gmina=gmina,
        institution=institution,
        description=description,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    ProgrammeMember.objects.create(programme=programme, user=by, role=TeamRole.COORDINATOR)
    forget_cached_permissions(by)
    audit_record(
        actor=by,
        action="revitalization.programme.created",
        obj=programme,
        to_state=programme.stage,
        data={"gmina": gmina.code, "title": title},
    )
    return programme


@transaction.atomic
def programme_update(*, programme, by, **fields) -> Programme:
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"Not programme details: {sorted(unknown)}")
    _check_period(
        fields.get("period_start", programme.period_start),
        fields.get("period_end", programme.period_end),
    )
    changed = {}
    for name, value in fields.items():
        old = getattr(programme, name)
        if old != value:
            changed[name] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(programme, name, value)
    if changed:
        programme.save(update_fields=list(changed))
        audit_record(
            actor=by, action="revitalization.programme.updated", obj=programme, data=changed
        )
        from lokalnie.revitalization.services.monitoring import forget_public_results

        forget_public_results(programme)
    return programme


def _coordinators(programme) -> int:
    return ProgrammeMember.objects.filter(programme=programme, role=TeamRole.COORDINATOR).count()


@transaction.atomic
def member_add(*, programme, email: str, role: str, by) -> ProgrammeMember:
    """Add a person with an account to the team."""
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with the address %(email)s. Ask them to create an "
                    "account first, then add them."
                )
                % {"email": email.strip()}
            }
        )
    if ProgrammeMember.objects.filter(programme=programme, user=user).exists():
        raise ValidationError({"email": _("This person is already in the team.")})
    member = ProgrammeMember.objects.create(programme=programme, user=user, role=role)
    forget_cached_permissions(user)
    audit_record(
        actor=by,
        action="revitalization.team.added",
        obj=programme,
        to_state=role,
        data={"user": user.pk, "email": user.email},
    )
    return member


@transaction.atomic
def member_change_role(*, member: ProgrammeMember, role: str, by) -> ProgrammeMember:
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    member = ProgrammeMember.objects.select_for_update().get(pk=member.pk)
    old = member.role
    if old == role:
        return member
    if old == TeamRole.COORDINATOR and _coordinators(member.programme) == 1:
        raise ValidationError(
            _("A programme needs at least one coordinator: make someone else coordinator first.")
        )
    member.role = role
    member.save(update_fields=["role"])
    forget_cached_permissions(member.user)
    audit_record(
        actor=by,
        action="revitalization.team.role_changed",
        obj=member.programme,
        from_state=old,
        to_state=role,
        data={"user": member.user_id},
    )
    return member


@transaction.atomic
def member_remove(*, member: ProgrammeMember, by) -> None:
    member = ProgrammeMember.objects.select_for_update().get(pk=member.pk)
    if member.role == TeamRole.COORDINATOR and _coordinators(member.programme) == 1:
        raise ValidationError(
            _("A programme needs at least one coordinator: make someone else coordinator first.")
        )
    programme, user = member.programme, member.user
    member.delete()
    forget_cached_permissions(user)
    audit_record(
        actor=by,
        action="revitalization.team.removed",
        obj=programme,
        from_state=member.role,
        data={"user": user.pk},
    )


@transaction.atomic
def programme_stage_set(*, programme, stage: str, by) -> Programme:
    """Move the programme to another stage. Going forward needs every earlier stage's work
    done (the error says what is missing); going back is always allowed."""
    if stage not in STAGE_ORDER:
        raise ValidationError(_("Unknown stage."))
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old = programme.stage
    if stage == old:
        return programme
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(old):
        completion = stage_completion(programme)
        for key in STAGE_ORDER[: STAGE_ORDER.index(stage)]:
            if not completion[key]:
                raise ValidationError(
                    _("The stage “%(stage)s” is not finished yet: it is done when %(rule)s.")
                    % {"stage": Stage(key).label, "rule": STAGE_DONE_WHEN[key]}
                )
    programme.stage = stage
    programme.save(update_fields=["stage"])
    audit_record(
        actor=by,
        action="revitalization.programme.stage_changed",
        obj=programme,
        from_state=old,
        to_state=stage,
    )
    return programme
