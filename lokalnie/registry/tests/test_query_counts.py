"""Every list and detail page of certificates runs the same number of queries with 10 rows
as with 1,000 (rows made with bulk_create: certificates in the registry, history entries,
investigations and responses). The page cache is off here (it is off outside production),
so these count what a cache miss costs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lokalnie.accounts.models import Role
from lokalnie.certification.models import Application
from lokalnie.conftest import make_user
from lokalnie.institutions.models import AreaOfWork, Institution
from lokalnie.registry import services
from lokalnie.registry.dates import validity_end
from lokalnie.registry.models import (
    Certificate,
    CertificateEvent,
    Investigation,
    InvestigationResponse,
)
from lokalnie.registry.tests.factories import committee_member, issue_certificate, place

pytestmark = pytest.mark.django_db

SOCIAL = "pomoc-i-integracja-spoleczna"
# Filler certificates use numbers of a past year and status-list indexes past the lists'
# size, so they never meet the ones the services allocate.
FILLER_YEAR = 2020
FILLER_INDEX = 1_000_000


@pytest.fixture
def gmina():
    return place("1061011", "Łódź", "10", "ŁÓDZKIE")


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_certificates(count: int, *, gmina, institution=None, statuses=("valid", "suspended")):
    """``count`` more certificates (with an application and an "issued" history entry), of
    new institutions or of ``institution``."""
    owner = make_user()
    area = AreaOfWork.objects.get(slug=SOCIAL)
    start = Certificate.objects.filter(year=FILLER_YEAR).count()
    if institution is None:
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Instytucja {start + n}",
                kind=Institution.Kind.OPS,
                street="ul. Piotrkowska 1",
                postal_code="90-001",
                city="Łódź",
                gmina=gmina,
                search_name=f"instytucja {start + n}",
            )
            for n in range(count)
        )
    else:
        institutions = [institution] * count
    applications = Application.objects.bulk_create(
        Application(institution=i, area=area, status="granted", created_by=owner)
        for i in institutions
    )
    now, today = timezone.now(), timezone.localdate()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            number=f"CAL/{FILLER_YEAR}/{start + n + 1:04d}",
            year=FILLER_YEAR,
            sequence=start + n + 1,
            application=application,
            institution=application.institution,
            area=area,
            status=statuses[n % len(statuses)],
            status_changed_at=now,
            issued_at=now,
            issued_on=today,
            valid_until=validity_end(today),
            institution_name=application.institution.name,
            place="Łódź",
            search_text=f"instytucja {start + n} lodz lodz",
            revocation_index=FILLER_INDEX + start + n,
            suspension_index=FILLER_INDEX + start + n,
            credential_jws="e30.e30.c2ln",
        )
        for n, application in enumerate(applications)
    )
    add_history(certificates, kind="issued")
    return certificates


def add_history(certificates, *, kind="renewed", per_certificate=1):
    now = timezone.now()
    CertificateEvent.objects.bulk_create(
        CertificateEvent(
            certificate=certificate,
            kind=kind,
            at=now + dt.timedelta(seconds=n),
            by_label="system",
            related=certificate if kind == "renewed" else None,
        )
        for certificate in certificates
        for n in range(per_certificate)
    )


# --- Public pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("registry:registry", ""),
        ("registry:registry", "?q=instytucja"),
        ("registry:registry", "?q=lodz&strona=2"),
        ("registry:registry", f"?wojewodztwo=10&obszar={SOCIAL}&status=valid"),
        ("registry:map", ""),
        ("registry:export_csv", ""),
        ("registry:export_json", "?status=suspended"),
    ],
)
def test_public_lists_run_the_same_queries_for_10_and_1000_certificates(
    client, gmina, url_name, query
):
    url = reverse(url_name) + query
    add_certificates(10, gmina=gmina)
    client.get(url)  # warm up (content types, the status lists)
    few = queries(client, url)
    add_certificates(990, gmina=gmina)
    assert Certificate.objects.count() == 1000
    assert queries(client, url) == few


def test_institution_page_runs_the_same_queries_for_10_and_1000_certificates(client, gmina):
    certificate = issue_certificate(gmina=gmina)
    institution = certificate.institution
    url = reverse("registry:institution", args=[institution.pk])
    add_certificates(9, gmina=gmina, institution=institution)
    client.get(url)
    few = queries(client, url)
    more = add_certificates(990, gmina=gmina, institution=institution)
    add_history(more)
    assert institution.certificates.count() == 1000
    assert queries(client, url) == few


@pytest.mark.parametrize(
    "url_name", ["registry:verify_number", "registry:badge", "registry:jwt", "registry:json"]
)
def test_certificate_pages_run_the_same_queries_for_10_and_1000_rows(client, gmina, url_name):
    """10 or 1,000 certificates in the registry, and as many entries in the history."""
    certificate = issue_certificate(gmina=gmina)
    renewal = issue_certificate(institution=certificate.institution)
    url = reverse(url_name, args=[certificate.slug])
    add_certificates(8, gmina=gmina)
    add_history([certificate], per_certificate=8)
    client.get(url)
    few = queries(client, url)
    add_certificates(990, gmina=gmina)
    add_history([certificate], per_certificate=990)
    assert certificate.events.count() == 1000
    assert Certificate.objects.count() == 1000
    assert queries(client, url) == few
    if url_name == "registry:verify_number":
        assert renewal.number in client.get(url).content.decode()


@pytest.mark.parametrize("slug", ["uniewaznienia", "zawieszenia"])
def test_status_lists_run_the_same_queries_for_10_and_1000_certificates(client, gmina, slug):
    url = reverse("registry:status_list", args=[slug])
    add_certificates(10, gmina=gmina)
    client.get(url)  # signs the list once
    few = queries(client, url)
    add_certificates(990, gmina=gmina)
    assert queries(client, url) == few


# --- Signed-in pages ---------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(roles=[Role.STAFF]))
    return client


def test_certificate_list_runs_the_same_queries_for_10_and_1000_certificates(staff_client, gmina):
    url = reverse("registry:certificates")
    add_certificates(10, gmina=gmina)
    staff_client.get(url)
    few = queries(staff_client, url)
    add_certificates(990, gmina=gmina)
    assert queries(staff_client, url) == few


def add_investigations(certificates, *, by):
    now = timezone.now()
    return Investigation.objects.bulk_create(
        Investigation(
            certificate=certificate,
            status="closed",
            charges="Zarzut.",
            opened_at=now,
            opened_by=by,
            decision="no_action",
            decision_reasons="Bez działań.",
            decided_at=now,
            decided_by=by,
        )
        for certificate in certificates
    )


def test_investigation_list_runs_the_same_queries_for_10_and_1000_investigations(
    staff_client, gmina
):
    committee = committee_member()
    url = reverse("registry:investigations")
    add_investigations(add_certificates(10, gmina=gmina), by=committee)
    staff_client.get(url)
    few = queries(staff_client, url)
    add_investigations(add_certificates(990, gmina=gmina), by=committee)
    assert Investigation.objects.count() == 1000
    assert queries(staff_client, url) == few


def test_certificate_page_runs_the_same_queries_for_10_and_1000_history_rows(staff_client, gmina):
    certificate = issue_certificate(gmina=gmina)
    committee = committee_member()
    url = reverse("registry:certificate", args=[certificate.slug])
    add_history([certificate], per_certificate=9)
    add_investigations([certificate] * 10, by=committee)
    staff_client.get(url)
    few = queries(staff_client, url)
    add_history([certificate], per_certificate=990)
    add_investigations([certificate] * 990, by=committee)
    assert queries(staff_client, url) == few


def test_investigation_page_runs_the_same_queries_for_10_and_1000_responses(staff_client, gmina):
    certificate = issue_certificate(gmina=gmina)
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    owner = certificate.institution.memberships.first().user
    url = reverse("registry:investigation", args=[investigation.pk])

    def respond(count):
        InvestigationResponse.objects.bulk_create(
            InvestigationResponse(
                investigation=investigation, text="Wyjaśnienie.", at=timezone.now(), by=owner
            )
            for _ in range(count)
        )

    respond(10)
    staff_client.get(url)
    few = queries(staff_client, url)
    respond(990)
    assert queries(staff_client, url) == few
