"""The application workflow: statuses and the table of allowed transitions.

Every change of an application's status goes through ``services.application_transition``,
which looks the action up here: from which statuses it is allowed, where it leads, who
may take it (a rule in ``accounts.permissions``) and whether written reasons are required.
Tests enumerate this table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, awaiting the formal check")
    RETURNED = "returned", _("returned for completion")
    UNDER_REVIEW = "under_review", _("under review by assessors")
    SITE_VISIT = "site_visit", _("site visit (wizytacja)")
    RECOMMENDED = "recommended", _("recommendation sent to the Certification Committee")
    GRANTED = "granted", _("certificate granted")
    REFUSED = "refused", _("refused (appeal possible)")
    APPEALED = "appealed", _("appealed to the Board")
    REFUSED_FINAL = "refused_final", _("refused (final)")
    WITHDRAWN = "withdrawn", _("withdrawn by the applicant")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    permission: str  # a rule name in lokalnie.accounts.permissions.RULES
    label: Promise
    reason_required: bool = False
    reason_label: Promise | None = None
    who_acts_next: str = ""  # "applicant", "staff", "assessors", "committee", "board"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "submit",
            (Status.DRAFT, Status.RETURNED),
            Status.SUBMITTED,
            "application.edit",
            _("Submit the application"),
            who_acts_next="staff",
        ),
        Transition(
            "return",
            (Status.SUBMITTED,),
            Status.RETURNED,
            "application.formal_check",
            _("Return for completion"),
            reason_required=True,
            reason_label=_("What the applicant must complete (one item per line)"),
            who_acts_next="applicant",
        ),
        Transition(
            "accept",
            (Status.SUBMITTED,),
            Status.UNDER_REVIEW,
            "application.formal_check",
            _("Formally complete: start the review"),
            who_acts_next="staff",
        ),
        Transition(
            "schedule_visit",
            (Status.UNDER_REVIEW,),
            Status.SITE_VISIT,
            "application.manage_review",
            _("Order a site visit (wizytacja)"),
            reason_required=True,
            reason_label=_("Why a site visit is needed"),
            who_acts_next="staff",
        ),
        Transition(
            "recommend",
            (Status.UNDER_REVIEW, Status.SITE_VISIT),
            Status.RECOMMENDED,
            "application.manage_review",
            _("Send the recommendation to the Committee"),
            reason_required=True,
            reason_label=_("Recommendation and its justification"),
            who_acts_next="committee",
        ),
        Transition(
            "grant",
            (Status.RECOMMENDED,),
            Status.GRANTED,
            "application.decide",
            _("Grant the certificate"),
            reason_required=False,
            reason_label=_("Reasons for the decision"),
            who_acts_next="applicant",
        ),
        Transition(
            "refuse",
            (Status.RECOMMENDED,),
            Status.REFUSED,
            "application.decide",
            _("Refuse the certificate"),
            reason_required=True,
            reason_label=_("Written reasons for the refusal"),
            who_acts_next="applicant",
        ),
        Transition(
            "appeal",
            (Status.REFUSED,),
            Status.APPEALED,
            "application.appeal",
            _("Appeal to the Board"),
            reason_required=True,
            reason_label=_("Grounds of the appeal"),
            who_acts_next="board",
        ),
        Transition(
            "board_grant",
            (Status.APPEALED,),
            Status.GRANTED,
            "application.decide_appeal",
            _("Board: accept the appeal and grant the certificate"),
            reason_required=True,
            reason_label=_("Reasons for the Board's decision"),
            who_acts_next="applicant",
        ),
        Transition(
            "board_refuse",
            (Status.APPEALED,),
            Status.REFUSED_FINAL,
            "application.decide_appeal",
            _("Board: dismiss the appeal"),
            reason_required=True,
            reason_label=_("Reasons for the Board's decision"),
            who_acts_next="applicant",
        ),
        Transition(
            "close_refusal",
            (Status.REFUSED,),
            Status.REFUSED_FINAL,
            "application.close_refusal",
            _("Close: the appeal deadline has passed"),
            who_acts_next="",
        ),
        Transition(
            "withdraw",
            (Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
            Status.WITHDRAWN,
            "application.edit",
            _("Withdraw the application"),
            who_acts_next="",
        ),
    ]
}

EDITABLE = (Status.DRAFT, Status.RETURNED)
CLOSED = (Status.GRANTED, Status.REFUSED_FINAL, Status.WITHDRAWN)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


class TransitionNotAllowed(Exception):
    def __init__(self, action: str, status: str):
        self.action, self.status = action, status
        super().__init__(f"Action {action!r} is not allowed when the application is {status!r}.")
