"""The results framework reads in a constant number of queries: the indicator table (what
the monitoring part builds on) and the pages, with 1 indicator × 1 period as with
12 indicators × 8 periods, every measurement with breakdowns and evidence."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.conftest import make_user
from lokalnie.revitalization.models import (
    Measurement,
    MeasurementBreakdown,
    Period,
    ResultIndicator,
    Target,
)
from lokalnie.revitalization.selectors.results import approval_queue, indicator_table
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_results import make_evidence

pytestmark = pytest.mark.django_db


def _fill(programme, *, indicators: int, periods: int) -> None:
    made = ResultIndicator.objects.bulk_create(
        ResultIndicator(
            programme=programme,
            code=f"W{n}",
            name=f"Wskaźnik {n}",
            kind="percentage" if n % 2 else "quantitative",
            method="Metoda",
            direction="increase",
            breakdowns=["sex"],
            baseline_value=10,
            baseline_provenance={"source": "typed", "reference": "GUS"},
            position=n,
        )
        for n in range(indicators)
    )
    terms = Period.objects.bulk_create(
        Period(
            programme=programme,
            label=str(2020 + n),
            starts_on=dt.date(2020 + n, 1, 1),
            ends_on=dt.date(2020 + n, 12, 31),
        )
        for n in range(periods)
    )
    Target.objects.bulk_create(Target(indicator=i, period=p, value=20) for i in made for p in terms)
    statuses = ["submitted", "draft", "approved"]  # the first one waits for approval
    cells = [(i, p) for i in made for p in terms]
    measurements = Measurement.objects.bulk_create(
        Measurement(
            indicator=i,
            period=p,
            value=20,
            numerator=2,
            denominator=10,
            status=statuses[n % 3],
            submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        for n, (i, p) in enumerate(cells)
    )
    MeasurementBreakdown.objects.bulk_create(
        MeasurementBreakdown(measurement=m, dimension="sex", category=c, value=1, denominator=5)
        for m in measurements
        for c in ("female", "male")
    )
    for measurement in measurements[:3]:
        make_evidence(measurement)


def _count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_indicator_table_takes_five_queries_whatever_its_size():
    small, large = make_programme(), make_programme()
    _fill(small, indicators=1, periods=1)
    _fill(large, indicators=12, periods=8)
    assert _count(lambda: indicator_table(small)) == 5
    assert _count(lambda: indicator_table(large)) == 5
    table = indicator_table(large)
    assert len(table.rows) == 12 and len(table.periods) == 8
    cell = table.rows[1].cells[0]
    assert [c.category for c in cell.breakdown["sex"]] == ["female", "male"]
    assert _count(lambda: indicator_table(large, approved_only=True)) == 5
    assert _count(lambda: approval_queue(large)) == 2


@pytest.mark.parametrize("name", ["revitalization:results", "revitalization:results_queue"])
def test_pages_do_not_grow_with_the_data(client, name):
    user = make_user()
    small = make_programme(coordinator=user)
    large = make_programme(coordinator=user)
    _fill(small, indicators=1, periods=1)
    _fill(large, indicators=12, periods=8)
    client.force_login(user)

    def page(programme):
        response = client.get(reverse(name, args=[programme.pk]))
        assert response.status_code == 200

    page(small)  # warm the per-process caches (content types, translations)
    assert _count(lambda: page(small)) == _count(lambda: page(large))


def test_an_indicator_page_does_not_grow_with_the_periods(client):
    user = make_user()
    small = make_programme(coordinator=user)
    large = make_programme(coordinator=user)
    _fill(small, indicators=1, periods=1)
    _fill(large, indicators=2, periods=8)
    client.force_login(user)

    def page(programme):
        indicator = programme.result_indicators.first()
        response = client.get(
            reverse("revitalization:results_indicator", args=[programme.pk, indicator.pk])
        )
        assert response.status_code == 200

    page(small)
    assert _count(lambda: page(small)) == _count(lambda: page(large))
