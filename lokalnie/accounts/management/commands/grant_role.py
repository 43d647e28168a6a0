from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lokalnie.accounts.models import Role
from lokalnie.accounts.services import role_grant, role_revoke


class Command(BaseCommand):
    help = (
        "Grant (or with --revoke, take away) a platform role: "
        + ", ".join(Role.values)
        + ". Audited; the person is asked to set up two-factor authentication if the role needs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--revoke", action="store_true")
        parser.add_argument("--reason", default="", help="why (kept in the audit log)")
        parser.add_argument("--by", default="", help="e-mail of the staff member deciding")

    def handle(self, *args, email, role, revoke, reason, by, **options):
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        actor = User.objects.filter(email__iexact=by).first() if by else None
        if by and actor is None:
            raise CommandError(f"No account with the e-mail address {by} (--by).")
        if revoke:
            role_revoke(user=user, role=role, by=actor, reason=reason)
            self.stdout.write(f"{email}: role {role} revoked.")
        else:
            role_grant(user=user, role=role, by=actor, reason=reason)
            self.stdout.write(f"{email}: role {role} granted.")
