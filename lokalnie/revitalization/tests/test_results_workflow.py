"""The measurement workflow: every action × every status, through the services, against
the explicit table ``MEASUREMENT_TRANSITIONS``."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Measurement
from lokalnie.revitalization.models.results import MEASUREMENT_TRANSITIONS, measurement_may
from lokalnie.revitalization.services import results as service
from lokalnie.revitalization.services.results import MeasurementInput
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_results import (
    make_indicator,
    make_measurement,
    make_period,
    make_target,
)

Status = Measurement.Status
ACTIONS = sorted(MEASUREMENT_TRANSITIONS)
STATUSES = list(Status.values)

# The whole table, written out: (action, status) pairs that are allowed and where they lead
# (None: the status stays, or the measurement is gone).
EXPECTED = {
    ("save", "draft"): "draft",
    ("save", "returned"): "returned",
    ("submit", "draft"): "submitted",
    ("submit", "returned"): "submitted",
    ("withdraw", "submitted"): "draft",
    ("approve", "submitted"): "approved",
    ("return", "submitted"): "returned",
    ("reopen", "approved"): "returned",
    ("delete", "draft"): None,
    ("delete", "returned"): None,
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_table_is_exactly_the_expected_one():
    allowed = {
        (action, status)
        for action in ACTIONS
        for status in STATUSES
        if measurement_may(action, status)
    }
    assert allowed == set(EXPECTED)
    for (action, status), target in EXPECTED.items():
        leads_to = MEASUREMENT_TRANSITIONS[action][1]
        assert (leads_to or (None if action == "delete" else status)) == target


def test_only_coordinators_decide():
    rights = {action: spec[2] for action, spec in MEASUREMENT_TRANSITIONS.items()}
    assert {a for a, r in rights.items() if r == "revitalization.coordinate"} == {
        "approve",
        "return",
        "reopen",
    }
    assert {a for a, r in rights.items() if r == "revitalization.edit"} == {
        "save",
        "submit",
        "withdraw",
        "delete",
    }


def _run(action, measurement, *, editor, coordinator):
    indicator, period = measurement.indicator, measurement.period
    if action == "save":
        return service.measurement_save(
            indicator=indicator, period=period, by=editor, data=MeasurementInput(value=40)
        )
    if action == "submit":
        return service.measurement_submit(measurement=measurement, by=editor)
    if action == "withdraw":
        return service.measurement_withdraw(measurement=measurement, by=editor)
    if action == "approve":
        return service.measurement_approve(measurement=measurement, by=coordinator)
    if action == "return":
        return service.measurement_return(measurement=measurement, by=coordinator, reason="Popraw.")
    if action == "reopen":
        return service.measurement_reopen(measurement=measurement, by=coordinator, reason="Błąd.")
    if action == "delete":
        return service.measurement_delete(measurement=measurement, by=editor)
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_in_every_status(action, status):
    coordinator, editor = make_user(), make_user()
    programme = make_programme(coordinator=coordinator, editor=editor)
    indicator = make_indicator(programme)
    period = make_period(programme)
    make_target(indicator, period, 40)
    measurement = make_measurement(indicator, period, value=40, status=status)
    if (action, status) in EXPECTED:
        _run(action, measurement, editor=editor, coordinator=coordinator)
        if action == "delete":
            assert not Measurement.objects.exists()
        else:
            measurement.refresh_from_db()
            assert measurement.status == EXPECTED[(action, status)]
        assert AuditEntry.objects.filter(action__startswith="revitalization.results.").exists()
    else:
        with pytest.raises(ValidationError) as excinfo:
            _run(action, measurement, editor=editor, coordinator=coordinator)
        assert excinfo.value.code == "transition"
        assert str(Status(status).label) in " ".join(excinfo.value.messages) or (
            status == "approved" and "read-only" in " ".join(excinfo.value.messages)
        )
        measurement.refresh_from_db()
        assert measurement.status == status
        assert not AuditEntry.objects.filter(action__startswith="revitalization.results.").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_no_action_is_allowed_in_a_locked_period(action):
    coordinator, editor = make_user(), make_user()
    programme = make_programme(coordinator=coordinator, editor=editor)
    indicator = make_indicator(programme)
    period = make_period(programme, locked=True)
    allowed_from = MEASUREMENT_TRANSITIONS[action][0][0]
    measurement = make_measurement(indicator, period, value=40, status=allowed_from)
    with pytest.raises(ValidationError) as excinfo:
        _run(action, measurement, editor=editor, coordinator=coordinator)
    assert excinfo.value.code == "locked"
    measurement.refresh_from_db()
    assert measurement.status == allowed_from
