"""The suspension and withdrawal procedure through the pages: the Committee opens an
investigation, the institution responds, the Committee decides and may lift a suspension;
errors keep what was typed and say what is missing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lokalnie.accounts.models import Role
from lokalnie.conftest import make_user
from lokalnie.registry.models import Certificate, Investigation, ResponsiblePerson
from lokalnie.registry.tests.factories import committee_member, issue_certificate
from lokalnie.registry.workflow import Status

pytestmark = pytest.mark.django_db


def test_investigation_journey(client):
    owner = make_user(language="en")
    certificate = issue_certificate(owner=owner)
    committee = committee_member()

    client.force_login(committee)
    page = client.get(reverse("registry:certificate", args=[certificate.slug]))
    assert b'action="/certyfikat/certyfikaty/' in page.content  # the "open" form is offered
    empty = client.post(reverse("registry:investigation_open", args=[certificate.slug]), {})
    assert empty.status_code == 400
    response = client.post(
        reverse("registry:investigation_open", args=[certificate.slug]),
        {"charges": "Brak miejsca otwartego dla mieszkańców."},
    )
    investigation = Investigation.objects.get()
    assert response.url == reverse("registry:investigation", args=[investigation.pk])

    client.force_login(owner)
    page = client.get(reverse("registry:investigation", args=[investigation.pk]))
    assert "Brak miejsca otwartego dla mieszkańców." in page.content.decode()
    assert 'name="text"' in page.content.decode() and 'name="decision"' not in page.content.decode()
    client.post(reverse("registry:respond", args=[investigation.pk]), {"text": "Otwieramy w maju."})

    client.force_login(committee)
    page = client.get(reverse("registry:investigation", args=[investigation.pk]))
    assert "Otwieramy w maju." in page.content.decode()
    no_reasons = client.post(
        reverse("registry:decide", args=[investigation.pk]), {"decision": "suspend"}
    )
    assert no_reasons.status_code == 400
    client.post(
        reverse("registry:decide", args=[investigation.pk]),
        {"decision": "suspend", "reasons": "Do czasu otwarcia."},
    )
    certificate.refresh_from_db()
    assert certificate.status == Status.SUSPENDED

    page = client.get(reverse("registry:certificate", args=[certificate.slug]))
    assert "Do czasu otwarcia." in page.content.decode()  # reasons shown on the private page
    client.post(reverse("registry:reinstate", args=[certificate.slug]), {"reason": "Otwarto."})
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID
    assert list(certificate.events.values_list("kind", flat=True)) == [
        "issued",
        "suspended",
        "reinstated",
    ]


def test_a_decision_impossible_in_the_present_status_is_explained(client):
    certificate = issue_certificate()
    Certificate.objects.filter(pk=certificate.pk).update(status="suspended")
    committee = committee_member()
    investigation = Investigation.objects.create(
        certificate=certificate, charges="Z.", opened_at=timezone.now(), opened_by=committee
    )
    client.force_login(committee)
    response = client.post(
        reverse("registry:decide", args=[investigation.pk]),
        {"decision": "suspend", "reasons": "Powody."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not possible for the certificate in its present status" in response.content.decode()


def test_staff_record_the_person_responsible(client):
    client.force_login(make_user(roles=[Role.STAFF]))
    url = reverse("registry:responsible_person")
    assert (
        client.post(url, {"name": "", "function_pl": "", "from_date": "jutro"}).status_code == 400
    )
    response = client.post(
        url,
        {
            "name": "Agnieszka Pawlak",
            "function_pl": "Pełnomocniczka Zarządu ds. certyfikacji",
            "function_en": "",
            "from_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert ResponsiblePerson.objects.get().name == "Agnieszka Pawlak"
    assert "Agnieszka Pawlak" in client.get(url).content.decode()


def test_members_see_their_certificates_and_others_do_not(client):
    owner = make_user()
    mine = issue_certificate(owner=owner)
    other = issue_certificate()
    client.force_login(owner)
    html = client.get(reverse("registry:certificates")).content.decode()
    assert mine.number in html and other.number not in html
    assert client.get(reverse("registry:certificate", args=[other.slug])).status_code == 404
    client.force_login(make_user(roles=[Role.BOARD]))
    html = client.get(reverse("registry:certificates")).content.decode()
    assert mine.number in html and other.number in html
