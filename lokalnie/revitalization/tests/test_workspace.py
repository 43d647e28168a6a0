"""The programme workspace: creating a programme, its team and its stages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lokalnie.conftest import make_gmina, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import (
    DiagnosisIndicator,
    Programme,
    ProgrammeMember,
    Stage,
    Unit,
    UnitValue,
)
from lokalnie.revitalization.services import programme as services
from lokalnie.revitalization.tests.factories import make_programme

pytestmark = pytest.mark.django_db


def test_whoever_creates_a_programme_becomes_its_coordinator_and_it_is_audited():
    user = make_user()
    programme = services.programme_create(by=user, title="GPR Łodzi 2026–2032", gmina=make_gmina())
    assert programme.slug.startswith("gpr-lodzi-2026-2032")
    assert ProgrammeMember.objects.get(programme=programme).role == "coordinator"
    assert AuditEntry.objects.filter(action="revitalization.programme.created").count() == 1


def test_two_programmes_with_one_title_get_different_addresses():
    user = make_user()
    first = services.programme_create(by=user, title="GPR", gmina=make_gmina())
    second = services.programme_create(by=user, title="GPR", gmina=make_gmina())
    assert first.slug != second.slug


def test_a_programme_cannot_end_before_it_starts():
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        services.programme_create(
            by=make_user(),
            title="GPR",
            gmina=make_gmina(),
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2026, 1, 1),
        )
    assert "cannot end before it starts" in str(error.value)
    assert not Programme.objects.exists()


def test_a_member_is_added_by_the_address_of_an_existing_account():
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator)
    with pytest.raises(ValidationError) as error:
        services.member_add(
            programme=programme, email="nobody@example.org", role="editor", by=coordinator
        )
    assert "nobody@example.org" in str(error.value)
    colleague = make_user(email="ola@example.org")
    services.member_add(programme=programme, email="OLA@example.org", role="editor", by=coordinator)
    assert ProgrammeMember.objects.get(user=colleague).role == "editor"
    with pytest.raises(ValidationError, match="already in the team"):
        services.member_add(
            programme=programme, email="ola@example.org", role="viewer", by=coordinator
        )


def test_the_last_coordinator_cannot_leave_or_step_down():
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator)
    member = ProgrammeMember.objects.get(user=coordinator)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.member_remove(member=member, by=coordinator)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.member_change_role(member=member, role="editor", by=coordinator)
    other = make_user()
    ProgrammeMember.objects.create(programme=programme, user=other, role="coordinator")
    services.member_change_role(member=member, role="editor", by=other)
    assert ProgrammeMember.objects.get(user=coordinator).role == "editor"


def _diagnosis_done(programme):
    programme.gmina_area_ha, programme.gmina_residents = 100, 1000
    programme.save()
    unit = Unit.objects.create(programme=programme, code="1", name="A", residents=10, area_ha=1)
    indicator = DiagnosisIndicator.objects.create(
        programme=programme,
        code="bezr",
        name="Bezrobocie",
        sphere="social",
        direction="higher_worse",
    )
    UnitValue.objects.create(unit=unit, indicator=indicator, value=3)


def test_moving_forward_needs_the_earlier_stages_done_and_says_what_is_missing():
    coordinator = make_user()
    programme = make_programme(coordinator=coordinator)
    with pytest.raises(ValidationError) as error:
        services.programme_stage_set(programme=programme, stage=Stage.AREA, by=coordinator)
    assert "Diagnosis" in str(error.value) and "indicator values" in str(error.value)
    _diagnosis_done(programme)
    services.programme_stage_set(programme=programme, stage=Stage.AREA, by=coordinator)
    programme.refresh_from_db()
    assert programme.stage == Stage.AREA
    # Going back is always allowed, and audited both ways.
    services.programme_stage_set(programme=programme, stage=Stage.DIAGNOSIS, by=coordinator)
    entries = AuditEntry.objects.filter(action="revitalization.programme.stage_changed")
    assert [(e.from_state, e.to_state) for e in entries.order_by("pk")] == [
        ("diagnosis", "area"),
        ("area", "diagnosis"),
    ]


def test_index_explains_the_module_to_visitors_and_lists_the_team_s_programmes(client):
    page = client.get(reverse("revitalization:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "20% of the gmina's area" in page.content.decode()
    user = make_user()
    mine = make_programme(coordinator=user, title="Nasz program")
    make_programme(title="Cudzy program")
    client.force_login(user)
    page = client.get(reverse("revitalization:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mine.title in page and "Cudzy program" not in page


def test_creating_a_programme_in_the_browser_form(client):
    user = make_user()
    gmina = make_gmina()
    client.force_login(user)
    response = client.post(
        reverse("revitalization:programme_new"),
        {"title": "GPR Łodzi", "gmina_query": "Łódź", "gmina": gmina.pk, "description": ""},
    )
    programme = Programme.objects.get()
    assert response.url == reverse("revitalization:programme", args=[programme.pk])
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 of 6 stages done" in page
    assert "Move the programme to" in page


def test_an_outsider_gets_404_and_an_observer_cannot_change_the_stage(client):
    programme = make_programme(coordinator=make_user())
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(reverse("revitalization:programme", args=[programme.pk])).status_code == 404
    observer = make_user()
    ProgrammeMember.objects.create(programme=programme, user=observer, role="viewer")
    client.force_login(observer)
    assert client.get(reverse("revitalization:programme", args=[programme.pk])).status_code == 200
    response = client.post(
        reverse("revitalization:programme_stage", args=[programme.pk]), {"stage": "area"}
    )
    assert response.status_code == 403
