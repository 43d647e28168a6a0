"""Access-matrix rows of the results framework: indicators, targets, periods (and locking
them), measurements with their decisions, evidence files and the approval queue.

The world's programme gets an indicator with a target, an open period with a submitted
measurement (with an evidence file), a period with an approved measurement and a locked
period. Evidence of another programme and the other refusals are in test_results_views."""

import datetime as dt

from lokalnie.core.tests.access import LOGIN, OK, REDIRECT, Row, everyone
from lokalnie.revitalization.models import Measurement, Programme
from lokalnie.revitalization.tests.factories_results import (
    make_evidence,
    make_indicator,
    make_measurement,
    make_period,
    make_target,
)

# As access_rows.team_page/team_action/coordinator_action (that module imports this one
# before it defines them): the world's coordinator is "owner", its team member "member";
# everyone else is an outsider (404); CAL staff read but change nothing (403).


def team_page():
    return {**everyone(404), "anonymous": LOGIN, "owner": OK, "member": OK, "staff": OK}


def team_action(*, member=REDIRECT, owner=REDIRECT):
    return {**everyone(404), "anonymous": LOGIN, "owner": owner, "member": member, "staff": 403}


def coordinator_action(*, owner=REDIRECT):
    return team_action(member=403, owner=owner)


TEAM_FORM = team_action(member=OK, owner=OK)
INDICATOR = ("rev_programme", "results_indicator")
SUBMITTED = ("rev_programme", "results_submitted")

ROWS = {
    "revitalization:results": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:results_indicator_new": Row(args=("rev_programme",), outcomes=TEAM_FORM),
    "revitalization:results_indicator": Row(args=INDICATOR, outcomes=team_page()),
    "revitalization:results_indicator_edit": Row(args=INDICATOR, outcomes=TEAM_FORM),
    # The indicator has measurements: the team is told it cannot be removed.
    "revitalization:results_indicator_delete": Row(
        method="post", args=INDICATOR, outcomes=team_action()
    ),
    "revitalization:results_targets": Row(args=INDICATOR, outcomes=TEAM_FORM),
    "revitalization:results_measurement": Row(
        args=("rev_programme", "results_indicator", "results_open_period"), outcomes=team_page()
    ),
    "revitalization:results_periods": Row(args=("rev_programme",), outcomes=team_page()),
    "revitalization:results_periods_generate": Row(
        method="post",
        args=("rev_programme",),
        data={
            "generate-every": "year",
            "generate-starts_on": "2031-01-01",
            "generate-ends_on": "2031-12-31",
        },
        outcomes=team_action(),
    ),
    "revitalization:results_period_edit": Row(
        args=("rev_programme", "results_open_period"), outcomes=TEAM_FORM
    ),
    # The period has a measurement: the team is told it cannot be removed.
    "revitalization:results_period_delete": Row(
        method="post", args=("rev_programme", "results_open_period"), outcomes=team_action()
    ),
    "revitalization:results_period_lock": Row(
        method="post", args=("rev_programme", "results_open_period"), outcomes=coordinator_action()
    ),
    "revitalization:results_period_unlock": Row(
        args=("rev_programme", "results_locked_period"), outcomes=coordinator_action(owner=OK)
    ),
    "revitalization:results_measurement_withdraw": Row(
        method="post", args=SUBMITTED, outcomes=team_action()
    ),
    "revitalization:results_measurement_approve": Row(
        method="post", args=SUBMITTED, outcomes=coordinator_action()
    ),
    "revitalization:results_measurement_return": Row(
        method="post", args=SUBMITTED, data={"reason": "Brak listy."}, outcomes=coordinator_action()
    ),
    "revitalization:results_measurement_reopen": Row(
        method="post",
        args=("rev_programme", "results_approved"),
        data={"reason": "Błąd w danych."},
        outcomes=coordinator_action(),
    ),
    # A submitted measurement is not removed: the team is told so.
    "revitalization:results_measurement_delete": Row(
        method="post", args=SUBMITTED, outcomes=team_action()
    ),
    "revitalization:results_evidence": Row(
        args=("rev_programme", "results_evidence"), outcomes=team_page()
    ),
    # Evidence of a submitted measurement stays: the team is told so.
    "revitalization:results_evidence_delete": Row(
        method="post", args=("rev_programme", "results_evidence"), outcomes=team_action()
    ),
    "revitalization:results_queue": Row(args=("rev_programme",), outcomes=team_page()),
}


def extend_world(world):
    programme = Programme.objects.get(pk=world["rev_programme"])
    indicator = make_indicator(programme, code="WR1")
    open_period = make_period(programme, 2026)
    done_period = make_period(programme, 2025)
    locked_period = make_period(
        programme, 2024, locked=True, locked_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
    )
    make_target(indicator, open_period, 40)
    submitted = make_measurement(
        indicator, open_period, value=40, status=Measurement.Status.SUBMITTED
    )
    approved = make_measurement(
        indicator, done_period, value=30, status=Measurement.Status.APPROVED
    )
    world.update(
        results_indicator=indicator.pk,
        results_open_period=open_period.pk,
        results_locked_period=locked_period.pk,
        results_submitted=submitted.pk,
        results_approved=approved.pk,
        results_evidence=make_evidence(submitted).pk,
    )
