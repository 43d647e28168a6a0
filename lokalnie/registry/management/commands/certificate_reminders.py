"""Daily certificate housekeeping, for cron or the worker loop:

- marks certificates whose last day of validity has passed as expired (audited, in their
  history; the status lists do not change: expiry is written in each credential);
- sends the reminders 12, 6 and 3 months before expiry, each once per certificate.

Idempotent: running it again the same day changes and sends nothing."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from lokalnie.registry.services import certificates_expire, reminders_send


class Command(BaseCommand):
    help = "Expire certificates past their validity and send reminders before expiry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Act as if today were this date (YYYY-MM-DD); for testing."
        )

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today={today!r} is not a date; use YYYY-MM-DD.") from None
        expired = certificates_expire(today=day)
        reminded = reminders_send(today=day)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Expired: {len(expired)} ({', '.join(expired) or '-'}); "
                f"reminders sent: {len(reminded)}"
                + (f" ({', '.join(f'{n} {m} mo.' for n, m in reminded)})" if reminded else "")
            )
