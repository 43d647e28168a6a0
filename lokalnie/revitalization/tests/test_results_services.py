"""The results framework's services: indicators and their baselines, periods and locking,
targets, measurements with breakdowns, explanations and evidence."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import (
    Evidence,
    Measurement,
    MeasurementBreakdown,
    Period,
    ResultIndicator,
    Target,
)
from lokalnie.revitalization.selectors import results as results_selectors
from lokalnie.revitalization.services import results as service
from lokalnie.revitalization.services.results import BaselineInput, MeasurementInput
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
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def area(monkeypatch):
    """The adopted revitalization area's unit codes (empty: none adopted)."""
    codes: set[str] = set()
    monkeypatch.setattr(results_selectors, "area_codes", lambda programme: set(codes))
    return codes


@pytest.fixture
def team():
    coordinator, editor, viewer = make_user(), make_user(), make_user()
    programme = make_programme(
        coordinator=coordinator, editor=editor, viewer=viewer, reference_year=2024
    )
    return programme, coordinator, editor, viewer


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def indicator_fields(**fields):
    values = {
        "code": "W1",
        "name": "Osoby w klubie integracji społecznej",
        "kind": "quantitative",
        "method": "Listy obecności KIS, stan na 31 grudnia.",
        "direction": "increase",
        "unit_label": "osoby",
        "tolerance_pct": 10,
    }
    values.update(fields)
    return values


# --- Indicators -----------------------------------------------------------------------------


def test_an_editor_creates_an_indicator_and_it_is_audited(team):
    programme, _c, editor, _v = team
    indicator = service.indicator_create(
        programme=programme, by=editor, **indicator_fields(breakdowns=["age_group", "sex"])
    )
    assert indicator.breakdowns == ["sex", "age_group"]  # the standard order
    assert indicator.position == 1
    entry = AuditEntry.objects.get(action="revitalization.results.indicator_create")
    assert entry.actor == editor
    assert entry.data["code"] == "W1"


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_observers_and_outsiders_cannot_create_indicators(team, who):
    programme, _c, _e, viewer = team
    user = viewer if who == "viewer" else make_user()
    with pytest.raises(PermissionDenied):
        service.indicator_create(programme=programme, by=user, **indicator_fields())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"code": " "}, "code", "Give the indicator a short code"),
        ({"name": ""}, "name", "Give the indicator a name."),
        ({"kind": "ratio"}, "kind", "Choose the kind of indicator."),
        ({"direction": ""}, "direction", "should increase or decrease"),
        ({"method": " "}, "method", "Describe how the indicator is measured"),
        ({"tolerance_pct": 150}, "tolerance_pct", "from 0 to 100"),
        ({"tolerance_pct": -1}, "tolerance_pct", "from 0 to 100"),
        (
            {"kind": "qualitative", "breakdowns": ["sex"]},
            "breakdowns",
            "has no breakdowns",
        ),
    ],
)
def test_indicator_fields_are_checked(team, fields, field, message):
    programme, coordinator, _e, _v = team
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(programme=programme, by=coordinator, **indicator_fields(**fields))
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not ResultIndicator.objects.exists()


def test_codes_are_unique_in_a_programme_regardless_of_case(team):
    programme, coordinator, _e, _v = team
    make_indicator(programme, code="W1")
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(programme=programme, by=coordinator, **indicator_fields(code="w1"))
    assert "An indicator with the code w1 already exists here." in messages_of(excinfo)
    other = make_programme(coordinator=coordinator)
    service.indicator_create(programme=other, by=coordinator, **indicator_fields(code="W1"))


def test_only_percentage_indicators_keep_the_numerator_may_exceed_flag(team):
    programme, coordinator, _e, _v = team
    indicator = service.indicator_create(
        programme=programme, by=coordinator, **indicator_fields(numerator_may_exceed=True)
    )
    assert indicator.numerator_may_exceed is False


def test_name_and_description_change_after_measurements_exist(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme)
    make_measurement(indicator, make_period(programme), value=3)
    service.indicator_update(
        indicator=indicator, by=editor, name="Nowa nazwa", description="Opis", tolerance_pct=5
    )
    indicator.refresh_from_db()
    assert (indicator.name, indicator.description, float(indicator.tolerance_pct)) == (
        "Nowa nazwa",
        "Opis",
        5.0,
    )
    entry = AuditEntry.objects.get(action="revitalization.results.indicator_update")
    assert entry.data["changes"]["name"][1] == "Nowa nazwa"


@pytest.mark.parametrize(
    ("fields", "field", "label"),
    [
        ({"method": "Inna metoda"}, "method", "The method of measurement cannot be changed"),
        ({"kind": "percentage"}, "kind", "The kind cannot be changed"),
        ({"unit_label": "rodziny"}, "unit_label", "The unit cannot be changed"),
        ({"direction": "decrease"}, "direction", "The direction cannot be changed"),
    ],
)
def test_defining_fields_cannot_change_once_measured(team, fields, field, label):
    programme, coordinator, _e, _v = team
    indicator = make_indicator(programme)
    for year in (2025, 2026, 2027):
        make_measurement(indicator, make_period(programme, year), value=3)
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_update(indicator=indicator, by=coordinator, **fields)
    message = " ".join(excinfo.value.message_dict[field])
    assert label in message
    assert "3 measurements already use this indicator" in message
    assert "Create a new indicator" in message
    indicator.refresh_from_db()
    assert indicator.method == "Listy obecności z zajęć, stan na koniec okresu."


def test_one_measurement_is_counted_in_the_singular(team):
    programme, coordinator, _e, _v = team
    indicator = make_indicator(programme, kind="percentage")
    make_measurement(indicator, make_period(programme), numerator=1, denominator=2)
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_update(indicator=indicator, by=coordinator, numerator_may_exceed=True)
    assert "1 measurement already uses this indicator" in messages_of(excinfo)


def test_defining_fields_change_freely_before_any_measurement(team):
    programme, coordinator, _e, _v = team
    indicator = make_indicator(programme)
    service.indicator_update(
        indicator=indicator, by=coordinator, kind="percentage", method="Nowa", direction="decrease"
    )
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.method, indicator.direction) == (
        "percentage",
        "Nowa",
        "decrease",
    )


def test_an_indicator_with_measurements_cannot_be_removed(team):
    programme, coordinator, _e, _v = team
    indicator = make_indicator(programme)
    make_measurement(indicator, make_period(programme), value=1)
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_delete(indicator=indicator, by=coordinator)
    assert "cannot be removed: 1 measurement of it exists" in messages_of(excinfo)
    unused = make_indicator(programme)
    make_target(unused, Period.objects.get(), 5)
    service.indicator_delete(indicator=unused, by=coordinator)
    assert not ResultIndicator.objects.filter(pk=unused.pk).exists()
    assert AuditEntry.objects.filter(action="revitalization.results.indicator_delete").exists()


# --- Baselines ------------------------------------------------------------------------------


def test_a_typed_baseline_keeps_its_year_and_source(team):
    programme, coordinator, _e, _v = team
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="typed", value=42, year=2024, reference="Sprawozdanie OPS"),
        **indicator_fields(),
    )
    assert indicator.baseline_value == 42
    assert indicator.baseline_year == 2024
    assert indicator.baseline_provenance["source"] == "typed"
    assert indicator.baseline_provenance["reference"] == "Sprawozdanie OPS"
    assert indicator.baseline_provenance["entered_by"] == coordinator.email


@pytest.mark.parametrize(
    ("baseline", "kind", "field", "message"),
    [
        (BaselineInput(mode="typed", year=2024, reference="x"), "quantitative", "baseline_value", "Give the baseline value."),
        (BaselineInput(mode="typed", value=1, reference="x"), "quantitative", "baseline_year", "Give the year"),
        (BaselineInput(mode="typed", value=1, year=1800, reference="x"), "quantitative", "baseline_year", "between 1990 and 2100"),
        (BaselineInput(mode="typed", value=1, year=2024), "quantitative", "baseline_reference", "Say where the baseline comes from"),
        (BaselineInput(mode="typed", numerator=3, year=2024, reference="x"), "percentage", "baseline_numerator", "Give both the numerator and the denominator"),
        (BaselineInput(mode="typed", numerator=3, denominator=0, year=2024, reference="x"), "percentage", "baseline_numerator", "The denominator must be greater than 0"),
        (BaselineInput(mode="typed", numerator=5, denominator=4, year=2024, reference="x"), "percentage", "baseline_numerator", "is greater than the denominator"),
        (BaselineInput(mode="typed", year=2024, reference="x"), "percentage", "baseline_value", "Give the baseline percentage"),
        (BaselineInput(mode="typed", year=2024, reference="x"), "qualitative", "baseline_text", "Describe the situation at the start."),
        (BaselineInput(mode="diagnosis"), "quantitative", "diagnosis_indicator", "Choose the diagnosis indicator"),
    ],
)  # fmt: skip
def test_baseline_errors(team, baseline, kind, field, message):
    programme, coordinator, _e, _v = team
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme, by=coordinator, baseline=baseline, **indicator_fields(kind=kind)
        )
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not ResultIndicator.objects.exists()


def test_a_typed_percentage_baseline_from_numerator_and_denominator(team):
    programme, coordinator, _e, _v = team
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(
            mode="typed", numerator=30, denominator=120, year=2024, reference="GUS"
        ),
        **indicator_fields(kind="percentage"),
    )
    assert indicator.baseline_value == pytest.approx(25)
    assert (indicator.baseline_numerator, indicator.baseline_denominator) == (30, 120)


def test_a_qualitative_baseline_is_a_description(team):
    programme, coordinator, _e, _v = team
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(
            mode="typed", text="Brak rady osiedla.", value=3, year=2024, reference="Wywiady"
        ),
        **indicator_fields(kind="qualitative"),
    )
    assert indicator.baseline_value is None
    assert indicator.baseline_provenance["text"] == "Brak rady osiedla."


# Unit A: 10 unemployed of 100; unit B: 90 of 300; unit C: 1 of 1000.
DIAGNOSIS_ROWS = [("A", 150, 10, 100), ("B", 400, 90, 300), ("C", 1500, 1, 1000)]


def test_a_baseline_from_the_diagnosis_over_the_gmina_is_total_count_over_total_base(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, DIAGNOSIS_ROWS)
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(kind="percentage", direction="decrease"),
    )
    # 101 / 1400, not the mean of the rates (10%, 30%, 0.1% → 13.4%).
    assert indicator.baseline_value == pytest.approx(101 / 1400 * 100)
    assert (indicator.baseline_numerator, indicator.baseline_denominator) == (101, 1400)
    assert indicator.baseline_source == source
    assert indicator.baseline_year == 2024
    provenance = indicator.baseline_provenance
    assert provenance["source"] == "diagnosis"
    assert provenance["indicator_code"] == "BEZR"
    assert provenance["scope"] == "gmina"
    assert provenance["units"] == ["A", "B", "C"]
    assert provenance["units_missing"] == []
    assert provenance["computed_by"] == coordinator.email
    assert provenance["computed_at"]


def test_a_baseline_from_the_diagnosis_uses_only_the_adopted_area(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, [*DIAGNOSIS_ROWS, ("D", 50, None, None)])
    area.update({"A", "B", "D"})
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(kind="percentage", direction="decrease"),
    )
    assert indicator.baseline_value == pytest.approx(100 / 400 * 100)
    assert indicator.baseline_provenance["scope"] == "area"
    assert indicator.baseline_provenance["units"] == ["A", "B"]
    assert indicator.baseline_provenance["units_missing"] == ["D"]


def test_a_quantitative_baseline_takes_the_rate_per_its_base_or_the_total(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, DIAGNOSIS_ROWS, per=1000)
    rate = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(code="R"),
    )
    assert rate.baseline_value == pytest.approx(101 / 1400 * 1000)
    assert rate.baseline_numerator is None
    total = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source, take="total"),
        **indicator_fields(code="T"),
    )
    assert total.baseline_value == 101


def test_a_mean_indicator_is_weighted_by_residents(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(
        programme, [("A", 100, 10.0, None), ("B", 300, 30.0, None)], aggregation="mean"
    )
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(),
    )
    assert indicator.baseline_value == pytest.approx(25)
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme,
            by=coordinator,
            baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
            **indicator_fields(code="P", kind="percentage"),
        )
    assert "is a mean value, not a count over a base" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme,
            by=coordinator,
            baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source, take="total"),
            **indicator_fields(code="T"),
        )
    assert "Only a quantitative indicator can take the total count of a rate." in messages_of(
        excinfo
    )


def test_diagnosis_baselines_refuse_what_cannot_be_computed(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, [("A", 10, 0, 0), ("B", 10, None, None)])
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme,
            by=coordinator,
            baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
            **indicator_fields(),
        )
    assert "The base of “Wskaźnik BEZR” adds up to 0 over the gmina" in messages_of(excinfo)
    area.add("B")
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme,
            by=coordinator,
            baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
            **indicator_fields(),
        )
    assert (
        "None of the 1 units of the revitalization area has a value of “Wskaźnik BEZR”"
        in messages_of(excinfo)
    )
    with pytest.raises(ValidationError) as excinfo:
        service.indicator_create(
            programme=programme,
            by=coordinator,
            baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
            **indicator_fields(kind="qualitative"),
        )
    assert "A qualitative indicator cannot take a number from the diagnosis." in messages_of(
        excinfo
    )


def test_a_diagnosis_baseline_is_recomputed_only_when_asked(team, area):
    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, DIAGNOSIS_ROWS)
    indicator = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(kind="percentage"),
    )
    area.update({"B"})  # the area is adopted afterwards
    same = BaselineInput(mode="diagnosis", diagnosis_indicator=source)
    service.indicator_update(indicator=indicator, by=coordinator, name="Inna", baseline=same)
    indicator.refresh_from_db()
    assert indicator.baseline_provenance["scope"] == "gmina"
    same.recompute = True
    service.indicator_update(indicator=indicator, by=coordinator, baseline=same)
    indicator.refresh_from_db()
    assert indicator.baseline_value == pytest.approx(30)
    assert indicator.baseline_provenance["scope"] == "area"
    entry = (
        AuditEntry.objects.filter(action="revitalization.results.indicator_update")
        .order_by("pk")
        .last()
    )
    assert entry.data["baseline"]["to"]["value"] == pytest.approx(30)


def test_the_adopted_area_comes_from_the_delimitation(team):
    """Without stand-ins: the whole gmina until a delimitation is adopted, then its units."""
    from lokalnie.revitalization.models import Delimitation

    programme, coordinator, _e, _v = team
    source = make_diagnosis(programme, DIAGNOSIS_ROWS)
    gmina = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(code="G", kind="percentage"),
    )
    assert gmina.baseline_provenance["scope"] == "gmina"
    Delimitation.objects.create(programme=programme, status="draft", result={"selected": ["C"]})
    Delimitation.objects.create(
        programme=programme,
        status=Delimitation.Status.ADOPTED,
        adopted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        result={"selected": ["A", "B"]},
    )
    area = service.indicator_create(
        programme=programme,
        by=coordinator,
        baseline=BaselineInput(mode="diagnosis", diagnosis_indicator=source),
        **indicator_fields(code="A", kind="percentage"),
    )
    assert area.baseline_value == pytest.approx(100 / 400 * 100)
    assert area.baseline_provenance["scope"] == "area"
    assert area.baseline_provenance["units"] == ["A", "B"]
    assert results_selectors.baseline_area_changed(programme, gmina)
    assert not results_selectors.baseline_area_changed(programme, area)


# --- Periods --------------------------------------------------------------------------------


def test_periods_may_not_overlap_and_must_be_in_order(team):
    programme, _c, editor, _v = team
    service.period_create(
        programme=programme,
        by=editor,
        label="2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as excinfo:
        service.period_create(
            programme=programme,
            by=editor,
            label="II półrocze 2026",
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2027, 6, 30),
        )
    assert "overlaps “2026” (2026-01-01 – 2026-12-31)" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        service.period_create(
            programme=programme,
            by=editor,
            label="2028",
            starts_on=dt.date(2028, 12, 31),
            ends_on=dt.date(2028, 1, 1),
        )
    assert "The period cannot end before it starts." in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        service.period_create(
            programme=programme,
            by=editor,
            label="2026",
            starts_on=dt.date(2029, 1, 1),
            ends_on=dt.date(2029, 12, 31),
        )
    assert "Another period is already called “2026”." in messages_of(excinfo)
    assert Period.objects.count() == 1


def test_years_and_half_years_are_generated(team):
    programme, _c, editor, _v = team
    years = service.periods_generate(
        programme=programme,
        by=editor,
        every="year",
        starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    assert [p.label for p in years] == ["2025", "2026", "2027"]
    halves = service.periods_generate(
        programme=programme,
        by=editor,
        every="half_year",
        starts_on=dt.date(2028, 7, 1),
        ends_on=dt.date(2029, 3, 1),
    )
    assert [p.label for p in halves] == ["2nd half of 2028", "1st half of 2029"]
    assert halves[0].starts_on == dt.date(2028, 7, 1)


def test_generating_over_an_existing_period_stores_nothing(team):
    programme, _c, editor, _v = team
    make_period(programme, 2027, label="Rok 2027")
    with pytest.raises(ValidationError) as excinfo:
        service.periods_generate(
            programme=programme,
            by=editor,
            every="year",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2028, 12, 31),
        )
    assert "overlaps “Rok 2027”" in messages_of(excinfo)
    assert Period.objects.count() == 1


def test_a_measured_period_keeps_its_dates_but_may_be_renamed(team):
    programme, _c, editor, _v = team
    period = make_period(programme)
    make_measurement(make_indicator(programme), period, value=1)
    with pytest.raises(ValidationError) as excinfo:
        service.period_update(
            period=period,
            by=editor,
            label="2026",
            starts_on=dt.date(2026, 2, 1),
            ends_on=period.ends_on,
        )
    assert "The dates cannot change: 1 measurement of this period exists." in messages_of(excinfo)
    service.period_update(
        period=period,
        by=editor,
        label="Rok 2026",
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )
    period.refresh_from_db()
    assert period.label == "Rok 2026"
    with pytest.raises(ValidationError) as excinfo:
        service.period_delete(period=period, by=editor)
    assert "cannot be removed: 1 measurement of it exists" in messages_of(excinfo)


def test_only_the_coordinator_locks_and_unlocking_needs_a_reason(team):
    programme, coordinator, editor, _v = team
    period = make_period(programme)
    with pytest.raises(PermissionDenied):
        service.period_lock(period=period, by=editor)
    service.period_lock(period=period, by=coordinator)
    period.refresh_from_db()
    assert period.locked and period.locked_by == coordinator
    with pytest.raises(ValidationError) as excinfo:
        service.period_lock(period=period, by=coordinator)
    assert "is already locked" in messages_of(excinfo)
    with pytest.raises(PermissionDenied):
        service.period_unlock(period=period, by=editor, reason="Korekta")
    with pytest.raises(ValidationError) as excinfo:
        service.period_unlock(period=period, by=coordinator, reason="  ")
    assert "Say why the period is unlocked" in messages_of(excinfo)
    service.period_unlock(period=period, by=coordinator, reason="Korekta danych z OPS")
    period.refresh_from_db()
    assert not period.locked and period.locked_at is None
    entry = AuditEntry.objects.get(action="revitalization.results.period_unlock")
    assert (entry.from_state, entry.to_state, entry.reason) == (
        "locked",
        "unlocked",
        "Korekta danych z OPS",
    )
    with pytest.raises(ValidationError) as excinfo:
        service.period_unlock(period=period, by=coordinator, reason="x")
    assert "is not locked" in messages_of(excinfo)


def test_a_locked_period_cannot_be_edited_or_removed(team):
    programme, coordinator, editor, _v = team
    period = make_period(programme, locked=True)
    with pytest.raises(ValidationError) as excinfo:
        service.period_update(
            period=period, by=editor, label="x", starts_on=period.starts_on, ends_on=period.ends_on
        )
    assert "The period “2026” is locked" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        service.period_delete(period=period, by=coordinator)


# --- Targets --------------------------------------------------------------------------------


def test_targets_are_set_changed_removed_and_audited(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme)
    first, second = make_period(programme, 2026), make_period(programme, 2027)
    service.targets_set(indicator=indicator, by=editor, values={first.pk: 10, second.pk: 20})
    service.targets_set(indicator=indicator, by=editor, values={first.pk: 12, second.pk: None})
    assert dict(Target.objects.values_list("period_id", "value")) == {first.pk: 12}
    entry = (
        AuditEntry.objects.filter(action="revitalization.results.targets_set").order_by("pk").last()
    )
    assert entry.data["targets"] == {
        "2026": {"from": 10, "to": 12},
        "2027": {"from": 20, "to": None},
    }


def test_targets_of_a_locked_period_cannot_change(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme)
    period = make_period(programme, locked=True)
    make_target(indicator, period, 10)
    service.targets_set(indicator=indicator, by=editor, values={period.pk: 10})  # unchanged
    with pytest.raises(ValidationError) as excinfo:
        service.targets_set(indicator=indicator, by=editor, values={period.pk: 11})
    assert "The period “2026” is locked" in messages_of(excinfo)
    assert Target.objects.get().value == 10


def test_percentage_targets_stay_within_0_and_100_unless_allowed(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme, kind="percentage")
    period = make_period(programme)
    with pytest.raises(ValidationError) as excinfo:
        service.targets_set(indicator=indicator, by=editor, values={period.pk: 120})
    assert "cannot exceed 100" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        service.targets_set(indicator=indicator, by=editor, values={period.pk: -1})
    assert "cannot be negative" in messages_of(excinfo)
    indicator.numerator_may_exceed = True
    indicator.save()
    service.targets_set(indicator=indicator, by=editor, values={period.pk: 120})
    qualitative = make_indicator(programme, kind="qualitative")
    with pytest.raises(ValidationError) as excinfo:
        service.targets_set(indicator=qualitative, by=editor, values={period.pk: 1})
    assert "A qualitative indicator has no numeric targets." in messages_of(excinfo)


def test_observers_cannot_set_targets(team):
    programme, _c, _e, viewer = team
    indicator = make_indicator(programme)
    with pytest.raises(PermissionDenied):
        service.targets_set(indicator=indicator, by=viewer, values={})


# --- Measurements ---------------------------------------------------------------------------


@pytest.fixture
def measured(team):
    """An indicator asking for both breakdowns, a period and a target of 40."""
    programme, coordinator, editor, _viewer = team
    indicator = make_indicator(programme, breakdowns=["sex", "age_group"], tolerance_pct=10)
    period = make_period(programme)
    make_target(indicator, period, 40)
    return indicator, period, coordinator, editor


SEX = {"female": 22, "male": 18}
AGE = {"0-17": 5, "18-29": 10, "30-64": 20, "65+": 5}


def save(indicator, period, by, *, submit=False, evidence=(), **data):
    return service.measurement_save(
        indicator=indicator,
        period=period,
        by=by,
        data=MeasurementInput(**data),
        evidence=list(evidence),
        submit=submit,
    )


def test_a_complete_measurement_is_submitted_with_its_breakdowns(measured):
    indicator, period, _c, editor = measured
    measurement = save(
        indicator, period, editor, submit=True, value=40, breakdown={"sex": SEX, "age_group": AGE}
    )
    assert measurement.status == Status.SUBMITTED
    assert measurement.submitted_by == editor
    cells = set(MeasurementBreakdown.objects.values_list("dimension", "category", "value"))
    assert ("sex", "female", 22) in cells and ("age_group", "65+", 5) in cells
    assert len(cells) == 6
    entry = AuditEntry.objects.get(action="revitalization.results.measurement_submit")
    assert (entry.from_state, entry.to_state) == ("", "submitted")


def test_a_draft_may_be_incomplete(measured):
    indicator, period, _c, editor = measured
    measurement = save(indicator, period, editor, breakdown={"sex": {"female": 3}})
    assert measurement.status == Status.DRAFT
    assert measurement.value is None
    # What is given is kept for later; nothing needs to add up yet.
    assert list(MeasurementBreakdown.objects.values_list("category", "value")) == [("female", 3)]


def test_breakdowns_must_add_up_naming_the_dimension_and_both_numbers(measured):
    indicator, period, _c, editor = measured
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, value=40, breakdown={"sex": {"female": 20, "male": 18}})
    assert (
        "Breakdown by sex adds up to 38, but the value is 40; the categories must add up to the "
        "value." in messages_of(excinfo)
    )
    assert not Measurement.objects.exists()


def test_submitting_needs_every_category_of_every_breakdown(measured):
    indicator, period, _c, editor = measured
    with pytest.raises(ValidationError) as excinfo:
        save(
            indicator,
            period,
            editor,
            submit=True,
            value=40,
            breakdown={"sex": SEX, "age_group": {"0-17": 5, "18-29": 35}},
        )
    assert (
        "Breakdown by age group is required: give a number for every category (missing: 30–64, "
        "65 and over). Use 0 where there is nobody." in messages_of(excinfo)
    )
    assert not Measurement.objects.exists()


def test_breakdown_values_cannot_be_negative(measured):
    indicator, period, _c, editor = measured
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, value=40, breakdown={"sex": {"female": 45, "male": -5}})
    assert "Breakdown by sex: values cannot be negative (men)." in messages_of(excinfo)


def test_submitting_needs_a_value(measured):
    indicator, period, _c, editor = measured
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, submit=True)
    assert excinfo.value.message_dict["value"] == ["Give the measured value."]


def test_a_deviation_beyond_the_tolerance_needs_an_explanation(measured):
    indicator, period, _c, editor = measured
    indicator.breakdowns = []
    indicator.save()
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, submit=True, value=30)
    assert excinfo.value.message_dict["explanation"] == [
        "The value 30 is 25% below the target of 40, beyond the tolerance of 10%: explain the "
        "deviation."
    ]
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, submit=True, value=50)
    assert "The value 50 is 25% above the target of 40" in messages_of(excinfo)
    assert save(indicator, period, editor, submit=True, value=37).status == Status.SUBMITTED


def test_an_explained_deviation_is_submitted(measured):
    indicator, period, _c, editor = measured
    indicator.breakdowns = []
    indicator.save()
    measurement = save(
        indicator, period, editor, submit=True, value=30, explanation="Remont świetlicy."
    )
    assert measurement.status == Status.SUBMITTED
    assert measurement.explanation == "Remont świetlicy."


def test_a_draft_with_a_deviation_may_be_saved_unexplained(measured):
    indicator, period, _c, editor = measured
    assert save(indicator, period, editor, value=1).status == Status.DRAFT


def test_percentage_measurements_check_numerator_and_denominator(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme, kind="percentage")
    period = make_period(programme)
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, numerator=3, denominator=0)
    assert excinfo.value.message_dict["denominator"] == [
        "The denominator must be greater than 0 (it is 0)."
    ]
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, numerator=30, denominator=20)
    assert excinfo.value.message_dict["numerator"] == [
        "The numerator (30) is greater than the denominator (20); this indicator does not "
        "allow that."
    ]
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, submit=True, numerator=3)
    assert excinfo.value.message_dict["denominator"] == ["Give the denominator."]
    measurement = save(indicator, period, editor, numerator=15, denominator=60)
    assert measurement.value == pytest.approx(25)
    indicator.numerator_may_exceed = True
    indicator.save()
    measurement = save(indicator, period, editor, numerator=30, denominator=20)
    assert measurement.value == pytest.approx(150)


def test_percentage_breakdowns_add_up_in_numerators_and_denominators(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme, kind="percentage", breakdowns=["sex"])
    period = make_period(programme)
    with pytest.raises(ValidationError) as excinfo:
        save(
            indicator,
            period,
            editor,
            numerator=10,
            denominator=50,
            breakdown={"sex": {"female": 6, "male": 4}},
            breakdown_denominators={"sex": {"female": 30, "male": 25}},
        )
    assert (
        "Breakdown by sex: the denominators add up to 55, but the denominator is 50."
        in messages_of(excinfo)
    )
    with pytest.raises(ValidationError) as excinfo:
        save(
            indicator,
            period,
            editor,
            numerator=10,
            denominator=50,
            breakdown={"sex": {"female": 26, "male": 4}},
            breakdown_denominators={"sex": {"female": 25, "male": 25}},
        )
    assert "the numerator is greater than the denominator for women" in messages_of(excinfo)
    measurement = save(
        indicator,
        period,
        editor,
        submit=True,
        numerator=10,
        denominator=50,
        breakdown={"sex": {"female": 6, "male": 4}},
        breakdown_denominators={"sex": {"female": 30, "male": 20}},
    )
    assert set(measurement.breakdown.values_list("category", "value", "denominator")) == {
        ("female", 6, 30),
        ("male", 4, 20),
    }


def test_qualitative_measurements_need_a_description(team):
    programme, _c, editor, _v = team
    indicator = make_indicator(programme, kind="qualitative")
    period = make_period(programme)
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, editor, submit=True, value=3)
    assert excinfo.value.message_dict["text"] == ["Describe what was observed in this period."]
    measurement = save(indicator, period, editor, submit=True, text="Powstała rada osiedla.")
    assert measurement.value is None and measurement.status == Status.SUBMITTED


def test_saving_again_updates_the_one_measurement_of_the_period(measured):
    indicator, period, _c, editor = measured
    first = save(indicator, period, editor, value=10, breakdown={"sex": {"female": 5, "male": 5}})
    second = save(indicator, period, editor, value=12, breakdown={"sex": {"female": 6, "male": 6}})
    assert first.pk == second.pk
    assert Measurement.objects.count() == 1
    assert sorted(second.breakdown.values_list("value", flat=True)) == [6, 6]


def test_someone_elses_newer_save_is_not_overwritten(measured):
    indicator, period, _c, editor = measured
    measurement = save(indicator, period, editor, value=10)
    opened_at = measurement.updated_at - dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as excinfo:
        service.measurement_save(
            indicator=indicator,
            period=period,
            by=editor,
            data=MeasurementInput(value=11),
            expected_updated_at=opened_at,
        )
    assert "Someone else saved this measurement after you opened it" in messages_of(excinfo)
    measurement.refresh_from_db()
    assert measurement.value == 10


def test_approved_measurements_are_read_only(measured):
    indicator, period, coordinator, _editor = measured
    make_measurement(indicator, period, value=40, status=Status.APPROVED)
    with pytest.raises(ValidationError) as excinfo:
        save(indicator, period, coordinator, value=41)
    assert "Approved measurements are read-only" in messages_of(excinfo)


def test_nothing_of_a_locked_period_changes(measured):
    indicator, period, coordinator, editor = measured
    measurement = make_measurement(indicator, period, value=40, status=Status.SUBMITTED)
    evidence = make_evidence(measurement)
    period.locked = True
    period.save()
    calls = [
        lambda: save(indicator, period, editor, value=41),
        lambda: service.measurement_approve(measurement=measurement, by=coordinator),
        lambda: service.measurement_return(measurement=measurement, by=coordinator, reason="x"),
        lambda: service.measurement_withdraw(measurement=measurement, by=editor),
        lambda: service.evidence_delete(evidence=evidence, by=editor),
        lambda: service.measurement_delete(measurement=measurement, by=editor),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert "The period “2026” is locked" in messages_of(excinfo)
    measurement.refresh_from_db()
    assert measurement.status == Status.SUBMITTED
    assert Evidence.objects.count() == 1


def test_return_and_reopen_need_a_reason_and_the_team_reads_it(measured):
    indicator, period, coordinator, editor = measured
    indicator.breakdowns = []
    indicator.save()
    measurement = save(indicator, period, editor, submit=True, value=40)
    with pytest.raises(ValidationError) as excinfo:
        service.measurement_return(measurement=measurement, by=coordinator, reason="")
    assert "Say what needs correcting" in messages_of(excinfo)
    returned = service.measurement_return(
        measurement=measurement, by=coordinator, reason="Brak listy obecności."
    )
    assert returned.status == Status.RETURNED
    assert returned.return_reason == "Brak listy obecności."
    again = save(indicator, period, editor, submit=True, value=39)
    assert again.status == Status.SUBMITTED
    approved = service.measurement_approve(measurement=again, by=coordinator)
    assert approved.status == Status.APPROVED and approved.approved_by == coordinator
    with pytest.raises(ValidationError):
        service.measurement_reopen(measurement=approved, by=coordinator, reason=" ")
    reopened = service.measurement_reopen(measurement=approved, by=coordinator, reason="Błąd.")
    assert reopened.status == Status.RETURNED and reopened.approved_by is None
    entry = AuditEntry.objects.get(action="revitalization.results.measurement_reopen")
    assert (entry.from_state, entry.to_state, entry.reason) == ("approved", "returned", "Błąd.")


def test_only_coordinators_approve(measured):
    indicator, period, _coordinator, editor = measured
    measurement = make_measurement(indicator, period, value=40, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        service.measurement_approve(measurement=measurement, by=editor)
    with pytest.raises(PermissionDenied):
        service.measurement_return(measurement=measurement, by=editor, reason="x")


def test_approval_rechecks_an_unexplained_deviation(measured):
    indicator, period, coordinator, _editor = measured
    measurement = make_measurement(indicator, period, value=20, status=Status.SUBMITTED)
    with pytest.raises(ValidationError) as excinfo:
        service.measurement_approve(measurement=measurement, by=coordinator)
    message = messages_of(excinfo)
    assert message.startswith("It cannot be approved: The value 20 is 50% below the target of 40")
    assert "Return it to the team for correction." in message
    measurement.refresh_from_db()
    assert measurement.status == Status.SUBMITTED


def test_submitting_the_stored_draft(measured):
    indicator, period, _coordinator, editor = measured
    measurement = make_measurement(
        indicator,
        period,
        value=40,
        breakdown={
            **{("sex", k): v for k, v in SEX.items()},
            **{("age_group", k): v for k, v in AGE.items()},
        },
    )
    submitted = service.measurement_submit(measurement=measurement, by=editor)
    assert submitted.status == Status.SUBMITTED
    assert submitted.breakdown.count() == 6


# --- Evidence -------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_evidence_files_are_checked_by_content(measured):
    indicator, period, _c, editor = measured
    measurement = save(
        indicator,
        period,
        editor,
        value=5,
        evidence=[
            (SimpleUploadedFile("lista.pdf", PDF_BYTES), "Lista obecności"),
            (SimpleUploadedFile("zestawienie.xlsx", xlsx_bytes()), ""),
        ],
    )
    files = list(measurement.evidence.order_by("pk"))
    assert [(f.filename, f.content_type) for f in files] == [
        ("lista.pdf", "application/pdf"),
        ("zestawienie.xlsx", service.XLSX.content_type),
    ]
    assert files[0].description == "Lista obecności"
    assert not files[0].file.name.endswith("lista.pdf")  # stored under a random name
    entry = AuditEntry.objects.get(action="revitalization.results.measurement_save")
    assert entry.data["evidence_added"] == ["lista.pdf", "zestawienie.xlsx"]


def test_a_disguised_file_is_refused_and_nothing_is_stored(measured):
    indicator, period, _c, editor = measured
    with pytest.raises(ValidationError) as excinfo:
        save(
            indicator,
            period,
            editor,
            value=5,
            evidence=[(SimpleUploadedFile("raport.pdf", b"MZ\x90\x00 not a pdf"), "")],
        )
    assert excinfo.value.message_dict["evidence"] == [
        "raport.pdf: This file is not a valid PDF, JPEG, PNG, DOCX, ODT or XLSX file (its "
        "content was checked, not its name)."
    ]
    assert not Measurement.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_of_an_approved_measurement_stays(measured):
    indicator, period, _c, editor = measured
    measurement = make_measurement(indicator, period, value=40, status=Status.APPROVED)
    evidence = make_evidence(measurement)
    with pytest.raises(ValidationError) as excinfo:
        service.evidence_delete(evidence=evidence, by=editor)
    assert "Approved measurements are read-only" in messages_of(excinfo)


def test_evidence_of_a_draft_is_removed_with_its_file(measured, django_capture_on_commit_callbacks):
    indicator, period, _c, editor = measured
    measurement = make_measurement(indicator, period, value=40)
    evidence = make_evidence(measurement)
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        service.evidence_delete(evidence=evidence, by=editor)
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="revitalization.results.evidence_delete").exists()


def test_a_breakdown_no_longer_asked_for_is_dropped_on_submit(measured):
    indicator, period, _coordinator, editor = measured
    measurement = make_measurement(
        indicator,
        period,
        value=40,
        breakdown={**{("sex", k): v for k, v in SEX.items()}, ("age_group", "0-17"): 40},
    )
    indicator.breakdowns = ["sex"]
    indicator.save()
    submitted = service.measurement_submit(measurement=measurement, by=editor)
    assert set(submitted.breakdown.values_list("dimension", flat=True)) == {"sex"}


def test_a_blank_base_in_the_diagnosis_means_the_unit_s_residents():
    from lokalnie.revitalization.services.results import baseline_from_diagnosis
    from lokalnie.revitalization.tests.factories import make_programme
    from lokalnie.revitalization.tests.factories_results import make_diagnosis

    programme = make_programme()
    indicator = make_diagnosis(
        programme, [("A", 1000, 50, None), ("B", 3000, 90, 2000)], code="POMOC"
    )
    baseline = baseline_from_diagnosis(
        programme=programme, indicator=indicator, kind="quantitative"
    )
    # (50 + 90) / (1000 residents of A + base 2000 of B) × 100
    assert baseline["denominator"] == 3000
    assert baseline["value"] == pytest.approx(140 / 3000 * 100)
    assert baseline["units"] == ["A", "B"] and baseline["units_missing"] == []
