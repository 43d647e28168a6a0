"""The certificate PDF: A4, Polish letters, number, dates, the person responsible and a QR
code to the public page; only the institution's members and staff download it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_institution, make_user
from lokalnie.registry import documents, services
from lokalnie.registry.tests.factories import issue_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    staff = make_user(roles=[Role.STAFF])
    services.responsible_person_appoint(
        by=staff,
        name="Ewa Żółtowska-Dąbrowska",
        function_pl="Pełnomocniczka Zarządu ds. certyfikacji",
        function_en="Board's representative for certification",
        from_date=timezone.localdate() - dt.timedelta(days=10),
    )
    owner = make_user()
    institution = make_institution(
        owner=owner, name="Gminny Ośrodek Pomocy Społecznej w Łęcznej — „Źródło”"
    )
    return issue_certificate(institution=institution, owner=owner)


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_the_institution_number_dates_and_responsible_person(certificate):
    reader, text = pdf_text(documents.certificate_pdf(certificate))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    flat = " ".join(text.split())
    assert "Gminny Ośrodek Pomocy Społecznej w Łęcznej — „Źródło”" in flat
    assert certificate.number in flat
    assert certificate.issued_on.isoformat() in flat
    assert certificate.valid_until.isoformat() in flat
    assert "Ewa Żółtowska-Dąbrowska" in flat
    assert "Pomoc i integracja społeczna".lower() in flat.lower()
    assert f"/certyfikat/weryfikacja/{certificate.slug}/" in flat.replace(" ", "")


def test_qr_code_points_to_the_public_verification_page(certificate):
    uri = documents.qr_data_uri("http://127.0.0.1:8000/certyfikat/weryfikacja/CAL-2026-0001/")
    assert uri.startswith("data:image/svg+xml")


@pytest.mark.parametrize("who", ["owner", "member", "staff"])
def test_members_and_staff_download_the_pdf(client, certificate, who):
    if who == "staff":
        user = make_user(roles=[Role.STAFF])
    else:
        user = make_user()
        certificate.institution.memberships.create(user=user, role=who)
    client.force_login(user)
    response = client.get(reverse("registry:pdf", args=[certificate.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"certyfikat-{certificate.slug}.pdf" in response["Content-Disposition"]
    assert pdf_text(response.content)[1]


@pytest.mark.parametrize("role", [None, Role.COMMITTEE, Role.BOARD, Role.ASSESSOR])
def test_others_get_404_for_the_pdf(client, certificate, role):
    user = make_user(roles=[role] if role else [])
    make_institution(owner=user)  # a member of another institution
    client.force_login(user)
    assert client.get(reverse("registry:pdf", args=[certificate.slug])).status_code == 404


def test_anonymous_is_asked_to_log_in_for_the_pdf(client, certificate):
    response = client.get(reverse("registry:pdf", args=[certificate.slug]))
    assert response.status_code == 302 and "/konto/login/" in response.url
