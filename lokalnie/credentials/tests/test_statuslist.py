import base64
import gzip
import random
import string

import pytest

from lokalnie.credentials import (
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

from . import ISSUED, ISSUER, REVOCATION_URL

# The encodedList of the example BitstringStatusListCredential in Bitstring Status List v1.0
# §2.2: 16 KB of zero bits.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_minimum_size_is_16_kib():
    assert MIN_BITS == 131_072
    assert len(new_bitstring()) == 16 * 1024


def test_bit_order_matches_a_hand_computed_example():
    bits = new_bitstring()
    for index in (0, 7, 9, 14, MIN_BITS - 1):
        set_bit(bits, index, True)
    # index 0 = most significant bit of byte 0, index 7 its least significant bit:
    assert bits[0] == 0b1000_0001
    # index 9 = second bit of byte 1, index 14 = seventh: 0100 0010
    assert bits[1] == 0x42
    assert bits[-1] == 0x01
    assert bytes(bits[2:-1]) == bytes(len(bits) - 3)
    assert [i for i in range(16) if get_bit(bits, i)] == [0, 7, 9, 14]


def test_clearing_a_bit_leaves_its_neighbours():
    bits = new_bitstring()
    set_bit(bits, 8, True)
    set_bit(bits, 9, True)
    set_bit(bits, 8, False)
    assert bits[1] == 0x40


def test_encoding_is_multibase_base64url_of_gzip():
    bits = new_bitstring()
    set_bit(bits, 3, True)
    encoded = encode_bitstring(bits)
    assert encoded[0] == "u"
    assert set(encoded[1:]) <= set(string.ascii_letters + string.digits + "-_")
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw[0] == 0b0001_0000
    assert len(raw) == 16 * 1024


def test_encode_decode_round_trip():
    rng = random.Random(7)
    bits = new_bitstring(MIN_BITS * 2)
    chosen = set(rng.sample(range(MIN_BITS * 2), 500))
    for index in chosen:
        set_bit(bits, index, True)
    decoded = decode_bitstring(encode_bitstring(bits))
    assert decoded == bits
    assert {i for i in range(MIN_BITS * 2) if get_bit(decoded, i)} == chosen


def test_lists_below_the_minimum_are_refused():
    with pytest.raises(ValueError):
        encode_bitstring(bytes(16 * 1024 - 1))
    with pytest.raises(ValueError):
        new_bitstring(MIN_BITS - 8)
    with pytest.raises(ValueError):
        StatusList(bytes(100))


def test_decodes_the_specification_example():
    bits = decode_bitstring(SPEC_EXAMPLE)
    assert len(bits) == 16 * 1024
    assert not any(bits)


@pytest.mark.parametrize(
    "encoded",
    [
        SPEC_EXAMPLE[1:],  # no multibase prefix
        "z" + SPEC_EXAMPLE[1:],  # another multibase
        SPEC_EXAMPLE + "=",  # padding
        "u!!!!",
        "u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="),
        None,
    ],
)
def test_malformed_lists_are_refused(encoded):
    with pytest.raises(ValueError):
        decode_bitstring(encoded)


def test_decompression_is_bounded():
    with pytest.raises(ValueError):
        decode_bitstring(SPEC_EXAMPLE, max_bytes=1000)


def test_bit_is_set_and_out_of_range():
    bits = new_bitstring()
    set_bit(bits, 1000, True)
    encoded = encode_bitstring(bits)
    assert bit_is_set(encoded, 1000)
    assert not bit_is_set(encoded, 1001)
    with pytest.raises(IndexError):
        bit_is_set(encoded, MIN_BITS)
    with pytest.raises(IndexError):
        set_bit(bits, -1, True)


def test_status_list_object():
    status = StatusList()
    status.set(5)
    status.set(6)
    status.clear(5)
    assert len(status) == MIN_BITS
    again = StatusList.decode(status.encode())
    assert (again.get(5), again.get(6)) == (False, True)


def test_random_index_is_within_the_list():
    assert all(0 <= random_index() < MIN_BITS for _ in range(100))


def test_status_list_credential():
    encoded = StatusList().encode()
    credential = build_status_list_credential(
        list_url=REVOCATION_URL,
        issuer=ISSUER,
        purpose="revocation",
        encoded_list=encoded,
        valid_from=ISSUED,
        ttl_ms=300_000,
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": REVOCATION_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER["id"],
        "validFrom": "2026-03-01T12:00:00Z",
        "credentialSubject": {
            "id": REVOCATION_URL + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
            "ttl": 300_000,
        },
    }
    with pytest.raises(ValueError):
        build_status_list_credential(
            list_url=REVOCATION_URL,
            issuer=ISSUER,
            purpose="refresh",
            encoded_list=encoded,
            valid_from=ISSUED,
        )
