"""Reads for the staff dashboard: applications by state, overdue steps, assessors' load."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from lokalnie.accounts.models import Role
from lokalnie.certification.models import Application
from lokalnie.certification.workflow import Status

# How long each step may take before it shows as overdue (days in the same status).
STEP_DAYS = {
    Status.SUBMITTED: 14,
    Status.RETURNED: 60,
    Status.UNDER_REVIEW: 60,
    Status.SITE_VISIT: 45,
    Status.RECOMMENDED: 30,
    Status.APPEALED: 30,
}


def applications_by_status() -> list[tuple[str, str, int]]:
    counts = dict(Application.objects.values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def overdue_applications(now: dt.datetime | None = None) -> list[tuple[Application, int, int]]:
    """[(application, days in the status, allowed days)], oldest first."""
    now = now or timezone.now()
    condition = Q()
    for status, days in STEP_DAYS.items():
        condition |= Q(status=status, status_changed_at__lt=now - dt.timedelta(days=days))
    late = Application.objects.filter(condition).select_related("institution", "area")
    rows = [
        (application, (now - application.status_changed_at).days, STEP_DAYS[application.status])
        for application in late.order_by("status_changed_at")
    ]
    refused_past_deadline = Application.objects.filter(
        status=Status.REFUSED, appeal_deadline__lt=now.date()
    ).select_related("institution", "area")
    rows += [
        (application, (now - application.status_changed_at).days, 0)
        for application in refused_past_deadline
    ]
    return rows


def assessor_load():
    """Assessors with their open (not submitted) and submitted reviews, busiest first."""
    return (
        get_user_model()
        .objects.filter(role_assignments__role=Role.ASSESSOR)
        .annotate(
            open_reviews=Count("assignments", filter=Q(assignments__submitted_at__isnull=True)),
            submitted_reviews=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False)
            ),
        )
        .order_by("-open_reviews", "email")
    )
