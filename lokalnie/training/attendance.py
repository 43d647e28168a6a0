"""Attendance and completion of workshops.

Attendance: a coordinator marks each accepted participant present or absent on each day,
from the day's date on. A mark is an upsert (one row per registration and day), so sending
the same mark again — a retry after a dropped connection — changes nothing.

Completion: after the workshop, every accepted participant who attended at least the
programme's ``min_days_to_complete`` days receives, exactly once, a numbered completion
(``WAR/<year>/<NNNN>``) with a signed Open Badges 3.0 credential, made with the same keys,
issuer and revocation status list as the CAL certificates (``lokalnie.registry.signing``).

Concurrency: issuing locks the edition's row (two coordinators pressing the button at once
issue each completion once) and then the revocation status list's row, which every issue of
a certificate or a completion locks too. Holding it, the next number of the year is the
largest one issued plus one and a random revocation index is checked against both
certificates and completions; the unique constraints back both up."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalnie.accounts.permissions import require
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue
from lokalnie.credentials import build_achievement_credential, status_entry
from lokalnie.credentials.vc import format_datetime
from lokalnie.registry import signing
from lokalnie.registry.services import _status_list_allocate, _status_list_locked, _status_list_set
from lokalnie.training.models import (
    Attendance,
    Completion,
    Edition,
    EditionDay,
    Registration,
)
from lokalnie.training.workflow import EditionStatus, RegStatus

NUMBER_PREFIX = "WAR"
# Editions whose days can be marked and whose participants can complete.
RUNNING = (EditionStatus.PUBLISHED, EditionStatus.FINISHED)


class AttendanceError(ValidationError):
    """An attendance or completion action refused for a reason the person should read."""


def format_completion_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}/{year}/{sequence:04d}"


def completion_by_slug(slug: str) -> Completion | None:
    """The completion whose address is ``slug`` ("WAR-2026-0001"), or None."""
    parts = slug.split("-")
    if len(parts) != 3 or parts[0].upper() != NUMBER_PREFIX:
        return None
    if not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return (
        Completion.objects.select_related("registration__edition__programme")
        .filter(number=format_completion_number(int(parts[1]), int(parts[2])))
        .first()
    )


# --- Attendance ----------------------------------------------------------------------------


def participants(edition: Edition):
    """Who attendance is taken for: the edition's accepted participants, by name."""
    return edition.registrations.filter(status=RegStatus.ACCEPTED).order_by(
        "last_name", "first_name", "pk"
    )


def markable_from(day: EditionDay) -> dt.date:
    return day.date


def may_mark(day: EditionDay, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return today >= markable_from(day) and day.edition.status in RUNNING


def marks_of(day: EditionDay) -> dict[int, bool]:
    """registration id -> present, for the people marked on this day."""
    return dict(day.attendance.values_list("registration_id", "present"))


def day_counts(day: EditionDay) -> dict[str, int]:
    """Present, absent and not yet marked among the accepted participants."""
    people = participants(day.edition)
    totals = Attendance.objects.filter(day=day, registration__in=people).aggregate(
        n_present=Count("pk", filter=Q(present=True)),
        n_absent=Count("pk", filter=Q(present=False)),
    )
    total = people.count()
    return {
        "present": totals["n_present"],
        "absent": totals["n_absent"],
        "unmarked": total - totals["n_present"] - totals["n_absent"],
        "total": total,
    }


@transaction.atomic
def attendance_mark(
    *, registration: Registration, day: EditionDay, present: bool, by, now=None
) -> Attendance:
    """Record whether the person was present on the day (an upsert: marking the same again
    changes nothing and writes no audit entry; changing a mark is audited)."""
    now = now or timezone.now()
    if not isinstance(present, bool):
        raise AttendanceError(_("Say whether the person was present or absent."))
    day = EditionDay.objects.select_related("edition").get(pk=day.pk)
    edition = day.edition
    require(by, "edition.manage", edition)
    if registration.edition_id != edition.pk:
        raise AttendanceError(_("This person is not registered for this edition."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegStatus.ACCEPTED:
        raise AttendanceError(
            _("Attendance is taken only for accepted participants (this person: %(status)s).")
            % {"status": registration.get_status_display()}
        )
    if edition.status not in RUNNING:
        raise AttendanceError(
            _("The edition is %(status)s; attendance cannot be taken.")
            % {"status": edition.get_status_display()}
        )
    today = timezone.localdate(now)
    if today < markable_from(day):
        raise AttendanceError(
            _(
                "Attendance for day %(number)d can be marked from %(date)s: nobody can be "
                "recorded present or absent before the day has come."
            )
            % {"number": day.number, "date": day.date.strftime("%d.%m.%Y")}
        )
    record = Attendance.objects.select_for_update().filter(registration=registration, day=day)
    attendance = record.first()
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    registration=registration,
                    day=day,
                    present=present,
                    recorded_by=by,
                    recorded_at=now,
                )
        except IntegrityError:  # marked at the same moment by another request
            attendance = record.get()
        else:
            _audit_mark(attendance, by, previous=None)
            return attendance
    if attendance.present == present:
        return attendance
    previous = attendance.present
    attendance.present = present
    attendance.recorded_by = by
    attendance.recorded_at = now
    attendance.save(update_fields=["present", "recorded_by", "recorded_at"])
    _audit_mark(attendance, by, previous=previous)
    return attendance


def _state(present: bool | None) -> str:
    return "" if present is None else ("present" if present else "absent")


def _audit_mark(attendance: Attendance, by, *, previous: bool | None) -> None:
    audit_record(
        actor=by,
        action="training.attendance.mark",
        obj=attendance,
        from_state=_state(previous),
        to_state=_state(attendance.present),
        data={
            "registration": attendance.registration_id,
            "day": attendance.day.number,
            "edition": attendance.day.edition_id,
        },
    )


# --- Completion ----------------------------------------------------------------------------


def days_attended(registration: Registration) -> int:
    return registration.attendance.filter(present=True).count()


def completion_rule_text(programme) -> str:
    """The programme's rule in the page's language (e.g. "at least 2 of 3 days")."""
    if programme.min_days_to_complete >= programme.days:
        return ngettext(
            "attendance on the workshop's day",
            "attendance on all %(days)d days",
            programme.days,
        ) % {"days": programme.days}
    return _("attendance on at least %(min)d of %(days)d days") % {
        "min": programme.min_days_to_complete,
        "days": programme.days,
    }


def _criteria_pl(programme) -> str:
    if programme.min_days_to_complete >= programme.days:
        rule = f"we wszystkich {programme.days} dniach warsztatu"
    else:
        rule = f"w co najmniej {programme.min_days_to_complete} z {programme.days} dni warsztatu"
    return (
        f"Uczestnik lub uczestniczka warsztatu „{programme.title_pl}” prowadzonego przez "
        f"Stowarzyszenie CAL był(a) obecny(a) {rule}; obecność potwierdził koordynator "
        "warsztatu."
    )


def qualifying(edition: Edition):
    """Accepted participants who meet the completion rule and have no completion yet."""
    return (
        participants(edition)
        .filter(completion__isnull=True)
        .annotate(present_days=Count("attendance", filter=Q(attendance__present=True)))
        .filter(present_days__gte=edition.programme.min_days_to_complete)
    )


def may_issue(edition: Edition, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return edition.status in RUNNING and today >= edition.ends_on


def _next_sequence(year: int) -> int:
    """The next completion number of the year. The caller holds the revocation list's lock,
    which every issuer takes first, so no other transaction allocates at the same time."""
    last = Completion.objects.filter(year=year).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def _allocate_revocation_index() -> int:
    """A random index of the revocation list used neither by a certificate nor by another
    completion (the registry's allocation; the list's row is locked until commit)."""
    return _status_list_allocate("revocation")


def verification_url(completion: Completion) -> str:
    return signing.absolute(reverse("training:completion_verify", args=[completion.slug]))


def _instant(day: EditionDay, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day.date, at))


def completion_credential(completion: Completion) -> dict:
    """The unsigned OpenBadgeCredential of a completion (its id is the public page)."""
    registration = completion.registration
    edition = registration.edition
    programme = edition.programme
    days = list(edition.days.all())
    return build_achievement_credential(
        credential_id=verification_url(completion),
        issuer=signing.issuer(),
        # The participant has no public page (their registration page is secret).
        subject_id=None,
        subject_name=registration.full_name,
        achievement={
            # The edition's public page describes the programme, its dates and place.
            "id": signing.absolute(reverse("training:edition", args=[edition.slug])),
            "name": programme.title_pl,
            "description": programme.description_pl,
            "criteria": {"narrative": _criteria_pl(programme)},
            "achievementType": "CertificateOfCompletion",
            "inLanguage": "pl",
        },
        valid_from=completion.issued_at,
        valid_until=None,
        status_entries=[
            status_entry(
                list_url=signing.status_list_url("revocation"),
                index=completion.revocation_index,
                purpose="revocation",
            )
        ],
        extra_subject={
            "activityStartDate": format_datetime(_instant(days[0], days[0].starts_at)),
            "activityEndDate": format_datetime(_instant(days[-1], days[-1].ends_at)),
        }
        if days
        else None,
        name=f"Ukończenie warsztatu „{programme.title_pl}” {completion.number}",
        awarded_date=completion.issued_at,
    )


@transaction.atomic
def completions_issue(*, edition: Edition, by, now=None) -> list[Completion]:
    """Issue a completion to every accepted participant who meets the programme's rule and
    has none yet (running it again issues only the new ones). Returns those issued now."""
    now = now or timezone.now()
    require(by, "edition.manage", edition)
    edition = (
        Edition.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=edition.pk)
    )
    if edition.status not in RUNNING:
        raise AttendanceError(
            _("The edition is %(status)s; completions cannot be issued.")
            % {"status": edition.get_status_display()}
        )
    today = timezone.localdate(now)
    if today < edition.ends_on:
        raise AttendanceError(
            _(
                "Completions can be issued from the last day of the workshop (%(date)s), when "
                "everyone's attendance is known."
            )
            % {"date": edition.ends_on.strftime("%d.%m.%Y")}
        )
    people = list(qualifying(edition))
    if not people:
        return []
    issued = []
    _status_list_locked("revocation")  # taken first: see the module's docstring
    for registration in people:
        sequence = _next_sequence(today.year)
        completion = Completion(
            registration=registration,
            number=format_completion_number(today.year, sequence),
            year=today.year,
            sequence=sequence,
            issued_at=now,
            days_attended=registration.present_days,
            revocation_index=_allocate_revocation_index(),
        )
        completion.credential_jws = signing.sign_credential(completion_credential(completion))
        completion.save()
        audit_record(
            actor=by,
            action="training.completion.issue",
            obj=completion,
            to_state="issued",
            data={
                "number": completion.number,
                "registration": registration.pk,
                "edition": edition.pk,
                "days_attended": completion.days_attended,
                "rule": edition.programme.min_days_to_complete,
            },
        )
        _notify_completion(completion)
        issued.append(completion)
    return issued


def _notify_completion(completion: Completion) -> None:
    registration = completion.registration
    email_queue(
        key=f"training:completion:{completion.pk}:issued",
        to=registration.email,
        language=registration.language,
        template="training/email/completion",
        context={
            "registration": registration,
            "edition": registration.edition,
            "programme": registration.edition.programme,
            "completion": completion,
            "url": reverse("training:registration", args=[registration.token]),
            "verify_url": reverse("training:completion_verify", args=[completion.slug]),
        },
    )


@transaction.atomic
def completion_revoke(*, completion: Completion, by, reason: str, now=None) -> Completion:
    """Revoke a completion: its credential's revocation bit is set and the list re-signed,
    so verifiers see it revoked; the public page says so."""
    now = now or timezone.now()
    completion = (
        Completion.objects.select_for_update(of=("self",))
        .select_related("registration__edition")
        .get(pk=completion.pk)
    )
    require(by, "edition.manage", completion.registration.edition)
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("Give the reason for revoking the completion."))
    if completion.revoked_at is not None:
        raise AttendanceError(
            _("The completion %(number)s is already revoked.") % {"number": completion.number}
        )
    completion.revoked_at = now
    completion.revoked_reason = reason
    completion.save(update_fields=["revoked_at", "revoked_reason"])
    _status_list_set("revocation", completion.revocation_index, True, now)
    audit_record(
        actor=by,
        action="training.completion.revoke",
        obj=completion,
        from_state="issued",
        to_state="revoked",
        reason=reason,
        data={"number": completion.number, "registration": completion.registration_id},
    )
    return completion
