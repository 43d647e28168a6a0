"""Signed Open Badges 3.0 credentials with Bitstring Status List revocation and suspension.

Plain Python (no Django): the Django side stores keys, allocates status indexes, serves the
URLs below and calls these functions. Decision record: docs/decisions/0012.

Formats
    A credential is an ``OpenBadgeCredential`` (Open Badges 3.0 on the W3C VC Data Model 2.0)
    secured as a compact JWS (OB 3.0 §8.2 "JSON Web Token Proof"): the JWS payload is the
    credential itself plus the registered claims ``iss``/``jti``/``nbf``/``sub``/``exp``, equal
    to issuer.id, id, validFrom, credentialSubject.id and validUntil; the protected header is
    ``{"alg": "RS256", "kid": "<jwks url>#<RFC 7638 thumbprint>", "typ": "JWT"}``. Status lists
    are ``BitstringStatusListCredential``s signed the same way, one per purpose
    ("revocation", "suspension"), each at least 131,072 bits, GZIP + base64url + multibase "u".

URLs the platform publishes (the issuer id must be an https URL)
    - ``{origin of issuer id}/.well-known/jwks.json``: ``jwks([current, *retired pems])``
      (media type ``application/jwk-set+json``). Keep retired keys listed as long as their
      credentials should verify.
    - each ``list_url``: the compact JWS of its status list credential
      (``application/vc+jwt``), re-signed whenever a bit changes.

Keys (``keys.py``)
    ``generate_private_key(algorithm="RS256", *, rsa_key_size=3072) -> bytes`` (PKCS#8 PEM)
    ``public_jwk(pem) -> dict`` (kid = RFC 7638 thumbprint, use "sig", alg)
    ``jwks(pems) -> {"keys": [...]}``; ``jwk_thumbprint(jwk) -> str``
    ``jwks_url_for(issuer_id) -> str``; ``key_reference(jwks_url, pem) -> str`` (the JOSE kid)

Credentials (``vc.py``)
    ``build_achievement_credential(*, credential_id, issuer, subject_id, subject_name,
    achievement, valid_from, valid_until, status_entries, extra_subject=None, name=None,
    awarded_date=None) -> dict``
    ``status_entry(*, list_url, index, purpose) -> dict`` (a BitstringStatusListEntry)
    ``sign(credential, *, private_pem, jwks_url=None, typ="JWT") -> str`` (compact JWS)

Status lists (``statuslist.py``)
    ``StatusList`` (``.set(i)``, ``.clear(i)``, ``.get(i)``, ``.encode()``, ``StatusList.decode``)
    ``new_bitstring(size_bits=MIN_BITS)``, ``set_bit(bits, i, value)``, ``get_bit(bits, i)``,
    ``encode_bitstring(bits) -> str``, ``decode_bitstring(encoded) -> bytearray``,
    ``bit_is_set(encoded, i) -> bool``, ``random_index(size_bits=MIN_BITS) -> int``
    ``build_status_list_credential(*, list_url, issuer, purpose, encoded_list, valid_from,
    valid_until=None, ttl_ms=None) -> dict``

Verification (``verify.py``)
    ``verify(token, *, fetch, now, jwks_url=None) -> VerificationResult`` where
    ``fetch(url) -> bytes`` is the only access to the outside; the result has
    ``valid_signature``, ``status`` ("valid", "expired", "not_yet_valid", "revoked",
    "suspended" or "invalid"), ``revoked``, ``suspended``, ``payload`` and ``errors``.

Issuing, in short::

    pem = generate_private_key()
    entries = [status_entry(list_url=rev_url, index=i, purpose="revocation"),
               status_entry(list_url=sus_url, index=j, purpose="suspension")]
    credential = build_achievement_credential(credential_id=..., issuer=..., ...,
                                              status_entries=entries)
    token = sign(credential, private_pem=pem)
    revocations = StatusList(); revocations.set(i)
    rev_token = sign(build_status_list_credential(list_url=rev_url, issuer=issuer,
                     purpose="revocation", encoded_list=revocations.encode(),
                     valid_from=now), private_pem=pem)
"""

from .keys import (
    DEFAULT_ALGORITHM,
    SUPPORTED_ALGORITHMS,
    WELL_KNOWN_JWKS_PATH,
    generate_private_key,
    jwk_thumbprint,
    jwks,
    jwks_url_for,
    key_reference,
    public_jwk,
)
from .statuslist import (
    MIN_BITS,
    StatusList,
    bit_is_set,
    build_status_list_credential,
    decode_bitstring,
    encode_bitstring,
    get_bit,
    new_bitstring,
    random_index,
    set_bit,
)
from .vc import (
    OB3_CONTEXT,
    VC_CONTEXT_V2,
    build_achievement_credential,
    sign,
    status_entry,
)
from .verify import STATUSES, VerificationResult, verify

__all__ = [
    "DEFAULT_ALGORITHM",
    "MIN_BITS",
    "OB3_CONTEXT",
    "STATUSES",
    "SUPPORTED_ALGORITHMS",
    "VC_CONTEXT_V2",
    "WELL_KNOWN_JWKS_PATH",
    "StatusList",
    "VerificationResult",
    "bit_is_set",
    "build_achievement_credential",
    "build_status_list_credential",
    "decode_bitstring",
    "encode_bitstring",
    "generate_private_key",
    "get_bit",
    "jwk_thumbprint",
    "jwks",
    "jwks_url_for",
    "key_reference",
    "new_bitstring",
    "public_jwk",
    "random_index",
    "set_bit",
    "sign",
    "status_entry",
    "verify",
]
