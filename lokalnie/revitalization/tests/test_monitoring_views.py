"""The monitoring pages: what the team and visitors see, and who may do what."""

import datetime as dt

import pytest
from django.urls import reverse

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.core.tests.pagecache import page_cache_of_this_test
from lokalnie.revitalization.models import Programme, Review
from lokalnie.revitalization.services import monitoring as services
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_monitoring import (
    approved,
    make_action,
    make_evidence,
    results_world,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def team():
    return {"coordinator": make_user(), "editor": make_user(), "viewer": make_user()}


@pytest.fixture
def programme(team):
    programme = make_programme(
        coordinator=team["coordinator"],
        editor=team["editor"],
        viewer=team["viewer"],
        description="Program dla Śródmieścia.",
    )
    indicators, periods = results_world(programme, approver=team["coordinator"])
    make_evidence(indicators[0].measurements.get(period=periods[0]), filename="lista-tajna.pdf")
    make_action(programme, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    return programme


def _get(client, user, name, *args):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"revitalization:{name}", args=args), **EN)


# --- The dashboard --------------------------------------------------------------------------


def test_the_dashboard_shows_approved_results_with_charts_and_tables(client, team, programme):
    response = _get(client, team["viewer"], "monitoring", programme.pk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Only measurements approved by the coordinator count" in page
    assert page.count('role="img"') >= 3  # two indicators and the actions
    assert page.count('<table class="chart-data">') >= 3
    assert "999" not in page  # the submitted measurements
    assert "2 measurements" in page  # waiting for approval
    assert "on track" in page
    assert team["coordinator"].display_name in page  # who approved, for the team
    assert "1 action with a budget of 1,000.00 PLN." in page
    assert "2025-01-01 – 2025-12-31" in page  # the period covered
    assert 'aria-current="page"' in page  # the stage navigation marks monitoring


def test_only_the_coordinator_is_offered_to_publish(client, team, programme):
    page = _get(client, team["editor"], "monitoring", programme.pk).content.decode()
    assert "Publish the results" not in page
    client.logout()
    page = _get(client, team["coordinator"], "monitoring", programme.pk).content.decode()
    assert "Publish the results" in page


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_the_coordinator_may_publish(client, team, programme, role):
    client.force_login(team[role])
    response = client.post(reverse("revitalization:monitoring_publish", args=[programme.pk]))
    assert response.status_code == 403
    programme.refresh_from_db()
    assert not programme.public_results


def test_an_outsider_gets_404_and_cannot_publish(client, programme):
    client.force_login(make_user())
    assert _get(client, None, "monitoring", programme.pk).status_code == 404
    url = reverse("revitalization:monitoring_publish", args=[programme.pk])
    assert client.post(url).status_code == 404


def test_the_coordinator_publishes_and_unpublishes(client, team, programme):
    client.force_login(team["coordinator"])
    publish = reverse("revitalization:monitoring_publish", args=[programme.pk])
    response = client.post(publish, follow=True, **EN)
    assert "The results page is public" in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).public_results
    response = client.post(publish, follow=True, **EN)
    assert "already public" in response.content.decode()
    client.post(reverse("revitalization:monitoring_unpublish", args=[programme.pk]))
    assert not Programme.objects.get(pk=programme.pk).public_results
    assert AuditEntry.objects.filter(action__startswith="revitalization.monitoring.").count() == 2


# --- The public pages -----------------------------------------------------------------------


def test_the_public_page_is_404_until_the_results_are_public(client, team, programme):
    url = reverse("revitalization:public_results", args=[programme.slug])
    assert client.get(url).status_code == 404
    client.force_login(team["coordinator"])  # the team too: the page is the public's
    assert client.get(url).status_code == 404
    client.logout()
    services.programme_publish_results(programme=programme, by=team["coordinator"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("revitalization:public_results", args=["nie-ma"])).status_code == 404


def test_the_public_page_shows_only_approved_data_and_nothing_personal(client, team, programme):
    services.programme_publish_results(programme=programme, by=team["coordinator"])
    response = client.get(reverse("revitalization:public_results", args=[programme.slug]), **EN)
    page = response.content.decode()
    assert programme.title in page and "Program dla Śródmieścia." in page
    assert "Only measurements approved by the programme's coordinator are shown." in page
    assert "115" in page  # an approved value
    assert "999" not in page  # submitted, not approved
    for person in team.values():
        assert person.email not in page
        assert person.display_name not in page
    assert "Approved by" not in page
    assert "lista-tajna.pdf" not in page and "evidence" not in page.lower()
    assert "Anna Kowalska" not in page  # the responsible partner's contact person
    assert "/programy/" not in page  # no link into the team's workspace


def test_the_public_page_comes_from_the_cache_and_changes_show_at_once(
    client, settings, team, programme, django_assert_num_queries
):
    settings.REGISTRY_PAGE_CACHE = True
    with page_cache_of_this_test(settings):
        services.programme_publish_results(programme=programme, by=team["coordinator"])
        url = reverse("revitalization:public_results", args=[programme.slug])
        assert "116" in client.get(url, **EN).content.decode()
        with django_assert_num_queries(0):
            assert client.get(url, **EN).status_code == 200
        # A results service approves a new measurement and forgets the page.
        indicator = programme.result_indicators.order_by("pk").first()
        period = programme.periods.order_by("starts_on").last()
        indicator.measurements.filter(period=period).delete()
        approved(indicator, period, value=141)
        services.forget_public_results(programme)
        assert "141" in client.get(url, **EN).content.decode()
        services.programme_unpublish_results(programme=programme, by=team["coordinator"])
        assert client.get(url, **EN).status_code == 404


def test_approving_a_measurement_through_the_service_refreshes_the_cached_public_page(
    client, settings, team, programme
):
    from lokalnie.revitalization.services import results as results_services
    from lokalnie.revitalization.tests.factories_results import make_measurement

    settings.REGISTRY_PAGE_CACHE = True
    with page_cache_of_this_test(settings):
        services.programme_publish_results(programme=programme, by=team["coordinator"])
        url = reverse("revitalization:public_results", args=[programme.slug])
        assert "141" not in client.get(url, **EN).content.decode()  # now cached
        indicator = programme.result_indicators.order_by("pk").first()
        period = programme.periods.order_by("starts_on").last()
        indicator.measurements.filter(period=period).delete()
        measurement = make_measurement(
            indicator,
            period,
            value=141,
            status="submitted",
            explanation="Więcej osób niż planowano.",
        )
        results_services.measurement_approve(measurement=measurement, by=team["coordinator"])
        assert "141" in client.get(url, **EN).content.decode()


def test_the_public_list_shows_programmes_with_public_results(client, team, programme):
    hidden = make_programme(title="Program ukryty")
    services.programme_publish_results(programme=programme, by=team["coordinator"])
    other = make_programme(public_results=True, title="Program krakowski", gmina_code="1261011")
    page = client.get(reverse("revitalization:public_list"), **EN).content.decode()
    assert programme.title in page and other.title in page and hidden.title not in page
    assert "2 programmes." in page
    filtered = client.get(reverse("revitalization:public_list"), {"wojewodztwo": "12"}, **EN)
    page = filtered.content.decode()
    assert other.title in page and programme.title not in page


def test_the_public_list_is_paginated(client):
    for number in range(21):
        make_programme(public_results=True, title=f"Program {number:02d}")
    page = client.get(reverse("revitalization:public_list"), **EN).content.decode()
    assert "Page 1 of 2" in page
    second = client.get(reverse("revitalization:public_list"), {"strona": 2}, **EN)
    assert "Program 20" in second.content.decode()


# --- Evaluation -----------------------------------------------------------------------------


def test_the_team_reads_the_reviews_and_when_the_next_is_due(client, team, programme):
    Review.objects.create(
        programme=programme, held_on=dt.date(2025, 3, 1), findings="Postępy są widoczne."
    )
    page = _get(client, team["viewer"], "evaluation", programme.pk).content.decode()
    assert "Postępy są widoczne." in page
    assert "The next review is due by" in page and "2028" in page
    assert "Record a review" not in page  # observers only read


def test_an_editor_records_a_review(client, team, programme):
    client.force_login(team["editor"])
    url = reverse("revitalization:evaluation_add", args=[programme.pk])
    response = client.post(url, {"held_on": "", "findings": ""}, **EN)
    assert response.status_code == 200
    assert "Give the date of the review." in response.content.decode()
    assert "Write what the review found." in response.content.decode()
    response = client.post(
        url, {"held_on": "2026-01-15", "findings": "Dobrze.", "recommendations": ""}
    )
    assert response.status_code == 302
    review = Review.objects.get(programme=programme)
    assert review.created_by == team["editor"]
    edit = reverse("revitalization:evaluation_edit", args=[programme.pk, review.pk])
    assert "Dobrze." in client.get(edit).content.decode()
    client.post(edit, {"held_on": "2026-01-15", "findings": "Bardzo dobrze."})
    review.refresh_from_db()
    assert review.findings == "Bardzo dobrze."


def test_a_future_review_date_is_refused_on_the_form(client, team, programme):
    client.force_login(team["coordinator"])
    url = reverse("revitalization:evaluation_add", args=[programme.pk])
    response = client.post(url, {"held_on": "2999-01-01", "findings": "X"}, **EN)
    assert "cannot be in the future" in response.content.decode()
    assert not Review.objects.exists()


def test_observers_cannot_record_reviews_nor_change_another_programmes(client, team, programme):
    client.force_login(team["viewer"])
    assert (
        client.get(reverse("revitalization:evaluation_add", args=[programme.pk])).status_code == 403
    )
    other = make_programme(editor=team["editor"])
    review = Review.objects.create(programme=other, held_on=dt.date(2025, 1, 1), findings="X")
    client.force_login(team["editor"])
    url = reverse("revitalization:evaluation_edit", args=[programme.pk, review.pk])
    assert client.get(url).status_code == 404
