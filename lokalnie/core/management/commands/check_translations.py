from django.core.management.base import BaseCommand, CommandError

from lokalnie.core.i18n_check import translation_problems


class Command(BaseCommand):
    help = "Fail when a user-facing string is missing, untranslated or fuzzy in a catalogue."

    def handle(self, *args, **options):
        problems = translation_problems()
        if problems:
            raise CommandError(
                f"{len(problems)} translation problem(s):\n" + "\n".join(problems[:50])
            )
        self.stdout.write(self.style.SUCCESS("Translations complete."))
