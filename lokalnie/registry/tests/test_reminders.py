"""`certificate_reminders`: reminders 12, 6 and 3 months before expiry, each once; expiry of
certificates past their last day (audited, in the history, status lists untouched)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from lokalnie.core.models import AuditEntry
from lokalnie.registry.models import Certificate, ReminderSent
from lokalnie.registry.services import certificates_expire, reminders_send
from lokalnie.registry.tests.factories import issue_certificate
from lokalnie.registry.workflow import EventKind, Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def certificate():
    certificate = issue_certificate()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=dt.date(2031, 6, 30))
    certificate.refresh_from_db()
    mail.outbox.clear()
    return certificate


def run(day: str):
    call_command("certificate_reminders", today=day, verbosity=0)


def reminders(certificate):
    return sorted(
        ReminderSent.objects.filter(certificate=certificate).values_list("months", "skipped")
    )


def test_each_reminder_is_sent_once_on_its_day(certificate):
    owner = certificate.institution.memberships.get().user
    run("2030-06-29")
    assert reminders(certificate) == [] and mail.outbox == []
    run("2030-06-30")
    assert reminders(certificate) == [(12, False)]
    assert [m.to for m in mail.outbox] == [[owner.email]]
    run("2030-07-15")
    run("2030-07-15")
    assert len(mail.outbox) == 1
    run("2030-12-30")
    run("2031-03-30")
    run("2031-04-01")
    assert reminders(certificate) == [(3, False), (6, False), (12, False)]
    assert len(mail.outbox) == 3
    assert {m.extra_headers["Content-Language"] for m in mail.outbox} == {"pl"}
    assert AuditEntry.objects.filter(action="certificate.reminder_sent").count() == 3


def test_overdue_reminders_send_only_the_most_urgent(certificate):
    run("2031-04-10")
    assert reminders(certificate) == [(3, False), (6, True), (12, True)]
    assert len(mail.outbox) == 1
    run("2031-04-11")
    assert len(mail.outbox) == 1


def test_no_reminders_for_renewed_suspended_or_withdrawn(certificate):
    for status in ("suspended", "withdrawn"):
        Certificate.objects.filter(pk=certificate.pk).update(status=status)
        assert reminders_send(today=dt.date(2031, 4, 10)) == []
    Certificate.objects.filter(pk=certificate.pk).update(status="valid")
    renewal = issue_certificate(institution=certificate.institution)
    assert renewal.previous == certificate
    sent = reminders_send(today=dt.date(2031, 4, 10))
    assert certificate.number not in {number for number, _months in sent}


def test_expiry_after_the_last_day_is_recorded_once(certificate):
    run("2031-06-30")  # the last day: still valid
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    run("2031-07-01")
    certificate.refresh_from_db()
    assert certificate.status == Status.EXPIRED
    assert certificate.events.filter(kind=EventKind.EXPIRED).count() == 1
    assert certificate.events.get(kind=EventKind.EXPIRED).by_label == "system"
    assert AuditEntry.objects.get(action="certificate.expire").actor is None
    run("2031-07-02")
    assert certificate.events.filter(kind=EventKind.EXPIRED).count() == 1
    assert certificates_expire(today=dt.date(2031, 7, 3)) == []


def test_a_suspended_certificate_also_expires(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status="suspended")
    assert certificates_expire(today=dt.date(2031, 7, 1)) == [certificate.number]


def test_bad_date_is_refused_with_the_format():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("1.7.2031")
