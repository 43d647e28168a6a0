"""All writes for institutions, memberships, invitations and the TERYT register."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.permissions import forget_cached_permissions, require
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue
from lokalnie.institutions.models import Institution, Invitation, Membership, TerytUnit
from lokalnie.institutions.teryt import parse_terc
from lokalnie.institutions.text import fold

# --- TERYT ---------------------------------------------------------------------------------


@dataclass
class TerytImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def teryt_import(*, path: Path, by=None) -> TerytImportResult:
    """Import (or refresh) the register from a TERC file. Idempotent: a second run with
    the same file changes nothing. A malformed file raises TerytFormatError before any
    row is written."""
    rows = parse_terc(Path(path).read_bytes())
    existing = {unit.code: unit for unit in TerytUnit.objects.all()}
    created = updated = unchanged = 0
    to_create, to_update = [], []
    fields = ["level", "name", "kind", "gmina_type", "parent_id", "search_name", "valid_on"]
    for row in rows:
        values = {
            "level": row.level,
            "name": row.name,
            "kind": row.kind,
            "gmina_type": row.gmina_type if row.level in {"gmina", "gmina_part"} else "",
            "parent_id": row.parent_code,
            "search_name": fold(row.name),
            "valid_on": row.valid_on,
        }
        unit = existing.get(row.code)
        if unit is None:
            to_create.append(TerytUnit(code=row.code, **values))
        elif any(getattr(unit, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(unit, f, v)
            to_update.append(unit)
        else:
            unchanged += 1
    # Parents before children: codes sort voivodeship (2) < powiat (4) < gmina (7).
    to_create.sort(key=lambda u: (len(u.code), u.code))
    with transaction.atomic():
        TerytUnit.objects.bulk_create(to_create, batch_size=1000)
        TerytUnit.objects.bulk_update(to_update, fields, batch_size=1000)
        created, updated = len(to_create), len(to_update)
        if created or updated:
            audit_record(
                actor=by,
                action="teryt.imported",
                data={
                    "file": Path(path).name,
                    "created": created,
                    "updated": updated,
                    "unchanged": unchanged,
                },
            )
    return TerytImportResult(created, updated, unchanged)


# --- Institutions --------------------------------------------------------------------------

INSTITUTION_FIELDS = [
    "name",
    "kind",
    "street",
    "postal_code",
    "city",
    "gmina",
    "nip",
    "regon",
    "krs",
    "email",
    "phone",
    "website",
]


def _snapshot(institution: Institution) -> dict:
    data = {
        f: str(getattr(institution, f + "_id" if f == "gmina" else f) or "")
        for f in INSTITUTION_FIELDS
    }
    if institution.pk:
        data["areas"] = sorted(institution.areas.values_list("slug", flat=True))
    return data


def _prepare(institution: Institution) -> None:
    institution.search_name = fold(institution.name)
    institution.full_clean(exclude=["areas"])


@transaction.atomic
def institution_create(*, by, data: dict, areas=()) -> Institution:
    """Register an institution; the person who registers it becomes its owner."""
    require(by, "institution.create")
    institution = Institution(**data)
    _prepare(institution)
    institution.save()
    institution.areas.set(areas)
    Membership.objects.create(institution=institution, user=by, role=Membership.Role.OWNER)
    forget_cached_permissions(by)
    audit_record(
        actor=by, action="institution.created", obj=institution, data=_snapshot(institution)
    )
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, by, data: dict, areas=None) -> Institution:
    require(by, "institution.change", institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = _snapshot(institution)
    for field, value in data.items():
        if field not in INSTITUTION_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(institution, field, value)
    _prepare(institution)
    institution.save()
    if areas is not None:
        institution.areas.set(areas)
    after = _snapshot(institution)
    changes = {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
    if changes:
        audit_record(actor=by, action="institution.updated", obj=institution, data=changes)
    return institution


# --- Members and invitations ---------------------------------------------------------------


@transaction.atomic
def invitation_create(*, institution: Institution, email: str, role: str, by) -> Invitation:
    require(by, "institution.manage_members", institution)
    email = email.strip().lower()
    if Membership.objects.filter(institution=institution, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the institution.")})
    pending = Invitation.objects.filter(
        institution=institution,
        email__iexact=email,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            {"email": _("An invitation for this address is already waiting to be accepted.")}
        )
    invitation = Invitation.objects.create(
        institution=institution, email=email, role=role, invited_by=by
    )
    audit_record(
        actor=by,
        action="invitation.created",
        obj=institution,
        to_state=Invitation.Status.PENDING,
        data={"email": email, "role": role, "invitation": invitation.pk},
    )
    from django.contrib.auth import get_user_model

    from lokalnie.core.emails import language_for

    invitee = get_user_model().objects.filter(email__iexact=email).first()
    email_queue(
        key=f"invitation:{invitation.pk}",
        to=email,
        language=language_for(invitee) if invitee else language_for(by),
        template="institutions/email/invitation",
        context={
            "institution_name": institution.name,
            "inviter": by.display_name,
            "role": invitation.role,
            "accept_url": reverse("institutions:invitation", args=[invitation.token]),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used."))
    if by.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    membership, created = Membership.objects.get_or_create(
        institution=invitation.institution, user=by, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = by
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    audit_record(
        actor=by,
        action="invitation.accepted",
        obj=invitation.institution,
        from_state=Invitation.Status.PENDING,
        to_state=Invitation.Status.ACCEPTED,
        data={"invitation": invitation.pk, "role": membership.role, "new_member": created},
    )
    forget_cached_permissions(by)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    require(by, "institution.manage_members", invitation.institution)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="invitation.revoked",
        obj=invitation.institution,
        from_state=Invitation.Status.PENDING,
        to_state=Invitation.Status.REVOKED,
        data={"invitation": invitation.pk, "email": invitation.email},
    )


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    institution = membership.institution
    if membership.user_id != by.pk:
        require(by, "institution.manage_members", institution)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.OWNER:
        owners = Membership.objects.filter(
            institution=institution, role=Membership.Role.OWNER
        ).select_for_update()
        if owners.count() <= 1:
            raise ValidationError(
                _("The institution must keep at least one owner. Make someone else an owner first.")
            )
    membership.delete()
    audit_record(
        actor=by,
        action="membership.removed",
        obj=institution,
        from_state=membership.role,
        data={"user": membership.user.email},
    )
