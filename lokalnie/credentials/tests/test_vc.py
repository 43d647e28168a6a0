import json
from datetime import datetime, timedelta

import jwt
import pytest

from lokalnie.credentials import (
    OB3_CONTEXT,
    VC_CONTEXT_V2,
    build_achievement_credential,
    jwks,
    public_jwk,
    sign,
    status_entry,
)

from . import CAL, ISSUED, ISSUER, JWKS_URL, REVOCATION_URL, SUSPENSION_URL, key


def credential(**overrides):
    arguments = {
        "credential_id": "urn:uuid:5b0f6c52-58b7-4c41-9a5b-0c6f2b0d3e11",
        "issuer": ISSUER,
        "subject_id": "https://lokalnie.example/institutions/7",
        "subject_name": "Dom Kultury „Zorza”",
        "achievement": CAL,
        "valid_from": ISSUED,
        "valid_until": ISSUED + timedelta(days=365),
        "status_entries": [
            status_entry(list_url=REVOCATION_URL, index=3, purpose="revocation"),
            status_entry(list_url=SUSPENSION_URL, index=3, purpose="suspension"),
        ],
    }
    arguments.update(overrides)
    return build_achievement_credential(**arguments)


def test_open_badge_credential_shape():
    vc = credential(extra_subject={"activityEndDate": "2026-02-20T00:00:00Z"})
    assert vc["@context"] == [VC_CONTEXT_V2, OB3_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["name"] == CAL["name"]
    assert vc["issuer"] == {**ISSUER, "type": ["Profile"]}
    assert vc["validFrom"] == "2026-03-01T12:00:00Z"
    assert vc["validUntil"] == "2027-03-01T12:00:00Z"
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"] == "https://lokalnie.example/institutions/7"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Dom Kultury „Zorza”",
        }
    ]
    assert subject["activityEndDate"] == "2026-02-20T00:00:00Z"
    assert subject["achievement"] == {
        "id": CAL["id"],
        "type": ["Achievement"],
        "name": CAL["name"],
        "description": CAL["description"],
        "criteria": {"narrative": CAL["criteria"]},
        "achievementType": "Certificate",
    }
    assert [e["statusPurpose"] for e in vc["credentialStatus"]] == ["revocation", "suspension"]


def test_status_entry():
    assert status_entry(list_url=REVOCATION_URL, index=94567, purpose="revocation") == {
        "id": f"{REVOCATION_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": REVOCATION_URL,
    }
    for bad in ({"index": -1, "purpose": "revocation"}, {"index": 1, "purpose": "message"}):
        with pytest.raises(ValueError):
            status_entry(list_url=REVOCATION_URL, **bad)


def test_one_status_entry_is_an_object_and_none_is_omitted():
    single = status_entry(list_url=REVOCATION_URL, index=1, purpose="revocation")
    assert credential(status_entries=[single])["credentialStatus"] == single
    assert "credentialStatus" not in credential(status_entries=[])


@pytest.mark.parametrize(
    "overrides",
    [
        {"valid_from": datetime(2026, 3, 1)},  # naive
        {"valid_until": ISSUED - timedelta(days=1)},
        {"issuer": {"id": "http://lokalnie.example/", "name": "x"}},
        {"issuer": {"id": "https://lokalnie.example/"}},
        {"achievement": {**CAL, "criteria": ""}},
        {"subject_name": ""},
        {"extra_subject": {"achievement": {}}},
        {"credential_id": ""},
    ],
)
def test_bad_input_is_a_programming_error(overrides):
    with pytest.raises(ValueError):
        credential(**overrides)


def _parts(token):
    payload = token.split(".")[1]
    return jwt.get_unverified_header(token), json.loads(jwt.utils.base64url_decode(payload))


def test_signed_token_header_and_claims():
    vc = credential()
    token = sign(vc, private_pem=key("a"))
    header, payload = _parts(token)
    assert header == {
        "alg": "RS256",
        "kid": f"{JWKS_URL}#{public_jwk(key('a'))['kid']}",
        "typ": "JWT",
    }
    assert payload == {
        **vc,
        "iss": ISSUER["id"],
        "jti": vc["id"],
        "sub": vc["credentialSubject"]["id"],
        "nbf": int(ISSUED.timestamp()),
        "exp": int((ISSUED + timedelta(days=365)).timestamp()),
    }
    assert "vc" not in payload


def test_signed_token_without_subject_id_or_end():
    token = sign(credential(subject_id=None, valid_until=None), private_pem=key("a"))
    _, payload = _parts(token)
    assert "sub" not in payload
    assert "exp" not in payload
    assert "id" not in payload["credentialSubject"]


def test_sign_options_and_refusals():
    token = sign(credential(), private_pem=key("ec", "ES256"), typ="vc+jwt")
    header, _ = _parts(token)
    assert (header["alg"], header["typ"]) == ("ES256", "vc+jwt")
    with pytest.raises(ValueError):
        sign({**credential(), "vc": {}}, private_pem=key("a"))
    with pytest.raises(ValueError):
        sign(credential(), private_pem=key("a"), typ="at+jwt")


def test_token_is_a_standard_jws_decodable_with_pyjwt_alone():
    """A third party needs only a JOSE library and the published JWK Set."""
    token = sign(credential(valid_until=ISSUED + timedelta(days=365 * 70)), private_pem=key("a"))
    key_set = jwt.PyJWKSet.from_dict(json.loads(json.dumps(jwks([key("b"), key("a")]))))
    kid_fragment = jwt.get_unverified_header(token)["kid"].split("#", 1)[1]
    claims = jwt.decode(
        token,
        key=key_set[kid_fragment],
        algorithms=["RS256"],
        issuer=ISSUER["id"],
        options={"require": ["iss", "jti", "nbf", "sub", "exp"]},
    )
    assert claims["credentialSubject"]["achievement"]["name"] == "Certyfikat Jakości CAL"
    assert claims["jti"] == claims["id"]
