"""The diagnosis's pages: what the team sees, imports through the forms, refused files
shown as a table of problems, and query counts that do not grow with the units."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lokalnie.conftest import make_user
from lokalnie.revitalization.models import DiagnosisIndicator, Unit, UnitValue
from lokalnie.revitalization.tests.factories_diagnosis import (
    data_file,
    make_diagnosis,
    sample_programme,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return make_user(language="en")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, programme, *args):
    return reverse(f"revitalization:{name}", args=[programme.pk, *args])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_empty_diagnosis_lists_the_steps(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator)
    response = signed_in.get(url("diagnosis", programme))
    assert response.status_code == 200
    assert "What the diagnosis needs" in text(response)
    assert response.context["stage"] == "diagnosis"


def test_the_whole_journey_from_files_to_the_degraded_area(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator)
    response = signed_in.post(
        url("diagnosis_units_import", programme), {"units-file": data_file("units.xlsx")}
    )
    assert response.status_code == 302
    response = signed_in.post(
        url("diagnosis_boundaries_import", programme),
        {"boundaries-file": data_file("boundaries.geojson")},
        follow=True,
    )
    assert "The boundaries of 4 units are imported" in text(response)
    response = signed_in.post(
        url("diagnosis_indicators_add", programme),
        {"codes": ["bezrobocie", "pomoc_spoleczna", "budynki_do_remontu", "podmioty_gospodarcze"]},
        follow=True,
    )
    assert "4 indicators are added." in text(response)
    for name in ("values-long.csv", "values-wide.csv"):
        response = signed_in.post(
            url("diagnosis_values_import", programme), {"file": data_file(name)}
        )
        assert response.status_code == 302, text(response)
    response = signed_in.get(url("diagnosis", programme))
    page = text(response)
    assert response.status_code == 200
    # A01: unemployment 15 vs the gmina 7.1, benefits 150 vs 72.5 per 1000 → social crisis;
    # repairs 40% vs 22.8% → technical crisis: degraded.
    assert "1 of 4 units meets the conditions of the degraded area" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="choropleth"' in page
    assert 'data-unit="A01"' in page
    assert "degraded area (art. 9): 1" in page  # the legend, in text
    assert "▲ worse" in page
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows["A01"].unit.degraded is True
    assert rows["A01"].category == "degraded"
    # Worst first.
    assert response.context["rows"][0].unit.code == "A01"


def test_a_refused_file_is_shown_as_a_table_of_problems(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator)
    data = "id;nazwa;mieszkańcy;powierzchnia (ha)\nA01;Śródmieście;-5;150,5\n"
    response = signed_in.post(
        url("diagnosis_units_import", programme), {"units-file": upload("u.csv", data)}
    )
    assert response.status_code == 200
    page = text(response)
    assert "The file was refused: nothing from it was stored" in page
    assert (
        "<tr><td>2</td><td>mieszkańcy</td><td>The number may not be negative (it is -5).</td></tr>"
        in page
    )
    assert not Unit.objects.exists()


def test_a_form_without_a_file_says_so(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator)
    response = signed_in.post(url("diagnosis_values_import", programme), {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_settings_are_saved_through_the_page(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator, gmina_area_ha=None)
    response = signed_in.post(
        url("diagnosis_settings", programme),
        {"gmina_area_ha": "614,44", "gmina_residents": "4000", "crisis_social": "2"},
        HTTP_ACCEPT_LANGUAGE="pl",  # a Polish page takes a decimal comma
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert str(programme.gmina_area_ha) == "614.44"
    assert programme.crisis_rules == {"social": 2}


def test_an_own_indicator_and_its_removal(signed_in, coordinator):
    programme = sample_programme(coordinator=coordinator)
    response = signed_in.post(
        url("diagnosis_indicator_define", programme),
        {
            "code": "eksmisje",
            "name": "Eksmisje na 1000 mieszkańców",
            "sphere": "social",
            "direction": "higher_worse",
            "aggregation": "rate",
            "per": "1000",
        },
    )
    assert response.status_code == 302
    indicator = DiagnosisIndicator.objects.get(programme=programme, code="eksmisje")
    response = signed_in.post(url("diagnosis_indicator_remove", programme, indicator.pk))
    assert response.status_code == 302
    assert not DiagnosisIndicator.objects.filter(pk=indicator.pk).exists()


def test_an_indicator_of_another_programme_cannot_be_removed(signed_in, coordinator):
    mine = sample_programme(coordinator=coordinator)
    theirs = make_diagnosis(units=2)
    indicator = DiagnosisIndicator.objects.filter(programme=theirs).first()
    response = signed_in.post(url("diagnosis_indicator_remove", mine, indicator.pk))
    assert response.status_code == 404
    assert DiagnosisIndicator.objects.filter(pk=indicator.pk).exists()


def test_a_viewer_reads_but_sees_no_forms(client):
    viewer = make_user()
    programme = make_diagnosis(units=3, viewer=viewer)
    client.force_login(viewer)
    for name in ("diagnosis", "diagnosis_units", "diagnosis_indicators", "diagnosis_values"):
        response = client.get(url(name, programme))
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' not in text(response)
    response = client.post(url("diagnosis_values_import", programme), {})
    assert response.status_code == 403


def test_templates_hold_the_programmes_units_and_indicators(signed_in, coordinator):
    programme = make_diagnosis(units=3, coordinator=coordinator)
    response = signed_in.get(url("diagnosis_template", programme, "wartosci-szerokie"))
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:3] == ["unit_id", "bezrobocie", "bezrobocie_base"]
    assert [row[0] for row in rows[1:]] == ["U001", "U002", "U003"]
    response = signed_in.get(url("diagnosis_template", programme, "jednostki"))
    assert response.content.decode("utf-8-sig").startswith("id;nazwa;mieszkancy;powierzchnia_ha")
    response = signed_in.get(url("diagnosis_template", programme, "granice"))
    assert response["Content-Type"] == "application/geo+json"
    assert signed_in.get(url("diagnosis_template", programme, "nic")).status_code == 404


def test_a_downloaded_template_imports_back(signed_in, coordinator):
    programme = make_diagnosis(units=3, coordinator=coordinator)
    content = signed_in.get(url("diagnosis_template", programme, "jednostki")).content
    response = signed_in.post(
        url("diagnosis_units_import", programme), {"units-file": upload("jednostki.csv", content)}
    )
    assert response.status_code == 302


def test_results_csv_has_a_row_per_unit_and_the_gmina(signed_in, coordinator):
    programme = make_diagnosis(units=5, coordinator=coordinator)
    response = signed_in.get(url("diagnosis_results_csv", programme))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 1 + 5
    assert rows[1][0] == "gmina"
    assert rows[0][-1] == "degraded area"


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["diagnosis", "diagnosis_units", "diagnosis_indicators"])
def test_queries_do_not_grow_with_the_units(signed_in, coordinator, name):
    small = make_diagnosis(units=10, geometry=True, coordinator=coordinator)
    large = make_diagnosis(units=200, geometry=True, coordinator=coordinator)
    assert UnitValue.objects.filter(unit__programme=large).count() == 800
    assert _queries(signed_in, url(name, small)) == _queries(signed_in, url(name, large))


def test_large_gminas_are_paginated(signed_in, coordinator):
    programme = make_diagnosis(units=120, coordinator=coordinator)
    response = signed_in.get(url("diagnosis", programme) + "?strona=3")
    assert len(response.context["rows"]) == 20
    assert "page 3 of 3" in text(response)
