"""Attendance and completion services: marking (idempotent, from the day on, accepted
participants only, audited), the completion rule, issuing exactly once with numbers and
revocation indexes, the signed credential a third party verifies, revocation."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry, OutboundEmail
from lokalnie.credentials import verify
from lokalnie.registry.tests.factories import client_fetch, issue_certificate
from lokalnie.training import attendance as service
from lokalnie.training.models import Attendance, Completion, Edition, EditionDay
from lokalnie.training.tests import factories
from lokalnie.training.workflow import EditionStatus, RegStatus

pytestmark = pytest.mark.django_db


# --- Test data ---------------------------------------------------------------------------------


def move_to(edition: Edition, first_day: dt.date) -> Edition:
    """Move the edition's days so that the first is ``first_day`` (registration happened
    while it was still open)."""
    offset = first_day - edition.starts_on
    for day in edition.days.all():
        EditionDay.objects.filter(pk=day.pk).update(date=day.date + offset)
    Edition.objects.filter(pk=edition.pk).update(
        starts_on=edition.starts_on + offset, ends_on=edition.ends_on + offset
    )
    edition.refresh_from_db()
    return edition


def held_edition(*, people=3, days=3, min_days=3, first_day_ago=None, coordinator=None, **person):
    """An edition with ``people`` accepted participants whose days have begun: by default it
    ended yesterday. Returns (edition, registrations, coordinator)."""
    programme = factories.make_programme(days=days, min_days=min_days)
    edition = factories.make_edition(programme=programme, capacity=max(people, 1) + 5)
    coordinator = coordinator or make_user(roles=[Role.TRAINER])
    edition.coordinators.add(coordinator)
    registrations = [factories.accepted(edition, **person) for _ in range(people)]
    first_day_ago = days if first_day_ago is None else first_day_ago
    move_to(edition, timezone.localdate() - dt.timedelta(days=first_day_ago))
    return edition, registrations, coordinator


def day_of(edition, number: int) -> EditionDay:
    return edition.days.get(number=number)


def attend(registration, numbers, *, by, absent=()):
    edition = registration.edition
    for number in numbers:
        service.attendance_mark(
            registration=registration, day=day_of(edition, number), present=True, by=by
        )
    for number in absent:
        service.attendance_mark(
            registration=registration, day=day_of(edition, number), present=False, by=by
        )


def completed(**kwargs):
    """An edition whose participants attended every day and received their completions."""
    edition, people, coordinator = held_edition(**kwargs)
    for person in people:
        attend(person, range(1, edition.programme.days + 1), by=coordinator)
    issued = service.completions_issue(edition=edition, by=coordinator)
    return edition, issued, coordinator


# --- Marking -----------------------------------------------------------------------------------


def test_a_mark_is_an_upsert_and_a_retry_changes_nothing():
    edition, (person, *_), coordinator = held_edition()
    day = day_of(edition, 1)
    first = service.attendance_mark(registration=person, day=day, present=True, by=coordinator)
    again = service.attendance_mark(registration=person, day=day, present=True, by=coordinator)
    assert first.pk == again.pk and again.present
    assert Attendance.objects.filter(registration=person, day=day).count() == 1
    marks = AuditEntry.objects.filter(action="training.attendance.mark")
    assert marks.count() == 1  # the retry wrote nothing
    assert marks.get().to_state == "present" and marks.get().from_state == ""

    changed = service.attendance_mark(registration=person, day=day, present=False, by=coordinator)
    assert changed.pk == first.pk and not changed.present
    assert Attendance.objects.filter(registration=person).count() == 1
    latest = AuditEntry.objects.filter(action="training.attendance.mark").order_by("-pk").first()
    assert (latest.from_state, latest.to_state) == ("present", "absent")
    assert latest.data["day"] == 1


def test_marking_before_the_day_is_refused_and_says_from_when():
    edition, (person, *_), coordinator = held_edition(first_day_ago=0)  # day 1 is today
    service.attendance_mark(
        registration=person, day=day_of(edition, 1), present=True, by=coordinator
    )
    tomorrow = day_of(edition, 2)
    with pytest.raises(service.AttendanceError) as refused:
        service.attendance_mark(registration=person, day=tomorrow, present=True, by=coordinator)
    assert tomorrow.date.strftime("%d.%m.%Y") in refused.value.messages[0]
    assert not Attendance.objects.filter(day=tomorrow).exists()
    assert not service.may_mark(tomorrow) and service.may_mark(day_of(edition, 1))


@pytest.mark.parametrize("status", [RegStatus.WITHDRAWN, RegStatus.WAITLISTED, RegStatus.PENDING])
def test_only_accepted_participants_are_listed_and_marked(status):
    edition, (person, other), coordinator = held_edition(people=2)
    type(other).objects.filter(pk=other.pk).update(status=status)
    assert list(service.participants(edition)) == [person]
    with pytest.raises(service.AttendanceError):
        service.attendance_mark(
            registration=other, day=day_of(edition, 1), present=True, by=coordinator
        )
    assert not Attendance.objects.filter(registration=other).exists()
    assert service.day_counts(day_of(edition, 1)) == {
        "present": 0,
        "absent": 0,
        "unmarked": 1,
        "total": 1,
    }


def test_a_day_of_another_edition_or_a_bad_value_is_refused():
    edition, (person, *_), coordinator = held_edition()
    other, _people, _coordinator = held_edition(people=0, coordinator=coordinator)
    with pytest.raises(service.AttendanceError):
        service.attendance_mark(
            registration=person, day=day_of(other, 1), present=True, by=coordinator
        )
    with pytest.raises(service.AttendanceError):
        service.attendance_mark(
            registration=person, day=day_of(edition, 1), present="yes", by=coordinator
        )
    assert not Attendance.objects.exists()


def test_only_the_editions_managers_mark():
    edition, (person, *_), _coordinator = held_edition()
    stranger = make_user(roles=[Role.TRAINER])
    with pytest.raises(PermissionDenied):
        service.attendance_mark(
            registration=person, day=day_of(edition, 1), present=True, by=stranger
        )
    staff = make_user(roles=[Role.STAFF])
    service.attendance_mark(registration=person, day=day_of(edition, 1), present=True, by=staff)


def test_a_cancelled_edition_takes_no_attendance():
    edition, (person, *_), coordinator = held_edition()
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.CANCELLED)
    with pytest.raises(service.AttendanceError):
        service.attendance_mark(
            registration=person, day=day_of(edition, 1), present=True, by=coordinator
        )


def test_counts_of_a_day():
    edition, (a, b, _c), coordinator = held_edition()
    day = day_of(edition, 1)
    service.attendance_mark(registration=a, day=day, present=True, by=coordinator)
    service.attendance_mark(registration=b, day=day, present=False, by=coordinator)
    assert service.day_counts(day) == {"present": 1, "absent": 1, "unmarked": 1, "total": 3}


# --- The completion rule and issuing -----------------------------------------------------------


def test_rule_all_three_days():
    edition, (full, partial, none), coordinator = held_edition(min_days=3)
    attend(full, [1, 2, 3], by=coordinator)
    attend(partial, [1, 3], absent=[2], by=coordinator)
    assert list(service.qualifying(edition)) == [full]
    issued = service.completions_issue(edition=edition, by=coordinator)
    assert [c.registration for c in issued] == [full]
    assert issued[0].days_attended == 3
    assert not Completion.objects.filter(registration__in=[partial, none]).exists()


def test_rule_two_of_three_days():
    edition, (two, one), coordinator = held_edition(people=2, min_days=2)
    attend(two, [1, 3], absent=[2], by=coordinator)
    attend(one, [2], absent=[1, 3], by=coordinator)
    issued = service.completions_issue(edition=edition, by=coordinator)
    assert [(c.registration, c.days_attended) for c in issued] == [(two, 2)]
    assert service.completion_rule_text(edition.programme) == "attendance on at least 2 of 3 days"


def test_issuing_is_exactly_once_and_a_rerun_issues_only_new_ones():
    edition, (first, late), coordinator = held_edition(people=2)
    attend(first, [1, 2, 3], by=coordinator)
    attend(late, [1, 2], by=coordinator)
    assert len(service.completions_issue(edition=edition, by=coordinator)) == 1
    assert service.completions_issue(edition=edition, by=coordinator) == []
    attend(late, [3], by=coordinator)  # a mark corrected afterwards
    again = service.completions_issue(edition=edition, by=coordinator)
    assert [c.registration for c in again] == [late]
    assert Completion.objects.filter(registration__edition=edition).count() == 2
    assert AuditEntry.objects.filter(action="training.completion.issue").count() == 2
    # One e-mail per completion, with the link to the person's page.
    emails = OutboundEmail.objects.filter(key__startswith="training:completion:")
    assert emails.count() == 2
    message = emails.get(to=late.email)
    assert reverse("training:registration", args=[late.token]) in message.body
    assert again[0].number in message.subject


def test_issuing_waits_for_the_last_day_and_for_a_manager():
    edition, (person, *_), coordinator = held_edition(first_day_ago=1)  # day 3 is tomorrow
    attend(person, [1, 2], by=coordinator)
    with pytest.raises(service.AttendanceError) as refused:
        service.completions_issue(edition=edition, by=coordinator)
    assert edition.ends_on.strftime("%d.%m.%Y") in refused.value.messages[0]
    assert not service.may_issue(edition)
    with pytest.raises(PermissionDenied):
        service.completions_issue(edition=edition, by=make_user(roles=[Role.TRAINER]))
    assert not Completion.objects.exists()


def test_numbers_follow_each_other_within_a_year_and_restart_with_the_next():
    edition, people, coordinator = held_edition(people=2)
    for person in people:
        attend(person, [1, 2, 3], by=coordinator)
    year = timezone.localdate().year
    issued = service.completions_issue(edition=edition, by=coordinator)
    assert [c.number for c in issued] == [f"WAR/{year}/0001", f"WAR/{year}/0002"]
    assert [c.slug for c in issued] == [f"WAR-{year}-0001", f"WAR-{year}-0002"]

    other, (person,), _ = held_edition(people=1, coordinator=coordinator)
    attend(person, [1, 2, 3], by=coordinator)
    next_year = timezone.now() + dt.timedelta(days=366)
    (first_next,) = service.completions_issue(edition=other, by=coordinator, now=next_year)
    assert first_next.number == f"WAR/{next_year.year}/0001"
    assert first_next.year == next_year.year and first_next.sequence == 1


def test_revocation_indexes_avoid_certificates_and_other_completions(monkeypatch):
    from lokalnie.registry import services as registry_services

    certificate = issue_certificate()
    edition, people, coordinator = held_edition(people=2)
    for person in people:
        attend(person, [1, 2, 3], by=coordinator)
    picks = iter([certificate.revocation_index, 17, 17, certificate.revocation_index, 42])
    monkeypatch.setattr(registry_services, "random_index", lambda size: next(picks))
    issued = service.completions_issue(edition=edition, by=coordinator)
    assert [c.revocation_index for c in issued] == [17, 42]


def test_the_credential_verifies_and_shows_revocation(client):
    edition, (completion,), coordinator = completed(people=1)
    registration = completion.registration
    fetch = client_fetch(client)
    result = verify(completion.credential_jws, fetch=fetch, now=timezone.now())
    assert result.status == "valid", result.errors
    assert result.valid_signature
    payload = result.payload
    assert payload["id"].endswith(f"/warsztaty/poswiadczenie/{completion.slug}/")
    assert "validUntil" not in payload
    subject = payload["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == registration.full_name
    achievement = subject["achievement"]
    assert achievement["name"] == edition.programme.title_pl
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert "wszystkich 3 dniach" in achievement["criteria"]["narrative"]
    assert payload["credentialStatus"]["statusPurpose"] == "revocation"
    assert payload["credentialStatus"]["statusListIndex"] == str(completion.revocation_index)

    _other_edition, (other,), _ = completed(people=1)
    service.completion_revoke(completion=completion, by=coordinator, reason="Błąd w liście.")
    result = verify(completion.credential_jws, fetch=client_fetch(client), now=timezone.now())
    assert result.status == "revoked"
    assert verify(other.credential_jws, fetch=client_fetch(client), now=timezone.now()).status == (
        "valid"
    )
    entry = AuditEntry.objects.get(action="training.completion.revoke")
    assert entry.reason == "Błąd w liście." and entry.to_state == "revoked"


def test_revoking_needs_a_reason_a_manager_and_happens_once():
    _edition, (completion,), coordinator = completed(people=1)
    with pytest.raises(service.AttendanceError):
        service.completion_revoke(completion=completion, by=coordinator, reason="  ")
    with pytest.raises(PermissionDenied):
        service.completion_revoke(
            completion=completion, by=make_user(roles=[Role.TRAINER]), reason="Powód."
        )
    completion.refresh_from_db()
    assert completion.revoked_at is None
    service.completion_revoke(completion=completion, by=make_user(roles=[Role.STAFF]), reason="x")
    with pytest.raises(service.AttendanceError):
        service.completion_revoke(completion=completion, by=coordinator, reason="again")
    assert AuditEntry.objects.filter(action="training.completion.revoke").count() == 1


def test_a_withdrawn_person_does_not_complete_even_with_marks():
    edition, (person, other), coordinator = held_edition(people=2)
    attend(person, [1, 2, 3], by=coordinator)
    attend(other, [1, 2, 3], by=coordinator)
    type(other).objects.filter(pk=other.pk).update(status=RegStatus.WITHDRAWN)
    issued = service.completions_issue(edition=edition, by=coordinator)
    assert [c.registration for c in issued] == [person]


# --- The certificate (PDF) ---------------------------------------------------------------------


def test_the_certificate_pdf_names_the_person_in_polish_letters(client):
    edition, (completion,), _ = completed(
        people=1, first_name="Żaneta", last_name="Łęcka-Gęślińska"
    )
    registration = completion.registration
    response = client.get(reverse("training:completion_pdf", args=[registration.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Żaneta Łęcka-Gęślińska" in text
    assert edition.programme.title_pl in text
    assert completion.number in text
    assert "Łódź" in text
    assert "3 / 3" in text
    assert edition.starts_on.strftime("%d.%m.%Y") in text
    assert f"/warsztaty/poswiadczenie/{completion.slug}/" in text


def test_no_pdf_without_a_valid_completion(client):
    edition, (person, *_), coordinator = held_edition(people=1)
    url = reverse("training:completion_pdf", args=[person.token])
    assert client.get(url).status_code == 404
    assert client.get(reverse("training:completion_pdf", args=["nope"])).status_code == 404
    attend(person, [1, 2, 3], by=coordinator)
    (completion,) = service.completions_issue(edition=edition, by=coordinator)
    assert client.get(url).status_code == 200
    service.completion_revoke(completion=completion, by=coordinator, reason="Pomyłka.")
    assert client.get(url).status_code == 404


def test_a_new_certificate_never_takes_a_completions_revocation_index(monkeypatch):
    """Certificates and completions share the revocation list: the registry's allocation
    skips indexes that completions hold."""
    from lokalnie.registry import services as registry_services

    taken = Completion.objects.create(
        registration=factories.accepted(factories.make_edition()),
        number="WAR/2026/9999",
        year=2026,
        sequence=9999,
        issued_at=timezone.now(),
        days_attended=3,
        revocation_index=4242,
        credential_jws="x",
    )
    picks = iter([taken.revocation_index, 77])
    monkeypatch.setattr(registry_services, "random_index", lambda size: next(picks))
    with transaction.atomic():
        assert registry_services._status_list_allocate("revocation") == 77
