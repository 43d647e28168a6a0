"""Re-enqueue e-mails still waiting in the outbox (a worker died, SMTP was down).

Run it periodically (cron, every few minutes). Sending stays exactly-once per message:
the task locks the outbox row and skips messages already sent."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lokalnie.core.audit import audit_record
from lokalnie.core.models import OutboundEmail
from lokalnie.core.tasks import send_email


class Command(BaseCommand):
    help = "Retry outbox e-mails that have not been sent yet."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=5, help="minutes (default 5)")
        parser.add_argument("--max-attempts", type=int, default=10)

    def handle(self, *args, older_than, max_attempts, **options):
        cutoff = timezone.now() - timedelta(minutes=older_than)
        waiting = OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created_at__lte=cutoff, attempts__lt=max_attempts
        )
        count = 0
        for email_id in waiting.values_list("pk", flat=True).iterator():
            send_email.enqueue(email_id=str(email_id))
            count += 1
        given_up = OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, attempts__gte=max_attempts
        )
        with transaction.atomic():
            failed_ids = [str(pk) for pk in given_up.values_list("pk", flat=True)]
            failed = given_up.update(status=OutboundEmail.Status.FAILED)
            if failed:
                audit_record(
                    actor=None,
                    action="email.gave_up",
                    to_state=OutboundEmail.Status.FAILED,
                    reason=f"not sent after {max_attempts} attempts",
                    data={"emails": failed_ids},
                )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Re-enqueued {count} e-mail(s); "
                f"{failed} marked failed after {max_attempts} attempts."
            )
