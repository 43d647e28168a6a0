"""Registration, seats, the waiting list and offers (services)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry, OutboundEmail
from lokalnie.training import services
from lokalnie.training.models import Registration
from lokalnie.training.tests.factories import (
    accepted,
    answers_for,
    make_edition,
    make_programme,
    person,
    register,
)
from lokalnie.training.workflow import (
    REGISTRATION_TRANSITIONS,
    Acceptance,
    EditionStatus,
    RegStatus,
    TransitionError,
    registration_may,
)

pytestmark = pytest.mark.django_db


def test_registration_waits_for_the_email_confirmation_before_taking_a_seat():
    edition = make_edition(capacity=1)
    registration = register(edition, confirm=False)
    assert registration.status == RegStatus.UNCONFIRMED
    assert services.seats_left(edition) == 1
    mail = OutboundEmail.objects.get(key=f"training:registration:{registration.pk}:confirm")
    assert registration.token in mail.body
    services.registration_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegStatus.ACCEPTED
    assert services.seats_left(edition) == 0


def test_confirming_twice_changes_nothing_and_sends_one_email():
    edition = make_edition(capacity=3)
    registration = register(edition)
    services.registration_confirm(registration=registration)
    assert OutboundEmail.objects.filter(key__endswith=":accepted").count() == 1


def test_signed_in_user_with_verified_address_needs_no_confirmation():
    from allauth.account.models import EmailAddress

    user = make_user()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    edition = make_edition()
    registration = services.registration_create(
        edition=edition,
        person=person(email=user.email),
        answers=answers_for(edition.programme),
        user=user,
    )
    assert registration.status == RegStatus.ACCEPTED
    assert registration.user == user


def test_second_registration_for_the_same_edition_is_refused_with_a_clear_message():
    edition = make_edition()
    register(edition, email="a@example.org")
    with pytest.raises(services.RegistrationError, match="already registered"):
        register(edition, email="A@Example.org")
    assert edition.registrations.count() == 1


def test_withdrawn_person_may_register_again():
    edition = make_edition()
    first = register(edition, email="a@example.org")
    services.registration_withdraw(registration=first)
    again = register(edition, email="a@example.org")
    assert again.status == RegStatus.ACCEPTED


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(-2, -1, "has closed"), (1, 3, "opens on")],
)
def test_registration_outside_the_window_is_refused(opens, closes, message):
    edition = make_edition(opens_days_ago=-opens, closes_in_days=closes)
    with pytest.raises(services.RegistrationError, match=message):
        register(edition)
    assert not Registration.objects.exists()


def test_draft_edition_takes_no_registrations():
    edition = make_edition(status=EditionStatus.DRAFT)
    with pytest.raises(services.RegistrationError, match="does not take registrations"):
        register(edition)


def test_missing_eligibility_answer_is_refused():
    edition = make_edition()
    with pytest.raises(ValidationError):
        services.registration_create(edition=edition, person=person(), answers={})
    assert not Registration.objects.exists()


def test_ineligible_person_waits_for_the_coordinator():
    edition = make_edition()
    registration = register(edition, eligible=False)
    assert registration.status == RegStatus.PENDING
    assert registration.eligible is False
    assert registration.eligibility_answers[0]["answer"] is False


def test_coordinator_acceptance_edition_puts_everyone_in_pending():
    edition = make_edition(acceptance=Acceptance.COORDINATOR, capacity=1)
    coordinator = make_user()
    first, second = register(edition), register(edition)
    assert {first.status, second.status} == {RegStatus.PENDING}
    services.registration_accept(registration=first, by=coordinator)
    with pytest.raises(TransitionError, match="The only seat is taken"):
        services.registration_accept(registration=second, by=coordinator)
    second.refresh_from_db()
    assert second.status == RegStatus.PENDING
    services.registration_waitlist(registration=second, by=coordinator)
    second.refresh_from_db()
    assert second.status == RegStatus.WAITLISTED


def test_refusal_needs_a_reason_and_sends_it():
    edition = make_edition(acceptance=Acceptance.COORDINATOR)
    registration = register(edition)
    with pytest.raises(ValidationError):
        services.registration_reject(registration=registration, by=None, reason=" ")
    services.registration_reject(
        registration=registration, by=None, reason="Brak miejsc dla tej grupy."
    )
    mail = OutboundEmail.objects.get(key=f"training:registration:{registration.pk}:rejected")
    assert "Brak miejsc dla tej grupy." in mail.body


def test_full_edition_puts_people_on_the_waiting_list_in_order():
    edition = make_edition(capacity=1)
    accepted(edition)
    second, third = register(edition), register(edition)
    assert second.status == third.status == RegStatus.WAITLISTED


def test_freed_seat_is_offered_to_the_first_waiting_person_and_taken():
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    first, second = register(edition), register(edition)
    services.registration_withdraw(registration=holder)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegStatus.OFFERED
    assert second.status == RegStatus.WAITLISTED
    assert first.offer_expires_at is not None
    assert OutboundEmail.objects.filter(key=f"training:registration:{first.pk}:offered").exists()
    services.offer_take(registration=first)
    first.refresh_from_db()
    assert first.status == RegStatus.ACCEPTED
    assert services.seats_left(edition) == 0


def test_expired_offer_moves_to_the_next_person():
    edition = make_edition(capacity=1, offer_hours=24)
    holder = accepted(edition)
    first, second = register(edition), register(edition)
    services.registration_withdraw(registration=holder)
    later = timezone.now() + dt.timedelta(hours=25)
    assert services.offers_expire(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegStatus.EXPIRED
    assert second.status == RegStatus.OFFERED
    with pytest.raises(TransitionError):
        services.offer_take(registration=first)


def test_taking_an_offer_after_its_time_is_refused_and_passes_it_on():
    edition = make_edition(capacity=1, offer_hours=1)
    holder = accepted(edition)
    first, second = register(edition), register(edition)
    services.registration_withdraw(registration=holder)
    with pytest.raises(TransitionError, match="expired"):
        services.offer_take(registration=first, now=timezone.now() + dt.timedelta(hours=2))
    second.refresh_from_db()
    assert second.status == RegStatus.OFFERED


def test_declined_offer_goes_to_the_next_person():
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    first, second = register(edition), register(edition)
    services.registration_withdraw(registration=holder)
    services.offer_decline(registration=Registration.objects.get(pk=first.pk))
    second.refresh_from_db()
    assert second.status == RegStatus.OFFERED


def test_offer_never_outlasts_the_start_of_the_workshop():
    edition = make_edition(capacity=1, offer_hours=24 * 60, starts_in_days=2, closes_in_days=1)
    holder = accepted(edition)
    waiting = register(edition)
    services.registration_withdraw(registration=holder)
    waiting.refresh_from_db()
    first_day = edition.days.get(number=1)
    start = timezone.make_aware(dt.datetime.combine(first_day.date, first_day.starts_at))
    assert waiting.offer_expires_at == start


def test_priority_puts_certified_or_applying_institutions_first():
    edition = make_edition(capacity=1, priority_social_assistance=True)
    accepted(edition)
    plain = register(edition, institution=None)
    ops = make_institution()  # an OPS: social assistance
    priority = register(edition, institution=ops)
    assert priority.priority == 1 and priority.priority_reasons == ["social_assistance"]
    services.registration_withdraw(
        registration=edition.registrations.get(status=RegStatus.ACCEPTED)
    )
    priority.refresh_from_db()
    plain.refresh_from_db()
    assert priority.status == RegStatus.OFFERED
    assert plain.status == RegStatus.WAITLISTED


def test_capacity_cannot_drop_below_the_seats_held():
    edition = make_edition(capacity=2)
    accepted(edition)
    accepted(edition)
    edition.capacity = 1
    days = [services.DayPlan(d.date, d.starts_at, d.ends_at) for d in edition.days.all()]
    with pytest.raises(ValidationError, match="already hold a seat"):
        services.edition_save(edition=edition, days=days, by=None)


def test_more_capacity_offers_the_new_seats_to_the_waiting_list():
    edition = make_edition(capacity=1)
    accepted(edition)
    waiting = register(edition)
    edition.capacity = 2
    days = [services.DayPlan(d.date, d.starts_at, d.ends_at) for d in edition.days.all()]
    services.edition_save(edition=edition, days=days, by=None)
    waiting.refresh_from_db()
    assert waiting.status == RegStatus.OFFERED


def test_cancelled_edition_tells_every_active_registration():
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    waiting = register(edition)
    with pytest.raises(ValidationError):
        services.edition_transition(edition=edition, action="cancel", by=None, reason="")
    services.edition_transition(
        edition=edition, action="cancel", by=None, reason="Choroba trenera."
    )
    for registration in (holder, waiting):
        registration.refresh_from_db()
        assert registration.status == RegStatus.CANCELLED
        assert OutboundEmail.objects.filter(
            key=f"training:registration:{registration.pk}:edition_cancelled"
        ).exists()


def test_edition_days_must_match_the_programme_and_be_in_order():
    edition = make_edition(programme=make_programme(days=3), status=EditionStatus.DRAFT)
    with pytest.raises(ValidationError, match="3 days"):
        services.edition_save(
            edition=edition,
            days=[services.DayPlan(dt.date(2027, 1, 1), dt.time(9), dt.time(16))],
            by=None,
        )
    backwards = [services.DayPlan(dt.date(2027, 1, n), dt.time(9), dt.time(16)) for n in (3, 2, 1)]
    with pytest.raises(ValidationError, match="in order"):
        services.edition_save(edition=edition, days=backwards, by=None)
    assert edition.days.count() == 3  # nothing half-changed


def test_every_status_change_is_audited():
    edition = make_edition(capacity=1)
    registration = register(edition)
    actions = set(
        AuditEntry.objects.filter(object_id=str(registration.pk)).values_list("action", flat=True)
    )
    assert {"training.registration.create", "training.registration.confirm"} <= actions


@pytest.mark.parametrize("action", sorted(REGISTRATION_TRANSITIONS))
@pytest.mark.parametrize("status", [s.value for s in RegStatus])
def test_transition_table_is_enforced(action, status):
    allowed_from, _ = REGISTRATION_TRANSITIONS[action]
    assert registration_may(action, status) == (status in allowed_from)


# --- The regional waiting list -----------------------------------------------------------


def _regional_request(programme, voivodeship, weeks=8, confirm=True, **overrides):
    request = services.waitlist_request_create(
        programme=programme, voivodeship=voivodeship, weeks=weeks, person=person(**overrides)
    )
    if confirm:
        request = services.waitlist_request_confirm(request=request)
    return request


def test_regional_request_gets_a_freed_seat_in_any_edition_of_its_voivodeship():
    edition = make_edition(capacity=1, starts_in_days=14, closes_in_days=10)
    holder = accepted(edition)
    request = _regional_request(edition.programme, edition.voivodeship, weeks=4)
    services.registration_withdraw(registration=holder)
    offer = Registration.objects.get(from_request=request)
    assert offer.edition == edition and offer.status == RegStatus.OFFERED
    services.offer_take(registration=offer)
    request.refresh_from_db()
    assert request.active is False and request.closed_reason == "placed"


def test_regional_request_ignores_editions_beyond_its_weeks():
    edition = make_edition(capacity=1, starts_in_days=70)
    holder = accepted(edition)
    _regional_request(edition.programme, edition.voivodeship, weeks=2)
    services.registration_withdraw(registration=holder)
    assert not Registration.objects.exclude(from_request=None).exists()


def test_edition_waiting_list_and_regional_requests_are_served_in_time_order():
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    request = _regional_request(edition.programme, edition.voivodeship)
    own = register(edition)  # registered after the regional request
    services.registration_withdraw(registration=holder)
    own.refresh_from_db()
    assert Registration.objects.get(from_request=request).status == RegStatus.OFFERED
    assert own.status == RegStatus.WAITLISTED


def test_unconfirmed_regional_request_gets_nothing():
    edition = make_edition(capacity=1)
    holder = accepted(edition)
    _regional_request(edition.programme, edition.voivodeship, confirm=False)
    services.registration_withdraw(registration=holder)
    assert not Registration.objects.exclude(from_request=None).exists()


def test_regional_request_is_refused_twice_and_for_absurd_weeks():
    edition = make_edition()
    _regional_request(edition.programme, edition.voivodeship, email="x@example.org")
    with pytest.raises(services.RegistrationError):
        _regional_request(edition.programme, edition.voivodeship, email="x@example.org")
    with pytest.raises(ValidationError):
        _regional_request(edition.programme, edition.voivodeship, weeks=0)


def test_regional_requests_close_when_their_weeks_pass():
    edition = make_edition()
    request = _regional_request(edition.programme, edition.voivodeship, weeks=1)
    assert services.waitlist_requests_close_expired(now=timezone.now() + dt.timedelta(weeks=2)) == 1
    request.refresh_from_db()
    assert request.active is False and request.closed_reason == "expired"


def test_changing_the_dates_keeps_the_attendance_already_marked():
    from lokalnie.training.models import Attendance

    edition = make_edition()
    registration = accepted(edition)
    first_day = edition.days.get(number=1)
    Attendance.objects.create(registration=registration, day=first_day, present=True)
    days = [
        services.DayPlan(d.date + dt.timedelta(days=1), d.starts_at, d.ends_at)
        for d in edition.days.order_by("number")
    ]
    services.edition_save(edition=edition, days=days, by=None)
    attendance = Attendance.objects.get(registration=registration)
    assert attendance.day.number == 1
    assert attendance.day.date == first_day.date + dt.timedelta(days=1)
    assert edition.days.count() == 3
