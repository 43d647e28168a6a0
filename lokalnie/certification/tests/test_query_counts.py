"""The public pages of the certificate module run the same number of queries with 10 rows
as with 1,000 (made with bulk_create): areas of work, their documents and requirements,
versions of the regulation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.certification.models import AreaDocument, AreaRequirement, RegulationVersion
from lokalnie.institutions.models import AreaOfWork

pytestmark = pytest.mark.django_db

SOCIAL = "pomoc-i-integracja-spoleczna"


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_areas(total: int) -> None:
    """Areas of work up to ``total``, each new one with a requirement and a document."""
    start = AreaOfWork.objects.count()
    areas = AreaOfWork.objects.bulk_create(
        AreaOfWork(slug=f"obszar-{n}", name_pl=f"obszar {n}", name_en=f"area {n}", position=n)
        for n in range(start, total)
    )
    AreaRequirement.objects.bulk_create(
        AreaRequirement(area=area, text_pl="Wymaganie.", text_en="Requirement.") for area in areas
    )
    add_documents(areas)


def add_documents(areas, per_area: int = 1) -> None:
    AreaDocument.objects.bulk_create(
        AreaDocument(
            area=area,
            title_pl=f"Dokument {n}",
            file=f"certification/documents/{area.pk}-{n}.pdf",
            filename=f"dokument-{n}.pdf",
            content_type="application/pdf",
            extension=".pdf",
            size=1000,
            position=n,
        )
        for area in areas
        for n in range(per_area)
    )


@pytest.mark.parametrize("url_name", ["certification:index", "certification:areas"])
def test_area_lists_run_the_same_queries_for_10_and_1000_areas(client, url_name):
    url = reverse(url_name)
    add_areas(10)
    client.get(url)
    few = queries(client, url)
    add_areas(1000)
    assert AreaOfWork.objects.count() == 1000
    assert queries(client, url) == few


def test_area_page_runs_the_same_queries_for_10_and_1000_documents_and_requirements(client):
    area = AreaOfWork.objects.get(slug=SOCIAL)
    url = reverse("certification:area", args=[SOCIAL])

    def grow(total):
        count = area.requirements.count()
        AreaRequirement.objects.bulk_create(
            AreaRequirement(area=area, position=n, text_pl=f"Wymaganie {n}.")
            for n in range(count, total)
        )
        add_documents([area], per_area=total - area.documents.count())

    grow(10)
    client.get(url)
    few = queries(client, url)
    grow(1000)
    assert area.documents.count() == area.requirements.count() == 1000
    assert queries(client, url) == few


@pytest.mark.parametrize("query", ["", "?wersja=5"])
def test_regulation_runs_the_same_queries_for_10_and_1000_versions(client, query):
    url = reverse("certification:regulation") + query

    def grow(total):
        start = RegulationVersion.objects.count()
        RegulationVersion.objects.bulk_create(
            RegulationVersion(version=n + 1, body_pl=f"Regulamin {n + 1}.", body_en="Rules.")
            for n in range(start, total)
        )

    grow(10)
    client.get(url)
    few = queries(client, url)
    grow(1000)
    assert queries(client, url) == few
