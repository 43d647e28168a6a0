"""The monitoring pages and exports run the same number of queries with 2 indicators as
with 20 (the page cache is off here: these count what a cache miss costs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.conftest import make_user
from lokalnie.revitalization.models import Programme
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_monitoring import make_action, results_world

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _programme(coordinator, indicators: int) -> Programme:
    import datetime as dt

    programme = make_programme(coordinator=coordinator, public_results=True)
    results_world(programme, approver=coordinator, indicators=indicators)
    for number in range(indicators // 2):
        make_action(
            programme, starts_on=dt.date(2025, 1, 1 + number), ends_on=dt.date(2026, 12, 31)
        )
    return programme


@pytest.mark.parametrize("name", ["monitoring", "monitoring_xlsx", "evaluation", "public_results"])
def test_pages_cost_the_same_with_2_or_20_indicators(client, name):
    coordinator = make_user()
    small, large = _programme(coordinator, 2), _programme(coordinator, 20)
    if name != "public_results":
        client.force_login(coordinator)

    def url(programme):
        arg = programme.slug if name == "public_results" else programme.pk
        return reverse(f"revitalization:{name}", args=[arg])

    _queries(client, url(small))  # warm the per-request caches (content types, session)
    assert _queries(client, url(small)) == _queries(client, url(large))


def test_the_pdf_costs_the_same_with_2_or_20_indicators(client):
    coordinator = make_user()
    small, large = _programme(coordinator, 2), _programme(coordinator, 20)
    client.force_login(coordinator)
    _queries(client, reverse("revitalization:monitoring_pdf", args=[small.pk]))
    counts = [
        _queries(client, reverse("revitalization:monitoring_pdf", args=[programme.pk]))
        for programme in (small, large)
    ]
    assert counts[0] == counts[1]


def test_the_public_list_costs_the_same_with_2_or_20_programmes(client):
    coordinator = make_user()
    for _ in range(2):
        _programme(coordinator, 1)
    url = reverse("revitalization:public_list")
    _queries(client, url)
    few = _queries(client, url)
    for _ in range(18):
        _programme(coordinator, 1)
    assert _queries(client, url) == few


def test_the_dashboard_works_out_the_stages_once(client, monkeypatch):
    """The dashboard's summary and the stage navigation share one computation of the
    stages' completion (six EXISTS queries), and the navigation still shows them."""
    from lokalnie.revitalization.selectors import programme as programme_selectors
    from lokalnie.revitalization.views import monitoring as monitoring_views

    calls = []
    original = programme_selectors.stage_completion

    def counted(programme):
        calls.append(programme.pk)
        return original(programme)

    monkeypatch.setattr(programme_selectors, "stage_completion", counted)
    monkeypatch.setattr(monitoring_views, "stage_completion", counted)
    coordinator = make_user()
    programme = _programme(coordinator, 2)
    client.force_login(coordinator)
    response = client.get(reverse("revitalization:monitoring", args=[programme.pk]))
    assert response.status_code == 200
    assert calls == [programme.pk]
    page = response.content.decode()
    for stage in ("diagnosis", "delimitation", "partners", "plan", "evaluation"):
        assert reverse(f"revitalization:{stage}", args=[programme.pk]) in page
