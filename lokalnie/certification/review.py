"""Review of applications: assessors (with a declaration of no conflict of interest),
scores against the rubric, disagreement flags, questions per report section, the site
visit and the Committee's votes. All writes audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.accounts.models import Role
from lokalnie.accounts.permissions import (
    assignment_of,
    forget_cached_permissions,
    has_role,
    require,
)
from lokalnie.certification.models import (
    Application,
    Assignment,
    Question,
    RubricCriterion,
    Score,
    SiteVisit,
    Vote,
)
from lokalnie.certification.report import SECTIONS_BY_KEY
from lokalnie.certification.workflow import Status
from lokalnie.core.audit import audit_record
from lokalnie.core.emails import email_queue, language_for

MIN_ASSESSORS = 2
# Scores of two assessors further apart than this (on the criterion's scale) need moderation.
DISAGREEMENT_POINTS = 2


def _mail(user, *, key: str, template: str, application: Application, **context) -> None:
    email_queue(
        key=key,
        to=user.email,
        language=language_for(user),
        template=template,
        context={
            "reference": application.reference,
            "institution": application.institution.name,
            "url": reverse("certification:application", args=[application.pk]),
            **context,
        },
    )


@transaction.atomic
def assessor_assign(*, application: Application, assessor, by) -> Assignment:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "application.assign", application)
    if not has_role(assessor, Role.ASSESSOR):
        raise ValidationError(_("%(email)s is not an assessor.") % {"email": assessor.email})
    if assessor.memberships.filter(institution=application.institution).exists():
        raise ValidationError(
            _("%(email)s belongs to the applying institution and cannot assess it.")
            % {"email": assessor.email}
        )
    if application.status not in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.SITE_VISIT):
        raise ValidationError(_("Assessors are assigned once the application is submitted."))
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                application=application, assessor=assessor, assigned_by=by
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s is already assigned.") % {"email": assessor.email}
        ) from None
    audit_record(
        actor=by,
        action="review.assessor_assigned",
        obj=application,
        data={"assessor": assessor.email},
    )
    forget_cached_permissions(assessor)
    _mail(
        assessor,
        key=f"assignment:{assignment.pk}",
        template="certification/email/assigned",
        application=application,
    )
    return assignment


@transaction.atomic
def assessor_unassign(*, assignment: Assignment, by) -> None:
    require(by, "application.assign", assignment.application)
    if assignment.submitted_at:
        raise ValidationError(_("An assessor who has submitted a review cannot be removed."))
    audit_record(
        actor=by,
        action="review.assessor_unassigned",
        obj=assignment.application,
        data={"assessor": assignment.assessor.email},
    )
    assignment.delete()


@transaction.atomic
def review_declare_no_conflict(*, application: Application, by) -> Assignment:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "review.declare", application)
    assignment = Assignment.objects.select_for_update().get(application=application, assessor=by)
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
        audit_record(actor=by, action="review.no_conflict_declared", obj=application)
        forget_cached_permissions(by)
    return assignment


@transaction.atomic
def review_declare_conflict(*, application: Application, by) -> None:
    """The assessor has a conflict of interest: the assignment ends (audited) and staff are
    told to assign someone else. The assessor never sees the content."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "review.declare", application)
    assignment = Assignment.objects.select_for_update().get(application=application, assessor=by)
    if assignment.no_conflict_declared_at is not None:
        raise ValidationError(
            _("You have already declared no conflict of interest; ask CAL staff to remove you.")
        )
    audit_record(actor=by, action="review.conflict_declared", obj=application)
    assignment.delete()
    forget_cached_permissions(by)
    for staff in get_user_model().objects.filter(role_assignments__role=Role.STAFF, is_active=True):
        _mail(
            staff,
            key=f"conflict:{application.pk}:{by.pk}:{staff.pk}",
            template="certification/email/conflict",
            application=application,
            assessor=by.display_name,
        )


@transaction.atomic
def review_save(
    *,
    application: Application,
    by,
    scores: dict[int, tuple[int | None, str]],
    summary: str,
    base_version: int,
    submit: bool = False,
) -> Assignment:
    """Save (and optionally submit) the assessor's scores. ``scores``: {criterion_id:
    (score or None, comment)}. A save based on an older version is refused, so two tabs
    never overwrite each other silently."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "review.score", application)
    assignment = Assignment.objects.select_for_update().get(application=application, assessor=by)
    if base_version != assignment.version:
        raise ValidationError(
            _(
                "Your review was changed in another window or tab since you opened it. Reload "
                "the page; what you typed here is shown again below so you can copy it."
            )
        )
    criteria = {c.pk: c for c in RubricCriterion.objects.filter(active=True)}
    problems = []
    for criterion_id, (value, comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue
        if value is not None and not 0 <= value <= criterion.scale_max:
            problems.append(
                _("%(title)s: the score must be between 0 and %(max)s.")
                % {"title": criterion.title, "max": criterion.scale_max}
            )
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={"score": value, "comment": comment.strip()},
        )
    if problems:
        raise ValidationError(problems)
    assignment.summary = summary.strip()
    assignment.version += 1
    if submit:
        given = {s.criterion_id: s.score for s in assignment.scores.all()}
        missing = [c.title for pk, c in criteria.items() if given.get(pk) is None]
        if missing:
            raise ValidationError(
                [
                    _("Score every standard before submitting. Missing: %(list)s")
                    % {"list": "; ".join(missing)}
                ]
            )
        if not assignment.summary:
            raise ValidationError([_("Write the overall assessment before submitting.")])
        assignment.submitted_at = timezone.now()
    assignment.save()
    audit_record(
        actor=by,
        action="review.submitted" if submit else "review.saved",
        obj=application,
        data={"scores": {str(k): v[0] for k, v in scores.items()}},
    )
    if submit:
        User = get_user_model()
        for staff in User.objects.filter(role_assignments__role=Role.STAFF, is_active=True):
            _mail(
                staff,
                key=f"review-submitted:{assignment.pk}:{staff.pk}",
                template="certification/email/review_submitted",
                application=application,
                assessor=by.display_name,
            )
    return assignment


@dataclass
class ReviewSummary:
    criteria: list
    rows: list  # [(criterion, [score or None per assignment], flagged)]
    assignments: list
    submitted: int
    flagged: list

    @property
    def complete(self) -> bool:
        return self.submitted >= MIN_ASSESSORS and self.submitted == len(self.assignments)


def review_summary(application: Application) -> ReviewSummary:
    assignments = list(
        application.assignments.select_related("assessor").prefetch_related("scores")
    )
    criteria = list(RubricCriterion.objects.filter(active=True))
    rows, flagged = [], []
    for criterion in criteria:
        values = []
        for assignment in assignments:
            score = next(
                (s for s in assignment.scores.all() if s.criterion_id == criterion.pk), None
            )
            values.append(score.score if score and assignment.submitted_at else None)
        given = [v for v in values if v is not None]
        disagree = len(given) >= 2 and max(given) - min(given) >= DISAGREEMENT_POINTS
        if disagree:
            flagged.append(criterion)
        rows.append((criterion, values, disagree))
    submitted = sum(1 for a in assignments if a.submitted_at)
    return ReviewSummary(criteria, rows, assignments, submitted, flagged)


def recommendation_blockers(application: Application) -> list[str]:
    summary = review_summary(application)
    if summary.submitted < MIN_ASSESSORS:
        return [
            _("At least %(n)s assessors must submit their reviews (submitted: %(done)s).")
            % {"n": MIN_ASSESSORS, "done": summary.submitted}
        ]
    if summary.submitted < len(summary.assignments):
        return [_("Not every assigned assessor has submitted a review.")]
    return []


@transaction.atomic
def question_post(*, application: Application, section_key: str, body: str, by) -> Question:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "question.post", application)
    if section_key not in SECTIONS_BY_KEY:
        raise ValidationError({"section_key": _("Choose the report section.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    question = Question.objects.create(
        application=application, section_key=section_key, body=body, author=by
    )
    audit_record(
        actor=by,
        action="review.question_posted",
        obj=application,
        data={"section": section_key, "question": question.pk},
    )
    from_applicant = application.institution.memberships.filter(user=by).exists()
    User = get_user_model()
    if from_applicant:
        recipients = User.objects.filter(assignments__application=application)
    else:
        recipients = User.objects.filter(memberships__institution=application.institution)
    for user in recipients.distinct():
        _mail(
            user,
            key=f"question:{question.pk}:{user.pk}",
            template="certification/email/question",
            application=application,
            section=SECTIONS_BY_KEY[section_key].title,
            body=body,
        )
    return question


@transaction.atomic
def visit_schedule(
    *, application: Application, when: dt.datetime, place: str, expert, reason: str, by
) -> SiteVisit:
    """Order the wizytacja: moves the application to the site-visit step."""
    from lokalnie.certification.services import application_transition

    require(by, "visit.schedule", application)
    if not has_role(expert, Role.ASSESSOR):
        raise ValidationError({"expert": _("The visit is made by a CAL expert (an assessor).")})
    application_transition(application=application, action="schedule_visit", by=by, reason=reason)
    visit = SiteVisit.objects.create(
        application=application, scheduled_for=when, place=place.strip(), expert=expert
    )
    audit_record(
        actor=by,
        action="review.visit_scheduled",
        obj=application,
        data={"when": when.isoformat(), "place": visit.place, "expert": expert.email},
    )
    for user in [
        expert,
        *get_user_model().objects.filter(memberships__institution=application.institution),
    ]:
        _mail(
            user,
            key=f"visit:{visit.pk}:{user.pk}",
            template="certification/email/visit",
            application=application,
            when=when,
            place=visit.place,
            expert=expert.display_name,
        )
    return visit


@transaction.atomic
def visit_record(*, application: Application, protocol: str, by) -> SiteVisit:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "visit.record", application)
    visit = SiteVisit.objects.select_for_update().get(application=application)
    protocol = protocol.strip()
    if not protocol:
        raise ValidationError({"protocol": _("Write the protocol of the visit.")})
    visit.protocol = protocol
    visit.recorded_at = timezone.now()
    visit.save(update_fields=["protocol", "recorded_at"])
    audit_record(actor=by, action="review.visit_recorded", obj=application)
    return visit


@transaction.atomic
def vote_cast(*, application: Application, choice: str, comment: str, by) -> Vote:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(by, "vote.cast", application)
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Choose how you vote.")})
    if choice == Vote.Choice.REFUSE and not comment.strip():
        raise ValidationError({"comment": _("Give the reasons for voting to refuse.")})
    vote, _created = Vote.objects.update_or_create(
        application=application, member=by, defaults={"choice": choice, "comment": comment.strip()}
    )
    audit_record(actor=by, action="committee.vote_cast", obj=application, to_state=choice)
    return vote


def vote_tally(application: Application) -> dict[str, int]:
    tally = dict.fromkeys(Vote.Choice.values, 0)
    for choice in application.votes.values_list("choice", flat=True):
        tally[choice] += 1
    return tally


def decision_blockers(application: Application, action: str) -> list[str]:
    """The Committee's decision must follow its members' votes."""
    tally = vote_tally(application)
    if tally["grant"] + tally["refuse"] == 0:
        return [_("No Committee member has voted for or against yet.")]
    if action == "grant" and tally["grant"] <= tally["refuse"]:
        return [_("Most votes are not for granting the certificate.")]
    if action == "refuse" and tally["refuse"] <= tally["grant"]:
        return [_("Most votes are not for refusing the certificate.")]
    return []


def assessor_for(user, application):
    return assignment_of(user, application)
