import pytest
from cryptography.hazmat.primitives import serialization

from lokalnie.credentials import (
    generate_private_key,
    jwk_thumbprint,
    jwks,
    jwks_url_for,
    key_reference,
    public_jwk,
)
from lokalnie.credentials.keys import PRIVATE_JWK_MEMBERS

from . import key

# RFC 7638 §3.1: the example RSA key and its published thumbprint.
RFC7638_JWK = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
        "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FD"
        "W2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vM"
        "QFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def test_thumbprint_matches_rfc7638_example():
    assert jwk_thumbprint(RFC7638_JWK) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_generated_key_is_pkcs8_pem_rsa_3072():
    pem = key("a")
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = serialization.load_pem_private_key(pem, password=None)
    assert loaded.key_size == 3072


def test_public_jwk_of_rsa_key():
    jwk = public_jwk(key("a"))
    assert jwk["kty"] == "RSA"
    assert jwk["alg"] == "RS256"
    assert jwk["use"] == "sig"
    assert jwk["kid"] == jwk_thumbprint(jwk)
    assert not PRIVATE_JWK_MEMBERS & jwk.keys()


def test_public_jwk_is_the_same_from_the_public_pem():
    private = serialization.load_pem_private_key(key("a"), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert public_jwk(public_pem) == public_jwk(key("a"))


def test_es256_key():
    jwk = public_jwk(key("ec", "ES256"))
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("EC", "P-256", "ES256")
    assert jwk["kid"] == jwk_thumbprint(jwk)
    assert "d" not in jwk


def test_jwks_lists_each_key_once_in_order():
    key_set = jwks([key("b"), key("a"), key("b")])
    assert [k["kid"] for k in key_set["keys"]] == [
        public_jwk(key("b"))["kid"],
        public_jwk(key("a"))["kid"],
    ]


def test_generate_rejects_weak_or_unknown_keys():
    with pytest.raises(ValueError):
        generate_private_key("RS256", rsa_key_size=1024)
    with pytest.raises(ValueError):
        generate_private_key("HS256")


@pytest.mark.parametrize(
    ("issuer_id", "expected"),
    [
        ("https://lokalnie.example/", "https://lokalnie.example/.well-known/jwks.json"),
        (
            "https://lokalnie.example/issuers/cal?x=1#p",
            "https://lokalnie.example/.well-known/jwks.json",
        ),
        ("https://lokalnie.example:8443/a", "https://lokalnie.example:8443/.well-known/jwks.json"),
        ("http://localhost:8000/", "http://localhost:8000/.well-known/jwks.json"),
        ("http://127.0.0.1/", "http://127.0.0.1/.well-known/jwks.json"),
    ],
)
def test_jwks_url_is_at_the_issuer_origin(issuer_id, expected):
    assert jwks_url_for(issuer_id) == expected


@pytest.mark.parametrize(
    "issuer_id",
    [
        "http://lokalnie.example/",
        "did:web:lokalnie.example",
        "lokalnie.example",
        "https://u:p@x.example/",
        "",
    ],
)
def test_jwks_url_refuses_unusable_issuer_ids(issuer_id):
    with pytest.raises(ValueError):
        jwks_url_for(issuer_id)


def test_key_reference_is_jwks_url_with_thumbprint_fragment():
    url = "https://lokalnie.example/.well-known/jwks.json"
    assert key_reference(url, key("a")) == f"{url}#{public_jwk(key('a'))['kid']}"
