"""Third-party verification of a credential JWS, with nothing but HTTP access.

The verifier trusts one thing: the JWKS published at the issuer's well-known URL (derived from
the issuer id in the credential, see :func:`lokalnie.credentials.keys.jwks_url_for`), or at an
explicitly given URL. Keys embedded in the token (``jwk``, ``jku``, ``x5c``…) are never used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import jwt
from jwt.api_jws import PyJWS

from .keys import PRIVATE_JWK_MEMBERS, SUPPORTED_ALGORITHMS, jwks_url_for
from .statuslist import (
    MIN_BYTES,
    STATUS_LIST_CREDENTIAL_TYPE,
    STATUS_LIST_TYPE,
    decode_bitstring,
    get_bit,
)
from .vc import (
    OB3_CREDENTIAL_TYPES,
    STATUS_ENTRY_TYPE,
    STATUS_PURPOSES,
    VC_CONTEXT_V2,
    issuer_id_of,
    parse_datetime,
)

OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
STATUSES = ("valid", "expired", "not_yet_valid", "revoked", "suspended", "invalid")
# Accepted "typ" values (RFC 7515 §4.1.9 allows leaving out "application/").
_TYPS = ("jwt", "vc+jwt")


@dataclass
class VerificationResult:
    """The outcome of :func:`verify`.

    ``status`` is one of :data:`STATUSES`, by precedence: "invalid" (any error; see
    ``errors``), "revoked", "suspended", "expired", "not_yet_valid", else "valid".
    ``valid_signature`` says whether the credential's own signature verified with the issuer's
    published key, even when something else made it invalid. ``payload`` is the decoded
    credential once its signature verified, otherwise None.
    """

    valid_signature: bool = False
    status: str = "invalid"
    revoked: bool = False
    suspended: bool = False
    payload: dict | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


class _Invalid(Exception):
    """A reason the credential (or a status list) cannot be accepted."""


def _reason(error: Exception) -> str:
    return str(error).rstrip(".")


class _Fetcher:
    """Fetches each URL once per verification and turns failures into _Invalid."""

    def __init__(self, fetch: Callable[[str], bytes]) -> None:
        self._fetch = fetch
        self._cache: dict[str, bytes] = {}

    def get(self, url: str, what: str) -> bytes:
        if url not in self._cache:
            try:
                body = self._fetch(url)
            except Exception as error:  # any network or HTTP failure of the caller's fetch
                raise _Invalid(f"Could not fetch {what} from {url}: {_reason(error)}.") from None
            if isinstance(body, str):
                body = body.encode("utf-8")
            if not isinstance(body, bytes | bytearray):
                raise _Invalid(f"Fetching {what} from {url} returned no bytes.")
            self._cache[url] = bytes(body)
        return self._cache[url]

    def json(self, url: str, what: str) -> object:
        try:
            return json.loads(self.get(url, what))
        except (ValueError, UnicodeDecodeError):
            raise _Invalid(f"{what.capitalize()} at {url} is not valid JSON.") from None


def _unverified_parts(token: object) -> tuple[str, dict, dict]:
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise _Invalid("The token is not a compact JWS.") from None
    if not isinstance(token, str):
        raise _Invalid("The token is not a string.")
    token = token.strip()
    if token.count(".") != 2:
        raise _Invalid("The token is not a compact JWS (three dot-separated parts).")
    try:
        decoded = PyJWS().decode_complete(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise _Invalid(f"The token is malformed: {_reason(error)}.") from None
    try:
        payload = json.loads(decoded["payload"])
    except (ValueError, UnicodeDecodeError):
        raise _Invalid("The token's payload is not JSON.") from None
    if not isinstance(payload, dict):
        raise _Invalid("The token's payload is not a JSON object.")
    return token, decoded["header"], payload


def _check_header(header: dict) -> str:
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise _Invalid("The token is not signed (algorithm 'none'); unsigned tokens are refused.")
    if alg not in SUPPORTED_ALGORITHMS:
        accepted = ", ".join(SUPPORTED_ALGORITHMS)
        raise _Invalid(f"The signing algorithm {alg!r} is not accepted (only {accepted}).")
    if "crit" in header:
        raise _Invalid("The token has critical header parameters, which are not supported.")
    typ = header.get("typ")
    if typ is not None and (
        not isinstance(typ, str) or typ.lower().removeprefix("application/") not in _TYPS
    ):
        raise _Invalid(f"The token type {typ!r} is not a credential JWT.")
    cty = header.get("cty")
    if cty is not None and (
        not isinstance(cty, str) or cty.lower().removeprefix("application/") != "vc"
    ):
        raise _Invalid(f"The token content type {cty!r} is not a credential.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _Invalid(
            "The token has no key id (kid); keys are only taken from the issuer's published JWKS."
        )
    return alg


def _select_key(kid: str, alg: str, jwks_url: str, fetcher: _Fetcher) -> jwt.PyJWK:
    base, _, fragment = kid.rpartition("#")
    if base and base != jwks_url:
        raise _Invalid(
            f"The key id refers to the key set {base}, not to the issuer's published one "
            f"({jwks_url})."
        )
    wanted = fragment or kid
    key_set = fetcher.json(jwks_url, "the issuer's key set (JWKS)")
    keys = key_set.get("keys") if isinstance(key_set, dict) else None
    if not isinstance(keys, list):
        raise _Invalid(f"The document at {jwks_url} is not a JWK Set.")
    matches = [k for k in keys if isinstance(k, dict) and k.get("kid") in (wanted, kid)]
    if not matches:
        raise _Invalid(f"The issuer's key set at {jwks_url} has no key with id {wanted!r}.")
    if len(matches) > 1:
        raise _Invalid(f"The issuer's key set at {jwks_url} has several keys with id {wanted!r}.")
    jwk = matches[0]
    if PRIVATE_JWK_MEMBERS & jwk.keys():
        raise _Invalid(f"The published key {wanted!r} contains private key material; refused.")
    if jwk.get("use", "sig") != "sig":
        raise _Invalid(f"The published key {wanted!r} is not a signing key.")
    if jwk.get("alg", alg) != alg:
        raise _Invalid(
            f"The token's algorithm {alg} does not match the published key's {jwk['alg']}."
        )
    try:
        return jwt.PyJWK(jwk, algorithm=alg)
    except jwt.PyJWTError as error:
        raise _Invalid(
            f"The published key {wanted!r} is not a usable {alg} key: {_reason(error)}."
        ) from None


def _verified_payload(
    token: object, fetcher: _Fetcher, jwks_url: str | None
) -> tuple[dict, str, str]:
    """Verify a JWS against the trusted JWKS; returns (payload, issuer id, JWKS URL)."""
    token, header, unverified = _unverified_parts(token)
    alg = _check_header(header)
    try:
        issuer_id = issuer_id_of(unverified)
    except ValueError:
        raise _Invalid("The credential has no issuer id.") from None
    if jwks_url is None:
        try:
            jwks_url = jwks_url_for(issuer_id)
        except ValueError as error:
            raise _Invalid(f"The issuer cannot be resolved: {_reason(error)}.") from None
    key = _select_key(header["kid"], alg, jwks_url, fetcher)
    jws = PyJWS(options={"enforce_minimum_key_length": True})
    try:
        decoded = jws.decode_complete(token, key=key, algorithms=[alg])
    except jwt.InvalidSignatureError:
        raise _Invalid(
            "The signature does not verify with the issuer's published key: the credential "
            "was altered or not signed by this issuer."
        ) from None
    except jwt.PyJWTError as error:
        raise _Invalid(f"The signature cannot be verified: {_reason(error)}.") from None
    payload = json.loads(decoded["payload"])
    return payload, issuer_id, jwks_url


def _claim_errors(payload: dict, issuer_id: str) -> list[str]:
    """Checks of OB 3.0 §8.2.6: registered claims equal to the credential's own values."""
    errors = []
    if "vc" in payload or "vp" in payload:
        errors.append("The token wraps the credential in a 'vc'/'vp' claim, which is not used.")
    if payload.get("iss") != issuer_id:
        errors.append("The 'iss' claim does not match the credential's issuer.")
    if payload.get("jti") != payload.get("id"):
        errors.append("The 'jti' claim does not match the credential id.")
    subject = payload.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if payload.get("sub") != subject_id:
        errors.append("The 'sub' claim does not match the credential subject's id.")
    for claim, member in (("nbf", "validFrom"), ("exp", "validUntil")):
        value = payload.get(member)
        try:
            expected = None if value is None else int(parse_datetime(value).timestamp())
        except ValueError:
            continue  # reported by the validity checks
        if payload.get(claim) != expected:
            errors.append(f"The '{claim}' claim does not match the credential's {member}.")
    return errors


def _validity(payload: dict, what: str) -> tuple[datetime, datetime | None]:
    try:
        valid_from = parse_datetime(payload.get("validFrom"))
    except ValueError as error:
        raise _Invalid(f"{what} has no valid validFrom: {_reason(error)}.") from None
    valid_until = None
    if payload.get("validUntil") is not None:
        try:
            valid_until = parse_datetime(payload["validUntil"])
        except ValueError as error:
            raise _Invalid(f"{what} has an invalid validUntil: {_reason(error)}.") from None
    return valid_from, valid_until


def _types(value: object) -> list:
    return value if isinstance(value, list) else [value]


def _check_credential_shape(payload: dict) -> list[str]:
    errors = []
    context = payload.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT_V2:
        errors.append(f"The credential's first @context is not {VC_CONTEXT_V2}.")
    elif len(context) < 2 or not str(context[1]).startswith(OB3_CONTEXT_PREFIX):
        errors.append("The credential's second @context is not the Open Badges 3.0 context.")
    types = _types(payload.get("type"))
    if "VerifiableCredential" not in types or not any(t in types for t in OB3_CREDENTIAL_TYPES):
        errors.append("The credential is not an OpenBadgeCredential.")
    subject = payload.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        errors.append("The credential has no subject with an achievement.")
    return errors


class _StatusChecker:
    """Reads status bits, verifying each status list credential once."""

    def __init__(self, fetcher: _Fetcher, jwks_url: str, issuer_id: str, now: datetime) -> None:
        self.fetcher = fetcher
        self.jwks_url = jwks_url
        self.issuer_id = issuer_id
        self.now = now
        self._lists: dict[str, dict] = {}

    def _status_list(self, url: str) -> dict:
        if url not in self._lists:
            body = self.fetcher.get(url, "the status list")
            try:
                payload, issuer_id, _ = _verified_payload(body, self.fetcher, self.jwks_url)
            except _Invalid as error:
                raise _Invalid(f"Status list {url}: {_reason(error)}.") from None
            problems = []
            if issuer_id != self.issuer_id:
                problems.append("it is issued by someone other than the credential's issuer")
            if STATUS_LIST_CREDENTIAL_TYPE not in _types(payload.get("type")):
                problems.append(f"it is not a {STATUS_LIST_CREDENTIAL_TYPE}")
            if payload.get("id") is not None and payload["id"] != url:
                problems.append("its id is not the URL it was fetched from")
            problems += [e.rstrip(".") for e in _claim_errors(payload, issuer_id)]
            valid_from, valid_until = _validity(payload, f"Status list {url}")
            if self.now < valid_from:
                problems.append("it is not valid yet")
            if valid_until is not None and self.now >= valid_until:
                problems.append("it has expired (the issuer has not republished it)")
            if problems:
                raise _Invalid(f"Status list {url} cannot be used: {'; '.join(problems)}.")
            self._lists[url] = payload
        return self._lists[url]

    def bit(self, entry: object) -> tuple[str, bool] | None:
        """(purpose, bit) for a revocation/suspension entry, None for other purposes."""
        if not isinstance(entry, dict) or entry.get("type") != STATUS_ENTRY_TYPE:
            kind = entry.get("type") if isinstance(entry, dict) else entry
            raise _Invalid(f"The credential status type {kind!r} is not supported.")
        purpose = entry.get("statusPurpose")
        if purpose not in STATUS_PURPOSES:
            return None  # "refresh", "message"…: no bearing on validity
        if entry.get("statusSize", 1) != 1:
            raise _Invalid("Only status entries of one bit (statusSize 1) are supported.")
        index = entry.get("statusListIndex")
        if not isinstance(index, str) or not index.isascii() or not index.isdigit():
            raise _Invalid("The statusListIndex is not a base-10 integer string.")
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise _Invalid("The statusListCredential is not a URL.")
        status_list = self._status_list(url)
        subject = status_list.get("credentialSubject")
        if not isinstance(subject, dict) or STATUS_LIST_TYPE not in _types(subject.get("type")):
            raise _Invalid(f"Status list {url} has no {STATUS_LIST_TYPE} subject.")
        if purpose not in _types(subject.get("statusPurpose")):
            raise _Invalid(f"Status list {url} is not a {purpose} list.")
        try:
            bits = decode_bitstring(subject.get("encodedList"))
        except ValueError as error:
            raise _Invalid(f"Status list {url}: {_reason(error)}.") from None
        if len(bits) < MIN_BYTES:
            raise _Invalid(f"Status list {url} is shorter than the minimum of {MIN_BYTES} bytes.")
        position = int(index)
        if position >= len(bits) * 8:
            raise _Invalid(f"The status index {position} is outside status list {url}.")
        return purpose, get_bit(bits, position)


def verify(
    token: str,
    *,
    fetch: Callable[[str], bytes],
    now: datetime,
    jwks_url: str | None = None,
) -> VerificationResult:
    """Verify a credential JWS as a third party: signature, claims, validity period, status.

    ``fetch(url)`` returns the bytes published at a URL (raising on any failure); it is used
    for the issuer's JWKS (``jwks_url``, by default the well-known URL of the issuer id) and
    for each status list credential. ``now`` is an aware datetime. A bad credential never
    raises: the result is "invalid" with the reasons in ``errors``.
    """
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    if not callable(fetch):
        raise TypeError("fetch must be callable")
    result = VerificationResult()
    fetcher = _Fetcher(fetch)
    try:
        payload, issuer_id, trusted_jwks = _verified_payload(token, fetcher, jwks_url)
    except _Invalid as error:
        result.errors.append(str(error))
        return result
    result.valid_signature = True
    result.payload = payload
    result.errors += _check_credential_shape(payload)
    result.errors += _claim_errors(payload, issuer_id)
    try:
        valid_from, valid_until = _validity(payload, "The credential")
    except _Invalid as error:
        result.errors.append(str(error))
        valid_from, valid_until = now, None

    entries = payload.get("credentialStatus", [])
    checker = _StatusChecker(fetcher, trusted_jwks, issuer_id, now)
    for entry in entries if isinstance(entries, list) else [entries]:
        try:
            bit = checker.bit(entry)
        except _Invalid as error:
            result.errors.append(str(error))
            continue
        if bit == ("revocation", True):
            result.revoked = True
        elif bit == ("suspension", True):
            result.suspended = True

    if result.errors:
        result.status = "invalid"
    elif result.revoked:
        result.status = "revoked"
    elif result.suspended:
        result.status = "suspended"
    elif valid_until is not None and now >= valid_until:
        result.status = "expired"
    elif now < valid_from:
        result.status = "not_yet_valid"
    else:
        result.status = "valid"
    return result
