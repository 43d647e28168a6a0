"""The pages of the partners and plan parts run the same number of queries with 10
stakeholders, agreements and actions as with 100."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.conftest import close_file, make_user
from lokalnie.revitalization.models import Action, Agreement, ResultIndicator, Stakeholder
from lokalnie.revitalization.tests.factories import make_programme

pytestmark = pytest.mark.django_db

PAGES = (
    "partners",
    "partners_map",
    "partners_agreements",
    "partners_add",
    "partners_agreement_add",
    "plan",
    "plan_timeline",
    "plan_csv",
    "plan_add",
)


def _fill(programme, count: int) -> None:
    kinds = [kind for kind, _label in Stakeholder.Kind.choices]
    stakeholders = Stakeholder.objects.bulk_create(
        Stakeholder(
            programme=programme,
            kind=kinds[number % len(kinds)],
            name=f"Interesariusz {number:03d}",
            interest=number % 5 + 1,
            influence=number * 7 % 5 + 1,
            is_partner=number % 3 == 0,
            contact_email=f"kontakt{number}@example.org",
        )
        for number in range(count)
    )
    indicators = ResultIndicator.objects.bulk_create(
        ResultIndicator(
            programme=programme,
            code=f"W{number}",
            name=f"Wskaźnik {number}",
            kind="quantitative",
            method="liczba",
            direction="increase",
        )
        for number in range(3)
    )
    actions = Action.objects.bulk_create(
        Action(
            programme=programme,
            title=f"Działanie {number:03d}",
            goal="Cel",
            responsible=stakeholders[number],
            starts_on=dt.date(2025, 1 + number % 12, 1),
            ends_on=dt.date(2026 + number % 3, 1 + number % 12, 28),
            budget_pln=Decimal(1000 + number),
            funding_source=["środki własne gminy", "EFS+", "budżet państwa"][number % 3],
            target_group="mieszkańcy",
        )
        for number in range(count)
    )
    Action.partners.through.objects.bulk_create(
        Action.partners.through(action=action, stakeholder=stakeholders[(i + 1) % count])
        for i, action in enumerate(actions)
    )
    Action.indicators.through.objects.bulk_create(
        Action.indicators.through(action=action, resultindicator=indicators[i % 3])
        for i, action in enumerate(actions)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(programme=programme, title=f"Porozumienie {n}", signed_on=dt.date(2025, 1, 1))
        for n in range(count)
    )
    Agreement.stakeholders.through.objects.bulk_create(
        Agreement.stakeholders.through(agreement=agreement, stakeholder=stakeholders[i])
        for i, agreement in enumerate(agreements)
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    close_file(response)
    assert response.status_code == 200, url
    return len(captured)


def test_detail_pages_do_not_grow_either(client):
    coordinator = make_user()
    counts = []
    for count in (10, 100):
        programme = make_programme(coordinator=coordinator)
        _fill(programme, count)
        # Everything points at one stakeholder: responsible for and partner in every action.
        hub = Stakeholder.objects.filter(programme=programme).order_by("pk").first()
        Action.objects.filter(programme=programme).update(responsible=hub)
        for action in Action.objects.filter(programme=programme):
            action.partners.add(hub)
        action = Action.objects.filter(programme=programme).first()
        client.force_login(coordinator)
        counts.append(
            (
                _queries(
                    client, reverse("revitalization:partners_detail", args=[programme.pk, hub.pk])
                ),
                _queries(
                    client, reverse("revitalization:plan_detail", args=[programme.pk, action.pk])
                ),
            )
        )
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_number_of_rows(client, page):
    coordinator = make_user()
    small = make_programme(coordinator=coordinator)
    large = make_programme(coordinator=coordinator)
    _fill(small, 10)
    _fill(large, 100)
    client.force_login(coordinator)
    _queries(client, reverse(f"revitalization:{page}", args=[small.pk]))  # warm the caches
    first = _queries(client, reverse(f"revitalization:{page}", args=[small.pk]))
    second = _queries(client, reverse(f"revitalization:{page}", args=[large.pk]))
    assert first == second, f"{page}: {first} queries with 10 rows, {second} with 100"
    assert first < 25, f"{page}: {first} queries"
