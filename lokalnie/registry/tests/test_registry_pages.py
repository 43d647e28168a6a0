"""The public registry: search ignoring Polish diacritics, filters, pagination, a constant
number of queries, the institution's page with its history, open-data exports, the live
badge and the map with its table."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalnie.conftest import make_institution, make_user
from lokalnie.registry import services
from lokalnie.registry.models import Certificate
from lokalnie.registry.tests.factories import committee_member, issue_certificate, place
from lokalnie.registry.views import EXPORT_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "lodz": place("1061011", "Łódź", "10", "ŁÓDZKIE"),
        "krakow": place("1261011", "Kraków", "12", "MAŁOPOLSKIE"),
        "zgierz": place("1020011", "Zgierz", "10", "ŁÓDZKIE"),
    }


def certified(name, gmina, *, city=None, slug="pomoc-i-integracja-spoleczna"):
    owner = make_user()
    institution = make_institution(owner=owner, name=name, gmina=gmina)
    institution.city = city or gmina.name
    institution.save(update_fields=["city"])
    return issue_certificate(institution=institution, owner=owner, slug=slug)


def numbers(response):
    return {c.number for c in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lodz", {"mops"}),  # the town without diacritics
        ("ŁÓDŹ", {"mops"}),
        ("zolkiew", {"gops"}),  # the town, not the gmina
        ("swietlica", {"gops"}),  # the name
        ("KRAKÓW", {"dom"}),  # the gmina
        ("zgierz", {"gops"}),
        ("nic takiego", set()),
    ],
)
def test_search_ignores_case_and_polish_diacritics(client, places, query, expected):
    made = {
        "mops": certified("Miejski Ośrodek Pomocy Społecznej", places["lodz"]),
        "gops": certified("Świetlica Wiejska", places["zgierz"], city="Żółkiew"),
        "dom": certified("Dom Kultury Podgórze", places["krakow"]),
    }
    response = client.get(reverse("registry:registry"), {"q": query})
    assert numbers(response) == {made[key].number for key in expected}


def test_search_by_certificate_number(client, places):
    certificate = certified("Biblioteka", places["lodz"])
    certified("Inna", places["krakow"])
    response = client.get(reverse("registry:registry"), {"q": certificate.number.lower()})
    assert numbers(response) == {certificate.number}


def test_filters_voivodeship_area_status_year(client, places):
    lodz = certified("A", places["lodz"])
    krakow = certified("B", places["krakow"], slug="kultura")
    withdrawn = certified("C", places["zgierz"])
    Certificate.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    url = reverse("registry:registry")
    assert numbers(client.get(url, {"wojewodztwo": "10"})) == {lodz.number, withdrawn.number}
    assert numbers(client.get(url, {"obszar": "kultura"})) == {krakow.number}
    assert numbers(client.get(url, {"status": "withdrawn"})) == {withdrawn.number}
    assert numbers(client.get(url, {"status": "valid", "wojewodztwo": "10"})) == {lodz.number}
    assert len(numbers(client.get(url, {"rok": str(lodz.year)}))) == 3
    assert numbers(client.get(url, {"rok": str(lodz.year - 1)})) == set()
    # Nonsense values are ignored, not errors.
    response = client.get(url, {"wojewodztwo": "99", "status": "x", "rok": "abc"})
    assert response.status_code == 200 and len(numbers(response)) == 3


def test_registry_pages(client, places):
    for index in range(27):
        certified(f"Instytucja {index:02d}", places["lodz"])
    url = reverse("registry:registry")
    first = client.get(url)
    assert len(first.context["page"].object_list) == 25
    second = client.get(url, {"strona": 2})
    assert len(second.context["page"].object_list) == 2
    assert "strona=1" in second.content.decode()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url_name",
    ["registry:registry", "registry:map", "registry:export_csv", "registry:export_json"],
)
def test_query_count_does_not_grow_with_the_rows(client, places, url_name):
    url = reverse(url_name)
    for index in range(3):
        certified(f"Pierwsze {index}", places["lodz"])
    client.get(url)  # warm up (e.g. the status list rows, content types)
    few = queries_for(client, url)
    for index in range(27):
        certified(f"Kolejne {index}", places["krakow" if index % 2 else "lodz"])
    assert Certificate.objects.count() == 30
    assert queries_for(client, url) == few


def test_institution_page_query_count_does_not_grow_with_history(client, places):
    owner = make_user()
    institution = make_institution(owner=owner, gmina=places["lodz"])
    first = issue_certificate(institution=institution, owner=owner)
    url = reverse("registry:institution", args=[institution.pk])
    client.get(url)
    few = queries_for(client, url)
    committee = committee_member()
    for _ in range(3):
        investigation = services.investigation_open(certificate=first, by=committee, charges="Z.")
        services.investigation_decide(
            investigation=investigation, by=committee, decision="suspend", reasons="P."
        )
        services.certificate_transition(
            certificate=first, action="reinstate", by=committee, reason="P."
        )
    issue_certificate(institution=institution, owner=owner)
    issue_certificate(institution=institution, owner=owner, slug="kultura")
    assert queries_for(client, url) == few


def test_institution_page_shows_each_certificate_and_its_history(client, places):
    owner = make_user()
    institution = make_institution(
        owner=owner, name="Dom Kultury w Zgierzu", gmina=places["zgierz"]
    )
    first = issue_certificate(institution=institution, owner=owner)
    second = issue_certificate(institution=institution, owner=owner)
    response = client.get(
        reverse("registry:institution", args=[institution.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Dom Kultury w Zgierzu" in html
    assert first.number in html and second.number in html
    assert "renewed by certificate" in html


def test_institution_without_certificates_is_not_in_the_registry(client, places):
    institution = make_institution(owner=make_user(), gmina=places["lodz"])
    assert client.get(reverse("registry:institution", args=[institution.pk])).status_code == 404


def test_csv_export_has_documented_fields_and_polish_letters(client, places):
    certificate = certified("Świetlica „Żaczek”", places["lodz"])
    response = client.get(reverse("registry:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == EXPORT_FIELDS
    assert rows[0]["number"] == certificate.number
    assert rows[0]["institution"] == "Świetlica „Żaczek”"
    assert rows[0]["gmina_teryt"] == "1061011"
    assert rows[0]["voivodeship"] == "łódzkie"
    assert rows[0]["status"] == "valid"
    assert rows[0]["valid_until"] == certificate.valid_until.isoformat()


def test_json_export_has_licence_fields_and_filters(client, places):
    lodz = certified("A", places["lodz"])
    certified("B", places["krakow"])
    response = client.get(reverse("registry:export_json"), {"wojewodztwo": "10"})
    document = json.loads(response.content)
    assert document["licence"]["name"] == "CC BY 4.0"
    assert document["fields"] == EXPORT_FIELDS
    assert [row["number"] for row in document["certificates"]] == [lodz.number]
    assert set(document["certificates"][0]) == set(EXPORT_FIELDS)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_open_data_page_documents_every_field(client, language):
    html = client.get(reverse("registry:open_data"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for field in EXPORT_FIELDS:
        assert f"<dt>{field}</dt>" in html
    assert "CC BY 4.0" in html


def test_badge_shows_the_live_status_as_svg(client):
    certificate = issue_certificate()
    url = reverse("registry:badge", args=[certificate.slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=300" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<svg") and certificate.number in svg and ">valid<" in svg
    assert "<title>" in svg
    committee = committee_member()
    investigation = services.investigation_open(certificate=certificate, by=committee, charges="Z.")
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="P."
    )
    assert ">suspended<" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_badge_of_an_unknown_number(client):
    response = client.get(reverse("registry:badge", args=["CAL-1999-0001"]))
    assert response.status_code == 404
    assert response["Content-Type"] == "image/svg+xml"


def test_map_counts_valid_certificates_by_voivodeship_with_a_table(client, places):
    certified("A", places["lodz"])
    certified("B", places["zgierz"])
    certified("C", places["krakow"])
    withdrawn = certified("D", places["krakow"])
    Certificate.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    response = client.get(reverse("registry:map"), HTTP_ACCEPT_LANGUAGE="en")
    counts = {row["code"]: row["count"] for row in response.context["rows"]}
    assert (counts["10"], counts["12"], counts["14"]) == (2, 1, 0)
    assert len(counts) == 16
    html = response.content.decode()
    assert '<table aria-labelledby="h-table">' in html
    assert 'id="map-data"' in html and 'type="application/json"' in html
    assert "registry/leaflet/leaflet.js" in html
    config = response.context["map_config"]
    assert config["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_csp_allows_the_tile_host_for_images_only(client, settings):
    response = client.get(reverse("registry:map"))
    policy = response["Content-Security-Policy"]
    img = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img
    assert policy.count("tile.openstreetmap.org") == 1
