"""Shared helpers: a fake platform that issues credentials and serves its URLs from a dict."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache

from lokalnie.credentials import (
    StatusList,
    build_achievement_credential,
    build_status_list_credential,
    generate_private_key,
    jwks,
    sign,
    status_entry,
    verify,
)

ISSUER = {
    "id": "https://lokalnie.example/",
    "name": "Lokalnie — platforma CAL",
    "url": "https://lokalnie.example/",
    "email": "cal@lokalnie.example",
}
JWKS_URL = "https://lokalnie.example/.well-known/jwks.json"
REVOCATION_URL = "https://lokalnie.example/credentials/status/revocation/1"
SUSPENSION_URL = "https://lokalnie.example/credentials/status/suspension/1"
ISSUED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = ISSUED + timedelta(days=30)
CAL = {
    "id": "https://lokalnie.example/achievements/cal-quality-certificate",
    "name": "Certyfikat Jakości CAL",
    "description": "Instytucja spełnia standardy jakości Centrum Aktywności Lokalnej.",
    "criteria": "Pozytywna ocena audytu CAL według standardów jakości.",
    "achievementType": "Certificate",
}


@cache
def key(name: str, algorithm: str = "RS256") -> bytes:
    """A private key generated once per test session for each name."""
    return generate_private_key(algorithm)


class Platform:
    """Issues credentials and serves the JWKS and the two status lists, like the real site."""

    def __init__(self, signing_pem: bytes, *, published: list[bytes] | None = None) -> None:
        self.signing_pem = signing_pem
        self.published = published if published is not None else [signing_pem]
        self.revocations = StatusList()
        self.suspensions = StatusList()
        self.list_signing_pem = signing_pem
        self.list_valid_from = ISSUED - timedelta(days=1)
        self.list_valid_until: datetime | None = None
        self.pages: dict[str, bytes] = {}
        self.fetched: list[str] = []

    def issue(self, *, index: int = 42, **overrides) -> str:
        arguments = {
            "credential_id": f"https://lokalnie.example/credentials/cal/{index}",
            "issuer": ISSUER,
            "subject_id": "https://lokalnie.example/institutions/7",
            "subject_name": "Dom Kultury „Zorza” w Łodzi",
            "achievement": CAL,
            "valid_from": ISSUED,
            "valid_until": ISSUED + timedelta(days=3 * 365),
            "status_entries": [
                status_entry(list_url=REVOCATION_URL, index=index, purpose="revocation"),
                status_entry(list_url=SUSPENSION_URL, index=index, purpose="suspension"),
            ],
        }
        arguments.update(overrides)
        return sign(build_achievement_credential(**arguments), private_pem=self.signing_pem)

    def status_list_token(self, url: str, purpose: str, bits: StatusList) -> str:
        credential = build_status_list_credential(
            list_url=url,
            issuer=ISSUER,
            purpose=purpose,
            encoded_list=bits.encode(),
            valid_from=self.list_valid_from,
            valid_until=self.list_valid_until,
        )
        return sign(credential, private_pem=self.list_signing_pem)

    def publish(self) -> None:
        self.pages[JWKS_URL] = json.dumps(jwks(self.published)).encode()
        self.pages[REVOCATION_URL] = self.status_list_token(
            REVOCATION_URL, "revocation", self.revocations
        ).encode()
        self.pages[SUSPENSION_URL] = self.status_list_token(
            SUSPENSION_URL, "suspension", self.suspensions
        ).encode()

    def fetch(self, url: str) -> bytes:
        self.fetched.append(url)
        if url not in self.pages:
            raise OSError(f"HTTP 404 for {url}")
        return self.pages[url]

    def verify(self, token: str | bytes, *, now: datetime = LATER, publish: bool = True):
        if publish:
            self.publish()
        return verify(token, fetch=self.fetch, now=now)
