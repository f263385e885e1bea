"""Our receipt and appointment codes are recognised; look-alikes refused; tokens untouched."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.qr import open_reader
from kiosk.receipts.qrcodes import (
    CodeKind,
    QrKeyring,
    appointment_qr,
    classify,
    key_id,
    our_code,
    receipt_qr,
)
from tests.devices.qr.conftest import clean_code

KEYS = QrKeyring(b"k" * 32)
OTHER = QrKeyring(b"o" * 32)


def test_receipt_round_trip() -> None:
    payload = receipt_qr("LS-demo-0001-20241101-0007", KEYS)
    assert payload.startswith("https://zwfw.example.gov.cn/bjcx?n=LS-demo-0001-20241101-0007&k=")
    code = classify(payload, KEYS)
    assert (code.kind, code.number, code.reason, code.ours) == (
        CodeKind.RECEIPT,
        "LS-demo-0001-20241101-0007",
        None,
        True,
    )


def test_appointment_round_trip_and_kinds_do_not_mix() -> None:
    payload = appointment_qr("A20241101023", KEYS)
    assert classify(payload, KEYS).kind == CodeKind.APPOINTMENT
    as_receipt = payload.replace("/yycx", "/bjcx")  # same tag on the other kind of code
    assert classify(as_receipt, KEYS).reason == "bad_signature"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda p: p.replace("n=2024", "n=2025"), "bad_signature"),
        (lambda p: p[:-1] + ("a" if p[-1] != "a" else "b"), "bad_signature"),
        (lambda p: p.replace("https://", "http://"), "malformed"),
        (lambda p: p + "&x=1", "malformed"),
        (lambda p: p + "&n=1", "malformed"),
        (lambda p: p + "#frag", "malformed"),
        (lambda p: p.split("&s=")[0], "malformed"),
        (lambda p: p.replace("&s=", "&s=!"), "malformed"),
        (lambda p: p.replace("zwfw.example.gov.cn", "zwfw.example.gov.cn.evil.cn"), "foreign_host"),
        (lambda p: p.replace("zwfw.example.gov.cn", "zwfw-example.gov.cn"), "foreign_host"),
        (lambda p: p.replace("zwfw.example.gov.cn", "lookup.example.com"), "foreign_host"),
        (lambda p: p.replace("zwfw.example.gov.cn", "m.zwfw.example.gov.cn"), "foreign_host"),
    ],
)
def test_look_alikes_are_refused(tamper, reason: str) -> None:
    code = classify(tamper(receipt_qr("2024110100123", KEYS)), KEYS)
    assert (code.kind, code.reason, code.number) == (CodeKind.LOOKALIKE, reason, None)


def test_a_code_from_another_kiosk_needs_its_key() -> None:
    payload = receipt_qr("2024110100123", OTHER)
    assert classify(payload, KEYS).reason == "unknown_key"
    trusting = QrKeyring(b"k" * 32, trusted=[b"o" * 32])
    assert classify(payload, trusting).kind == CodeKind.RECEIPT


@pytest.mark.parametrize(
    "text",
    [
        "CTID1.S2QUAlwo7mwUYTGGQRr59FYhPzxx",  # an electronic ID code: opaque
        "https://qr.example-pay.cn/qMEf1t9xEOkSBOghnxQc",
        "https://zwfw.example.gov.cn/other/page?id=1",  # the portal, but not our code
        "https://m.zwfw.example.gov.cn/news",
        "王芳 社保卡",
        "",
        "http://[::1",  # an unparsable URL is still just a token
        "  padded  ",
    ],
)
def test_everything_else_is_a_token_passed_as_is(text: str) -> None:
    code = classify(text, KEYS)
    assert (code.kind, code.text, code.number) == (CodeKind.TOKEN, text, None)


def test_bad_numbers_and_kinds_are_refused_when_making_codes() -> None:
    with pytest.raises(ValueError, match="number"):
        receipt_qr("no spaces", KEYS)
    with pytest.raises(ValueError, match="number"):
        receipt_qr("x" * 97, KEYS)
    with pytest.raises(ValueError, match="kind"):
        our_code("notice", "1", KEYS)
    with pytest.raises(ValueError, match="16 bytes"):
        QrKeyring(b"short")


def test_keyring_is_made_once_in_the_state_dir(tmp_path: Path) -> None:
    first = QrKeyring.load(tmp_path, token_bytes=lambda n: b"\x01" * n)
    path = tmp_path / "keys" / "qr.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = QrKeyring.load(tmp_path, token_bytes=lambda n: b"\x02" * n)
    assert again.signing_key == first.signing_key == b"\x01" * 32
    assert again.kid == key_id(b"\x01" * 32)
    trusted = tmp_path / "keys" / "qr-trusted"
    trusted.mkdir()
    (trusted / "county.key").write_bytes(b"o" * 32)
    (trusted / "junk.key").write_bytes(b"x")  # too short to be a key: ignored
    assert classify(receipt_qr("1", OTHER), QrKeyring.load(tmp_path)).ours
    path.write_bytes(b"short")
    with pytest.raises(ValueError, match="too short"):
        QrKeyring.load(tmp_path)


@given(
    st.from_regex(r"[A-Za-z0-9_.-]{1,96}", fullmatch=True),
    st.sampled_from(["receipt", "appointment"]),
)
def test_every_valid_number_round_trips(number: str, kind: str) -> None:
    code = classify(our_code(kind, number, KEYS), KEYS)
    assert (code.kind, code.number) == (kind, number)


@given(st.text(max_size=300))
def test_any_text_is_classified_without_error(text: str) -> None:
    code = classify(text, KEYS)
    assert code.text == text
    assert code.kind in CodeKind


def test_a_printed_receipt_code_is_recognised_through_the_camera_path() -> None:
    img = clean_code(receipt_qr("LS-demo-0001-20241101-0007", KEYS), module=4)
    (read,) = open_reader().read(img)
    assert classify(read.text, KEYS).number == "LS-demo-0001-20241101-0007"


def test_the_journey_signs_receipts_with_the_state_dir_key(tmp_path: Path) -> None:
    from kiosk.intake.accept import Intake
    from kiosk.settings import load_settings, with_overrides

    settings = with_overrides(load_settings(), paths={"state_dir": str(tmp_path)})
    journey = Intake(settings, None, None, None, None)
    keys = journey.qr_keys
    assert (tmp_path / "keys" / "qr.key").read_bytes() == keys.signing_key
    assert journey.qr_keys is keys
    assert classify(receipt_qr("7", keys), QrKeyring.load(tmp_path)).number == "7"
