import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lokalnie.accounts.models import Role
from lokalnie.certification.dashboard import assessor_load, overdue_applications
from lokalnie.certification.models import Application, Assignment, RubricCriterion
from lokalnie.certification.tests.factories import make_application
from lokalnie.certification.workflow import Status
from lokalnie.conftest import make_institution, make_user
from lokalnie.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_overdue_steps_and_assessor_load(client):
    owner = make_user()
    application = make_application(institution=make_institution(owner=owner), by=owner)
    Application.objects.filter(pk=application.pk).update(
        status=Status.SUBMITTED, status_changed_at=timezone.now() - dt.timedelta(days=20)
    )
    fresh = make_application(institution=make_institution(owner=owner), by=owner)
    Application.objects.filter(pk=fresh.pk).update(status=Status.SUBMITTED)
    assert [(a.pk, days, allowed) for a, days, allowed in overdue_applications()] == [
        (application.pk, 20, 14)
    ]
    busy = make_user(email="busy@example.org", roles=[Role.ASSESSOR])
    make_user(email="idle@example.org", roles=[Role.ASSESSOR])
    Assignment.objects.create(application=application, assessor=busy)
    Assignment.objects.create(application=fresh, assessor=busy, submitted_at=timezone.now())
    load = {u.email: (u.open_reviews, u.submitted_reviews) for u in assessor_load()}
    assert load == {"busy@example.org": (1, 1), "idle@example.org": (0, 0)}
    client.force_login(make_user(roles=[Role.STAFF]))
    page = client.get(
        reverse("certification:dashboard"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert application.reference in page and "busy" in page


def test_staff_edit_the_review_standards_and_it_is_audited(client):
    client.force_login(make_user(roles=[Role.STAFF]))
    criterion = RubricCriterion.objects.first()
    response = client.post(
        reverse("certification:rubric_edit", args=[criterion.pk]),
        {
            "title_pl": "Nowa nazwa",
            "title_en": "New name",
            "look_for_pl": "",
            "look_for_en": "",
            "scale_max": 5,
            "position": 0,
            "active": "on",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.title_pl, criterion.scale_max) == ("Nowa nazwa", 5)
    assert AuditEntry.objects.filter(action="rubric.updated").exists()
    response = client.post(
        reverse("certification:rubric_add"),
        {"title_pl": "X", "scale_max": 50, "position": 1},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The highest score must be between 1 and 10." in response.content.decode()
