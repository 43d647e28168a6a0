"""The public gmina search (the htmx partial and the page without JavaScript) runs the same
number of queries whether 10 or 1,000 gminas match."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.conftest import make_gmina
from lokalnie.institutions.models import TerytUnit

pytestmark = pytest.mark.django_db


def add_gminas(total: int, parent: TerytUnit) -> None:
    """Gminas named "Wola N" in one powiat, up to ``total``."""
    start = TerytUnit.objects.filter(search_name__startswith="wola").count()
    TerytUnit.objects.bulk_create(
        TerytUnit(
            code=f"{parent.code}{n:03d}",
            level=TerytUnit.Level.GMINA,
            name=f"Wola {n}",
            kind="gmina wiejska",
            gmina_type="2",
            parent=parent,
            search_name=f"wola {n}",
            valid_on="2024-01-01",
        )
        for n in range(start, total)
    )


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_gmina_search_runs_the_same_queries_for_10_and_1000_matches(client, headers):
    voivodeship = make_gmina().parent.parent
    powiat = TerytUnit.objects.create(
        code="1099",
        level=TerytUnit.Level.POWIAT,
        name="wolski",
        kind="powiat",
        parent=voivodeship,
        search_name="wolski",
        valid_on="2024-01-01",
    )
    url = reverse("institutions:gmina_search") + "?gmina_query=wola&gmina=1061011"
    add_gminas(10, powiat)
    client.get(url, **headers)
    few = queries(client, url, **headers)
    add_gminas(1000, powiat)
    assert TerytUnit.objects.filter(search_name__startswith="wola").count() == 1000
    assert queries(client, url, **headers) == few
