"""The results framework's pages: who may do what (editors submit, only coordinators
approve, lock and unlock, observers read, outsiders 404), what each page shows, evidence
served only within its programme."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lokalnie.conftest import close_file, make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Measurement, Period, ResultIndicator, Target
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_results import (
    PDF_BYTES,
    make_diagnosis,
    make_evidence,
    make_indicator,
    make_measurement,
    make_period,
    make_target,
)

pytestmark = pytest.mark.django_db
Status = Measurement.Status


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    coordinator, editor, viewer = (
        make_user(language="en"),
        make_user(language="en"),
        make_user(language="en"),
    )
    programme = make_programme(coordinator=coordinator, editor=editor, viewer=viewer)
    indicator = make_indicator(programme, code="W1", breakdowns=["sex"])
    period = make_period(programme, 2026)
    make_target(indicator, period, 40)
    return {
        "programme": programme,
        "indicator": indicator,
        "period": period,
        "coordinator": coordinator,
        "editor": editor,
        "viewer": viewer,
        "outsider": make_user(language="en"),
    }


def url(name, world, *extra):
    return reverse(f"revitalization:{name}", args=[world["programme"].pk, *extra])


def as_(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    return response.content.decode()


# --- The indicator list ---------------------------------------------------------------------


def test_the_list_shows_baseline_targets_and_the_status_in_words(client, world):
    indicator = world["indicator"]
    indicator.baseline_value, indicator.baseline_year = 25, 2024
    indicator.baseline_provenance = {"source": "typed", "reference": "Sprawozdanie OPS"}
    indicator.save()
    make_measurement(indicator, world["period"], value=30, status=Status.APPROVED)
    page = text_of(as_(client, world["viewer"]).get(url("results", world)))
    assert "W1 — " in page
    assert "25 osoby" in page and "(2024)" in page and "Sprawozdanie OPS" in page
    assert "2026: 40 osoby" in page
    assert "Behind the target by 25% (tolerance 10%)" in page
    assert "progress-behind" in page
    assert "Add an indicator" not in page  # observers only read


def test_outsiders_get_404_and_staff_read(client, world):
    assert as_(client, world["outsider"]).get(url("results", world)).status_code == 404
    staff = make_user(roles=["staff"], language="en")
    assert as_(client, staff).get(url("results", world)).status_code == 200


# --- Indicators -----------------------------------------------------------------------------


def indicator_post(**fields):
    data = {
        "code": "W2",
        "name": "Odsetek osób, które podjęły pracę",
        "kind": "percentage",
        "direction": "increase",
        "method": "Rejestr CIS: zatrudnieni / uczestnicy.",
        "tolerance_pct": "10",
        "breakdowns": ["sex", "age_group"],
        "baseline_mode": "none",
    }
    data.update(fields)
    return data


def test_an_editor_adds_an_indicator_with_a_typed_baseline(client, world):
    response = as_(client, world["editor"]).post(
        url("results_indicator_new", world),
        indicator_post(
            baseline_mode="typed",
            baseline_numerator="12",
            baseline_denominator="48",
            baseline_year="2024",
            baseline_reference="Rejestr CIS 2024",
        ),
    )
    indicator = ResultIndicator.objects.get(code="W2")
    assert response.status_code == 302
    assert response.url == url("results_targets", world, indicator.pk)
    assert indicator.baseline_value == pytest.approx(25)
    assert indicator.breakdowns == ["sex", "age_group"]


def test_a_baseline_from_the_diagnosis_is_shown_with_its_provenance(client, world, monkeypatch):
    from lokalnie.revitalization.selectors import results as selectors

    monkeypatch.setattr(selectors, "area_codes", lambda programme: {"A"})
    source = make_diagnosis(world["programme"], [("A", 100, 10, 100), ("B", 100, 90, 100)])
    as_(client, world["coordinator"])
    response = client.post(
        url("results_indicator_new", world),
        indicator_post(baseline_mode="diagnosis", diagnosis_indicator=str(source.pk)),
    )
    assert response.status_code == 302
    indicator = ResultIndicator.objects.get(code="W2")
    page = text_of(client.get(url("results_indicator", world, indicator.pk)))
    assert "<strong>10%</strong>" in page  # the area's unit only
    assert "diagnosis indicator BEZR “Wskaźnik BEZR”" in page
    assert "the revitalization area: 1 unit" in page
    assert "the total count over the total base: 10 / 100" in page


def test_the_form_says_over_which_units_a_diagnosis_baseline_is_computed(client, world):
    from lokalnie.revitalization.models import Delimitation

    make_diagnosis(world["programme"], [("A", 100, 10, 100)])
    as_(client, world["editor"])
    page = text_of(client.get(url("results_indicator_new", world)))
    assert "No revitalization area is adopted yet: it is computed over the whole gmina." in page
    Delimitation.objects.create(
        programme=world["programme"], status="adopted", result={"selected": ["A", "B"]}
    )
    page = text_of(client.get(url("results_indicator_new", world)))
    assert "It is computed over the adopted revitalization area (2 units)." in page


def test_service_errors_land_on_the_fields(client, world):
    response = as_(client, world["editor"]).post(
        url("results_indicator_new", world),
        indicator_post(code="W1", baseline_mode="typed", baseline_value="", baseline_year=""),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "An indicator with the code W1 already exists here." in page


def test_observers_cannot_open_the_indicator_form(client, world):
    response = as_(client, world["viewer"]).get(url("results_indicator_new", world))
    assert response.status_code == 403


def test_a_measured_indicator_keeps_its_method_but_takes_a_new_name(client, world):
    indicator = world["indicator"]
    make_measurement(indicator, world["period"], value=3)
    as_(client, world["editor"])
    page = text_of(client.get(url("results_indicator_edit", world, indicator.pk)))
    assert "1 measurement already uses this indicator" in page
    assert "Cannot change: 1 measurement uses this indicator." in page
    response = client.post(
        url("results_indicator_edit", world, indicator.pk),
        indicator_post(
            code="W1",
            name="Nowa nazwa",
            kind="percentage",
            method="Inna metoda",
            breakdowns=["sex"],
        ),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Nowa nazwa"
    assert (indicator.kind, indicator.method) == (
        "quantitative",
        "Listy obecności z zajęć, stan na koniec okresu.",
    )


def test_targets_are_set_on_their_page(client, world):
    second = make_period(world["programme"], 2027)
    response = as_(client, world["editor"]).post(
        url("results_targets", world, world["indicator"].pk),
        {f"target_{world['period'].pk}": "42", f"target_{second.pk}": "50.5"},
    )
    assert response.status_code == 302
    assert dict(Target.objects.values_list("period__label", "value")) == {
        "2026": 42,
        "2027": 50.5,
    }


# --- Periods --------------------------------------------------------------------------------


def test_the_team_adds_and_generates_periods(client, world):
    as_(client, world["editor"])
    response = client.post(
        url("results_periods", world),
        {"label": "2030", "starts_on": "2030-01-01", "ends_on": "2030-12-31"},
    )
    assert response.status_code == 302
    response = client.post(
        url("results_periods_generate", world),
        {
            "generate-every": "half_year",
            "generate-starts_on": "2031-01-01",
            "generate-ends_on": "2031-12-31",
        },
    )
    assert response.status_code == 302
    assert list(Period.objects.order_by("starts_on").values_list("label", flat=True)) == [
        "2026",
        "2030",
        "1st half of 2031",
        "2nd half of 2031",
    ]
    response = client.post(
        url("results_periods", world),
        {"label": "Zachodzi", "starts_on": "2026-06-01", "ends_on": "2026-07-01"},
    )
    assert "The period overlaps “2026”" in text_of(response)


def test_observers_cannot_add_periods(client, world):
    response = as_(client, world["viewer"]).post(
        url("results_periods", world),
        {"label": "2030", "starts_on": "2030-01-01", "ends_on": "2030-12-31"},
    )
    assert response.status_code == 403


def test_only_the_coordinator_locks_and_unlocks_with_a_reason(client, world):
    period = world["period"]
    response = as_(client, world["editor"]).post(url("results_period_lock", world, period.pk))
    assert response.status_code == 403
    assert (
        as_(client, world["editor"]).get(url("results_period_unlock", world, period.pk)).status_code
        == 403
    )
    as_(client, world["coordinator"])
    client.post(url("results_period_lock", world, period.pk))
    period.refresh_from_db()
    assert period.locked
    response = client.post(url("results_period_unlock", world, period.pk), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in text_of(response)
    response = client.post(
        url("results_period_unlock", world, period.pk), {"reason": "Korekta danych OPS."}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert not period.locked
    assert AuditEntry.objects.get(action="revitalization.results.period_unlock").reason == (
        "Korekta danych OPS."
    )


# --- Measurements ---------------------------------------------------------------------------


def test_an_editor_saves_and_submits_a_measurement_with_breakdown_and_evidence(client, world):
    as_(client, world["editor"])
    address = url("results_measurement", world, world["indicator"].pk, world["period"].pk)
    page = text_of(client.get(address))
    assert "Breakdown by sex" in page and "Submit for approval" in page
    response = client.post(
        address,
        {
            "value": "40",
            "bd_sex_female": "22",
            "bd_sex_male": "18",
            "evidence_file": SimpleUploadedFile("lista.pdf", PDF_BYTES),
            "evidence_description": "Lista obecności",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.status == Status.SUBMITTED
    assert measurement.evidence.get().filename == "lista.pdf"
    page = text_of(client.get(address))
    assert "Withdraw to draft" in page
    assert "Approve the measurement" not in page  # only coordinators decide


def test_a_mismatched_breakdown_is_shown_and_nothing_is_stored(client, world):
    response = as_(client, world["editor"]).post(
        url("results_measurement", world, world["indicator"].pk, world["period"].pk),
        {"value": "40", "bd_sex_female": "20", "bd_sex_male": "18", "action": "save"},
    )
    assert response.status_code == 200
    assert "Breakdown by sex adds up to 38, but the value is 40" in text_of(response)
    assert not Measurement.objects.exists()


def test_an_unexplained_deviation_is_refused_on_submit(client, world):
    response = as_(client, world["editor"]).post(
        url("results_measurement", world, world["indicator"].pk, world["period"].pk),
        {"value": "20", "bd_sex_female": "10", "bd_sex_male": "10", "action": "submit"},
    )
    assert "The value 20 is 50% below the target of 40" in text_of(response)
    assert not Measurement.objects.exists()


def test_a_decimal_comma_is_read_in_polish(client, world):
    world["indicator"].breakdowns = []
    world["indicator"].save()
    polish = make_user(language="pl")
    world["programme"].members.create(user=polish, role="editor")
    response = as_(client, polish).post(
        url("results_measurement", world, world["indicator"].pk, world["period"].pk),
        {"value": "39,5", "action": "save"},
        headers={"Accept-Language": "pl"},
    )
    assert response.status_code == 302
    assert Measurement.objects.get().value == 39.5


def test_a_stale_form_does_not_overwrite_a_newer_save(client, world):
    indicator = world["indicator"]
    measurement = make_measurement(indicator, world["period"], value=10)
    response = as_(client, world["editor"]).post(
        url("results_measurement", world, indicator.pk, world["period"].pk),
        {
            "value": "12",
            "action": "save",
            "version": (measurement.updated_at - dt.timedelta(minutes=3)).isoformat(),
        },
    )
    assert "Someone else saved this measurement after you opened it" in text_of(response)
    measurement.refresh_from_db()
    assert measurement.value == 10


def test_observers_read_measurements_but_cannot_post(client, world):
    make_measurement(world["indicator"], world["period"], value=40, status=Status.APPROVED)
    address = url("results_measurement", world, world["indicator"].pk, world["period"].pk)
    as_(client, world["viewer"])
    page = text_of(client.get(address))
    assert "What was measured" in page and "Save as draft" not in page
    assert client.post(address, {"value": "1", "action": "save"}).status_code == 403


def test_only_the_coordinator_approves_and_returns(client, world):
    measurement = make_measurement(
        world["indicator"],
        world["period"],
        value=40,
        status=Status.SUBMITTED,
        breakdown={("sex", "female"): 20, ("sex", "male"): 20},
    )
    approve = url("results_measurement_approve", world, measurement.pk)
    assert as_(client, world["editor"]).post(approve).status_code == 403
    response = as_(client, world["coordinator"]).post(
        url("results_measurement_return", world, measurement.pk), {"reason": ""}
    )
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == Status.SUBMITTED  # refused: no reason
    client.post(url("results_measurement_return", world, measurement.pk), {"reason": "Popraw."})
    measurement.refresh_from_db()
    assert measurement.status == Status.RETURNED
    page = text_of(
        as_(client, world["editor"]).get(
            url("results_measurement", world, world["indicator"].pk, world["period"].pk)
        )
    )
    assert "Returned for correction" in page and "Popraw." in page
    measurement.status = Status.SUBMITTED
    measurement.save()
    response = as_(client, world["coordinator"]).post(approve, {"next": "queue"})
    assert response.url == url("results_queue", world)
    measurement.refresh_from_db()
    assert measurement.status == Status.APPROVED


def test_an_approved_measurement_is_read_only_on_its_page(client, world):
    make_measurement(world["indicator"], world["period"], value=40, status=Status.APPROVED)
    address = url("results_measurement", world, world["indicator"].pk, world["period"].pk)
    as_(client, world["coordinator"])
    page = text_of(client.get(address))
    assert "Save as draft" not in page and "Reopen the measurement" in page
    response = client.post(address, {"value": "41", "action": "save"})
    assert "Approved measurements are read-only" in text_of(response)


def test_a_locked_period_refuses_changes_on_the_page(client, world):
    period = world["period"]
    period.locked = True
    period.save()
    address = url("results_measurement", world, world["indicator"].pk, period.pk)
    as_(client, world["editor"])
    page = text_of(client.get(address))
    assert "is locked: nothing of it can change" in page and "Save as draft" not in page
    response = client.post(address, {"value": "41", "action": "save"}, follow=True)
    assert "The period “2026” is locked" in text_of(response)
    assert not Measurement.objects.exists()


# --- Evidence -------------------------------------------------------------------------------


def test_evidence_is_served_to_the_team_with_safe_headers(client, world):
    measurement = make_measurement(world["indicator"], world["period"], value=40)
    evidence = make_evidence(measurement)
    response = as_(client, world["viewer"]).get(url("results_evidence", world, evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"
    close_file(response)
    response = as_(client, world["outsider"]).get(url("results_evidence", world, evidence.pk))
    assert response.status_code == 404


def test_evidence_of_another_programme_is_refused(client, world):
    other = make_programme(coordinator=world["coordinator"])
    foreign = make_evidence(make_measurement(make_indicator(other), make_period(other), value=1))
    # The coordinator of both asks for it under the wrong programme: 404.
    response = as_(client, world["coordinator"]).get(url("results_evidence", world, foreign.pk))
    assert response.status_code == 404
    response = client.post(url("results_evidence_delete", world, foreign.pk))
    assert response.status_code == 404
    assert foreign.__class__.objects.filter(pk=foreign.pk).exists()


# --- The approval queue ---------------------------------------------------------------------


def test_the_queue_lists_submitted_measurements_and_decisions_for_coordinators(client, world):
    make_measurement(
        world["indicator"],
        world["period"],
        value=30,
        status=Status.SUBMITTED,
        explanation="Remont świetlicy.",
    )
    page = text_of(as_(client, world["coordinator"]).get(url("results_queue", world)))
    assert "W1 — " in page and "Remont świetlicy." in page
    assert "Behind the target by 25%" in page
    assert "Approve W1 for 2026" in page
    page = text_of(as_(client, world["editor"]).get(url("results_queue", world)))
    assert "Approve W1 for 2026" not in page
    assert "The coordinator approves or returns these measurements." in page
