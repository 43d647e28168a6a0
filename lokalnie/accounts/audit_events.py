"""Account changes that django-allauth makes itself (sign-up, e-mail confirmation,
passwords, second factors) are written to the audit log here.

allauth performs these changes inside its own views, so its signals are the only place to
observe them; the receivers only record, they never change anything."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver

from lokalnie.core.audit import audit_record


def _record(action: str, user, **kwargs) -> None:
    audit_record(actor=user, action=action, obj=user, **kwargs)


@receiver(account_signals.user_signed_up)
def _signed_up(sender, request, user, **kwargs):
    _record("user.signed_up", user)


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender, request, email_address, **kwargs):
    _record(
        "user.email_confirmed",
        email_address.user,
        to_state="verified",
        data={"email": email_address.email},
    )


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    _record("user.password_changed", user)


@receiver(account_signals.password_set)
def _password_set(sender, request, user, **kwargs):
    _record("user.password_set", user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    _record("user.password_reset", user)


@receiver(mfa_signals.authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    _record("user.mfa_added", user, to_state=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record("user.mfa_removed", user, from_state=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def _authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record("user.mfa_reset", user, data={"type": authenticator.type})
