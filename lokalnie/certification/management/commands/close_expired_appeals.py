"""Make refusals final once their appeal deadline has passed (run daily from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from lokalnie.certification.models import Application
from lokalnie.certification.services import application_transition
from lokalnie.certification.workflow import Status


class Command(BaseCommand):
    help = "Close refused applications whose appeal deadline has passed. Idempotent."

    def handle(self, *args, **options):
        today = timezone.localdate()
        closed = 0
        for application in Application.objects.filter(
            status=Status.REFUSED, appeal_deadline__lt=today
        ):
            application_transition(application=application, action="close_refusal", by=None)
            closed += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Closed {closed} refusal(s) after the appeal deadline.")
