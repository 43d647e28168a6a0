"""Open Badges 3.0 credentials (VC Data Model 2.0) and their signing as a compact JWS."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from jwt.api_jws import PyJWS

from .keys import algorithm_for_key, jwk_of_public_key, jwks_url_for, load_private_key

VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")

STATUS_ENTRY_TYPE = "BitstringStatusListEntry"
STATUS_PURPOSES = ("revocation", "suspension")

# Open Badges 3.0 §8.2.3: typ, if present, MUST be "JWT". VC-JOSE-COSE recommends
# "vc+jwt" (a SHOULD); sign() can produce it on request and verify() accepts both.
JOSE_TYP = "JWT"
ALLOWED_TYPS = ("JWT", "vc+jwt")
# JWT claims sign() sets from the credential (OB 3.0 §8.2.4); a credential must not carry
# them itself, nor the VC-JWT 1.1 wrapper claims that VC-JOSE-COSE forbids.
_REGISTERED_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")
_FORBIDDEN_CLAIMS = ("vc", "vp")


def format_datetime(value: datetime) -> str:
    """An aware datetime as an XML Schema dateTimeStamp in UTC, to the second: ``…T…Z``."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: object) -> datetime:
    """A dateTimeStamp from a credential as an aware datetime; ValueError if malformed."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def _epoch(value: str) -> int:
    return int(parse_datetime(value).timestamp())


def status_entry(*, list_url: str, index: int, purpose: str) -> dict:
    """A BitstringStatusListEntry pointing at bit ``index`` of the list published at list_url."""
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"statusPurpose must be one of {STATUS_PURPOSES}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError("the status list index must be a non-negative integer")
    return {
        "id": f"{list_url}#{index}",
        "type": STATUS_ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def _profile(issuer: dict) -> dict:
    if not issuer.get("id") or not issuer.get("name"):
        raise ValueError("the issuer needs an id and a name")
    jwks_url_for(issuer["id"])  # the issuer id must be an https URL a verifier can resolve
    extra = {k: v for k, v in issuer.items() if k not in ("id", "type", "name")}
    return {"id": issuer["id"], "type": ["Profile"], "name": issuer["name"], **extra}


def _achievement(achievement: dict) -> dict:
    for field in ("id", "name", "description", "criteria"):
        if not achievement.get(field):
            raise ValueError(f"the achievement needs {field!r}")
    criteria = achievement["criteria"]
    if isinstance(criteria, str):
        criteria = {"narrative": criteria}
    elif not isinstance(criteria, dict) or not (criteria.get("narrative") or criteria.get("id")):
        raise ValueError("criteria must be a narrative string or a dict with narrative or id")
    extra = {
        k: v
        for k, v in achievement.items()
        if k not in ("id", "type", "name", "description", "criteria")
    }
    return {
        "id": achievement["id"],
        "type": ["Achievement"],
        "name": achievement["name"],
        "description": achievement["description"],
        "criteria": criteria,
        **extra,
    }


def build_achievement_credential(
    *,
    credential_id: str,
    issuer: dict,
    subject_id: str | None,
    subject_name: str,
    achievement: dict,
    valid_from: datetime,
    valid_until: datetime | None,
    status_entries: list[dict],
    extra_subject: dict | None = None,
    name: str | None = None,
    awarded_date: datetime | None = None,
) -> dict:
    """An unsigned OpenBadgeCredential (Open Badges 3.0 on the VC Data Model 2.0).

    - ``issuer``: ``{"id": https URL, "name": …}`` plus optional Profile members such as
      ``url``, ``email``, ``image``; its origin serves the JWKS.
    - ``subject_id``: a URI of the recipient (e.g. its public page), or None.
    - ``subject_name``: carried as an IdentityObject of identityType "name" (AchievementSubject
      has no name property in OB 3.0), so the subject is identified even without an id.
    - ``achievement``: ``id``, ``name``, ``description``, ``criteria`` (narrative string or a
      Criteria dict) and optional members such as ``achievementType`` ("Certificate",
      "Award", …, or "ext:…"), ``image``, ``tag``, passed through unchanged.
    - ``status_entries``: from :func:`status_entry`; one entry is emitted as an object, several
      as an array (OB 3.0 lists credentialStatus as 0..1, VC 2.0 allows several).
    - ``extra_subject``: more AchievementSubject members (``activityEndDate``, ``result``,
      ``role``, …); it cannot replace the ones built here.
    - ``name``: the credential's display name for wallets, by default the achievement name.
    - ``awarded_date``: when first awarded, kept across re-issues (``awardedDate``).
    """
    subject: dict = {"type": ["AchievementSubject"]}
    if subject_id is not None:
        if not subject_id:
            raise ValueError("subject_id must be a URI or None")
        subject["id"] = subject_id
    if not subject_name:
        raise ValueError("the subject needs a name")
    subject["identifier"] = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": subject_name,
        }
    ]
    subject["achievement"] = _achievement(achievement)
    for key, value in (extra_subject or {}).items():
        if key in subject:
            raise ValueError(f"extra_subject cannot replace {key!r}")
        subject[key] = value

    if not credential_id:
        raise ValueError("the credential needs an id")
    credential: dict = {
        "@context": [VC_CONTEXT_V2, OB3_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name or achievement["name"],
        "issuer": _profile(issuer),
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
        if valid_until <= valid_from:
            raise ValueError("valid_until must be after valid_from")
    if awarded_date is not None:
        credential["awardedDate"] = format_datetime(awarded_date)
    credential["credentialSubject"] = subject
    entries = list(status_entries)
    for entry in entries:
        if entry.get("type") != STATUS_ENTRY_TYPE:
            raise ValueError("status entries must be BitstringStatusListEntry dicts")
    if len(entries) == 1:
        credential["credentialStatus"] = entries[0]
    elif entries:
        credential["credentialStatus"] = entries
    return credential


def issuer_id_of(credential: dict) -> str:
    """The issuer id of a credential whose issuer is a URL string or an object with an id."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not issuer:
        raise ValueError("the credential has no issuer id")
    return issuer


def registered_claims(credential: dict) -> dict:
    """The JWT claims OB 3.0 §8.2.4 derives from a credential: iss, jti, nbf, sub, exp."""
    claims: dict = {"iss": issuer_id_of(credential)}
    if not isinstance(credential.get("id"), str) or not credential["id"]:
        raise ValueError("the credential has no id")
    claims["jti"] = credential["id"]
    claims["nbf"] = _epoch(credential.get("validFrom"))
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id") is not None:
        claims["sub"] = subject["id"]
    if credential.get("validUntil") is not None:
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def sign(
    credential: dict, *, private_pem: bytes, jwks_url: str | None = None, typ: str = JOSE_TYP
) -> str:
    """The credential secured as a compact JWS (OB 3.0 §8.2 "VC-JWT", VC-JOSE-COSE payload).

    The payload is the credential itself plus the registered claims iss, jti, nbf, sub (when
    the subject has an id) and exp (when it has validUntil), equal to the credential's own
    values. The protected header is exactly ``alg``, ``kid`` and ``typ``; ``kid`` is
    ``{jwks_url}#{RFC 7638 thumbprint}``, the JWKS URL defaulting to the well-known one of the
    issuer id.
    """
    if not isinstance(credential, dict):
        raise TypeError("the credential must be a dict")
    for claim in _REGISTERED_CLAIMS + _FORBIDDEN_CLAIMS:
        if claim in credential:
            raise ValueError(f"the credential must not contain the JWT claim {claim!r}")
    if typ not in ALLOWED_TYPS:
        raise ValueError(f"typ must be one of {ALLOWED_TYPS}")
    key = load_private_key(private_pem)
    algorithm = algorithm_for_key(key)
    url = jwks_url or jwks_url_for(issuer_id_of(credential))
    payload = {**credential, **registered_claims(credential)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    kid = f"{url}#{jwk_of_public_key(key.public_key())['kid']}"
    headers = {"alg": algorithm, "kid": kid, "typ": typ}
    jws = PyJWS(options={"enforce_minimum_key_length": True})
    return jws.encode(body, key, algorithm=algorithm, headers=headers)
