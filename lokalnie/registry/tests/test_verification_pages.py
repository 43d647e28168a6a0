"""The public verification page (what the QR code opens) and the credential check form,
in Polish and English, without login; helpful errors for unknown numbers and bad tokens."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from lokalnie.registry import services
from lokalnie.registry.models import Certificate
from lokalnie.registry.tests.factories import committee_member, issue_certificate
from lokalnie.registry.workflow import Status

pytestmark = pytest.mark.django_db


def text_in(language, message, **params):
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_verification_page_says_valid_with_dates_and_history(client, language):
    certificate = issue_certificate(name="Gminny Ośrodek Pomocy Społecznej w Żółkiewce")
    response, html = page(
        client, reverse("registry:verify_number", args=[certificate.slug]), language
    )
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert text_in(language, "The certificate is valid.") in html
    assert certificate.number in html
    assert "Gminny Ośrodek Pomocy Społecznej w Żółkiewce" in html
    assert certificate.issued_on.isoformat() in html
    assert certificate.valid_until.isoformat() in html
    with translation.override(language):
        assert str(Status.VALID.label) in html
    assert reverse("registry:pdf", args=[certificate.slug]) not in html  # anonymous


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("suspended", "The certificate is suspended."),
        ("withdrawn", "The certificate has been withdrawn."),
        ("expired", "The certificate has expired."),
    ],
)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_verification_page_says_each_status_in_words(client, language, status, message):
    certificate = issue_certificate()
    Certificate.objects.filter(pk=certificate.pk).update(status=status)
    _, html = page(client, reverse("registry:verify_number", args=[certificate.slug]), language)
    assert text_in(language, message) in html


def test_a_valid_certificate_past_its_last_day_shows_as_expired(client):
    certificate = issue_certificate()
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=dt.date.today() - dt.timedelta(days=2)
    )
    _, html = page(client, reverse("registry:verify_number", args=[certificate.slug]), "en")
    assert "The certificate has expired." in html


def test_history_shows_suspension_publicly_without_the_reasons(client):
    certificate = issue_certificate()
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Poufny zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="Poufne powody."
    )
    _, html = page(client, reverse("registry:verify_number", args=[certificate.slug]), "en")
    assert "suspension lifted" not in html
    assert html.count("<li><time") == 2  # issued, suspended
    assert "Poufne powody." not in html and "Poufny zarzut." not in html


@pytest.mark.parametrize("typed", ["cal-{year}-1", "CAL-{year}-0001"])
def test_numbers_in_other_spellings_redirect_to_the_canonical_page(client, typed):
    certificate = issue_certificate()
    url = reverse("registry:verify_number", args=[typed.format(year=certificate.year)])
    response = client.get(url)
    if typed.startswith("CAL-"):
        assert response.status_code == 200
    else:
        assert response.status_code == 301
        assert response.url == reverse("registry:verify_number", args=[certificate.slug])


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("number", ["CAL-2020-9999", "nonsense"])
def test_unknown_number_gets_a_helpful_404_in_the_layout(client, language, number):
    response, html = page(client, reverse("registry:verify_number", args=[number]), language)
    assert response.status_code == 404
    assert text_in(language, "Certificate not found") in html
    assert number in html
    assert 'name="numer"' in html  # try again
    assert 'class="site-header"' in html


def test_number_form_redirects_or_explains(client):
    certificate = issue_certificate()
    response = client.get(reverse("registry:verify"), {"numer": certificate.number})
    assert response.status_code == 302
    assert response.url == reverse("registry:verify_number", args=[certificate.slug])
    response = client.get(reverse("registry:verify"), {"numer": "ABC"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is not a certificate number" in response.content.decode()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_pasted_credential_is_verified_with_the_published_endpoints(client, language):
    certificate = issue_certificate()
    response = client.post(
        reverse("registry:verify"),
        {"token": certificate.credential_jws},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert text_in(language, "The credential is valid.") in html
    assert certificate.institution_name in html
    assert reverse("registry:verify_number", args=[certificate.slug]) in html


def test_pasted_credential_of_a_withdrawn_certificate(client):
    certificate = issue_certificate()
    committee = committee_member()
    investigation = services.investigation_open(
        certificate=certificate, by=committee, charges="Zarzut."
    )
    services.investigation_decide(
        investigation=investigation, by=committee, decision="withdraw", reasons="Powody."
    )
    response = client.post(
        reverse("registry:verify"), {"token": certificate.credential_jws}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "the certificate has been withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "not a token",
        "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.",
        "a.b.c",
    ],
)
def test_bad_token_gets_an_explanation(client, token):
    response = client.post(reverse("registry:verify"), {"token": token}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The credential cannot be accepted." in html
    assert "Technical details" in html


def test_altered_credential_is_refused(client):
    certificate = issue_certificate()
    header, payload, signature = certificate.credential_jws.split(".")
    forged = ".".join([header, payload[:-4] + "AAAA", signature])
    response = client.post(reverse("registry:verify"), {"token": forged}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The credential cannot be accepted." in response.content.decode()


def test_empty_form_says_what_to_paste(client):
    response = client.post(reverse("registry:verify"), {"token": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Paste the signed credential." in response.content.decode()


def test_credential_of_another_issuer_is_not_fetched_from_the_network(client, settings):
    certificate = issue_certificate()
    settings.SITE_URL = "https://lokalnie.example.org"
    response = client.post(
        reverse("registry:verify"), {"token": certificate.credential_jws}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "The credential cannot be accepted." in html
    assert "is not published by this platform" in html
