"""Polish institution identifiers, validated with python-stdnum (KRS: 10 digits)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.pl import nip, regon


def _explain(exc: StdnumError, what: str) -> str:
    if isinstance(exc, InvalidLength):
        return {
            "NIP": _("NIP must have 10 digits."),
            "REGON": _("REGON must have 9 or 14 digits."),
        }[what]
    if isinstance(exc, InvalidChecksum):
        return {
            "NIP": _("This NIP has a wrong check digit; please check for a typo."),
            "REGON": _("This REGON has a wrong check digit; please check for a typo."),
        }[what]
    if isinstance(exc, InvalidFormat):
        return {
            "NIP": _("NIP may contain only digits (dashes and spaces are ignored)."),
            "REGON": _("REGON may contain only digits (spaces are ignored)."),
        }[what]
    return _("This number is not valid.")


def clean_nip(value: str) -> str:
    """Return the compact NIP or raise ValidationError with a specific message."""
    try:
        return nip.validate(value)
    except StdnumError as exc:
        raise ValidationError(_explain(exc, "NIP"), code="invalid_nip") from None


def clean_regon(value: str) -> str:
    try:
        return regon.validate(value)
    except StdnumError as exc:
        raise ValidationError(_explain(exc, "REGON"), code="invalid_regon") from None


def clean_krs(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{10}", compact):
        raise ValidationError(_("KRS number must have exactly 10 digits."), code="invalid_krs")
    return compact


def validate_nip(value: str) -> None:
    clean_nip(value)


def validate_regon(value: str) -> None:
    clean_regon(value)


def validate_krs(value: str) -> None:
    clean_krs(value)
