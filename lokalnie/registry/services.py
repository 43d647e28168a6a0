"""All writes of certificates and the registry: issuing (with the number, the status list
indexes and the signed credential), the status workflow and its history, investigations,
status lists, the person responsible for certification, expiry and reminders.

Each service checks who may act, changes state in one transaction, writes the audit log
and the certificate's history, and queues e-mails (sent after commit)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.models import Role
from lokalnie.accounts.permissions import require
from lokalnie.core import pagecache
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue, language_for
from lokalnie.credentials import (
    build_status_list_credential,
    encode_bitstring,
    new_bitstring,
    random_index,
    set_bit,
)
from lokalnie.institutions.text import fold
from lokalnie.registry import selectors, signing
from lokalnie.registry.dates import REMINDER_MONTHS, add_months, reminder_date, validity_end
from lokalnie.registry.models import (
    Certificate,
    CertificateEvent,
    Investigation,
    InvestigationResponse,
    NumberCounter,
    ReminderSent,
    ResponsiblePerson,
    StatusListRecord,
    format_number,
)
from lokalnie.registry.workflow import (
    TRANSITIONS,
    Decision,
    EventKind,
    InvestigationStatus,
    Status,
    TransitionNotAllowed,
)

# --- The person responsible for certification --------------------------------------------


@transaction.atomic
def responsible_person_appoint(
    *, by, name: str, function_pl: str, function_en: str, from_date: dt.date
) -> ResponsiblePerson:
    """Record the Board's appointment; from ``from_date`` the person is printed on new
    certificates."""
    require(by, "certificate.manage")
    name, function_pl = name.strip(), function_pl.strip()
    if not name or not function_pl:
        raise ValidationError(_("Give the person's name and function."))
    person = ResponsiblePerson.objects.create(
        name=name,
        function_pl=function_pl,
        function_en=function_en.strip(),
        from_date=from_date,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="certificate.responsible_person_appointed",
        obj=person,
        data={"name": name, "function": function_pl, "from": from_date.isoformat()},
    )
    return person


def responsible_person_on(day: dt.date) -> ResponsiblePerson | None:
    return (
        ResponsiblePerson.objects.filter(from_date__lte=day).order_by("-from_date", "-pk").first()
    )


# --- Status lists -------------------------------------------------------------------------

STATUS_LIST_SECONDS = 60 * 60


def _status_list_locked(purpose: str) -> StatusListRecord:
    """The list's row, created on first use, locked until the transaction ends."""
    record, _created = StatusListRecord.objects.select_for_update().get_or_create(
        purpose=purpose, defaults={"bits": bytes(new_bitstring())}
    )
    return record


def _status_list_sign(record: StatusListRecord, now: dt.datetime) -> None:
    credential = build_status_list_credential(
        list_url=signing.status_list_url(record.purpose),
        issuer=signing.issuer(),
        purpose=record.purpose,
        encoded_list=encode_bitstring(bytes(record.bits)),
        valid_from=now,
    )
    record.token = signing.sign_credential(credential)
    record.key_id = signing.current_key_id()
    record.signed_at = now
    record.save(update_fields=["bits", "token", "key_id", "signed_at"])
    pagecache.forget(selectors.status_list_cache_keys(record.purpose)[0])


# Other credentials that take bits in the status lists: (app label.model, index field). A
# workshop completion's credential shares the revocation list with certificates.
STATUS_LIST_USERS = {
    "revocation": [
        ("registry.Certificate", "revocation_index"),
        ("training.Completion", "revocation_index"),
    ],
    "suspension": [("registry.Certificate", "suspension_index")],
}


def _status_list_allocate(purpose: str) -> int:
    """A random index not used by any credential in this list (certificates, and workshop
    completions in the revocation list). The list's row stays locked until the issuing
    transaction commits, so two issues cannot pick the same index (and the unique
    constraints would stop them within one table if they did)."""
    from django.apps import apps

    record = _status_list_locked(purpose)
    size = len(bytes(record.bits)) * 8
    users = [(apps.get_model(label), field) for label, field in STATUS_LIST_USERS[purpose]]
    for _attempt in range(64):
        index = random_index(size)
        if not any(model.objects.filter(**{field: index}).exists() for model, field in users):
            return index
    raise RuntimeError(f"The {purpose} status list has no free index left; enlarge it.")


def _status_list_set(purpose: str, index: int, value: bool, now: dt.datetime) -> None:
    record = _status_list_locked(purpose)
    bits = bytearray(bytes(record.bits))
    set_bit(bits, index, value)
    record.bits = bytes(bits)
    _status_list_sign(record, now)


def status_list_token(purpose: str) -> str:
    """The signed status list as published; signed now if it never was or if the signing
    key has changed since (so a rotated key takes over at once). Read from the cache when it
    is on (``pagecache.cache_on``): every re-signing deletes its version."""
    key_id = signing.current_key_id()
    version = None
    version_key, key = selectors.status_list_cache_keys(purpose)
    if pagecache.cache_on():
        version, cached = pagecache.lookup(version_key, key)
        if cached is not None and cached[1] == key_id:
            return cached[0]
    # The published token only (not the 16 KB of bits).
    stored = StatusListRecord.objects.filter(purpose=purpose).values_list("token", "key_id").first()
    if not (stored and stored[0] and stored[1] == key_id):
        with transaction.atomic():
            record = _status_list_locked(purpose)
            if not record.token or record.key_id != key_id:
                _status_list_sign(record, timezone.now())
        stored = (record.token, record.key_id)
    if version is not None:
        pagecache.store(key, version, stored, STATUS_LIST_SECONDS)
    return stored[0]


# --- Issuing ------------------------------------------------------------------------------


def _allocate_number(year: int) -> int:
    """The next sequence number of the year; the counter row is locked until commit."""
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _search_text(institution) -> str:
    gmina = institution.gmina
    parts = [institution.name, institution.city, gmina.name]
    return fold(" ".join(parts))[:500]


@transaction.atomic
def certificate_issue(*, application, by) -> Certificate:
    """Issue the certificate of a granted application: the next number of the year, valid
    5 years to the day, status list indexes, the signed credential, history, audit, e-mails.

    Idempotent: a second call for the same application returns the certificate already
    issued. The authority is the application's "granted" status (the Committee's or the
    Board's decision, checked by the certification workflow); ``by`` is who decided."""
    from lokalnie.certification.models import Application
    from lokalnie.certification.workflow import Status as ApplicationStatus

    application = (
        Application.objects.select_for_update()
        .select_related("institution__gmina", "area")
        .get(pk=application.pk)
    )
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.status != ApplicationStatus.GRANTED:
        raise ValidationError(
            _("A certificate is issued only for a granted application (this one is “%(status)s”).")
            % {"status": application.get_status_display()}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    institution, area = application.institution, application.area
    sequence = _allocate_number(today.year)
    previous = (
        # "renewal" is a reverse one-to-one (an outer join): lock only the certificate rows,
        # which PostgreSQL requires ("FOR UPDATE cannot be applied to the nullable side").
        Certificate.objects.select_for_update(of=("self",))
        .filter(institution=institution, area=area, renewal__isnull=True)
        .exclude(status=Status.WITHDRAWN)
        .order_by("-issued_on", "-pk")
        .first()
    )
    certificate = Certificate(
        number=format_number(today.year, sequence),
        year=today.year,
        sequence=sequence,
        application=application,
        institution=institution,
        area=area,
        status=Status.VALID,
        status_changed_at=now,
        issued_at=now,
        issued_on=today,
        valid_until=validity_end(today),
        previous=previous,
        responsible_person=responsible_person_on(today),
        institution_name=institution.name,
        place=institution.city,
        search_text=_search_text(institution),
        revocation_index=_status_list_allocate("revocation"),
        suspension_index=_status_list_allocate("suspension"),
    )
    certificate.credential_jws = signing.sign_credential(
        signing.certificate_credential(certificate)
    )
    certificate.save()
    event = _event(certificate, EventKind.ISSUED, by=by, now=now, to_status=Status.VALID)
    audit_record(
        actor=by,
        action="certificate.issued",
        obj=certificate,
        to_state=Status.VALID,
        data={
            "number": certificate.number,
            "application": application.pk,
            "institution": institution.pk,
            "area": area.slug,
            "valid_until": certificate.valid_until.isoformat(),
            "renews": previous.number if previous else None,
        },
    )
    # The renewed certificate's page shows its renewal.
    _forget_cached(certificate.number, *([previous.number] if previous else []))
    if previous is not None:
        _event(previous, EventKind.RENEWED, by=by, now=now, related=certificate)
        audit_record(
            actor=by,
            action="certificate.renewed",
            obj=previous,
            data={"renewed_by": certificate.number},
        )
    _notify_members(certificate, event)
    return certificate


def _event(certificate, kind, *, by, now, from_status="", to_status="", reasons="", **extra):
    is_person = by is not None and getattr(by, "is_authenticated", False)
    return CertificateEvent.objects.create(
        certificate=certificate,
        kind=kind,
        at=now,
        by=by if is_person else None,
        by_label=by.email if is_person else "system",
        from_status=from_status,
        to_status=to_status,
        reasons=reasons,
        **extra,
    )


def _forget_cached(*numbers: str) -> None:
    """The registry's cached public pages and documents of these certificates are stale."""
    pagecache.forget(
        selectors.REGISTRY_VERSION_KEY,
        *(selectors.certificate_version_key(number) for number in numbers),
    )


# --- Status changes -----------------------------------------------------------------------


@transaction.atomic
def certificate_transition(
    *,
    certificate: Certificate,
    action: str,
    by,
    reason: str = "",
    investigation: Investigation | None = None,
    now: dt.datetime | None = None,
) -> Certificate:
    """Move a certificate along the table in ``workflow.TRANSITIONS``: checks the source
    status and who acts, requires written reasons (and, for suspension and withdrawal, the
    investigation they close), updates the status lists and re-signs them, records the
    history and the audit entry and e-mails the institution's members."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValueError(f"Unknown action {action!r}")
    now = now or timezone.now()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status not in transition.sources:
        raise TransitionNotAllowed(action, certificate.status)
    if transition.permission:
        if by is None:
            raise PermissionDenied(f"{action} needs a person who may take it.")
        require(by, transition.permission, certificate)
    elif by is not None:
        raise PermissionDenied(f"{action} is done by the system only.")
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise ValidationError({"reason": _("Written reasons are required for this step.")})
    if transition.needs_investigation and (
        investigation is None or investigation.certificate_id != certificate.pk
    ):
        raise ValidationError(
            _("A certificate is suspended or withdrawn only after an investigation with charges.")
        )
    if action == "expire" and certificate.valid_until >= timezone.localdate(now):
        raise ValidationError(_("The certificate is still within its validity period."))

    if action == "suspend":
        _status_list_set("suspension", certificate.suspension_index, True, now)
    elif action == "reinstate":
        _status_list_set("suspension", certificate.suspension_index, False, now)
    elif action == "withdraw":
        _status_list_set("revocation", certificate.revocation_index, True, now)
        if certificate.status == Status.SUSPENDED:
            _status_list_set("suspension", certificate.suspension_index, False, now)
    # Expiry changes no list: the credential's validUntil says it.

    source = certificate.status
    certificate.status = transition.target
    certificate.status_changed_at = now
    certificate.save(update_fields=["status", "status_changed_at"])
    _forget_cached(certificate.number)
    event = _event(
        certificate,
        transition.event,
        by=by,
        now=now,
        from_status=source,
        to_status=transition.target,
        reasons=reason,
        investigation=investigation,
    )
    audit_record(
        actor=by,
        action=f"certificate.{action}",
        obj=certificate,
        from_state=source,
        to_state=transition.target,
        reason=reason,
        data={"investigation": investigation.pk} if investigation else None,
    )
    _notify_members(certificate, event)
    return certificate


# --- Investigations (suspension and withdrawal procedure) ---------------------------------


@transaction.atomic
def investigation_open(*, certificate: Certificate, by, charges: str) -> Investigation:
    """The Committee opens an investigation with written charges; the institution's members
    are told and may answer in writing."""
    require(by, "certificate.investigate", certificate)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    charges = (charges or "").strip()
    if not charges:
        raise ValidationError({"charges": _("State the charges in writing.")})
    if certificate.current_status() not in (Status.VALID, Status.SUSPENDED):
        raise ValidationError(
            _("Only a valid or suspended certificate can be investigated; this one is %(status)s.")
            % {"status": certificate.current_status_label}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            investigation = Investigation.objects.create(
                certificate=certificate, charges=charges, opened_at=now, opened_by=by
            )
    except IntegrityError:
        raise ValidationError(
            _("An investigation of this certificate is already open; continue that one.")
        ) from None
    audit_record(
        actor=by,
        action="certificate.investigation_opened",
        obj=certificate,
        reason=charges,
        data={"investigation": investigation.pk},
    )
    for user in _members(certificate):
        email_queue(
            key=f"investigation:{investigation.pk}:opened:{user.pk}",
            to=user.email,
            language=language_for(user),
            template="registry/email/investigation_opened",
            context={
                "number": certificate.number,
                "institution": certificate.institution_name,
                "charges": charges,
                "url": reverse("registry:investigation", args=[investigation.pk]),
            },
        )
    return investigation


def _locked_open(investigation: Investigation) -> Investigation:
    investigation = (
        Investigation.objects.select_for_update()
        .select_related("certificate")
        .get(pk=investigation.pk)
    )
    if not investigation.is_open:
        raise ValidationError(_("The investigation is closed."))
    return investigation


@transaction.atomic
def investigation_respond(*, investigation: Investigation, by, text: str) -> InvestigationResponse:
    """A member of the institution answers the charges in writing; the Committee is told."""
    require(by, "certificate.respond", investigation)
    investigation = _locked_open(investigation)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your response.")})
    response = InvestigationResponse.objects.create(
        investigation=investigation, text=text, at=timezone.now(), by=by
    )
    audit_record(
        actor=by,
        action="certificate.investigation_response",
        obj=investigation.certificate,
        data={"investigation": investigation.pk, "response": response.pk},
    )
    User = get_user_model()
    for user in User.objects.filter(role_assignments__role=Role.COMMITTEE, is_active=True):
        email_queue(
            key=f"investigation:{investigation.pk}:response:{response.pk}:{user.pk}",
            to=user.email,
            language=language_for(user),
            template="registry/email/investigation_response",
            context={
                "number": investigation.certificate.number,
                "institution": investigation.certificate.institution_name,
                "url": reverse("registry:investigation", args=[investigation.pk]),
            },
        )
    return response


@transaction.atomic
def investigation_decide(
    *, investigation: Investigation, by, decision: str, reasons: str
) -> Investigation:
    """The Committee closes the investigation: suspends or withdraws the certificate, or
    closes without action, always with written reasons."""
    require(by, "certificate.investigate", investigation.certificate)
    investigation = _locked_open(investigation)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Written reasons are required for the decision.")})
    now = timezone.now()
    if decision in (Decision.SUSPEND, Decision.WITHDRAW):
        certificate_transition(
            certificate=investigation.certificate,
            action=decision,
            by=by,
            reason=reasons,
            investigation=investigation,
            now=now,
        )
    investigation.status = InvestigationStatus.CLOSED
    investigation.decision = decision
    investigation.decision_reasons = reasons
    investigation.decided_at = now
    investigation.decided_by = by
    investigation.save(
        update_fields=["status", "decision", "decision_reasons", "decided_at", "decided_by"]
    )
    audit_record(
        actor=by,
        action="certificate.investigation_decided",
        obj=investigation.certificate,
        from_state=InvestigationStatus.OPEN,
        to_state=decision,
        reason=reasons,
        data={"investigation": investigation.pk},
    )
    if decision == Decision.NO_ACTION:
        certificate = investigation.certificate
        for user in _members(certificate):
            email_queue(
                key=f"investigation:{investigation.pk}:closed:{user.pk}",
                to=user.email,
                language=language_for(user),
                template="registry/email/investigation_closed",
                context={
                    "number": certificate.number,
                    "institution": certificate.institution_name,
                    "reasons": reasons,
                    "url": reverse("registry:investigation", args=[investigation.pk]),
                },
            )
    return investigation


# --- Expiry and reminders -----------------------------------------------------------------


def certificates_expire(*, today: dt.date | None = None) -> list[str]:
    """Mark valid or suspended certificates whose last day has passed as expired (each in
    its own transaction). Returns their numbers. Idempotent."""
    if today is None:
        now = timezone.now()
        today = timezone.localdate(now)
    else:  # a given day (the command's --today): act at its start
        now = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    expired = []
    due = Certificate.objects.filter(
        status__in=[Status.VALID, Status.SUSPENDED], valid_until__lt=today
    ).order_by("pk")
    for certificate in due:
        try:
            certificate_transition(certificate=certificate, action="expire", by=None, now=now)
        except TransitionNotAllowed:  # changed meanwhile by another process
            continue
        expired.append(certificate.number)
    return expired


def reminders_send(*, today: dt.date | None = None) -> list[tuple[str, int]]:
    """Remind the members of institutions whose certificate ends in 12, 6 or 3 months.

    Each reminder is recorded once per certificate and number of months (a unique row), so
    re-runs send nothing twice. If several became due since the last run, only the most
    urgent is sent and the others are recorded as skipped. Renewed certificates get none."""
    today = today or timezone.localdate()
    horizon = add_months(today, max(REMINDER_MONTHS))
    candidates = (
        Certificate.objects.filter(
            status=Status.VALID,
            valid_until__gte=today,
            valid_until__lte=horizon,
            renewal__isnull=True,
        )
        .prefetch_related("reminders")
        .order_by("pk")
    )
    sent = []
    for certificate in candidates:
        done = {reminder.months for reminder in certificate.reminders.all()}
        due = [
            months
            for months in REMINDER_MONTHS
            if months not in done and reminder_date(certificate.valid_until, months) <= today
        ]
        if not due:
            continue
        urgent = min(due)
        if any(months < urgent for months in done):
            continue  # a more urgent reminder already went out
        if _reminder_record(certificate, due, urgent):
            sent.append((certificate.number, urgent))
    return sent


@transaction.atomic
def _reminder_record(certificate: Certificate, due: list[int], urgent: int) -> bool:
    now = timezone.now()
    try:
        with transaction.atomic():
            for months in due:
                ReminderSent.objects.create(
                    certificate=certificate, months=months, sent_at=now, skipped=months != urgent
                )
    except IntegrityError:  # another run recorded it first
        return False
    audit_record(
        actor=None,
        action="certificate.reminder_sent",
        obj=certificate,
        data={"months": urgent, "skipped": [m for m in due if m != urgent]},
    )
    for user in _members(certificate):
        email_queue(
            key=f"certificate:{certificate.pk}:reminder:{urgent}:{user.pk}",
            to=user.email,
            language=language_for(user),
            template="registry/email/reminder",
            context={
                "number": certificate.number,
                "institution": certificate.institution_name,
                "area_pl": certificate.area.name_pl,
                "area_en": certificate.area.name_en,
                "months": urgent,
                "valid_until": certificate.valid_until,
                "url": reverse("certification:application_create"),
            },
        )
    return True


# --- E-mail -------------------------------------------------------------------------------


def _members(certificate: Certificate):
    User = get_user_model()
    return list(
        User.objects.filter(
            memberships__institution_id=certificate.institution_id, is_active=True
        ).order_by("pk")
    )


def _notify_members(certificate: Certificate, event: CertificateEvent) -> None:
    for user in _members(certificate):
        email_queue(
            key=f"certificate:{certificate.pk}:event:{event.pk}:{user.pk}",
            to=user.email,
            language=language_for(user),
            template="registry/email/event",
            context={
                "number": certificate.number,
                "institution": certificate.institution_name,
                "area_pl": certificate.area.name_pl,
                "area_en": certificate.area.name_en,
                "kind": event.kind,
                "reasons": event.reasons,
                "valid_until": certificate.valid_until,
                "url": reverse("registry:certificate", args=[certificate.slug]),
            },
        )
