"""Services and selectors of the delimitation: runs, adoption, pins, the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lokalnie.accounts.models import User
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Delimitation, Unit
from lokalnie.revitalization.selectors import delimitation as selectors
from lokalnie.revitalization.services import delimitation as services
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_delimitation import TEN, fake_diagnosis
from lokalnie.revitalization.tests.factories_diagnosis import make_diagnosis

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.create_user(email=f"{name}@example.org", password="x-Pass-1234!")


@pytest.fixture
def team():
    return {"coordinator": user("koordynator"), "editor": user("redaktor"), "viewer": user("obs")}


@pytest.fixture
def programme(team):
    return make_programme(**team)


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_run_stores_the_inputs_the_exact_result_and_an_audit_entry(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    run = services.delimitation_run(programme=programme, by=team["editor"], diagnosis=diagnosis)
    assert run.status == Delimitation.Status.DRAFT
    assert run.objective == "index_residents"
    assert run.created_by == team["editor"]
    assert run.result["status"] == "optimal"
    assert run.result["selected"] == ["B", "C", "D"]
    assert run.result["objective"] == pytest.approx(515.0)
    assert run.result["greedy"]["selected"] == ["A", "C"]
    assert run.result["reasons"]["A"]["code"] == "would_exceed_both"
    assert run.result["reasons"]["A"]["excess_area_ha"] == pytest.approx(90.0)
    assert run.result["reasons"]["A"]["excess_residents"] == 50
    assert run.result["reasons"]["E"]["code"] == "would_exceed_residents"
    assert run.result["reasons"]["F"]["code"] == "not_degraded"
    # The snapshot: what the result was computed from, with a fingerprint.
    assert run.inputs["gmina_area_ha"] == 1000.0
    assert run.inputs["gmina_residents"] == 1000
    assert [u["code"] for u in run.inputs["units"]] == [spec[0] for spec in TEN]
    assert run.inputs["units"][0]["crisis"] == {"social": True, "technical": True}
    assert run.inputs["indicators"][0]["code"] == "bezrobocie"
    assert len(run.inputs["fingerprint"]) == 64
    entry = AuditEntry.objects.get(action="revitalization.delimitation.run")
    assert entry.actor == team["editor"]
    assert entry.to_state == "optimal"
    assert entry.data["delimitation"] == run.pk
    assert entry.data["units"] == 3


def test_run_with_another_objective(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    run = services.delimitation_run(
        programme=programme, objective="residents", by=team["editor"], diagnosis=diagnosis
    )
    assert run.objective == "residents"
    assert run.result["objective_name"] == "residents"
    assert run.result["residents"] == 300


def test_run_reads_the_real_diagnosis(team):
    programme = make_diagnosis(units=12, coordinator=team["coordinator"])
    run = services.delimitation_run(programme=programme, by=team["coordinator"])
    assert run.result["status"] in ("optimal", "nothing_qualifies")
    assert len(run.inputs["units"]) == 12
    assert run.result["area_ha"] <= run.result["area_limit_ha"]
    assert run.result["residents"] <= run.result["residents_limit"]


@pytest.mark.parametrize("who", ["viewer", None])
def test_only_the_team_with_edit_rights_runs(programme, team, who):
    diagnosis = fake_diagnosis(programme, TEN)
    outsider = user("obcy")
    with pytest.raises(PermissionDenied):
        services.delimitation_run(
            programme=programme, by=team[who] if who else outsider, diagnosis=diagnosis
        )
    assert not Delimitation.objects.exists()


def test_run_needs_the_gmina_totals_and_units(programme, team):
    with pytest.raises(ValidationError, match="area and residents"):
        services.delimitation_run(programme=programme, by=team["editor"])
    programme.gmina_area_ha, programme.gmina_residents = 100, 100
    programme.save()
    with pytest.raises(ValidationError, match="units"):
        services.delimitation_run(programme=programme, by=team["editor"])
    with pytest.raises(ValidationError, match="maximize"):
        services.delimitation_run(programme=programme, objective="beauty", by=team["editor"])
    assert not Delimitation.objects.exists()
    assert not actions()


def test_a_unit_kept_in_must_be_degraded_or_nothing_is_stored(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    Unit.objects.filter(programme=programme, code="F").update(pin="in", pin_reason="x")
    with pytest.raises(ValidationError) as error:
        services.delimitation_run(programme=programme, by=team["editor"], diagnosis=diagnosis)
    assert "F" in error.value.messages[0]
    assert "art. 9" in error.value.messages[0]
    assert not Delimitation.objects.exists()


def test_pins_are_honoured_in_the_next_run(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    services.unit_pin_set(
        unit=Unit.objects.get(programme=programme, code="A"),
        pin="in",
        reason="Centrum historyczne",
        by=team["editor"],
        diagnosis=diagnosis,
    )
    services.unit_pin_set(
        unit=Unit.objects.get(programme=programme, code="B"),
        pin="out",
        reason="Objęte innym programem",
        by=team["editor"],
    )
    run = services.delimitation_run(programme=programme, by=team["editor"], diagnosis=diagnosis)
    assert "A" in run.result["selected"] and "B" not in run.result["selected"]
    assert run.result["reasons"]["A"]["code"] == "pinned_in"
    assert run.result["reasons"]["B"]["code"] == "pinned_out"
    pins = {u["code"]: (u["pin"], u["pin_reason"]) for u in run.inputs["units"] if u["pin"]}
    assert pins == {"A": ("in", "Centrum historyczne"), "B": ("out", "Objęte innym programem")}


def test_infeasible_pins_are_stored_as_such(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    Unit.objects.filter(programme=programme, code__in=["A", "B"]).update(pin="in", pin_reason="x")
    run = services.delimitation_run(programme=programme, by=team["editor"], diagnosis=diagnosis)
    assert run.result["status"] == "infeasible"
    assert run.result["status_reason"] == "pinned_in_exceed_area"


# --- Pins --------------------------------------------------------------------------------


def test_pin_needs_a_reason_and_is_audited(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    unit = Unit.objects.get(programme=programme, code="B")
    with pytest.raises(ValidationError, match="reason"):
        services.unit_pin_set(unit=unit, pin="out", reason="  ", by=team["editor"])
    with pytest.raises(ValidationError):
        services.unit_pin_set(unit=unit, pin="sometimes", reason="x", by=team["editor"])
    services.unit_pin_set(unit=unit, pin="out", reason=" Inny program ", by=team["editor"])
    unit.refresh_from_db()
    assert (unit.pin, unit.pin_reason) == ("out", "Inny program")
    entry = AuditEntry.objects.get(action="revitalization.delimitation.pin")
    assert (entry.from_state, entry.to_state, entry.reason) == (
        "calculation",
        "out",
        "Inny program",
    )
    assert entry.data == {"unit": "B"}
    # The same decision again changes nothing and logs nothing.
    services.unit_pin_set(unit=unit, pin="out", reason="Inny program", by=team["editor"])
    assert AuditEntry.objects.filter(action="revitalization.delimitation.pin").count() == 1
    # Back to the calculation: the reason goes.
    services.unit_pin_set(
        unit=unit, pin="", reason="ignored", by=team["editor"], diagnosis=diagnosis
    )
    unit.refresh_from_db()
    assert (unit.pin, unit.pin_reason) == ("", "")


def test_only_a_degraded_unit_can_be_kept_in(programme, team):
    diagnosis = fake_diagnosis(programme, TEN)
    unit = Unit.objects.get(programme=programme, code="F")
    with pytest.raises(ValidationError, match="not degraded"):
        services.unit_pin_set(
            unit=unit, pin="in", reason="Chcemy", by=team["editor"], diagnosis=diagnosis
        )
    unit.refresh_from_db()
    assert unit.pin == ""


def test_viewer_cannot_pin(programme, team):
    fake_diagnosis(programme, TEN)
    unit = Unit.objects.get(programme=programme, code="B")
    with pytest.raises(PermissionDenied):
        services.unit_pin_set(unit=unit, pin="out", reason="x", by=team["viewer"])


# --- Adoption ----------------------------------------------------------------------------


@pytest.fixture
def real(team):
    """A programme with a real diagnosis (the adoption compares with it)."""
    return make_diagnosis(units=20, **team)


def test_coordinator_adopts_and_the_previous_area_is_superseded(real, team):
    first = services.delimitation_run(programme=real, by=team["editor"])
    assert first.result["selected"], "the sample diagnosis should give an area"
    services.delimitation_adopt(delimitation=first, by=team["coordinator"])
    first.refresh_from_db()
    assert first.status == Delimitation.Status.ADOPTED
    assert first.adopted_by == team["coordinator"] and first.adopted_at
    assert selectors.adopted_delimitation(real) == first
    assert selectors.area_unit_codes(real) == set(first.result["selected"])

    second = services.delimitation_run(programme=real, objective="index", by=team["editor"])
    services.delimitation_adopt(delimitation=second, by=team["coordinator"])
    first.refresh_from_db()
    assert first.status == Delimitation.Status.SUPERSEDED
    assert selectors.adopted_delimitation(real) == second
    assert selectors.area_unit_codes(real) == set(second.result["selected"])
    assert actions()[-4:] == [
        "revitalization.delimitation.adopt",
        "revitalization.delimitation.run",
        "revitalization.delimitation.supersede",
        "revitalization.delimitation.adopt",
    ]
    adopt = (
        AuditEntry.objects.filter(action="revitalization.delimitation.adopt").order_by("pk").last()
    )
    assert adopt.data["superseded"] == [first.pk]
    assert (adopt.from_state, adopt.to_state) == ("draft", "adopted")


def test_editor_cannot_adopt(real, team):
    run = services.delimitation_run(programme=real, by=team["editor"])
    with pytest.raises(PermissionDenied):
        services.delimitation_adopt(delimitation=run, by=team["editor"])
    run.refresh_from_db()
    assert run.status == Delimitation.Status.DRAFT


def test_only_a_draft_can_be_adopted(real, team):
    run = services.delimitation_run(programme=real, by=team["editor"])
    services.delimitation_adopt(delimitation=run, by=team["coordinator"])
    with pytest.raises(ValidationError, match="draft"):
        services.delimitation_adopt(delimitation=run, by=team["coordinator"])


def test_a_run_older_than_the_diagnosis_or_the_pins_cannot_be_adopted(real, team):
    run = services.delimitation_run(programme=real, by=team["editor"])
    unit = Unit.objects.get(programme=real, code=run.result["selected"][0])
    services.unit_pin_set(unit=unit, pin="out", reason="Decyzja zespołu", by=team["editor"])
    with pytest.raises(ValidationError, match="changed since this run"):
        services.delimitation_adopt(delimitation=run, by=team["coordinator"])
    run.refresh_from_db()
    assert run.status == Delimitation.Status.DRAFT
    assert selectors.adopted_delimitation(real) is None
    assert selectors.area_unit_codes(real) == set()


def test_a_run_without_units_cannot_be_adopted(team):
    programme = make_programme(**team)
    diagnosis = fake_diagnosis(programme, [("X", 10, 10.0, -1.0, False)])
    run = services.delimitation_run(programme=programme, by=team["editor"], diagnosis=diagnosis)
    assert run.result["status"] == "nothing_qualifies"
    with pytest.raises(ValidationError, match="no units"):
        services.delimitation_adopt(delimitation=run, by=team["coordinator"])


def test_history_shows_the_numbers_of_each_run(real, team):
    services.delimitation_run(programme=real, by=team["editor"])
    services.delimitation_run(programme=real, objective="residents", by=team["editor"])
    history = list(selectors.runs(real))
    assert [run.objective for run in history] == ["residents", "index_residents"]
    assert history[0].run_status == "optimal"
    assert float(history[0].run_objective) > 0
