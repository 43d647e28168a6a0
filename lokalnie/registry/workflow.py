"""A certificate's life: statuses, the table of allowed transitions, history event kinds and
the decisions that close an investigation.

Every status change goes through ``services.certificate_transition``, which looks the action
up here. Tests enumerate this table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


class EventKind(models.TextChoices):
    ISSUED = "issued", _("issued")
    RENEWED = "renewed", _("renewed")
    SUSPENDED = "suspended", _("suspended")
    REINSTATED = "reinstated", _("suspension lifted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    event: str
    # A rule in lokalnie.accounts.permissions.RULES; "" = only the system (the expiry command).
    permission: str
    label: Promise
    reason_required: bool = True
    # Suspension and withdrawal follow an investigation (regulation, rule 9).
    needs_investigation: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "suspend",
            (Status.VALID,),
            Status.SUSPENDED,
            EventKind.SUSPENDED,
            "certificate.investigate",
            _("Suspend the certificate"),
            needs_investigation=True,
        ),
        Transition(
            "reinstate",
            (Status.SUSPENDED,),
            Status.VALID,
            EventKind.REINSTATED,
            "certificate.investigate",
            _("Lift the suspension"),
        ),
        Transition(
            "withdraw",
            (Status.VALID, Status.SUSPENDED),
            Status.WITHDRAWN,
            EventKind.WITHDRAWN,
            "certificate.investigate",
            _("Withdraw the certificate"),
            needs_investigation=True,
        ),
        Transition(
            "expire",
            (Status.VALID, Status.SUSPENDED),
            Status.EXPIRED,
            EventKind.EXPIRED,
            "",
            _("Mark as expired"),
            reason_required=False,
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


class TransitionNotAllowed(Exception):
    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(f"Action {action!r} is not allowed when the certificate is {status!r}.")


class Decision(models.TextChoices):
    """How the Certification Committee closes an investigation."""

    SUSPEND = "suspend", _("suspend the certificate")
    WITHDRAW = "withdraw", _("withdraw the certificate")
    NO_ACTION = "no_action", _("close without action")


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
