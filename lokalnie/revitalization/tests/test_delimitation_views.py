"""The delimitation's pages: who may do what, what the team sees (outcome, limits,
reasons, the greedy ranking, history), pins, adoption, the PDF report and the CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from lokalnie.conftest import make_user
from lokalnie.revitalization.models import Delimitation, Unit
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_delimitation import TEN, fake_diagnosis, stored_run
from lokalnie.revitalization.tests.factories_diagnosis import make_diagnosis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def team():
    return {
        "coordinator": make_user(language="en"),
        "editor": make_user(language="en"),
        "viewer": make_user(language="en"),
    }


@pytest.fixture
def programme(team, monkeypatch):
    """The ten units of ``TEN``; the diagnosis the pages and services read is that one."""
    programme = make_programme(**team)
    diagnosis = fake_diagnosis(programme, TEN)
    for module in ("views", "services"):
        monkeypatch.setattr(
            f"lokalnie.revitalization.{module}.delimitation.diagnosis_result",
            lambda _programme: diagnosis,
        )
    programme.diagnosis = diagnosis
    return programme


def as_user(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(name, programme, *args):
    return reverse(f"revitalization:{name}", args=[programme.pk, *args])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def run_once(client, programme, objective="index_residents"):
    response = client.post(url("delimitation_run", programme), {"objective": objective})
    assert response.status_code == 302
    return Delimitation.objects.filter(programme=programme).latest("pk")


def test_before_any_run_the_page_offers_the_calculation(client, programme, team):
    response = as_user(client, team["editor"]).get(url("delimitation", programme))
    assert response.status_code == 200
    assert response.context["stage"] == "area"
    page = text(response)
    assert "By the current diagnosis 5 of 10 units are degraded (art. 9)." in page
    assert "Run the delimitation" in page
    assert "Composite index weighted by residents" in page
    assert "No run yet." in page
    assert "No revitalization area is adopted yet." in page


def test_viewer_sees_results_but_no_controls(client, programme, team):
    stored_run(programme, programme.diagnosis)
    response = as_user(client, team["viewer"]).get(url("delimitation", programme))
    page = text(response)
    assert "Proven optimal" in page
    assert "Run the delimitation" not in page
    assert "Adopt this area" not in page
    assert "change the decision" not in page


def test_a_run_shows_outcome_limits_reasons_and_the_greedy_ranking(client, programme, team):
    as_user(client, team["editor"])
    run = run_once(client, programme)
    response = client.get(url("delimitation", programme) + f"?przebieg={run.pk}")
    page = text(response)
    assert "✓ Proven optimal." in page
    assert "than 515.00. The gap between this value and the best possible is 0." in page
    # The limits check: numbers and a written verdict.
    assert "140.00 ha" in page and "at most 200.00 ha (20.0% of 1,000.00 ha)" in page
    assert "290 residents" in page and "at most 300 residents (30.0% of 1,000 residents)" in page
    assert page.count("✓ within the limit") == 2
    # Reasons in words.
    assert "Chosen by the calculation: it adds 200.00 to the objective" in page
    assert (
        "added to the chosen units it would exceed the area limit by 90.00 ha and the "
        "residents limit by 50 people" in page
    )
    assert "would exceed the residents limit by 190 people" in page
    assert "Not in the degraded area (art. 9): no social crisis." in page
    # The greedy ranking beside it.
    assert "would choose 2 units, with an objective of 360.00 — 69.9% of the optimum" in page
    assert "Only in the exact solution: B Osiedle B, D Osiedle D" in page
    assert "Only in the ranking's choice: A Osiedle A" in page
    # The editor may decide on units, not adopt.
    assert "change the decision on A" in page
    assert "Adopt this area" not in page
    assert "Out of date" not in page


def test_a_run_that_stopped_at_the_time_limit_states_its_gap(client, programme, team):
    run = stored_run(programme, programme.diagnosis)
    run.result.update(status="time_limit", dual_bound=520.0, gap_abs=5.0, gap_rel=5 / 515)
    run.save()
    page = text(as_user(client, team["viewer"]).get(url("delimitation", programme)))
    assert "Stopped at the time limit" in page
    assert "no choice within the limits can give more than 520.00" in page
    assert "at most 1.0% below the best possible" in page


def test_coordinator_adopts_and_the_page_says_so(client, programme, team):
    run = stored_run(programme, programme.diagnosis, by=team["editor"])
    as_user(client, team["coordinator"])
    page = text(client.get(url("delimitation", programme)))
    assert "Adopt this area" in page
    response = client.post(url("delimitation_adopt", programme, run.pk))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Delimitation.Status.ADOPTED
    page = text(client.get(response["Location"]))
    assert "The revitalization area is adopted." in page
    assert "Adopted area" in page
    assert "Adopt this area" not in page


def test_editor_may_not_adopt(client, programme, team):
    run = stored_run(programme, programme.diagnosis)
    response = as_user(client, team["editor"]).post(url("delimitation_adopt", programme, run.pk))
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == Delimitation.Status.DRAFT


def test_a_run_older_than_the_pins_is_marked_and_cannot_be_adopted(client, programme, team):
    run = stored_run(programme, programme.diagnosis)
    Unit.objects.filter(programme=programme, code="A").update(pin="in", pin_reason="Rynek")
    as_user(client, team["coordinator"])
    page = text(client.get(url("delimitation", programme)))
    assert "Out of date:" in page
    assert "Adopt this area" not in page
    response = client.post(url("delimitation_adopt", programme, run.pk), follow=True)
    assert "changed since this run" in text(response)
    assert "Rynek" in text(response)  # the current decisions are listed


def test_pin_form_requires_a_reason_and_saves_the_decision(client, programme, team):
    unit = Unit.objects.get(programme=programme, code="B")
    as_user(client, team["editor"])
    response = client.get(url("delimitation_pin", programme, unit.pk))
    assert response.status_code == 200
    assert "Decision on B Osiedle B" in text(response)
    assert "degraded (art. 9)" in text(response)
    response = client.post(url("delimitation_pin", programme, unit.pk), {"pin": "out"})
    assert response.status_code == 200
    assert "Give the reason for the decision." in text(response)
    response = client.post(
        url("delimitation_pin", programme, unit.pk),
        {"pin": "out", "reason": "Objęte programem gminnym"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.pin, unit.pin_reason) == ("out", "Objęte programem gminnym")
    page = text(client.get(url("delimitation", programme)))
    assert "kept out of the area — Objęte programem gminnym" in page


def test_pin_form_refuses_to_keep_in_a_unit_that_is_not_degraded(client, programme, team):
    unit = Unit.objects.get(programme=programme, code="F")
    response = as_user(client, team["editor"]).post(
        url("delimitation_pin", programme, unit.pk), {"pin": "in", "reason": "Chcemy"}
    )
    assert response.status_code == 200
    assert "is not degraded by the diagnosis" in text(response)
    unit.refresh_from_db()
    assert unit.pin == ""


def test_run_errors_are_shown(client, programme, team):
    Unit.objects.filter(programme=programme, code="F").update(pin="in", pin_reason="x")
    response = as_user(client, team["editor"]).post(
        url("delimitation_run", programme), {"objective": "index"}, follow=True
    )
    assert "Unit F is kept in the area by the team&#x27;s decision but is not degraded" in (
        response.content.decode()
    )
    assert not Delimitation.objects.exists()


def test_another_programmes_run_is_not_found(client, programme, team):
    other = make_programme(coordinator=team["coordinator"])
    run = stored_run(programme, programme.diagnosis)
    as_user(client, team["coordinator"])
    assert client.get(url("delimitation_pdf", other, run.pk)).status_code == 404
    assert client.get(url("delimitation_csv", other, run.pk)).status_code == 404
    assert client.post(url("delimitation_adopt", other, run.pk)).status_code == 404
    assert client.get(url("delimitation", other) + f"?przebieg={run.pk}").status_code == 404


def test_missing_gmina_totals_are_pointed_out(client, team):
    programme = make_programme(**team)
    page = text(as_user(client, team["editor"]).get(url("delimitation", programme)))
    assert "Enter them in the diagnosis settings" in page
    assert "Run the delimitation" not in page


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_report_pdf_has_method_tables_and_limits_check(client, programme, team):
    Unit.objects.filter(programme=programme, code="E").update(pin="out", pin_reason="Park")
    run = stored_run(programme, programme.diagnosis)
    response = as_user(client, team["viewer"]).get(url("delimitation_pdf", programme, run.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = pdf_text(response)
    assert "Delimitation of the revitalization area" in content
    assert programme.title in content
    assert "Degraded area (art. 9 of the Revitalization Act of 9 October 2015)" in content
    assert "Revitalization area (art. 10)" in content
    assert "at most 20% of the gmina's area" in content
    assert "composite index weighted by residents" in content
    assert "Proven optimal" in content
    # The indicator and crisis tables, the units, the limits check.
    assert "Bezrobocie (bezrobocie)" in content
    assert "Crisis by sphere" in content
    assert "Limits check (art. 10)" in content
    assert "within the limit" in content
    assert "The revitalization area consists of 3 units." in content
    assert "B Osiedle B" in content and "J Osiedle J" in content
    assert "Kept out of the area by the team's decision: Park" in content
    assert "Decisions of the programme team" in content
    assert "Comparison with a simple ranking" in content
    # No boundaries in this programme: no map.
    assert "Map" not in content


def test_report_pdf_has_the_map_when_units_have_boundaries(client, team):
    programme = make_diagnosis(units=12, geometry=True, **team)
    from lokalnie.revitalization.services.delimitation import delimitation_run

    run = delimitation_run(programme=programme, by=team["editor"])
    response = as_user(client, team["viewer"]).get(url("delimitation_pdf", programme, run.pk))
    content = pdf_text(response)
    assert "Map" in content
    assert "revitalization area (art. 10):" in content
    page = as_user(client, team["viewer"]).get(url("delimitation", programme))
    assert 'class="choropleth"' in page.content.decode()


def test_unit_list_csv(client, programme, team):
    run = stored_run(programme, programme.diagnosis)
    response = as_user(client, team["viewer"]).get(url("delimitation_csv", programme, run.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:4] == ["unit id", "name", "residents", "area (ha)"]
    assert len(rows) == 11
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["B"][3] == "60,00"
    assert by_code["B"][5] == "2,0000"
    assert by_code["B"][8] == "yes"
    assert by_code["B"][10] == "selected"
    assert by_code["A"][8] == "no"
    assert by_code["A"][10] == "would_exceed_both"
    assert by_code["A"][12] == "90,00"
    assert by_code["A"][13] == "50"
    assert by_code["F"][6] == "no"
    assert by_code["F"][10] == "not_degraded"


def test_csv_neutralizes_formulas(client, team, monkeypatch):
    programme = make_programme(**team)
    diagnosis = fake_diagnosis(programme, [("=1+1", 10, 10.0, 1.0, True)])
    run = stored_run(programme, diagnosis)
    body = as_user(client, team["viewer"]).get(url("delimitation_csv", programme, run.pk))
    assert "\n'=1+1;" in body.content.decode()


def queries_of_page(client, units, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lokalnie.revitalization.services.delimitation import delimitation_run

    programme = make_diagnosis(units=units, geometry=True, **team)
    delimitation_run(programme=programme, by=team["editor"])
    delimitation_run(programme=programme, objective="residents", by=team["editor"])
    unit = Unit.objects.filter(programme=programme).first()
    unit.pin, unit.pin_reason = "out", "Powód"
    unit.save()
    as_user(client, team["coordinator"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("delimitation", programme))
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_units(client, team):
    assert queries_of_page(client, 10, team) == queries_of_page(client, 150, team)
