"""Issuing: the number, validity, links, idempotency, renewal, history, audit and e-mails."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from lokalnie.accounts.models import Role
from lokalnie.certification.models import Application
from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.registry import services
from lokalnie.registry.models import (
    Certificate,
    CertificateEvent,
    NumberCounter,
    format_number,
    parse_number,
)
from lokalnie.registry.services import certificate_issue
from lokalnie.registry.tests.factories import (
    committee_member,
    granted_application,
    issue_certificate,
)
from lokalnie.registry.workflow import EventKind, Status

pytestmark = pytest.mark.django_db


def test_certificate_issue_numbers_dates_links_and_history():
    owner = make_user()
    institution = make_institution(owner=owner, name="Dom Kultury „Zorza” w Łodzi")
    application = granted_application(institution=institution, by=owner)
    committee = committee_member()
    certificate = certificate_issue(application=application, by=committee)

    today = timezone.localdate()
    assert certificate.number == f"CAL/{today.year}/0001"
    assert certificate.slug == f"CAL-{today.year}-0001"
    assert certificate.issued_on == today
    assert certificate.valid_until.year == today.year + 5
    assert certificate.status == Status.VALID
    assert certificate.application == application
    assert certificate.institution == institution
    assert certificate.area == application.area
    assert certificate.institution_name == "Dom Kultury „Zorza” w Łodzi"
    assert certificate.search_text == "dom kultury „zorza” w lodzi lodz łódź".replace(
        "łódź", "lodz"
    )
    [event] = certificate.events.all()
    assert (event.kind, event.by, event.to_status) == (EventKind.ISSUED, committee, "valid")
    entry = AuditEntry.objects.get(action="certificate.issued")
    assert entry.actor == committee and entry.object_id == str(certificate.pk)


def test_issuing_twice_for_the_same_application_returns_the_same_certificate():
    owner = make_user()
    application = granted_application(institution=make_institution(owner=owner), by=owner)
    first = certificate_issue(application=application, by=committee_member())
    again = certificate_issue(application=application, by=committee_member())
    assert first.pk == again.pk
    assert Certificate.objects.count() == 1
    assert CertificateEvent.objects.count() == 1
    assert NumberCounter.objects.get().last == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "recommended", "refused", "withdrawn"])
def test_only_a_granted_application_gets_a_certificate(status):
    owner = make_user()
    application = granted_application(institution=make_institution(owner=owner), by=owner)
    Application.objects.filter(pk=application.pk).update(status=status)
    with pytest.raises(ValidationError):
        certificate_issue(application=application, by=committee_member())
    assert not Certificate.objects.exists()


def test_numbers_run_per_year_and_restart_in_a_new_year(monkeypatch):
    numbers = [issue_certificate().number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [format_number(year, n) for n in (1, 2, 3)]
    next_year = timezone.now() + dt.timedelta(days=366)
    monkeypatch.setattr(services.timezone, "now", lambda: next_year)
    assert issue_certificate().number == f"CAL/{next_year.year}/0001"


def test_number_allocation_is_unique_in_a_loop_of_many_issues():
    certificates = [issue_certificate() for _ in range(25)]
    sequences = sorted(c.sequence for c in certificates)
    assert sequences == list(range(1, 26))
    assert len({c.number for c in certificates}) == 25


@pytest.mark.django_db(transaction=True)
def test_number_allocation_is_unique_when_threads_issue_at_once():
    """Several threads, each with its own connection and transaction, allocate numbers at
    the same time; the locked counter row hands out each number once."""
    results, errors = [], []

    def worker():
        from django.db import OperationalError, connections, transaction

        try:
            allocated = 0
            while allocated < 5:
                try:
                    with transaction.atomic():
                        number = services._allocate_number(2031)
                except OperationalError as exc:
                    # The in-memory SQLite test database (shared cache) refuses a second
                    # writer at once instead of waiting: the transaction is rolled back and
                    # retried, as a web request would be. PostgreSQL waits on the row lock.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.005)
                    continue
                results.append(number)
                allocated += 1
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connections, or PostgreSQL keeps them

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == list(range(1, 21))


def test_parse_number_accepts_what_people_type():
    assert parse_number("CAL/2026/0042") == "CAL/2026/0042"
    assert parse_number("cal-2026-42") == "CAL/2026/0042"
    assert parse_number(" CAL 2026 0042 ") == "CAL/2026/0042"
    assert parse_number("CAL/26/0042") is None
    assert parse_number("2026/0042") is None
    assert parse_number("") is None


def test_renewal_links_the_certificates_and_records_renewed():
    owner = make_user()
    institution = make_institution(owner=owner)
    first = issue_certificate(institution=institution, owner=owner)
    second = issue_certificate(institution=institution, owner=owner)
    assert second.previous == first
    renewed = first.events.get(kind=EventKind.RENEWED)
    assert renewed.related == second
    assert AuditEntry.objects.filter(action="certificate.renewed").count() == 1
    # A different area is not a renewal.
    other = issue_certificate(institution=institution, owner=owner, slug="kultura")
    assert other.previous is None


def test_members_are_emailed_in_their_own_language(django_capture_on_commit_callbacks):
    owner = make_user(language="pl")
    member = make_user(language="en")
    institution = make_institution(owner=owner, members=[member])
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(institution=institution, owner=owner)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {owner.email, member.email}
    for user in (owner, member):
        message = by_recipient[user.email]
        assert message.extra_headers["Content-Language"] == user.preferred_language
        with translation.override(user.preferred_language):
            subject = gettext("CAL Quality Certificate %(number)s has been issued")
        assert message.subject == subject.replace("%(number)s", f"CAL/{timezone.now().year}/0001")
        assert "/certyfikat/certyfikaty/CAL-" in message.body


def test_the_person_in_force_on_the_day_of_issue_is_recorded():
    staff = make_user(roles=[Role.STAFF])
    today = timezone.localdate()
    services.responsible_person_appoint(
        by=staff,
        name="Ewa Dąbrowska",
        function_pl="Pełnomocniczka Zarządu ds. certyfikacji",
        function_en="Board's representative for certification",
        from_date=today - dt.timedelta(days=30),
    )
    services.responsible_person_appoint(
        by=staff,
        name="Jan Przyszły",
        function_pl="Przyszły pełnomocnik",
        function_en="",
        from_date=today + dt.timedelta(days=30),
    )
    certificate = issue_certificate()
    assert certificate.responsible_person.name == "Ewa Dąbrowska"
    assert AuditEntry.objects.filter(action="certificate.responsible_person_appointed").count() == 2


def test_only_staff_appoint_the_responsible_person():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.responsible_person_appoint(
            by=make_user(roles=[Role.COMMITTEE]),
            name="X",
            function_pl="Y",
            function_en="",
            from_date=timezone.localdate(),
        )
