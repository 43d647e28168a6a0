"""Send the workshop surveys' invitations and reminders (run daily from cron or the
worker). Idempotent: every e-mail has an outbox key, so a second run sends nothing
already sent."""

from django.core.management.base import BaseCommand

from lokalnie.training.evaluation import surveys_send


class Command(BaseCommand):
    help = (
        "Queue the knowledge test and satisfaction survey invitations and reminders that "
        "are due. Idempotent."
    )

    def handle(self, *args, **options):
        counts = surveys_send()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Queued {counts['invitations']} invitation(s) and "
                f"{counts['reminders']} reminder(s)."
            )
