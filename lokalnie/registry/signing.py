"""The Django side of ``lokalnie.credentials``: the signing key, the published keys, the
issuer and the credential of a certificate.

The private key comes from ``CREDENTIAL_SIGNING_KEY_FILE`` (PEM). In development, when it
is unset, one key is generated once into ``DATA_DIR/keys/`` (mode 0600) and reused; in
production an unset variable stops signing with an error that names it. Older keys whose
credentials must keep verifying are PEM files in ``CREDENTIAL_PUBLISHED_KEYS_DIR``; they are
listed in ``/.well-known/jwks.json`` beside the current one.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from lokalnie.credentials import (
    build_achievement_credential,
    generate_private_key,
    jwks,
    jwks_url_for,
    public_jwk,
    sign,
    status_entry,
)
from lokalnie.registry.dates import end_instant

DEV_KEY_NAME = "credential-signing-key.pem"

# The criteria narrative of the achievement: what the certificate confirms (product brief §1,
# after CAL's published description of the certificate).
CRITERIA_PL = (
    "Instytucja, niezależnie od swojego profilu, realizuje misję środowiskową: buduje swój "
    "program na doświadczeniu i zaangażowaniu mieszkańców; działa celowo i długofalowo, tak "
    "aby mieszkańcy osiągali wyższą jakość życia i rozwijali się osobiście, grupowo i "
    "społecznie; wykorzystuje i rozwija strategie, metody i narzędzia edukacyjne; odkrywa "
    "potencjał społeczności, budując sieci współpracy instytucji, organizacji, firm i "
    "mieszkańców; mobilizuje wartości tradycji i kultury współczesnej. W instytucjach pomocy "
    "i integracji społecznej certyfikat wyróżnia pracę w modelu Organizowania Społeczności "
    "Lokalnej (OSL). Certyfikat przyznaje Stowarzyszenie CAL po ocenie raportu z wdrażania "
    "modelu OSL według standardów jakości, na 5 lat."
)
DESCRIPTION_PL = (
    "Certyfikat Jakości CAL potwierdza, że instytucja pracuje ze swoją społecznością lokalną "
    "zgodnie z modelem Organizowania Społeczności Lokalnej (OSL)."
)


# --- Keys ----------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _read_pem(path: str, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def _pem_at(path: Path, variable: str) -> bytes:
    try:
        pem = _read_pem(str(path), path.stat().st_mtime_ns)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{variable}: cannot read the key file {path} ({exc.strerror})."
        ) from exc
    try:
        _key_id(pem)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{variable}: {path} is not a usable PEM key for RS256 or ES256 ({exc})."
        ) from exc
    return pem


def _dev_key_path() -> Path:
    directory = Path(settings.CREDENTIAL_DEV_KEY_DIR)
    path = directory / DEV_KEY_NAME
    if path.exists():
        return path
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = generate_private_key()
    try:
        # O_EXCL: two processes starting at once keep the first key, never a mix of both.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def signing_key_pem() -> bytes:
    """The private key that signs credentials and status lists."""
    configured = settings.CREDENTIAL_SIGNING_KEY_FILE
    if configured:
        return _pem_at(Path(configured), "CREDENTIAL_SIGNING_KEY_FILE")
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "CREDENTIAL_SIGNING_KEY_FILE must be set in production: the path of the PEM "
            "private key that signs certificate credentials (keep it out of the repository)."
        )
    return _pem_at(_dev_key_path(), "CREDENTIAL_SIGNING_KEY_FILE (development key)")


def published_pems() -> list[bytes]:
    """The current key and the retired ones still published for verification."""
    pems = [signing_key_pem()]
    directory = settings.CREDENTIAL_PUBLISHED_KEYS_DIR
    if directory:
        folder = Path(directory)
        if not folder.is_dir():
            raise ImproperlyConfigured(
                f"CREDENTIAL_PUBLISHED_KEYS_DIR: {folder} is not a directory."
            )
        pems += [
            _pem_at(path, "CREDENTIAL_PUBLISHED_KEYS_DIR") for path in sorted(folder.glob("*.pem"))
        ]
    return pems


@lru_cache(maxsize=8)
def _key_id(pem: bytes) -> str:
    # Cached by the key itself: a new key file (another mtime, another PEM) is read and
    # checked afresh; a bad one raises each time (exceptions are not cached).
    return public_jwk(pem)["kid"]


def current_key_id() -> str:
    return _key_id(signing_key_pem())


def jwks_document() -> dict:
    return jwks(published_pems())


# --- Issuer and addresses ------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def issuer() -> dict:
    return {
        "id": settings.CREDENTIAL_ISSUER_ID,
        "name": settings.CREDENTIAL_ISSUER_NAME,
        "url": settings.CREDENTIAL_ISSUER_ID,
    }


def jwks_url() -> str:
    return jwks_url_for(settings.CREDENTIAL_ISSUER_ID)


# Status list addresses are stable: credentials point to them for as long as they exist.
STATUS_LIST_SLUGS = {"revocation": "uniewaznienia", "suspension": "zawieszenia"}
STATUS_LIST_PURPOSES = {slug: purpose for purpose, slug in STATUS_LIST_SLUGS.items()}


def status_list_url(purpose: str) -> str:
    return absolute(reverse("registry:status_list", args=[STATUS_LIST_SLUGS[purpose]]))


def verification_url(certificate) -> str:
    return absolute(reverse("registry:verify_number", args=[certificate.slug]))


# --- The certificate's credential ----------------------------------------------------------


def certificate_credential(certificate) -> dict:
    """The unsigned OpenBadgeCredential of a certificate (its id is the public page)."""
    area = certificate.area
    return build_achievement_credential(
        credential_id=verification_url(certificate),
        issuer=issuer(),
        subject_id=absolute(reverse("registry:institution", args=[certificate.institution_id])),
        subject_name=certificate.institution_name,
        achievement={
            "id": absolute(reverse("certification:area", args=[area.slug])),
            "name": f"Certyfikat Jakości CAL — {area.name_pl}",
            "description": DESCRIPTION_PL,
            "criteria": {"narrative": CRITERIA_PL},
            "achievementType": "Certificate",
            "inLanguage": "pl",
        },
        valid_from=certificate.issued_at,
        valid_until=end_instant(certificate.valid_until, settings.TIME_ZONE),
        status_entries=[
            status_entry(
                list_url=status_list_url("revocation"),
                index=certificate.revocation_index,
                purpose="revocation",
            ),
            status_entry(
                list_url=status_list_url("suspension"),
                index=certificate.suspension_index,
                purpose="suspension",
            ),
        ],
        name=f"Certyfikat Jakości CAL {certificate.number}",
        awarded_date=certificate.issued_at,
    )


def sign_credential(credential: dict) -> str:
    return sign(credential, private_pem=signing_key_pem())
