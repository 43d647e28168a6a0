"""The states of an edition and of a registration, and the transitions between them.

Services are the only code that changes a status; each asks ``registration_may`` /
``edition_may`` first, so that the tables below are the whole truth (tests enumerate
them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")
    FINISHED = "finished", _("finished")


EDITION_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "publish": {"from": (EditionStatus.DRAFT,), "to": EditionStatus.PUBLISHED},
    "cancel": {
        "from": (EditionStatus.DRAFT, EditionStatus.PUBLISHED),
        "to": EditionStatus.CANCELLED,
    },
    "finish": {"from": (EditionStatus.PUBLISHED,), "to": EditionStatus.FINISHED},
}


class Acceptance(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic when eligible")
    COORDINATOR = "coordinator", _("by the coordinator")


class RegStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("e-mail address not confirmed yet")
    PENDING = "pending", _("waiting for the coordinator's decision")
    ACCEPTED = "accepted", _("accepted")
    WAITLISTED = "waitlisted", _("on the waiting list")
    OFFERED = "offered", _("a seat is offered")
    REJECTED = "rejected", _("not accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("workshop registration", "withdrawn")
    EXPIRED = "expired", _("offer expired")
    CANCELLED = "cancelled", _("cancelled by the coordinator")


# Statuses that hold a seat: never more of them than the edition's capacity.
SEAT_HOLDING = (RegStatus.ACCEPTED, RegStatus.OFFERED)
# Statuses of a registration that is still alive (a second one for the edition is refused).
ACTIVE = (
    RegStatus.UNCONFIRMED,
    RegStatus.PENDING,
    RegStatus.ACCEPTED,
    RegStatus.WAITLISTED,
    RegStatus.OFFERED,
)

# action -> (allowed from, to).  "to" of confirm/accept is decided by the service (a seat
# may or may not be free); it lists every possible target.
REGISTRATION_TRANSITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "confirm": (
        (RegStatus.UNCONFIRMED,),
        (RegStatus.ACCEPTED, RegStatus.PENDING, RegStatus.WAITLISTED),
    ),
    "accept": ((RegStatus.PENDING, RegStatus.WAITLISTED), (RegStatus.ACCEPTED,)),
    "waitlist": ((RegStatus.PENDING,), (RegStatus.WAITLISTED,)),
    "reject": ((RegStatus.PENDING, RegStatus.WAITLISTED), (RegStatus.REJECTED,)),
    "offer": ((RegStatus.WAITLISTED,), (RegStatus.OFFERED,)),
    "take_offer": ((RegStatus.OFFERED,), (RegStatus.ACCEPTED,)),
    "decline_offer": ((RegStatus.OFFERED,), (RegStatus.WITHDRAWN,)),
    "expire_offer": ((RegStatus.OFFERED,), (RegStatus.EXPIRED,)),
    "withdraw": (ACTIVE, (RegStatus.WITHDRAWN,)),
    "cancel": ((RegStatus.ACCEPTED, RegStatus.OFFERED), (RegStatus.CANCELLED,)),
}


class TransitionError(Exception):
    """An action that the current status does not allow; the message says why."""


def registration_may(action: str, status: str) -> bool:
    allowed_from, _targets = REGISTRATION_TRANSITIONS[action]
    return status in allowed_from


def edition_may(action: str, status: str) -> bool:
    return status in EDITION_TRANSITIONS[action]["from"]
