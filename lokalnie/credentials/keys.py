"""Signing keys: generation, public JWKs with RFC 7638 thumbprints, the JWKS and its URL."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

# Open Badges 3.0 §8.2 names RS256 as the algorithm every verifier supports; ES256 is
# accepted as an option (smaller keys and tokens) but is not the default.
DEFAULT_ALGORITHM = "RS256"
SUPPORTED_ALGORITHMS = ("RS256", "ES256")
# RFC 7518 §3.3: RS256 keys MUST be at least 2048 bits; 3072 gives a longer safe lifetime.
DEFAULT_RSA_KEY_SIZE = 3072
MIN_RSA_KEY_SIZE = 2048

# Where an issuer publishes its keys: a fixed path at the origin of the issuer id.
WELL_KNOWN_JWKS_PATH = "/.well-known/jwks.json"

# RFC 7638 §3.2: the required members of each key type, the only ones hashed.
_THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}
# JWK members that carry private key material (RFC 7518 §6.2.2 and §6.3.2).
PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def generate_private_key(
    algorithm: str = DEFAULT_ALGORITHM, *, rsa_key_size: int = DEFAULT_RSA_KEY_SIZE
) -> bytes:
    """A new private key as unencrypted PEM (PKCS#8): RSA for RS256, P-256 for ES256.

    The PEM is a secret: store it encrypted at rest and never publish it.
    """
    if algorithm == "RS256":
        if rsa_key_size < MIN_RSA_KEY_SIZE:
            raise ValueError(f"RSA keys must be at least {MIN_RSA_KEY_SIZE} bits")
        key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = rsa.generate_private_key(
            public_exponent=65537, key_size=rsa_key_size
        )
    elif algorithm == "ES256":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(f"unsupported algorithm {algorithm!r}; use one of {SUPPORTED_ALGORITHMS}")
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


@lru_cache(maxsize=16)
def load_private_key(private_pem: bytes) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    """The private key in a PEM, checked to be one this package signs with.

    Cached: parsing and checking an RSA key costs about 0.1 s, signing a few milliseconds.
    """
    key = serialization.load_pem_private_key(private_pem, password=None)
    algorithm_for_key(key)
    return key  # type: ignore[return-value]


def algorithm_for_key(key: object) -> str:
    """The JWS algorithm for a key object (private or public); ValueError if unsupported."""
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_KEY_SIZE:
            raise ValueError(f"RSA keys must be at least {MIN_RSA_KEY_SIZE} bits")
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("only P-256 elliptic-curve keys (ES256) are supported")
        return "ES256"
    raise ValueError(f"unsupported key type {type(key).__name__}")


def _public_key(pem: bytes) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """The public key of a private or public PEM."""
    if b"PRIVATE KEY" in pem:
        return load_private_key(pem).public_key()
    key = serialization.load_pem_public_key(pem)
    algorithm_for_key(key)
    return key  # type: ignore[return-value]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: dict) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url without padding) of a public JWK."""
    members = _THUMBPRINT_MEMBERS.get(jwk.get("kty", ""))
    if members is None:
        raise ValueError(f"unsupported key type {jwk.get('kty')!r}")
    try:
        required = {name: jwk[name] for name in members}
    except KeyError as missing:
        raise ValueError(f"JWK is missing the required member {missing}") from None
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_jwk(pem: bytes) -> dict:
    """The public JWK of a private (or public) PEM, with kid, use and alg.

    ``kid`` is the RFC 7638 thumbprint, so it is stable for the key and can be recomputed by
    anyone from the published key.
    """
    return jwk_of_public_key(_public_key(pem))


def jwk_of_public_key(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey) -> dict:
    """The public JWK of a public key object (see :func:`public_jwk`)."""
    algorithm = algorithm_for_key(key)
    if algorithm == "RS256":
        jwk = RSAAlgorithm.to_jwk(key, as_dict=True)
    else:
        jwk = ECAlgorithm.to_jwk(key, as_dict=True)
    jwk = {name: value for name, value in jwk.items() if name not in PRIVATE_JWK_MEMBERS}
    jwk.pop("key_ops", None)
    return {**jwk, "kid": jwk_thumbprint(jwk), "use": "sig", "alg": algorithm}


def jwks(pems: Iterable[bytes]) -> dict:
    """A JWK Set of the public halves of several keys (current and retired ones).

    Keep retired keys published as long as credentials signed with them should verify.
    A key given twice is listed once.
    """
    keys: list[dict] = []
    seen: set[str] = set()
    for pem in pems:
        jwk = public_jwk(pem)
        if jwk["kid"] not in seen:
            seen.add(jwk["kid"])
            keys.append(jwk)
    return {"keys": keys}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_origin(issuer_id: str) -> str:
    """The origin (scheme://host[:port]) of an issuer id; ValueError if it is not usable.

    The issuer id must be an https URL (plain http is allowed for loopback hosts only, for
    development), without user info.
    """
    if not isinstance(issuer_id, str):
        raise ValueError("the issuer id is not a string")
    parts = urlsplit(issuer_id)
    host = parts.hostname or ""
    if not host or parts.username is not None or parts.password is not None:
        raise ValueError(f"the issuer id {issuer_id!r} is not an absolute URL with a host")
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host)):
        return f"{parts.scheme}://{parts.netloc}"
    raise ValueError(f"the issuer id {issuer_id!r} is not an https URL")


def jwks_url_for(issuer_id: str) -> str:
    """The well-known URL of an issuer's JWKS: ``{origin of issuer id}/.well-known/jwks.json``."""
    return issuer_origin(issuer_id) + WELL_KNOWN_JWKS_PATH


def key_reference(jwks_url: str, pem: bytes) -> str:
    """The JOSE ``kid`` of a key: ``{jwks_url}#{RFC 7638 thumbprint}``.

    Open Badges 3.0 §8.2.3 wants ``kid`` to be a URI that dereferences to the public key; the
    fragment is the ``kid`` of the key inside the JWKS at that URL.
    """
    return f"{jwks_url}#{public_jwk(pem)['kid']}"
