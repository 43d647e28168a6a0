"""Time-driven work of the workshops module, run every few minutes by cron or the worker
loop: expire offers that were not taken (and pass each seat on), close regional
waiting-list requests whose weeks have passed. Idempotent."""

from django.core.management.base import BaseCommand

from lokalnie.training import services


class Command(BaseCommand):
    help = "Expire seat offers not taken in time and close finished waiting-list requests."

    def handle(self, *args, **options):
        expired = services.offers_expire()
        closed = services.waitlist_requests_close_expired()
        if options["verbosity"] > 0:
            self.stdout.write(f"offers expired: {expired}; waiting-list requests closed: {closed}")
