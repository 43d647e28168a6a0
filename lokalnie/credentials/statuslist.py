"""Bitstring Status List v1.0: the bitstring, its encoding and the status list credential.

Bit order follows the specification: index 0 is the left-most (most significant) bit of the
first byte, index 7 the least significant bit of that byte, index 8 the left-most bit of the
second byte, and so on. Each credential uses one bit (``statusSize`` 1); a set bit means
revoked (in a revocation list) or suspended (in a suspension list).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import secrets
import zlib
from datetime import datetime

from .vc import STATUS_PURPOSES, VC_CONTEXT_V2, format_datetime

# The uncompressed bitstring MUST be at least 16 KB, i.e. 131,072 entries of one bit.
MIN_BITS = 131_072
MIN_BYTES = MIN_BITS // 8
# Refuse to inflate a published list beyond this (a decompression bomb guard).
MAX_DECODED_BYTES = 16 * 1024 * 1024
MULTIBASE_BASE64URL = "u"

STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
STATUS_LIST_TYPE = "BitstringStatusList"


def new_bitstring(size_bits: int = MIN_BITS) -> bytearray:
    """A bitstring of ``size_bits`` zero bits (at least the minimum, a whole number of bytes)."""
    if size_bits < MIN_BITS or size_bits % 8:
        raise ValueError(f"a status list has a multiple of 8 bits, at least {MIN_BITS}")
    return bytearray(size_bits // 8)


def _check_index(bits: bytes | bytearray, index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError("the index must be an integer")
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"index {index} is outside the status list of {len(bits) * 8} bits")


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    """Whether bit ``index`` is set (index 0 = left-most bit of the first byte)."""
    _check_index(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    """Set (True) or clear (False) bit ``index`` in place."""
    _check_index(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def encode_bitstring(bits: bytes | bytearray) -> str:
    """The ``encodedList`` value: GZIP, then base64url without padding, multibase prefix "u"."""
    if len(bits) < MIN_BYTES:
        raise ValueError(f"a status list must be at least {MIN_BYTES} bytes ({MIN_BITS} bits)")
    compressed = gzip.compress(bytes(bits), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded: str, *, max_bytes: int = MAX_DECODED_BYTES) -> bytearray:
    """The bitstring of an ``encodedList``; ValueError if it is malformed or too large.

    The minimum length is not checked here (a verifier checks it, see ``MIN_BYTES``).
    """
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError('encodedList must be a multibase base64url string (prefix "u")')
    text = encoded[1:]
    if "=" in text or len(text) % 4 == 1:
        raise ValueError("encodedList is not base64url without padding")
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("encodedList is not valid base64url") from None
    if base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii") != text:
        raise ValueError("encodedList is not valid base64url")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP container only
    try:
        data = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error:
        raise ValueError("encodedList is not GZIP-compressed data") from None
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise ValueError(f"the status list is larger than {max_bytes} bytes")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("encodedList is not a single complete GZIP member")
    return bytearray(data)


def bit_is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` is set."""
    return get_bit(decode_bitstring(encoded), index)


def random_index(size_bits: int = MIN_BITS) -> int:
    """A uniformly random index, as the specification recommends (no inference from order).

    The caller keeps indexes unique per list (e.g. a unique database constraint, retrying on
    collision).
    """
    return secrets.randbelow(size_bits)


class StatusList:
    """A mutable status list: ``StatusList()``, ``.set(i)``, ``.clear(i)``, ``.encode()``."""

    def __init__(self, bits: bytes | bytearray | None = None) -> None:
        self.bits = new_bitstring() if bits is None else bytearray(bits)
        if len(self.bits) < MIN_BYTES:
            raise ValueError(f"a status list must be at least {MIN_BYTES} bytes")

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        return cls(decode_bitstring(encoded))

    def __len__(self) -> int:
        return len(self.bits) * 8

    def get(self, index: int) -> bool:
        return get_bit(self.bits, index)

    def set(self, index: int, value: bool = True) -> None:
        set_bit(self.bits, index, value)

    def clear(self, index: int) -> None:
        set_bit(self.bits, index, False)

    def encode(self) -> str:
        return encode_bitstring(self.bits)


def build_status_list_credential(
    *,
    list_url: str,
    issuer: dict | str,
    purpose: str,
    encoded_list: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl_ms: int | None = None,
) -> dict:
    """An unsigned BitstringStatusListCredential published at ``list_url``.

    Sign it with :func:`lokalnie.credentials.sign` and the same key as the credentials that
    point to it; serve the compact JWS at ``list_url`` (media type ``application/vc+jwt``).
    ``issuer`` is the issuer id or the issuer dict given to ``build_achievement_credential``.
    """
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"statusPurpose must be one of {STATUS_PURPOSES}")
    decode_bitstring(encoded_list)  # fail early on a malformed list
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
    subject: dict = {
        "id": f"{list_url}#list",
        "type": STATUS_LIST_TYPE,
        "statusPurpose": purpose,
        "encodedList": encoded_list,
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    credential: dict = {
        "@context": [VC_CONTEXT_V2],
        "id": list_url,
        "type": ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    return credential
