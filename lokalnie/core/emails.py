"""E-mail: rendered in the recipient's language, stored in an outbox, sent by a task.

``email_queue`` is called from services inside their transaction; the sending task is
enqueued only when that transaction commits, and the outbox row makes sending
idempotent: a retried or duplicated task finds the row already sent and does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from lokalnie.core.models import OutboundEmail


def language_for(user) -> str:
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def email_queue(
    *,
    key: str,
    to: str,
    language: str,
    template: str,
    context: dict,
) -> OutboundEmail:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in ``language``
    and queue the message once per ``key``."""
    existing = OutboundEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return email_store(key=key, to=to, language=language, subject=subject, body=body)


def email_store(*, key: str, to: str, language: str, subject: str, body: str) -> OutboundEmail:
    """Put an already rendered message in the outbox and send it after commit."""
    subject = " ".join(subject.split())[:255]
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                key=key, to=to, language=language, subject=subject, body=body
            )
    except IntegrityError:
        return OutboundEmail.objects.get(key=key)

    from lokalnie.core.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(email_id=str(email.pk)))
    return email


def email_deliver(*, email_id: str) -> bool:
    """Send one queued e-mail if it has not been sent yet. Returns True if it sent now.

    The row is locked while sending, so two workers running the same task cannot both
    send it; a task retried after success finds it sent and returns."""
    from django.core.mail import EmailMessage
    from django.utils import timezone

    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboundEmail.Status.SENT:
            return False
        email.attempts += 1
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={
                "Message-ID": f"<{email.pk}@lokalnie>",
                "Content-Language": email.language,
            },
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # recorded and re-raised: the task shows as failed and
            # the periodic `send_queued_emails` command enqueues it again
            error = exc
            email.last_error = str(exc)[:2000]
            email.save(update_fields=["attempts", "last_error"])
        else:
            error = None
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if error is not None:
        raise error
    return True
