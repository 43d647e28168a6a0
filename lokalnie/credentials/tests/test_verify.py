import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm
from jwt.api_jws import PyJWS

from lokalnie.credentials import build_achievement_credential, jwks, public_jwk, sign, verify

from . import (
    CAL,
    ISSUED,
    ISSUER,
    JWKS_URL,
    LATER,
    REVOCATION_URL,
    SUSPENSION_URL,
    Platform,
    key,
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def segments(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), signature


def forge(header: dict, payload: dict, pem: bytes, alg: str = "RS256") -> str:
    """A JWS signed with pem but with whatever header and payload the attacker wants."""
    body = json.dumps(payload).encode()
    private = serialization.load_pem_private_key(pem, password=None)
    return PyJWS().encode(body, private, algorithm=alg, headers=header)


def test_round_trip_is_valid():
    platform = Platform(key("a"))
    result = platform.verify(platform.issue())
    assert result.status == "valid", result.errors
    assert result.is_valid
    assert result.valid_signature
    assert not (result.revoked or result.suspended)
    assert result.errors == []
    assert result.payload["credentialSubject"]["achievement"]["name"] == "Certyfikat Jakości CAL"
    # the issuer's JWKS and both status lists were fetched, each once
    assert sorted(platform.fetched) == sorted([JWKS_URL, REVOCATION_URL, SUSPENSION_URL])


def test_token_given_as_bytes_or_with_whitespace():
    platform = Platform(key("a"))
    token = platform.issue()
    assert platform.verify(token.encode()).status == "valid"
    assert platform.verify(f"\n {token}\n").status == "valid"


def test_tampered_payload_is_invalid():
    platform = Platform(key("a"))
    header, payload, signature = platform.issue().split(".")
    claims = json.loads(unb64(payload))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Ktoś inny"
    tampered = f"{header}.{b64(json.dumps(claims).encode())}.{signature}"
    result = platform.verify(tampered)
    assert result.status == "invalid"
    assert not result.valid_signature
    assert result.payload is None
    assert "signature does not verify" in result.errors[0]


def test_tampered_signature_is_invalid():
    platform = Platform(key("a"))
    header, payload, signature = platform.issue().split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    assert platform.verify(f"{header}.{payload}.{flipped}").status == "invalid"


def test_key_not_in_the_published_set_is_invalid():
    platform = Platform(key("other"), published=[key("a")])
    result = platform.verify(platform.issue())
    assert result.status == "invalid"
    assert "has no key with id" in result.errors[0]


def test_wrong_key_under_a_published_kid_is_invalid():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    forged = forge(header, payload, key("other"))
    result = platform.verify(forged)
    assert result.status == "invalid"
    assert not result.valid_signature
    assert "signature does not verify" in result.errors[0]


def test_alg_none_is_refused():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    unsigned = f"{b64(json.dumps({**header, 'alg': 'none'}).encode())}.{b64(json.dumps(payload).encode())}."
    result = platform.verify(unsigned)
    assert result.status == "invalid"
    assert "not signed" in result.errors[0]
    assert platform.fetched == []


def test_hmac_with_the_public_key_is_refused():
    """Algorithm confusion: HS256 keyed with the published public key must not verify."""
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    public_pem = (
        serialization.load_pem_private_key(key("a"), password=None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = f"{b64(json.dumps({**header, 'alg': 'HS256'}).encode())}.{b64(json.dumps(payload).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    result = platform.verify(f"{signing_input}.{b64(mac)}")
    assert result.status == "invalid"
    assert "not accepted" in result.errors[0]


def test_header_alg_must_match_the_published_key():
    platform = Platform(key("ec", "ES256"))
    header, payload, _ = segments(platform.issue())
    forged = forge({**header, "alg": "RS256"}, payload, key("a"))
    result = platform.verify(forged)
    assert result.status == "invalid"
    assert "does not match the published key" in result.errors[0]


def test_kid_pointing_at_another_key_set_is_refused():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    thumbprint = public_jwk(key("other"))["kid"]
    forged = forge(
        {**header, "kid": f"https://evil.example/jwks.json#{thumbprint}"}, payload, key("other")
    )
    result = platform.verify(forged)
    assert result.status == "invalid"
    assert "not to the issuer's published one" in result.errors[0]
    assert "https://evil.example/jwks.json" not in platform.fetched


def test_claims_must_match_the_credential():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    forged = forge(header, {**payload, "sub": "https://lokalnie.example/institutions/8"}, key("a"))
    result = platform.verify(forged)
    assert result.valid_signature
    assert result.status == "invalid"
    assert result.errors == ["The 'sub' claim does not match the credential subject's id."]


def test_a_credential_of_another_issuer_uses_that_issuer_keys():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    payload = {**payload, "issuer": {**payload["issuer"], "id": "https://other.example/"}}
    payload["iss"] = "https://other.example/"
    result = platform.verify(forge(header, payload, key("a")))
    assert result.status == "invalid"
    assert "not to the issuer's published one" in result.errors[0]


def test_expired_and_not_yet_valid():
    platform = Platform(key("a"))
    token = platform.issue(valid_until=ISSUED + timedelta(days=10))
    assert platform.verify(token, now=ISSUED + timedelta(days=10)).status == "expired"
    assert platform.verify(token, now=ISSUED + timedelta(days=9)).status == "valid"
    early = platform.verify(token, now=ISSUED - timedelta(seconds=1))
    assert early.status == "not_yet_valid"
    assert early.valid_signature


def test_revoked():
    platform = Platform(key("a"))
    token = platform.issue(index=1234)
    platform.revocations.set(1234)
    result = platform.verify(token)
    assert (result.status, result.revoked, result.suspended) == ("revoked", True, False)
    assert result.valid_signature
    # a neighbouring credential is not affected
    assert platform.verify(platform.issue(index=1235)).status == "valid"


def test_suspension_is_reversible():
    platform = Platform(key("a"))
    token = platform.issue(index=77)
    platform.suspensions.set(77)
    suspended = platform.verify(token)
    assert (suspended.status, suspended.suspended, suspended.revoked) == ("suspended", True, False)
    platform.suspensions.clear(77)
    assert platform.verify(token).status == "valid"


def test_revocation_outranks_suspension_and_expiry():
    platform = Platform(key("a"))
    token = platform.issue(index=5, valid_until=ISSUED + timedelta(days=1))
    platform.revocations.set(5)
    platform.suspensions.set(5)
    result = platform.verify(token)
    assert (result.status, result.revoked, result.suspended) == ("revoked", True, True)


def test_status_list_signed_by_another_key_is_invalid():
    platform = Platform(key("a"))
    token = platform.issue()
    platform.list_signing_pem = key("other")
    result = platform.verify(token)
    assert result.status == "invalid"
    assert result.valid_signature
    assert any(e.startswith(f"Status list {REVOCATION_URL}") for e in result.errors)


def test_status_list_with_forged_signature_under_the_issuer_kid_is_invalid():
    platform = Platform(key("a"))
    token = platform.issue(index=9)
    platform.publish()
    header, payload, _ = segments(platform.pages[REVOCATION_URL].decode())
    platform.pages[REVOCATION_URL] = forge(header, payload, key("other")).encode()
    result = platform.verify(token, publish=False)
    assert result.status == "invalid"
    assert "signature does not verify" in result.errors[0]


def test_status_list_of_the_wrong_purpose_is_invalid():
    platform = Platform(key("a"))
    token = platform.issue()
    platform.publish()
    platform.pages[REVOCATION_URL] = platform.pages[SUSPENSION_URL]
    result = platform.verify(token, publish=False)
    assert result.status == "invalid"
    assert any("not a revocation list" in e or "its id is not the URL" in e for e in result.errors)


def test_expired_status_list_is_invalid():
    platform = Platform(key("a"))
    platform.list_valid_until = ISSUED + timedelta(days=1)
    result = platform.verify(platform.issue())
    assert result.status == "invalid"
    assert "expired" in result.errors[0]


def test_unreachable_status_list_or_key_set_is_invalid():
    platform = Platform(key("a"))
    token = platform.issue()
    platform.publish()
    del platform.pages[SUSPENSION_URL]
    result = platform.verify(token, publish=False)
    assert result.status == "invalid"
    assert result.errors == [
        f"Could not fetch the status list from {SUSPENSION_URL}: HTTP 404 for {SUSPENSION_URL}."
    ]
    del platform.pages[JWKS_URL]
    result = platform.verify(token, publish=False)
    assert not result.valid_signature
    assert result.errors[0].startswith("Could not fetch the issuer's key set (JWKS)")


def test_key_rotation_keeps_old_credentials_valid():
    old = Platform(key("a"), published=[key("b"), key("a")])
    old_token = old.issue(index=1)
    new = Platform(key("b"), published=[key("b"), key("a")])
    new_token = new.issue(index=2)
    assert new.verify(old_token).status == "valid"
    assert new.verify(new_token).status == "valid"
    # once the old key is withdrawn from the JWKS, its credentials no longer verify
    withdrawn = Platform(key("b"), published=[key("b")])
    assert withdrawn.verify(old_token).status == "invalid"
    assert withdrawn.verify(new_token).status == "valid"


def test_es256_credentials_verify():
    platform = Platform(key("ec", "ES256"))
    assert platform.verify(platform.issue()).status == "valid"


def test_explicit_jwks_url():
    platform = Platform(key("a"))
    platform.publish()
    elsewhere = "https://keys.example/cal.json"
    platform.pages[elsewhere] = json.dumps(jwks([key("a")])).encode()
    vc = build_achievement_credential(
        credential_id="https://lokalnie.example/credentials/cal/1",
        issuer=ISSUER,
        subject_id=None,
        subject_name="Klub Seniora",
        achievement=CAL,
        valid_from=ISSUED,
        valid_until=None,
        status_entries=[],
    )
    token = sign(vc, private_pem=key("a"), jwks_url=elsewhere)
    assert verify(token, fetch=platform.fetch, now=LATER, jwks_url=elsewhere).status == "valid"
    # a verifier that only knows the issuer looks at the well-known URL, which the kid avoids
    result = verify(token, fetch=platform.fetch, now=LATER)
    assert result.status == "invalid"
    assert "not to the issuer's published one" in result.errors[0]


def test_private_key_material_in_the_key_set_is_refused():
    platform = Platform(key("a"))
    token = platform.issue()
    platform.publish()
    private = serialization.load_pem_private_key(key("a"), password=None)
    leaked = {**RSAAlgorithm.to_jwk(private, as_dict=True), **public_jwk(key("a"))}
    platform.pages[JWKS_URL] = json.dumps({"keys": [leaked]}).encode()
    result = platform.verify(token, publish=False)
    assert result.status == "invalid"
    assert "private key material" in result.errors[0]


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "a.b", "eyJhbGciOiJSUzI1NiJ9.e30.", None, 42, b"\xff\xfe.x.y"],
)
def test_garbage_never_raises(token):
    result = Platform(key("a")).verify(token)
    assert result.status == "invalid"
    assert result.errors


def test_issuer_must_be_https():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    payload["issuer"]["id"] = payload["iss"] = "http://lokalnie.example/"
    result = platform.verify(forge(header, payload, key("a")))
    assert result.status == "invalid"
    assert "not an https URL" in result.errors[0]


def test_non_open_badge_payload_is_invalid():
    platform = Platform(key("a"))
    header, payload, _ = segments(platform.issue())
    payload["type"] = ["VerifiableCredential"]
    payload["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    result = platform.verify(forge(header, payload, key("a")))
    assert result.status == "invalid"
    assert len(result.errors) == 2


def test_naive_now_is_a_programming_error():
    with pytest.raises(ValueError):
        verify("x.y.z", fetch=lambda url: b"", now=datetime(2026, 1, 1))


def test_issuer_profile_round_trips():
    platform = Platform(key("a"))
    assert platform.verify(platform.issue()).payload["issuer"] == {**ISSUER, "type": ["Profile"]}
