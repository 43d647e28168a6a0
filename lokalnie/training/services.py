"""Writes of the workshops module: editions, registrations, seats and the waiting list.

Seats: every change that can take or free a seat locks the edition's row first
(``SELECT … FOR UPDATE``), counts the seats held (accepted or offered) and only then
changes a registration, so that parallel requests for the last seats can never accept
more people than the capacity. A freed seat is offered at once, within the same
transaction, to the first person waiting (the edition's own waiting list and the
regional requests together, by priority, then by time); an offer expires after the
edition's number of hours and moves on (``offers_expire``, run by ``workshops_tick``
and before any seat change of the edition).

Every change is audited; e-mails are queued in the outbox with a key per event, so a
retried task never sends one twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.services import PRIVACY_NOTICE_VERSION
from lokalnie.core import pagecache
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue
from lokalnie.institutions.models import Institution
from lokalnie.training import selectors
from lokalnie.training.models import (
    Edition,
    EditionDay,
    EligibilityQuestion,
    Registration,
    WaitlistRequest,
)
from lokalnie.training.workflow import (
    ACTIVE,
    EDITION_TRANSITIONS,
    SEAT_HOLDING,
    Acceptance,
    EditionStatus,
    RegStatus,
    TransitionError,
    edition_may,
    registration_may,
)

SOCIAL_ASSISTANCE_KINDS = (
    Institution.Kind.OPS,
    Institution.Kind.PCPR,
    Institution.Kind.CUS,
    Institution.Kind.CIS_KIS,
)


class RegistrationError(ValidationError):
    """A registration refused for a reason the person should read (the message says it)."""


# --- Programmes --------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, programme, questions_text: str, by):
    """Create or change a programme and its eligibility questions, given one per line in
    Polish ("!" first when the eligible answer is "no"). Unchanged questions are kept as
    they are (with their English text); registrations keep the questions they answered."""
    creating = programme.pk is None
    programme.save()
    lines = [line.strip() for line in questions_text.splitlines() if line.strip()]
    new = [(not line.startswith("!"), line.lstrip("!").strip()) for line in lines]
    old = [(q.eligible_answer, q.text_pl) for q in programme.eligibility_questions.all()]
    if new != old:
        programme.eligibility_questions.all().delete()
        EligibilityQuestion.objects.bulk_create(
            EligibilityQuestion(
                programme=programme, order=order, text_pl=text, eligible_answer=answer
            )
            for order, (answer, text) in enumerate(new)
        )
    audit_record(
        actor=by,
        action="training.programme.create" if creating else "training.programme.change",
        obj=programme,
        data={"eligibility_questions": len(new)},
    )
    return programme


# --- Editions ----------------------------------------------------------------------------


@dataclass
class DayPlan:
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time


def _check_days(programme, days: list[DayPlan]) -> None:
    if len(days) != programme.days:
        raise ValidationError(
            ngettext(
                "The programme has %(days)d day; give its date and times.",
                "The programme has %(days)d days; give the date and times of each.",
                programme.days,
            )
            % {"days": programme.days}
        )
    for number, day in enumerate(days, start=1):
        if day.ends_at <= day.starts_at:
            raise ValidationError(_("Day %(number)d ends before it starts.") % {"number": number})
    dates = [day.date for day in days]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ValidationError(_("The days must be different dates, in order."))


@transaction.atomic
def edition_save(*, edition: Edition, days: list[DayPlan], by) -> Edition:
    """Create or change an edition with its days (a new edition starts as a draft)."""
    _check_days(edition.programme, days)
    if edition.registration_closes_at <= edition.registration_opens_at:
        raise ValidationError(_("Registration must close after it opens."))
    first_day_start = timezone.make_aware(dt.datetime.combine(days[0].date, days[0].starts_at))
    if edition.registration_closes_at > first_day_start:
        raise ValidationError(_("Registration must close before the first day starts."))
    creating = edition.pk is None
    if not creating:
        held = edition.registrations.filter(status__in=SEAT_HOLDING).count()
        if edition.capacity < held:
            raise ValidationError(
                ngettext(
                    "%(held)d person already holds a seat; the number of seats cannot be "
                    "smaller than that.",
                    "%(held)d people already hold a seat; the number of seats cannot be "
                    "smaller than that.",
                    held,
                )
                % {"held": held}
            )
    edition.voivodeship_id = edition.gmina.code[:2]
    edition.starts_on = days[0].date
    edition.ends_on = days[-1].date
    edition.full_clean(exclude=["voivodeship", "starts_on", "ends_on"])
    edition.save()
    # Days are updated in place by their number, so that attendance already marked stays
    # with its day when a date or an hour changes.
    for number, day in enumerate(days, start=1):
        EditionDay.objects.update_or_create(
            edition=edition,
            number=number,
            defaults={"date": day.date, "starts_at": day.starts_at, "ends_at": day.ends_at},
        )
    _public_pages_changed()
    audit_record(
        actor=by,
        action="training.edition.create" if creating else "training.edition.change",
        obj=edition,
        data={
            "capacity": edition.capacity,
            "city": edition.city,
            "starts_on": str(edition.starts_on),
        },
    )
    if not creating:
        _locked_edition(edition.pk)
        _offer_freed_seats(edition, timezone.now())
    return edition


@transaction.atomic
def edition_transition(*, edition: Edition, action: str, by, reason: str = "") -> Edition:
    edition = _locked_edition(edition.pk)
    if action not in EDITION_TRANSITIONS or not edition_may(action, edition.status):
        raise TransitionError(
            _("This edition is %(status)s; it cannot be changed that way.")
            % {"status": edition.get_status_display()}
        )
    if action == "cancel" and not reason.strip():
        raise ValidationError(_("Say why the edition is cancelled; participants will read it."))
    before = edition.status
    edition.status = EDITION_TRANSITIONS[action]["to"]
    edition.save(update_fields=["status"])
    _public_pages_changed()
    audit_record(
        actor=by,
        action=f"training.edition.{action}",
        obj=edition,
        from_state=before,
        to_state=edition.status,
        reason=reason,
    )
    if action == "cancel":
        now = timezone.now()
        for registration in edition.registrations.filter(status__in=ACTIVE):
            _set_status(registration, RegStatus.CANCELLED, by=by, now=now, reason=reason)
            _notify(registration, "edition_cancelled", reason=reason)
    return edition


def _locked_edition(pk: int) -> Edition:
    return Edition.objects.select_for_update().select_related("programme").get(pk=pk)


def seats_held(edition: Edition) -> int:
    return edition.registrations.filter(status__in=SEAT_HOLDING).count()


def seats_left(edition: Edition) -> int:
    return max(edition.capacity - seats_held(edition), 0)


# --- Registration --------------------------------------------------------------------------


def _priority(edition: Edition, institution: Institution | None) -> tuple[int, list[str]]:
    if institution is None:
        return 0, []
    reasons = []
    if edition.priority_certificate:
        from lokalnie.certification.models import Application
        from lokalnie.certification.workflow import Status as AppStatus
        from lokalnie.registry.models import Certificate

        certified = (
            Certificate.objects.effective_status("valid").filter(institution=institution).exists()
        )
        applying = (
            Application.objects.filter(institution=institution)
            .exclude(status__in=(AppStatus.DRAFT, AppStatus.WITHDRAWN, AppStatus.REFUSED_FINAL))
            .exists()
        )
        if certified or applying:
            reasons.append("certificate")
    if edition.priority_social_assistance and institution.kind in SOCIAL_ASSISTANCE_KINDS:
        reasons.append("social_assistance")
    return len(reasons), reasons


def eligibility_of(programme, answers: dict[str, bool]) -> tuple[bool, list[dict]]:
    """Whether every eligibility question has its eligible answer, and the answers as
    kept with the registration (with the question's text, which may later change)."""
    questions = list(EligibilityQuestion.objects.filter(programme=programme))
    missing = [q for q in questions if str(q.pk) not in answers]
    if missing:
        raise ValidationError(_("Answer every eligibility question."))
    kept = [
        {
            "question": q.text_pl,
            "answer": bool(answers[str(q.pk)]),
            "eligible": bool(answers[str(q.pk)]) == q.eligible_answer,
        }
        for q in questions
    ]
    return all(item["eligible"] for item in kept), kept


def _check_window(edition: Edition, now: dt.datetime) -> None:
    if edition.status != EditionStatus.PUBLISHED:
        raise RegistrationError(_("This edition does not take registrations."))
    if now < edition.registration_opens_at:
        raise RegistrationError(
            _("Registration for this edition opens on %(when)s.")
            % {"when": timezone.localtime(edition.registration_opens_at).strftime("%d.%m.%Y %H:%M")}
        )
    if now >= edition.registration_closes_at:
        raise RegistrationError(_("Registration for this edition has closed."))


def _duplicate_message() -> str:
    return _(
        "This e-mail address is already registered for this edition. Use the link in the "
        "e-mail we sent to see or change that registration."
    )


@transaction.atomic
def registration_create(
    *,
    edition: Edition,
    person: dict,
    answers: dict[str, bool],
    needs_accessibility: str = "",
    needs_diet: str = "",
    user=None,
    language: str = "pl",
    now: dt.datetime | None = None,
) -> Registration:
    """Register a person (``person``: the Person fields). The address is confirmed by a
    link unless it is the signed-in user's own verified address; only then does the
    registration take a seat or a place on the waiting list."""
    now = now or timezone.now()
    edition = _locked_edition(edition.pk)
    _check_window(edition, now)
    email = person["email"].strip().lower()
    if edition.registrations.filter(email__iexact=email, status__in=ACTIVE).exists():
        raise RegistrationError(_duplicate_message())
    eligible, kept_answers = eligibility_of(edition.programme, answers)
    priority, reasons = _priority(edition, person.get("institution"))
    registration = Registration(
        **{**person, "email": email},
        edition=edition,
        eligibility_answers=kept_answers,
        eligible=eligible,
        needs_accessibility=needs_accessibility,
        needs_diet=needs_diet,
        priority=priority,
        priority_reasons=reasons,
        user=user if getattr(user, "is_authenticated", False) else None,
        language=language,
        privacy_version=PRIVACY_NOTICE_VERSION,
        consented_at=now,
        created_at=now,
        status_changed_at=now,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise RegistrationError(_duplicate_message()) from None
    audit_record(
        actor=user,
        action="training.registration.create",
        obj=registration,
        to_state=registration.status,
        data={"edition": edition.slug, "eligible": eligible, "priority": reasons},
    )
    if registration.user is not None and _owns_verified(registration.user, email):
        _confirm(registration, edition, now)
    else:
        _notify(registration, "confirm")
    return registration


def _owns_verified(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def registration_confirm(*, registration: Registration, now=None) -> Registration:
    """The person clicked the link in the e-mail: take a seat, wait for the coordinator
    or join the waiting list. Confirming twice changes nothing."""
    now = now or timezone.now()
    edition = _locked_edition(registration.edition_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.email_confirmed_at is not None:
        return registration
    if not registration_may("confirm", registration.status):
        raise TransitionError(_("This registration can no longer be confirmed."))
    return _confirm(registration, edition, now)


def _confirm(registration: Registration, edition: Edition, now) -> Registration:
    registration.email_confirmed_at = now
    registration.save(update_fields=["email_confirmed_at"])
    offers_expire(edition=edition, now=now)
    if edition.acceptance == Acceptance.COORDINATOR or not registration.eligible:
        target = RegStatus.PENDING
    elif seats_left(edition) > 0 and not _someone_waiting(edition):
        target = RegStatus.ACCEPTED
    else:
        target = RegStatus.WAITLISTED
    _set_status(registration, target, by=None, now=now, action="confirm")
    _notify(registration, target)
    return registration


def _someone_waiting(edition: Edition) -> bool:
    return edition.registrations.filter(status=RegStatus.WAITLISTED).exists()


def _public_pages_changed() -> None:
    """Seats or editions changed: the cached public pages are rendered afresh."""
    pagecache.forget(selectors.PUBLIC_VERSION_KEY)


def _set_status(registration, target, *, by, now, reason="", action=""):
    _public_pages_changed()
    before = registration.status
    registration.status = target
    registration.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if target != RegStatus.OFFERED and registration.offer_expires_at is not None:
        registration.offer_expires_at = None
        fields.append("offer_expires_at")
    if reason:
        registration.decision_reason = reason
        fields.append("decision_reason")
    registration.save(update_fields=fields)
    audit_record(
        actor=by,
        action=f"training.registration.{action or target}",
        obj=registration,
        from_state=before,
        to_state=target,
        reason=reason,
    )


def _transition(registration: Registration, action: str) -> tuple[Edition, Registration]:
    edition = _locked_edition(registration.edition_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration_may(action, registration.status):
        raise TransitionError(
            _("This registration is %(status)s; that is not possible now.")
            % {"status": registration.get_status_display()}
        )
    return edition, registration


@transaction.atomic
def registration_accept(*, registration: Registration, by, now=None) -> Registration:
    """The coordinator accepts a person waiting for a decision (or on the waiting list)."""
    now = now or timezone.now()
    edition, registration = _transition(registration, "accept")
    offers_expire(edition=edition, now=now)
    if seats_left(edition) <= 0:
        raise TransitionError(
            ngettext(
                "The only seat is taken. Put the person on the waiting list, or add seats "
                "to the edition first.",
                "All %(capacity)d seats are taken. Put the person on the waiting list, or "
                "add seats to the edition first.",
                edition.capacity,
            )
            % {"capacity": edition.capacity}
        )
    _set_status(registration, RegStatus.ACCEPTED, by=by, now=now, action="accept")
    _notify(registration, RegStatus.ACCEPTED)
    return registration


@transaction.atomic
def registration_waitlist(*, registration: Registration, by, now=None) -> Registration:
    now = now or timezone.now()
    edition, registration = _transition(registration, "waitlist")
    _set_status(registration, RegStatus.WAITLISTED, by=by, now=now, action="waitlist")
    _notify(registration, RegStatus.WAITLISTED)
    _offer_freed_seats(edition, now)
    return registration


@transaction.atomic
def registration_reject(*, registration: Registration, by, reason: str, now=None) -> Registration:
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Give the reason; the person will read it."))
    _edition, registration = _transition(registration, "reject")
    _set_status(registration, RegStatus.REJECTED, by=by, now=now, reason=reason, action="reject")
    _notify(registration, RegStatus.REJECTED, reason=reason)
    return registration


@transaction.atomic
def registration_withdraw(*, registration: Registration, by=None, now=None) -> Registration:
    """The person withdraws (from the link in their e-mail); a freed seat is offered on."""
    now = now or timezone.now()
    edition, registration = _transition(registration, "withdraw")
    _set_status(registration, RegStatus.WITHDRAWN, by=by, now=now, action="withdraw")
    _notify(registration, RegStatus.WITHDRAWN)
    _offer_freed_seats(edition, now)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by, reason: str, now=None) -> Registration:
    """The coordinator takes a seat back (e.g. the person said they cannot come)."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Give the reason; the person will read it."))
    edition, registration = _transition(registration, "cancel")
    _set_status(registration, RegStatus.CANCELLED, by=by, now=now, reason=reason, action="cancel")
    _notify(registration, RegStatus.CANCELLED, reason=reason)
    _offer_freed_seats(edition, now)
    return registration


def offer_take(*, registration: Registration, now=None) -> Registration:
    """The person takes the seat offered to them, unless the offer has expired (then it
    has already passed to the next person, in its own transaction)."""
    now = now or timezone.now()
    offers_expire(edition=registration.edition, now=now)
    with transaction.atomic():
        return _offer_take(registration, now)


def _offer_take(registration: Registration, now) -> Registration:
    current = Registration.objects.filter(pk=registration.pk).values_list("status", flat=True)
    if current.first() == RegStatus.EXPIRED:
        raise TransitionError(_("This offer has expired; the seat went to the next person."))
    _edition, registration = _transition(registration, "take_offer")
    _set_status(registration, RegStatus.ACCEPTED, by=None, now=now, action="take_offer")
    if registration.email_confirmed_at is None:
        # Taking an offer sent to the address confirms the address.
        registration.email_confirmed_at = now
        registration.save(update_fields=["email_confirmed_at"])
    if registration.from_request_id:
        WaitlistRequest.objects.filter(pk=registration.from_request_id).update(
            active=False, closed_reason="placed"
        )
    _notify(registration, RegStatus.ACCEPTED)
    return registration


@transaction.atomic
def offer_decline(*, registration: Registration, now=None) -> Registration:
    now = now or timezone.now()
    edition, registration = _transition(registration, "decline_offer")
    _set_status(registration, RegStatus.WITHDRAWN, by=None, now=now, action="decline_offer")
    _offer_freed_seats(edition, now)
    return registration


def offers_expire(*, edition: Edition | None = None, now=None) -> int:
    """Expire due offers (of one edition, or of all) and pass each seat on. Returns how
    many offers expired."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=RegStatus.OFFERED, offer_expires_at__lte=now)
    if edition is not None:
        due = due.filter(edition=edition)
    edition_ids = sorted(set(due.values_list("edition_id", flat=True)))
    expired = 0
    for edition_id in edition_ids:
        with transaction.atomic():
            locked = _locked_edition(edition_id)
            for registration in Registration.objects.select_for_update().filter(
                edition=locked, status=RegStatus.OFFERED, offer_expires_at__lte=now
            ):
                _set_status(
                    registration, RegStatus.EXPIRED, by=None, now=now, action="expire_offer"
                )
                _notify(registration, RegStatus.EXPIRED)
                expired += 1
            _offer_freed_seats(locked, now)
    return expired


def _start_of(edition: Edition) -> dt.datetime:
    first = edition.days.order_by("number").first()
    if first is None:
        return timezone.make_aware(dt.datetime.combine(edition.starts_on, dt.time(0, 0)))
    return timezone.make_aware(dt.datetime.combine(first.date, first.starts_at))


def _offer_freed_seats(edition: Edition, now) -> list[Registration]:
    """Offer every free seat to the next person waiting. The caller holds the edition's
    lock. Nothing is offered for a past, cancelled or draft edition."""
    if edition.status != EditionStatus.PUBLISHED:
        return []
    start = _start_of(edition)
    if now >= start:
        return []
    offered = []
    free = edition.capacity - seats_held(edition)
    while free > 0:
        candidate = _next_waiting(edition)
        if candidate is None:
            break
        expires = min(now + dt.timedelta(hours=edition.offer_hours), start)
        if isinstance(candidate, WaitlistRequest):
            registration = _registration_from_request(candidate, edition, now)
        else:
            registration = candidate
        registration.offer_expires_at = expires
        registration.save(update_fields=["offer_expires_at"])
        _set_status(registration, RegStatus.OFFERED, by=None, now=now, action="offer")
        registration.offer_expires_at = expires
        _notify(registration, RegStatus.OFFERED)
        offered.append(registration)
        free -= 1
    return offered


def _next_waiting(edition: Edition):
    """The first person waiting for this edition: its own waiting list or a regional
    request (confirmed, same programme and voivodeship, the edition within its weeks)."""
    own = (
        edition.registrations.filter(status=RegStatus.WAITLISTED)
        .order_by("-priority", "created_at", "pk")
        .first()
    )
    taken = edition.registrations.filter(status__in=ACTIVE).values("email")
    tried = edition.registrations.exclude(from_request=None).values("from_request")
    candidates = [(own.priority, own.created_at, 0, own.pk, own)] if own is not None else []
    # Regional requests get the edition's priority rules applied to their institution.
    for request in (
        WaitlistRequest.objects.filter(
            programme_id=edition.programme_id,
            voivodeship_id=edition.voivodeship_id,
            active=True,
            email_confirmed_at__isnull=False,
        )
        .exclude(email__in=taken)
        .exclude(pk__in=tried)
        .select_related("institution")
    ):
        if request.until >= edition.starts_on:
            priority, request.priority_reasons = _priority(edition, request.institution)
            candidates.append((priority, request.created_at, 1, request.pk, request))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-c[0], c[1], c[2], c[3]))[-1]


_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "position",
    "gender",
    "age_group",
    "institution",
    "institution_name",
    "institution_nip",
    "user",
    "language",
    "privacy_version",
    "consented_at",
)


def _registration_from_request(request: WaitlistRequest, edition: Edition, now) -> Registration:
    registration = Registration.objects.create(
        **{field: getattr(request, field) for field in _PERSON_FIELDS},
        edition=edition,
        status=RegStatus.WAITLISTED,
        eligible=True,
        priority=len(request.priority_reasons),
        priority_reasons=request.priority_reasons,
        email_confirmed_at=request.email_confirmed_at,
        from_request=request,
        created_at=now,
        status_changed_at=now,
    )
    audit_record(
        actor=None,
        action="training.registration.from_regional_request",
        obj=registration,
        to_state=registration.status,
        data={"request": request.pk, "edition": edition.slug},
    )
    return registration


# --- The regional waiting list ---------------------------------------------------------------


@transaction.atomic
def waitlist_request_create(
    *, programme, voivodeship, weeks: int, person: dict, user=None, language="pl", now=None
) -> WaitlistRequest:
    now = now or timezone.now()
    if not 1 <= weeks <= 52:
        raise ValidationError(_("Choose between 1 and 52 weeks."))
    email = person["email"].strip().lower()
    if WaitlistRequest.objects.filter(
        programme=programme, voivodeship=voivodeship, email__iexact=email, active=True
    ).exists():
        raise RegistrationError(
            _(
                "This e-mail address is already on the waiting list for this voivodeship. "
                "Use the link in the e-mail we sent to see or withdraw it."
            )
        )
    request = WaitlistRequest.objects.create(
        **{**person, "email": email},
        programme=programme,
        voivodeship=voivodeship,
        weeks=weeks,
        user=user if getattr(user, "is_authenticated", False) else None,
        language=language,
        privacy_version=PRIVACY_NOTICE_VERSION,
        consented_at=now,
        created_at=now,
    )
    audit_record(
        actor=user,
        action="training.waitlist_request.create",
        obj=request,
        data={"programme": programme.slug, "voivodeship": voivodeship.code, "weeks": weeks},
    )
    if request.user is not None and _owns_verified(request.user, email):
        _request_confirmed(request, now)
    else:
        _notify_request(request, "confirm")
    return request


@transaction.atomic
def waitlist_request_confirm(*, request: WaitlistRequest, now=None) -> WaitlistRequest:
    now = now or timezone.now()
    request = WaitlistRequest.objects.select_for_update().get(pk=request.pk)
    if request.email_confirmed_at is None and request.active:
        _request_confirmed(request, now)
    return request


def _request_confirmed(request: WaitlistRequest, now) -> None:
    request.email_confirmed_at = now
    request.save(update_fields=["email_confirmed_at"])
    audit_record(actor=None, action="training.waitlist_request.confirm", obj=request)
    _notify_request(request, "confirmed")
    # A seat may already be free in a matching edition.
    for edition_id in Edition.objects.filter(
        programme_id=request.programme_id,
        voivodeship_id=request.voivodeship_id,
        status=EditionStatus.PUBLISHED,
        starts_on__gt=now.date(),
        starts_on__lte=request.until,
    ).values_list("pk", flat=True):
        _offer_freed_seats(_locked_edition(edition_id), now)


@transaction.atomic
def waitlist_request_withdraw(*, request: WaitlistRequest, now=None) -> WaitlistRequest:
    request = WaitlistRequest.objects.select_for_update().get(pk=request.pk)
    if request.active:
        request.active = False
        request.closed_reason = "withdrawn"
        request.save(update_fields=["active", "closed_reason"])
        audit_record(actor=None, action="training.waitlist_request.withdraw", obj=request)
    return request


def waitlist_requests_close_expired(*, now=None) -> int:
    """Requests whose weeks have passed are closed (the person is told)."""
    now = now or timezone.now()
    closed = 0
    for request in WaitlistRequest.objects.filter(active=True):
        if request.until < now.date():
            with transaction.atomic():
                WaitlistRequest.objects.filter(pk=request.pk).update(
                    active=False, closed_reason="expired"
                )
                audit_record(actor=None, action="training.waitlist_request.expire", obj=request)
                _notify_request(request, "expired")
                closed += 1
    return closed


# --- E-mails -------------------------------------------------------------------------------


def registration_url(registration: Registration) -> str:
    return reverse("training:registration", args=[registration.token])


def _notify(registration: Registration, event: str, reason: str = "") -> None:
    """One e-mail per registration and event (a retried task or a repeated call finds the
    outbox row and sends nothing more)."""
    key = f"training:registration:{registration.pk}:{event}"
    email_queue(
        key=key,
        to=registration.email,
        language=registration.language,
        template=f"training/email/{event}",
        context={
            "registration": registration,
            "edition": registration.edition,
            "reason": reason,
            "url": registration_url(registration),
        },
    )


def _notify_request(request: WaitlistRequest, event: str) -> None:
    email_queue(
        key=f"training:waitlist_request:{request.pk}:{event}",
        to=request.email,
        language=request.language,
        template=f"training/email/request_{event}",
        context={
            "request": request,
            "url": reverse("training:waitlist_request", args=[request.token]),
        },
    )


def registrations_of(edition: Edition):
    """The edition's registrations in the coordinator's order: status, priority, time."""
    return edition.registrations.select_related("institution").order_by(
        "status", "-priority", "created_at", "pk"
    )


def active_registration_for(edition: Edition, email: str) -> Registration | None:
    return edition.registrations.filter(Q(email__iexact=email), status__in=ACTIVE).first()
