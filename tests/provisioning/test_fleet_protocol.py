"""The shared wire contract: enrollment strings, pairing codes, signed messages, the TOML
writer — property tests for the parsers and encoders."""

from __future__ import annotations

import math
import tomllib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from provisioning.agent import tomlwrite
from provisioning.protocol import (
    CODE_ALPHABET,
    ProtocolError,
    format_code,
    make_payload,
    normalize_code,
    parse_payload,
    public_key_text,
    request_message,
    sign_request,
    verify,
)

codes = st.text(alphabet=CODE_ALPHABET, min_size=8, max_size=8)
hosts = st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z]{2,6})?(:[0-9]{2,5})?", fullmatch=True)
key_ids = st.one_of(st.just(""), st.from_regex(r"[0-9a-f]{32}", fullmatch=True))


@given(code=codes, host=hosts, path=st.from_regex(r"(/[a-z0-9]{1,8}){0,3}", fullmatch=True),
       kid=key_ids, scheme=st.sampled_from(["http", "https"]))  # fmt: skip
def test_an_enrollment_string_round_trips(
    code: str, host: str, path: str, kid: str, scheme: str
) -> None:
    server = f"{scheme}://{host}{path}"
    assert parse_payload(make_payload(server, code, kid)) == (server, code, kid)


@given(st.text(max_size=200))
def test_any_garbage_is_a_protocol_error_never_a_crash(text: str) -> None:
    try:
        server, code, _kid = parse_payload(text)
    except ProtocolError:
        return
    assert server.startswith("http") and len(code) == 8


def test_the_enrollment_string_is_short_enough_for_a_small_qr_code() -> None:
    payload = make_payload("https://fleet.zj.example.cn", "K7QM4XPD", "0123456789abcdef" * 2)
    assert len(payload) < 120
    assert payload == ("bmfleet://enroll?s=https%3A%2F%2Ffleet.zj.example.cn&c=K7QM4XPD"
                       "&k=0123456789abcdef0123456789abcdef")  # fmt: skip


@given(codes, st.sampled_from(["", " ", "-"]), st.booleans())
def test_typed_codes_are_forgiving_about_case_and_separators(
    code: str, sep: str, lower: bool
) -> None:
    typed = code[:4] + sep + code[4:]
    assert normalize_code(typed.lower() if lower else typed) == code
    assert normalize_code(format_code(code)) == code


@pytest.mark.parametrize("bad", ["ABCD-EFG", "ABCD-EFGH1", "ABCD-EF0H", "ABCD-EFIH", ""])
def test_codes_with_confusable_or_missing_characters_are_refused(bad: str) -> None:
    with pytest.raises(ProtocolError):
        normalize_code(bad)


def test_a_signature_covers_every_part_of_the_request() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    parts = ("POST", "/v1/device/heartbeat", "dev-0123456789abcdef", 1767229200, "n" * 22, b"{}")
    headers = sign_request(key, parts[2], parts[0], parts[1], parts[5], parts[3], parts[4])
    signature = headers["X-Fleet-Signature"]
    assert verify(public, signature, request_message(*parts))
    for i, changed in enumerate(("GET", "/v1/device/state", "dev-fedcba9876543210",
                                 1767229201, "m" * 22, b"{ }")):  # fmt: skip
        altered = list(parts)
        altered[i] = changed
        assert not verify(public, signature, request_message(*altered)), i
    assert len(public_key_text(public)) == 43


scalars = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
names = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True)
tables = st.dictionaries(names, st.dictionaries(names, st.one_of(scalars, st.lists(scalars,
                         max_size=4)), max_size=5), max_size=4)  # fmt: skip


@given(tables)
def test_written_settings_read_back_the_same(data: dict[str, dict[str, object]]) -> None:
    assert tomllib.loads(tomlwrite.dumps(data)) == data


def test_a_sub_table_is_written_inline_and_reads_back() -> None:
    data = {"site": {"nearest_alternative": {"name": "镇中心", "phone": "0571-1"}}}
    assert tomllib.loads(tomlwrite.dumps(data)) == data


def test_what_toml_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError):
        tomlwrite.dumps({"a": {"b": math.inf}})
    with pytest.raises(ValueError):
        tomlwrite.dumps({"a": {"b": {"nested": None}}})
    with pytest.raises(UnicodeEncodeError):
        tomlwrite.dumps({"a": {"b": "\ud800"}})
