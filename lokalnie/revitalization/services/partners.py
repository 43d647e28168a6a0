"""Writes of the partners part: a programme's stakeholders and its partnership agreements.

Every write checks ``revitalization.edit`` on the programme, validates everything before
touching the database (all problems at once, keyed by the form's field names), happens in
one transaction and is written to the audit log with the programme as its object."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.core.uploads import DOCUMENTS, check_upload
from lokalnie.revitalization.models import Agreement, Programme, Stakeholder

STAKEHOLDER_FIELDS = (
    "kind",
    "institution",
    "name",
    "interest",
    "influence",
    "contact_name",
    "contact_email",
    "contact_phone",
    "role",
    "is_partner",
)
# A registry institution stands for an organization, never for a person or an informal group.
KINDS_WITH_INSTITUTION = (
    Stakeholder.Kind.INSTITUTION,
    Stakeholder.Kind.NGO,
    Stakeholder.Kind.BUSINESS,
)
AGREEMENT_KINDS = DOCUMENTS  # PDF, DOCX, ODT
AGREEMENT_MAX_BYTES = 20 * 1024 * 1024


def _text(data: dict, name: str) -> str:
    return " ".join(str(data.get(name) or "").split())


def _clean_stakeholder(*, programme: Programme, data: dict, instance=None) -> dict:
    """The stakeholder's fields, normalized; ValidationError naming every problem."""
    unknown = set(data) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValueError(f"Not stakeholder fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    clean = {
        "kind": data.get("kind") or "",
        "institution": data.get("institution"),
        "name": _text(data, "name"),
        "contact_name": _text(data, "contact_name"),
        "contact_email": _text(data, "contact_email"),
        "contact_phone": _text(data, "contact_phone"),
        "role": _text(data, "role"),
        "is_partner": bool(data.get("is_partner")),
    }
    if clean["kind"] not in Stakeholder.Kind.values:
        errors["kind"] = [_("Choose the kind of stakeholder.")]
    institution = clean["institution"]
    if institution is not None:
        if clean["kind"] and clean["kind"] not in KINDS_WITH_INSTITUTION:
            errors["institution_query"] = [
                _(
                    "An institution from the registry can be a public institution, an NGO or a "
                    "business, not “%(kind)s”."
                )
                % {"kind": Stakeholder.Kind(clean["kind"]).label}
            ]
        else:
            twin = Stakeholder.objects.filter(programme=programme, institution=institution)
            if instance is not None:
                twin = twin.exclude(pk=instance.pk)
            twin = twin.first()
            if twin is not None:
                errors["institution_query"] = [
                    _("%(institution)s is already a stakeholder of this programme (as “%(name)s”).")
                    % {"institution": institution.name, "name": twin.name}
                ]
        if not clean["name"]:
            clean["name"] = institution.name[:200]
    if not clean["name"]:
        errors["name"] = [
            _("Give the stakeholder's name (or choose an institution from the registry).")
        ]
    elif len(clean["name"]) > 200:
        errors["name"] = [_("The name is too long (at most 200 characters).")]
    for field, label in (("interest", _("interest")), ("influence", _("influence"))):
        value = data.get(field)
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = None
        if level is None or not 1 <= level <= 5 or str(level) != str(value).strip():
            errors[field] = [_("Choose the %(scale)s from 1 to 5.") % {"scale": label}]
        else:
            clean[field] = level
    if clean["contact_email"]:
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors["contact_email"] = [
                _("“%(email)s” is not an e-mail address.") % {"email": clean["contact_email"]}
            ]
    for field, limit in (("contact_name", 200), ("contact_phone", 40), ("role", 300)):
        if len(clean[field]) > limit:
            errors[field] = [
                _("This is too long (at most %(limit)s characters).") % {"limit": limit}
            ]
    if errors:
        raise ValidationError(errors)
    return clean


def _stakeholder_data(stakeholder: Stakeholder) -> dict:
    return {
        "stakeholder": stakeholder.pk,
        "name": stakeholder.name,
        "kind": stakeholder.kind,
        "institution": stakeholder.institution_id,
        "interest": stakeholder.interest,
        "influence": stakeholder.influence,
        "partner": stakeholder.is_partner,
    }


@transaction.atomic
def stakeholder_create(*, programme: Programme, by, data: dict) -> Stakeholder:
    """A new stakeholder of the programme (fields as in ``STAKEHOLDER_FIELDS``)."""
    require(by, "revitalization.edit", programme)
    clean = _clean_stakeholder(programme=programme, data=data)
    stakeholder = Stakeholder.objects.create(programme=programme, **clean)
    audit_record(
        actor=by,
        action="revitalization.partners.stakeholder_created",
        obj=programme,
        to_state="partner" if stakeholder.is_partner else "stakeholder",
        data=_stakeholder_data(stakeholder),
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(*, stakeholder: Stakeholder, by, data: dict) -> Stakeholder:
    """Change a stakeholder; the audit entry lists each changed field (old, new)."""
    programme = stakeholder.programme
    require(by, "revitalization.edit", programme)
    clean = _clean_stakeholder(programme=programme, data=data, instance=stakeholder)
    was_partner = stakeholder.is_partner
    changed = {}
    for name, value in clean.items():
        old = getattr(stakeholder, name)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(stakeholder, name, value)
    if not changed:
        return stakeholder
    stakeholder.save(update_fields=list(changed))
    audit_record(
        actor=by,
        action="revitalization.partners.stakeholder_updated",
        obj=programme,
        from_state="partner" if was_partner else "stakeholder",
        to_state="partner" if stakeholder.is_partner else "stakeholder",
        data={"stakeholder": stakeholder.pk, "name": stakeholder.name, "changed": changed},
    )
    return stakeholder


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return getattr(value, "pk", str(value))


def _quoted(titles) -> str:
    return ", ".join(f"“{title}”" for title in titles)


def stakeholder_blockers(stakeholder: Stakeholder) -> list[str]:
    """Why the stakeholder cannot be removed (empty when it can): the actions it is
    responsible for and the agreements it is a party to, each named."""
    reasons = []
    actions = list(
        stakeholder.responsible_for.order_by("starts_on", "pk").values_list("title", flat=True)
    )
    if actions:
        reasons.append(
            ngettext(
                "%(name)s is responsible for the action %(actions)s; give the action another "
                "responsible partner first.",
                "%(name)s is responsible for the actions %(actions)s; give the actions another "
                "responsible partner first.",
                len(actions),
            )
            % {"name": stakeholder.name, "actions": _quoted(actions)}
        )
    agreements = list(
        stakeholder.agreements.order_by("-signed_on", "pk").values_list("title", flat=True)
    )
    if agreements:
        reasons.append(
            ngettext(
                "%(name)s is a party to the partnership agreement %(agreements)s; the parties "
                "of an agreement stay on record.",
                "%(name)s is a party to the partnership agreements %(agreements)s; the parties "
                "of an agreement stay on record.",
                len(agreements),
            )
            % {"name": stakeholder.name, "agreements": _quoted(agreements)}
        )
    return reasons


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, by) -> None:
    """Remove a stakeholder. Refused (ValidationError naming them) while it is responsible
    for an action or a party to an agreement; it leaves the other partners of actions."""
    programme = stakeholder.programme
    require(by, "revitalization.edit", programme)
    # Lock the row so that an action made responsible in parallel is seen (PROTECT backs it).
    Stakeholder.objects.select_for_update().filter(pk=stakeholder.pk).first()
    reasons = stakeholder_blockers(stakeholder)
    if reasons:
        raise ValidationError(reasons)
    data = _stakeholder_data(stakeholder)
    data["left_actions"] = list(stakeholder.actions.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            stakeholder.delete()
    except ProtectedError:  # made responsible for an action a moment ago
        raise ValidationError(stakeholder_blockers(stakeholder)) from None
    audit_record(
        actor=by,
        action="revitalization.partners.stakeholder_deleted",
        obj=programme,
        from_state="partner" if data["partner"] else "stakeholder",
        data=data,
    )


# --- Partnership agreements ------------------------------------------------------------


def _clean_agreement(*, programme: Programme, title, signed_on, stakeholders) -> dict:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("Give the agreement a title.")]
    elif len(title) > 200:
        errors["title"] = [_("The title is too long (at most 200 characters).")]
    if not isinstance(signed_on, dt.date):
        errors["signed_on"] = [_("Give the date the agreement was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date of signing cannot be in the future.")]
    parties = list(stakeholders or [])
    if not parties:
        errors["stakeholders"] = [_("Choose at least one party of the agreement.")]
    elif any(party.programme_id != programme.pk for party in parties):
        errors["stakeholders"] = [_("Choose the parties among this programme's stakeholders.")]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "signed_on": signed_on, "parties": parties}


def _lock_parties(parties) -> None:
    """Lock the parties' rows, so that removing one at the same moment waits for this
    agreement (and then refuses); refuse if one has just been removed."""
    wanted = {party.pk for party in parties}
    locked = set(
        Stakeholder.objects.select_for_update().filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if locked != wanted:
        raise ValidationError(
            {
                "stakeholders": [
                    _("A party has just been removed from the stakeholders; choose again.")
                ]
            }
        )


def _check_document(upload):
    try:
        return check_upload(upload, allowed=AGREEMENT_KINDS, max_bytes=AGREEMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None


def _store_document(agreement: Agreement, upload, kind) -> str:
    """Save the file under a random name (not the model); the stored name."""
    agreement.filename = (upload.name or f"porozumienie{kind.extension}").rsplit("/", 1)[-1][-200:]
    agreement.content_type = kind.content_type
    agreement.size = upload.size
    upload.seek(0)
    agreement.document.save(f"{uuid.uuid4().hex}{kind.extension}", upload, save=False)
    return agreement.document.name


def _forget_file(storage, name: str) -> None:
    """Delete a stored file once the transaction commits; at once if it rolls back the
    new one (see the callers)."""
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def agreement_create(
    *, programme: Programme, by, title: str, signed_on, stakeholders, upload=None
) -> Agreement:
    """Record a partnership agreement with its parties and, optionally, its document
    (PDF, DOCX or ODT, checked by content)."""
    require(by, "revitalization.edit", programme)
    clean = _clean_agreement(
        programme=programme, title=title, signed_on=signed_on, stakeholders=stakeholders
    )
    kind = _check_document(upload) if upload is not None else None
    _lock_parties(clean["parties"])
    agreement = Agreement(programme=programme, title=clean["title"], signed_on=clean["signed_on"])
    stored = _store_document(agreement, upload, kind) if kind else ""
    try:
        agreement.save()
        agreement.stakeholders.set(clean["parties"])
        audit_record(
            actor=by,
            action="revitalization.partners.agreement_created",
            obj=programme,
            to_state="signed",
            data={
                "agreement": agreement.pk,
                "title": agreement.title,
                "signed_on": agreement.signed_on.isoformat(),
                "parties": [party.pk for party in clean["parties"]],
                "file": agreement.filename,
                "size": agreement.size,
            },
        )
    except BaseException:
        if stored:
            agreement.document.storage.delete(stored)  # no orphan file
        raise
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    by,
    title: str,
    signed_on,
    stakeholders,
    upload=None,
    remove_document: bool = False,
) -> Agreement:
    """Change an agreement; a new document replaces the old one (the old file goes once
    the change is committed), ``remove_document`` drops it."""
    programme = agreement.programme
    require(by, "revitalization.edit", programme)
    clean = _clean_agreement(
        programme=programme, title=title, signed_on=signed_on, stakeholders=stakeholders
    )
    kind = _check_document(upload) if upload is not None else None
    _lock_parties(clean["parties"])
    old_name, storage = agreement.document.name, agreement.document.storage
    old_filename = agreement.filename
    old_parties = sorted(agreement.stakeholders.values_list("pk", flat=True))
    changed = {}
    for name in ("title", "signed_on"):
        if getattr(agreement, name) != clean[name]:
            changed[name] = [str(getattr(agreement, name)), str(clean[name])]
            setattr(agreement, name, clean[name])
    new_parties = sorted(party.pk for party in clean["parties"])
    if new_parties != old_parties:
        changed["parties"] = [old_parties, new_parties]
    stored = ""
    if kind is not None:
        stored = _store_document(agreement, upload, kind)
        changed["file"] = [old_filename, agreement.filename]
    elif remove_document and old_name:
        agreement.document = None
        agreement.filename, agreement.content_type, agreement.size = "", "", 0
        changed["file"] = [old_filename, ""]
    try:
        agreement.save()
        agreement.stakeholders.set(clean["parties"])
        if changed:
            audit_record(
                actor=by,
                action="revitalization.partners.agreement_updated",
                obj=programme,
                data={"agreement": agreement.pk, "title": agreement.title, "changed": changed},
            )
    except BaseException:
        if stored:
            storage.delete(stored)
        raise
    if old_name and "file" in changed:
        _forget_file(storage, old_name)
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement, by) -> None:
    """Remove an agreement and its document (the file goes once the deletion commits)."""
    programme = agreement.programme
    require(by, "revitalization.edit", programme)
    stored, storage = agreement.document.name, agreement.document.storage
    data = {
        "agreement": agreement.pk,
        "title": agreement.title,
        "signed_on": agreement.signed_on.isoformat(),
        "parties": sorted(agreement.stakeholders.values_list("pk", flat=True)),
        "file": agreement.filename,
    }
    agreement.delete()
    audit_record(
        actor=by,
        action="revitalization.partners.agreement_deleted",
        obj=programme,
        from_state="signed",
        data=data,
    )
    if stored:
        _forget_file(storage, stored)
