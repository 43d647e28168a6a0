"""The signed credential behind each certificate: a third party verifies it with nothing but
the platform's published key set and status lists, and sees suspension, reinstatement and
withdrawal. Keys: from the configured file, generated once in development, refused when
missing in production."""

import json
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from lokalnie.credentials import generate_private_key, public_jwk, verify
from lokalnie.registry import services, signing
from lokalnie.registry.models import Investigation
from lokalnie.registry.tests.factories import client_fetch, committee_member, issue_certificate

pytestmark = pytest.mark.django_db


def third_party_verify(client, token):
    fetch = client_fetch(client)
    return verify(token, fetch=fetch, now=timezone.now()), fetch.fetched


def open_investigation(certificate):
    return services.investigation_open(
        certificate=certificate, by=committee_member(), charges="Zarzut: brak działań OSL."
    )


def test_issued_credential_verifies_with_the_published_jwks_and_status_lists(client):
    certificate = issue_certificate()
    result, fetched = third_party_verify(client, certificate.credential_jws)
    assert result.status == "valid", result.errors
    assert result.valid_signature
    assert fetched == [
        "http://127.0.0.1:8000/.well-known/jwks.json",
        "http://127.0.0.1:8000/certyfikat/status/uniewaznienia/",
        "http://127.0.0.1:8000/certyfikat/status/zawieszenia/",
    ]
    payload = result.payload
    assert payload["issuer"]["id"] == "http://127.0.0.1:8000/"
    assert payload["issuer"]["name"] == (
        "Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL"
    )
    assert payload["id"].endswith(f"/certyfikat/weryfikacja/{certificate.slug}/")
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"].startswith("Certyfikat Jakości CAL — ")
    assert "Organizowania Społeczności Lokalnej" in achievement["criteria"]["narrative"]
    identifier = payload["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == certificate.institution_name


def test_suspension_reinstatement_and_withdrawal_reach_the_verifier(client):
    certificate = issue_certificate()
    committee = committee_member()
    investigation = open_investigation(certificate)
    services.investigation_decide(
        investigation=investigation, by=committee, decision="suspend", reasons="Zawieszenie."
    )
    assert third_party_verify(client, certificate.credential_jws)[0].status == "suspended"

    services.certificate_transition(
        certificate=certificate, action="reinstate", by=committee, reason="Poprawiono."
    )
    assert third_party_verify(client, certificate.credential_jws)[0].status == "valid"

    investigation = open_investigation(certificate)
    services.investigation_decide(
        investigation=investigation, by=committee, decision="withdraw", reasons="Cofnięcie."
    )
    result = third_party_verify(client, certificate.credential_jws)[0]
    assert result.status == "revoked"
    assert result.revoked and not result.suspended
    assert Investigation.objects.filter(certificate=certificate).count() == 2


def test_other_certificates_are_not_affected_by_a_withdrawal(client):
    first, second = issue_certificate(), issue_certificate()
    services.investigation_decide(
        investigation=open_investigation(first),
        by=committee_member(),
        decision="withdraw",
        reasons="Cofnięcie.",
    )
    assert third_party_verify(client, second.credential_jws)[0].status == "valid"
    assert third_party_verify(client, first.credential_jws)[0].status == "revoked"


def test_status_indexes_are_unique_and_random(client):
    certificates = [issue_certificate() for _ in range(5)]
    revocations = {c.revocation_index for c in certificates}
    suspensions = {c.suspension_index for c in certificates}
    assert len(revocations) == len(suspensions) == 5
    assert revocations != set(range(5))


def test_published_documents_have_their_media_types(client):
    issue_certificate()
    jwks = client.get("/.well-known/jwks.json")
    assert jwks["Content-Type"] == "application/jwk-set+json"
    assert jwks["Access-Control-Allow-Origin"] == "*"
    keys = json.loads(jwks.content)["keys"]
    assert [key["kid"] for key in keys] == [signing.current_key_id()]
    assert not {"d", "p", "q"} & set(keys[0])  # nothing private is published
    for slug in ("uniewaznienia", "zawieszenia"):
        response = client.get(reverse("registry:status_list", args=[slug]))
        assert response["Content-Type"] == "application/vc+jwt"
        assert response.content.count(b".") == 2
    assert client.get(reverse("registry:status_list", args=["inne"])).status_code == 404


def test_status_lists_are_published_before_any_certificate(client):
    for slug in ("uniewaznienia", "zawieszenia"):
        assert client.get(reverse("registry:status_list", args=[slug])).status_code == 200


def test_credential_downloads_as_jwt_and_json(client):
    certificate = issue_certificate()
    jwt_response = client.get(reverse("registry:jwt", args=[certificate.slug]))
    assert jwt_response.content.decode() == certificate.credential_jws
    assert jwt_response["Content-Type"] == "application/vc+jwt"
    assert f'filename="{certificate.slug}.jwt"' in jwt_response["Content-Disposition"]
    json_response = client.get(reverse("registry:json", args=[certificate.slug]))
    credential = json.loads(json_response.content)
    assert "OpenBadgeCredential" in credential["type"]
    assert "jti" not in credential and "iss" not in credential
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == (
        certificate.institution_name
    )


def test_retired_keys_stay_published(client, settings, tmp_path):
    retired = generate_private_key("ES256")
    (tmp_path / "2025.pem").write_bytes(retired)
    settings.CREDENTIAL_PUBLISHED_KEYS_DIR = str(tmp_path)
    keys = json.loads(client.get("/.well-known/jwks.json").content)["keys"]
    assert [key["kid"] for key in keys] == [signing.current_key_id(), public_jwk(retired)["kid"]]


def test_a_new_signing_key_re_signs_the_status_lists(client, settings, tmp_path):
    certificate = issue_certificate()
    old_key_id = signing.current_key_id()
    new_key = tmp_path / "new.pem"
    new_key.write_bytes(generate_private_key("ES256"))
    retired_dir = tmp_path / "retired"
    retired_dir.mkdir()
    (retired_dir / "old.pem").write_bytes(Path(settings.CREDENTIAL_SIGNING_KEY_FILE).read_bytes())
    settings.CREDENTIAL_SIGNING_KEY_FILE = str(new_key)
    settings.CREDENTIAL_PUBLISHED_KEYS_DIR = str(retired_dir)
    assert signing.current_key_id() != old_key_id
    # The old credential still verifies: its key is published, the lists are re-signed.
    assert third_party_verify(client, certificate.credential_jws)[0].status == "valid"


def test_development_key_is_generated_once_with_mode_0600(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY_FILE = None
    settings.CREDENTIAL_DEV_KEY_DIR = tmp_path / "keys"
    first = signing.signing_key_pem()
    path = tmp_path / "keys" / signing.DEV_KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.signing_key_pem() == first


def test_production_without_a_key_names_the_variable(settings):
    settings.CREDENTIAL_SIGNING_KEY_FILE = None
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="CREDENTIAL_SIGNING_KEY_FILE must be set"):
        signing.signing_key_pem()


def test_unreadable_or_bad_key_file_names_the_variable(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured, match="CREDENTIAL_SIGNING_KEY_FILE: cannot read"):
        signing.signing_key_pem()
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    settings.CREDENTIAL_SIGNING_KEY_FILE = str(bad)
    with pytest.raises(ImproperlyConfigured, match="not a usable PEM key"):
        signing.signing_key_pem()
