"""Review: assessors declare no conflict before seeing anything, score the rubric without
seeing each other's scores, disagreements are flagged; questions, site visit, votes."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from lokalnie.accounts.models import Role
from lokalnie.certification import review, services
from lokalnie.certification.models import RubricCriterion
from lokalnie.certification.tests.factories import make_application
from lokalnie.certification.workflow import Status
from lokalnie.conftest import make_institution, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def case():
    owner = make_user(email="owner@example.org", language="en")
    staff = make_user(email="staff@example.org", roles=[Role.STAFF])
    a1 = make_user(email="a1@example.org", roles=[Role.ASSESSOR])
    a2 = make_user(email="a2@example.org", roles=[Role.ASSESSOR])
    application = make_application(institution=make_institution(owner=owner), by=owner)
    services.application_transition(application=application, action="submit", by=owner)
    services.application_transition(application=application, action="accept", by=staff)
    return {"owner": owner, "staff": staff, "a1": a1, "a2": a2, "application": application}


def scores(value, comment="ok"):
    return {c.pk: (value, comment) for c in RubricCriterion.objects.filter(active=True)}


def test_only_assessors_who_are_not_members_can_be_assigned(case):
    with pytest.raises(ValidationError, match="is not an assessor"):
        review.assessor_assign(
            application=case["application"], assessor=case["owner"], by=case["staff"]
        )
    with pytest.raises(PermissionDenied):
        review.assessor_assign(
            application=case["application"], assessor=case["a1"], by=case["owner"]
        )
    review.assessor_assign(application=case["application"], assessor=case["a1"], by=case["staff"])
    assert mail.outbox[-1].to == ["a1@example.org"]
    with pytest.raises(ValidationError, match="already assigned"):
        review.assessor_assign(
            application=case["application"], assessor=case["a1"], by=case["staff"]
        )


def test_content_opens_only_after_the_declaration_of_no_conflict(case, client):
    application = case["application"]
    review.assessor_assign(application=application, assessor=case["a1"], by=case["staff"])
    client.force_login(case["a1"])
    detail = reverse("certification:application", args=[application.pk])
    report = reverse("certification:report", args=[application.pk])
    assert client.get(detail).url == reverse("certification:review", args=[application.pk])
    assert client.get(report).status_code == 404
    page = client.get(
        reverse("certification:review", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Declaration of no conflict of interest" in page
    assert "Statut, § 5" not in page  # no content before the declaration
    client.post(reverse("certification:review", args=[application.pk]), {"declare": "yes"})
    assert client.get(report).status_code == 200
    assert client.get(detail).status_code == 200


def _declared(case, *names):
    for name in names:
        review.assessor_assign(
            application=case["application"], assessor=case[name], by=case["staff"]
        )
        review.review_declare_no_conflict(application=case["application"], by=case[name])


def test_assessors_do_not_see_each_others_scores_until_both_submit(case, client):
    application = case["application"]
    _declared(case, "a1", "a2")
    review.review_save(
        application=application,
        by=case["a1"],
        scores=scores(4),
        summary="Dobrze",
        base_version=0,
        submit=True,
    )
    client.force_login(case["a1"])
    assert client.get(reverse("certification:reviews", args=[application.pk])).status_code == 403
    review.review_save(
        application=application,
        by=case["a2"],
        scores=scores(3),
        summary="Dobrze",
        base_version=0,
        submit=True,
    )
    assert client.get(reverse("certification:reviews", args=[application.pk])).status_code == 200


def test_submitting_needs_every_standard_scored_and_a_summary(case):
    _declared(case, "a1")
    partial = scores(3)
    first = next(iter(partial))
    partial[first] = (None, "")
    with pytest.raises(ValidationError, match="Score every standard"):
        review.review_save(
            application=case["application"],
            by=case["a1"],
            scores=partial,
            summary="x",
            base_version=0,
            submit=True,
        )


def test_scores_outside_the_scale_are_refused(case):
    _declared(case, "a1")
    with pytest.raises(ValidationError, match="between 0 and 4"):
        review.review_save(
            application=case["application"],
            by=case["a1"],
            scores=scores(7),
            summary="",
            base_version=0,
        )


def test_two_tabs_never_overwrite_each_other(case):
    _declared(case, "a1")
    review.review_save(
        application=case["application"],
        by=case["a1"],
        scores=scores(2),
        summary="A",
        base_version=0,
    )
    with pytest.raises(ValidationError, match="changed in another window"):
        review.review_save(
            application=case["application"],
            by=case["a1"],
            scores=scores(4),
            summary="B",
            base_version=0,
        )


def test_large_disagreement_is_flagged_for_moderation(case):
    application = case["application"]
    _declared(case, "a1", "a2")
    review.review_save(
        application=application,
        by=case["a1"],
        scores=scores(4),
        summary="x",
        base_version=0,
        submit=True,
    )
    low = scores(4)
    first = RubricCriterion.objects.filter(active=True).first()
    low[first.pk] = (1, "słabo")
    review.review_save(
        application=application, by=case["a2"], scores=low, summary="y", base_version=0, submit=True
    )
    summary = review.review_summary(application)
    assert summary.flagged == [first]
    assert summary.complete


def test_recommendation_needs_two_submitted_reviews(case):
    application = case["application"]
    _declared(case, "a1", "a2")
    review.review_save(
        application=application,
        by=case["a1"],
        scores=scores(4),
        summary="x",
        base_version=0,
        submit=True,
    )
    with pytest.raises(ValidationError, match="At least 2 assessors"):
        services.application_transition(
            application=application, action="recommend", by=case["staff"], reason="Polecamy"
        )
    review.review_save(
        application=application,
        by=case["a2"],
        scores=scores(4),
        summary="x",
        base_version=0,
        submit=True,
    )
    services.application_transition(
        application=application, action="recommend", by=case["staff"], reason="Polecamy"
    )
    application.refresh_from_db()
    assert (application.status, application.recommendation) == (Status.RECOMMENDED, "Polecamy")


def test_committee_decision_follows_the_votes(case):
    application = case["application"]
    _declared(case, "a1", "a2")
    for name in ("a1", "a2"):
        review.review_save(
            application=application,
            by=case[name],
            scores=scores(4),
            summary="x",
            base_version=0,
            submit=True,
        )
    services.application_transition(
        application=application, action="recommend", by=case["staff"], reason="Polecamy"
    )
    c1 = make_user(roles=[Role.COMMITTEE])
    c2 = make_user(roles=[Role.COMMITTEE])
    with pytest.raises(ValidationError, match="No Committee member has voted"):
        services.application_transition(application=application, action="grant", by=c1)
    review.vote_cast(application=application, by=c1, choice="grant", comment="")
    with pytest.raises(ValidationError, match="Give the reasons"):
        review.vote_cast(application=application, by=c2, choice="refuse", comment="")
    review.vote_cast(application=application, by=c2, choice="grant", comment="")
    with pytest.raises(ValidationError, match="Most votes are not for refusing"):
        services.application_transition(application=application, action="refuse", by=c1, reason="x")
    services.application_transition(
        application=application, action="grant", by=c1, reason="Spełnia standardy."
    )
    assert review.vote_tally(application)["grant"] == 2
    with pytest.raises(PermissionDenied):  # voting is closed after the decision
        review.vote_cast(application=application, by=c2, choice="refuse", comment="x")


def test_questions_go_to_the_other_side_by_email(case):
    application = case["application"]
    _declared(case, "a1")
    review.question_post(
        application=application, section_key="community", body="Ilu wolontariuszy?", by=case["a1"]
    )
    assert mail.outbox[-1].to == ["owner@example.org"]
    assert "Ilu wolontariuszy?" in mail.outbox[-1].body
    review.question_post(
        application=application, section_key="community", body="Dwudziestu.", by=case["owner"]
    )
    assert mail.outbox[-1].to == ["a1@example.org"]
    with pytest.raises(PermissionDenied):
        review.question_post(
            application=application, section_key="community", body="?", by=make_user()
        )


def test_site_visit_is_scheduled_and_its_protocol_recorded(case, client):
    application = case["application"]
    when = timezone.now() + dt.timedelta(days=7)
    review.visit_schedule(
        application=application,
        when=when,
        place="ul. Długa 1",
        expert=case["a1"],
        reason="Sprawdzenie miejsca",
        by=case["staff"],
    )
    application.refresh_from_db()
    assert application.status == Status.SITE_VISIT
    assert {m.to[0] for m in mail.outbox[-2:]} == {"a1@example.org", "owner@example.org"}
    with pytest.raises(PermissionDenied):
        review.visit_record(application=application, protocol="x", by=case["a2"])
    review.visit_record(
        application=application, protocol="Miejsce otwarte dla mieszkańców.", by=case["a1"]
    )
    assert application.site_visit.recorded_at is not None


def test_an_assessor_with_a_conflict_steps_down_and_staff_are_told(case, client):
    application = case["application"]
    review.assessor_assign(application=application, assessor=case["a1"], by=case["staff"])
    client.force_login(case["a1"])
    response = client.post(
        reverse("certification:review", args=[application.pk]), {"declare": "conflict"}
    )
    assert response.status_code == 302
    assert not application.assignments.exists()
    assert mail.outbox[-1].to == ["staff@example.org"]
    assert client.get(reverse("certification:report", args=[application.pk])).status_code == 404
