"""Writes of the monitoring part: making a programme's results public (or not), the
evaluation reviews, the record of exports, and forgetting the cached public pages.

Every change runs in one transaction with its audit entry. Views check who may call what
(``lokalnie.revitalization.access.programme_for``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalnie.core import pagecache
from lokalnie.core.audit import audit_record
from lokalnie.revitalization.models import Programme, Review
from lokalnie.revitalization.selectors.monitoring import (
    PUBLIC_LIST_VERSION_KEY,
    public_version_key,
)

FINDINGS_MAX = 20_000
RECOMMENDATIONS_MAX = 20_000


def forget_public_results(programme: Programme) -> None:
    """What the public results page of ``programme`` (or the public list of programmes)
    shows has changed: its cached copies are dropped, now and after commit.

    Call it from every service that changes what those pages show: approving a measurement
    or taking an approval back, unlocking a period, changing an indicator, a target or a
    period, changing or deleting actions, changing the programme's title, gmina or
    description, and publishing or unpublishing the results."""
    pagecache.forget(public_version_key(programme.slug), PUBLIC_LIST_VERSION_KEY)


def _set_public(*, programme: Programme, by, public: bool) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.public_results == public:
        raise ValidationError(
            _("The results of this programme are already public.")
            if public
            else _("The results of this programme are not public.")
        )
    programme.public_results = public
    programme.save(update_fields=["public_results"])
    audit_record(
        actor=by,
        action=(
            "revitalization.monitoring.results_published"
            if public
            else "revitalization.monitoring.results_unpublished"
        ),
        obj=programme,
        from_state="private" if public else "public",
        to_state="public" if public else "private",
    )
    forget_public_results(programme)
    return programme


@transaction.atomic
def programme_publish_results(*, programme: Programme, by) -> Programme:
    """Show the programme's approved results on its public page (the coordinator's
    decision). Only approved measurements, targets, baselines and the action plan in
    figures are shown there: no personal data and no evidence files."""
    return _set_public(programme=programme, by=by, public=True)


@transaction.atomic
def programme_unpublish_results(*, programme: Programme, by) -> Programme:
    """Take the public results page down (it answers 404 from now on)."""
    return _set_public(programme=programme, by=by, public=False)


# --- Evaluation reviews ---------------------------------------------------------------------


def _clean_review(*, programme, held_on, findings, recommendations, today) -> dict:
    errors = {}
    findings = (findings or "").strip()
    recommendations = (recommendations or "").strip()
    if held_on is None:
        errors["held_on"] = _("Give the date of the review.")
    elif held_on > today:
        errors["held_on"] = _("The review's date cannot be in the future.")
    elif held_on < dt.date(2015, 11, 18):
        # The Revitalization Act came into force on 18 November 2015.
        errors["held_on"] = _("The review's date cannot be before 18 November 2015.")
    if not findings:
        errors["findings"] = _("Write what the review found.")
    elif len(findings) > FINDINGS_MAX:
        errors["findings"] = _("The findings are too long (at most 20,000 characters).")
    if len(recommendations) > RECOMMENDATIONS_MAX:
        errors["recommendations"] = _(
            "The recommendations are too long (at most 20,000 characters)."
        )
    if errors:
        raise ValidationError(errors)
    return {"held_on": held_on, "findings": findings, "recommendations": recommendations}


@transaction.atomic
def review_add(
    *,
    programme: Programme,
    by,
    held_on: dt.date,
    findings: str,
    recommendations: str = "",
    today: dt.date | None = None,
) -> Review:
    """Record an evaluation review of the programme (the law asks for one at least every
    3 years)."""
    data = _clean_review(
        programme=programme,
        held_on=held_on,
        findings=findings,
        recommendations=recommendations,
        today=today or timezone.localdate(),
    )
    review = Review.objects.create(programme=programme, created_by=by, **data)
    audit_record(
        actor=by,
        action="revitalization.evaluation.review_added",
        obj=review,
        data={"programme": programme.pk, "held_on": review.held_on.isoformat()},
    )
    return review


@transaction.atomic
def review_change(
    *,
    review: Review,
    by,
    held_on: dt.date,
    findings: str,
    recommendations: str = "",
    today: dt.date | None = None,
) -> Review:
    """Correct a recorded review; what changed is kept in the audit log."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    data = _clean_review(
        programme=review.programme,
        held_on=held_on,
        findings=findings,
        recommendations=recommendations,
        today=today or timezone.localdate(),
    )
    changed = {}
    for name, value in data.items():
        old = getattr(review, name)
        if old != value:
            changed[name] = [str(old), str(value)]
            setattr(review, name, value)
    if changed:
        review.save(update_fields=list(changed))
        audit_record(
            actor=by,
            action="revitalization.evaluation.review_changed",
            obj=review,
            data={"programme": review.programme_id, "changed": changed},
        )
    return review


# --- Exports --------------------------------------------------------------------------------


def monitoring_export_audit(*, programme: Programme, by, file_format: str, **figures) -> None:
    """An export of the monitoring report is recorded with its size, never its data."""
    audit_record(
        actor=by,
        action="revitalization.monitoring.exported",
        obj=programme,
        data={"format": file_format, **figures},
    )
