from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lokalnie.institutions.services import teryt_import
from lokalnie.institutions.teryt import TerytFormatError


class Command(BaseCommand):
    help = (
        "Import the TERC register (voivodeships, powiats, gminas) from the official GUS file. "
        "Idempotent; a malformed file is refused with line numbers and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.TERYT_FILE), help="TERC CSV file"
        )

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"TERYT file not found: {file} (set TERYT_FILE or pass a path)")
        try:
            result = teryt_import(path=file)
        except TerytFormatError as exc:
            raise CommandError(f"{file.name} was not imported, nothing changed: {exc}") from None
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"TERYT: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged ({result.total} units)."
                )
            )
