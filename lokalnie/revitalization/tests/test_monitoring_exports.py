"""The monitoring report as files: the workbook (read back with openpyxl) and the PDF (its
text read back with pypdf). Only approved measurements are in either."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from lokalnie.conftest import make_user
from lokalnie.core.models import AuditEntry
from lokalnie.revitalization.models import Review
from lokalnie.revitalization.tests.factories import make_programme
from lokalnie.revitalization.tests.factories_monitoring import (
    approved,
    make_action,
    make_indicator,
    make_period,
    make_target,
    results_world,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def coordinator():
    user = make_user(email="koordynator@example.org")
    user.first_name, user.last_name = "Zofia", "Żółkiewska"
    user.save()
    return user


@pytest.fixture
def programme(coordinator):
    programme = make_programme(coordinator=coordinator, title="Gminny Program Rewitalizacji Łodzi")
    _indicators, (first, _second) = results_world(programme, approver=coordinator)
    share = make_indicator(
        programme,
        code="UDZ",
        name="Udział mieszkańców w zajęciach",
        kind="percentage",
        unit_label="",
        breakdowns=["sex"],
    )
    make_target(share, first, 30)
    approved(
        share,
        first,
        by=coordinator,
        numerator=30,
        denominator=120,
        breakdown={("sex", "female"): (20, 70), ("sex", "male"): (10, 50)},
    )
    make_action(
        programme,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        budget="12500.50",
        title="=HYPERLINK(zły)",
    )
    return programme


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_indicators_measurements_with_breakdowns_and_actions(
    client, coordinator, programme
):
    client.force_login(coordinator)
    response = client.get(reverse("revitalization:monitoring_xlsx", args=[programme.pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="monitoring-')
    assert response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indicators", "Measurements", "Breakdowns", "Actions", "About"]

    indicators = _rows(book["Indicators"])
    assert indicators[0][:3] == ["Code", "Indicator", "Kind"]
    assert len(indicators) == 1 + 3
    share = next(row for row in indicators if row[0] == "UDZ")
    header = indicators[0]
    assert share[header.index("Latest approved value")] == 25
    assert share[header.index("Status against the target")] == (
        "Behind the target by 16.7% (tolerance 10%)"
    )

    measurements = _rows(book["Measurements"])
    header = measurements[0]
    assert header[-4:] == [
        "sex: women",
        "sex: women — denominator",
        "sex: men",
        "sex: men — denominator",
    ]
    assert len(measurements) == 1 + 3  # approved only: the submitted 2026 ones are not here
    values = [row[header.index("Value")] for row in measurements[1:]]
    assert 999 not in values
    first = next(row for row in measurements[1:] if row[0] != "UDZ")
    assert first[header.index("Approved by")] == "Zofia Żółkiewska"
    assert isinstance(first[header.index("Approved at")], dt.datetime)
    assert first[header.index("Period starts")] == dt.datetime(2025, 1, 1)
    assert first[header.index("sex: women")] == 60
    percentage_row = next(row for row in measurements if row[0] == "UDZ")
    assert percentage_row[-4:] == [20, 70, 10, 50]
    assert percentage_row[header.index("Numerator")] == 30

    breakdowns = _rows(book["Breakdowns"])
    assert ["UDZ", "Udział mieszkańców w zajęciach", "2025", "sex", "women", 20, 70] in breakdowns
    assert len(breakdowns) == 1 + 6

    actions = _rows(book["Actions"])
    assert actions[1][0] == "'=HYPERLINK(zły)"  # never run as a formula
    assert actions[1][actions[0].index("Budget (PLN)")] == 12500.5
    assert actions[1][2] == "Stowarzyszenie Sąsiedzi"

    about = [row[0] for row in _rows(book["About"])]
    assert "Gmina Łódź (TERYT 1061011)" in about
    assert any("Only measurements approved" in line for line in about)

    entry = AuditEntry.objects.get(action="revitalization.monitoring.exported")
    assert entry.data == {"format": "xlsx", "indicators": 3, "measurements": 3, "actions": 1}


def test_the_pdf_report_has_the_gmina_the_period_the_charts_and_who_approved(
    client, coordinator, programme
):
    Review.objects.create(
        programme=programme, held_on=dt.date(2025, 11, 30), findings="Zajęcia się sprawdzają."
    )
    client.force_login(coordinator)
    response = client.get(reverse("revitalization:monitoring_pdf", args=[programme.pk]), **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Monitoring report" in text
    assert "Gminny Program Rewitalizacji Łodzi" in text  # Polish letters come through
    assert "Łódź" in text and "TERYT 1061011" in text
    assert "Period covered 2025-01-01 – 2025-12-31" in text
    assert "Generated" in text and "Zofia Żółkiewska" in text  # who generated and approved
    assert "Only measurements approved" in text
    assert "Udział mieszkańców w zajęciach" in text
    assert "sex: women 20 / 70; men 10 / 50" in text  # breakdowns
    assert "Approved measurement" in text  # the charts' legend (SVG text)
    assert "999" not in text
    assert "Zajęcia się sprawdzają." in text
    assert AuditEntry.objects.filter(
        action="revitalization.monitoring.exported", data__format="pdf"
    ).exists()


def test_a_programme_without_indicators_still_exports(client, coordinator):
    programme = make_programme(coordinator=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("revitalization:monitoring_xlsx", args=[programme.pk]))
    assert response.status_code == 200
    assert _rows(load_workbook(io.BytesIO(response.content)).worksheets[1])[1:] == []
    response = client.get(reverse("revitalization:monitoring_pdf", args=[programme.pk]))
    assert response.status_code == 200


def test_qualitative_measurements_are_exported_with_their_text(client, coordinator):
    programme = make_programme(coordinator=coordinator)
    period = make_period(programme, 2025)
    indicator = make_indicator(programme, kind="qualitative", name="Aktywność sąsiedzka")
    approved(indicator, period, by=coordinator, text="Powstała rada osiedla.")
    client.force_login(coordinator)
    response = client.get(reverse("revitalization:monitoring_xlsx", args=[programme.pk]), **EN)
    measurements = _rows(load_workbook(io.BytesIO(response.content))["Measurements"])
    header = measurements[0]
    assert measurements[1][header.index("Description (qualitative indicators)")] == (
        "Powstała rada osiedla."
    )
