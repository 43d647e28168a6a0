"""Monitoring's services: publishing the results, the evaluation reviews, exports' record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Review
from lokalnie.revitalization.services import monitoring as services
from lokalnie.revitalization.tests.factories import make_programme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_publishing_and_unpublishing_the_results_is_audited():
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator)
    services.programme_publish_results(programme=programme, by=coordinator)
    programme.refresh_from_db()
    assert programme.public_results
    services.programme_unpublish_results(programme=programme, by=coordinator)
    programme.refresh_from_db()
    assert not programme.public_results
    entries = list(
        AuditEntry.objects.filter(action__startswith="revitalization.monitoring.results_")
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor")
    )
    assert entries == [
        ("revitalization.monitoring.results_published", "private", "public", coordinator.pk),
        ("revitalization.monitoring.results_unpublished", "public", "private", coordinator.pk),
    ]


def test_publishing_twice_is_refused_with_the_reason():
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator, public_results=True)
    with pytest.raises(ValidationError, match="already public"):
        services.programme_publish_results(programme=programme, by=coordinator)
    programme.public_results = False
    programme.save()
    with pytest.raises(ValidationError, match="not public"):
        services.programme_unpublish_results(programme=programme, by=coordinator)
    assert not AuditEntry.objects.filter(action__startswith="revitalization.monitoring").exists()


def test_publishing_forgets_the_cached_public_pages(monkeypatch):
    forgotten = []
    monkeypatch.setattr(services.pagecache, "forget", lambda *keys: forgotten.append(keys))
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator)
    services.programme_publish_results(programme=programme, by=coordinator)
    assert forgotten == [(f"revitalization:results:{programme.slug}", "revitalization:results")]


def test_a_review_is_recorded_and_audited():
    editor = make_user()
    programme = make_programme(editor=editor)
    review = services.review_add(
        programme=programme,
        by=editor,
        held_on=dt.date(2026, 3, 1),
        findings="  Wskaźniki aktywności rosną.  ",
        recommendations="Dodać działania dla seniorów.",
        today=TODAY,
    )
    assert review.findings == "Wskaźniki aktywności rosną."
    assert review.created_by == editor
    entry = AuditEntry.objects.get(action="revitalization.evaluation.review_added")
    assert entry.object_id == str(review.pk)
    assert entry.data == {"programme": programme.pk, "held_on": "2026-03-01"}


@pytest.mark.parametrize(
    ("held_on", "findings", "field", "message"),
    [
        (None, "Coś", "held_on", "Give the date"),
        (dt.date(2026, 6, 16), "Coś", "held_on", "cannot be in the future"),
        (dt.date(2015, 1, 1), "Coś", "held_on", "before 18 November 2015"),
        (dt.date(2026, 1, 1), "   ", "findings", "Write what the review found"),
        (dt.date(2026, 1, 1), "x" * 20_001, "findings", "too long"),
    ],
)
def test_a_review_without_a_valid_date_or_findings_is_refused(held_on, findings, field, message):
    programme = make_programme()
    with pytest.raises(ValidationError) as error:
        services.review_add(
            programme=programme, by=None, held_on=held_on, findings=findings, today=TODAY
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not Review.objects.exists()
    assert not AuditEntry.objects.exists()


def test_changing_a_review_records_what_changed():
    editor = make_user()
    programme = make_programme(editor=editor)
    review = services.review_add(
        programme=programme, by=editor, held_on=dt.date(2026, 3, 1), findings="A", today=TODAY
    )
    services.review_change(
        review=review,
        by=editor,
        held_on=dt.date(2026, 3, 2),
        findings="A",
        recommendations="B",
        today=TODAY,
    )
    review.refresh_from_db()
    assert (review.held_on, review.recommendations) == (dt.date(2026, 3, 2), "B")
    entry = AuditEntry.objects.get(action="revitalization.evaluation.review_changed")
    assert entry.data["changed"] == {
        "held_on": ["2026-03-01", "2026-03-02"],
        "recommendations": ["", "B"],
    }
    # Saving the same again records nothing.
    services.review_change(
        review=review,
        by=editor,
        held_on=dt.date(2026, 3, 2),
        findings="A",
        recommendations="B",
        today=TODAY,
    )
    assert AuditEntry.objects.filter(action="revitalization.evaluation.review_changed").count() == 1


def test_an_export_is_recorded_with_its_size_only():
    user = make_user()
    programme = make_programme(coordinator=user)
    services.monitoring_export_audit(
        programme=programme, by=user, file_format="xlsx", indicators=2, measurements=3, actions=1
    )
    entry = AuditEntry.objects.get(action="revitalization.monitoring.exported")
    assert entry.data == {"format": "xlsx", "indicators": 2, "measurements": 3, "actions": 1}
