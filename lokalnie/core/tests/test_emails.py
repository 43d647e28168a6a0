from unittest import mock

import pytest
from django.core import mail

from lokalnie.core.emails import email_deliver, email_queue
from lokalnie.core.models import OutboundEmail
from lokalnie.core.tasks import send_email

pytestmark = pytest.mark.django_db(transaction=True)


def queue(key="k1", language="pl"):
    return email_queue(
        key=key,
        to="osoba@example.org",
        language=language,
        template="institutions/email/invitation",
        context={
            "institution_name": "MOPS Łódź",
            "inviter": "Anna",
            "role": "member",
            "accept_url": "/instytucje/zaproszenie/abc/",
            "expires_at": None,
        },
    )


def test_email_is_sent_by_the_task_in_the_recipients_language():
    queue(language="en")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Invitation to MOPS Łódź on Lokalnie"
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"
    queue(key="k2", language="pl")
    assert mail.outbox[1].subject.startswith("Zaproszenie")


def test_queueing_the_same_message_twice_sends_it_once():
    first = queue()
    second = queue()
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_a_retried_task_does_not_send_again():
    email = queue()
    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT
    send_email.call(email_id=str(email.pk))  # the worker retries the same task
    assert email_deliver(email_id=str(email.pk)) is False
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_a_failed_send_is_recorded_and_raised_so_the_task_is_retried():
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
        email = queue()
        # The task fails (so the worker marks it FAILED and it is retried later)…
        with pytest.raises(ConnectionError):
            email_deliver(email_id=str(email.pk))
    email = OutboundEmail.objects.get(key="k1")
    assert email.attempts == 2
    assert email.status == OutboundEmail.Status.QUEUED
    assert "smtp down" in email.last_error
    assert email_deliver(email_id=str(email.pk)) is True  # the retry
    assert email_deliver(email_id=str(email.pk)) is False
    assert len(mail.outbox) == 1


def test_waiting_emails_are_retried_by_the_periodic_command():
    from django.core.management import call_command

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
        queue()
    assert len(mail.outbox) == 0
    call_command("send_queued_emails", "--older-than", "0", verbosity=0)
    call_command("send_queued_emails", "--older-than", "0", verbosity=0)
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_emails_that_keep_failing_are_marked_failed_and_audited():
    from django.core.management import call_command

    from lokalnie.core.models import AuditEntry

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("down")):
        email = queue()
        call_command("send_queued_emails", "--older-than", "0", "--max-attempts", "2", verbosity=0)
        call_command("send_queued_emails", "--older-than", "0", "--max-attempts", "2", verbosity=0)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert AuditEntry.objects.get(action="email.gave_up").data == {"emails": [str(email.pk)]}
