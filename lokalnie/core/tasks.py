from django.tasks import task

from lokalnie.core.emails import email_deliver


@task(queue_name="default")
def send_email(*, email_id: str) -> bool:
    """Deliver one outbox e-mail; idempotent (see ``email_deliver``)."""
    return email_deliver(email_id=email_id)
