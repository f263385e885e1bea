"""``kiosk idcard read`` and ``kiosk card read``, run for real in a subprocess against the
simulators (the ID card's SAM on a pty; virtual cards in the real pcscd)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devices.idcard import FIXTURES as ID_FIXTURES
from devices.smartcard.fixtures import DEBIT, SSC_PERSON
from devices.smartcard.pcscd import PcscdService
from tests.support.command import run_kiosk

pytestmark = pytest.mark.timeout(120)


def read_ok(*args: str, stdin: str = "") -> dict[str, Any]:
    done = run_kiosk(*args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (line,) = done.stdout.splitlines()
    view: dict[str, Any] = json.loads(line)
    return view


def fails(code: int, reason: str, *args: str) -> str:
    done = run_kiosk(*args)
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr  # one line, no log noise, no traceback
    assert reason in lines[0]
    return lines[0]


# -- the ID card reader -------------------------------------------------------------------


def test_idcard_read_prints_the_masked_record() -> None:
    elder = ID_FIXTURES["elder"]
    view = read_ok("idcard", "read", "--url", "sim://idcard?fixture=elder&scenario=card")
    assert view["id_number"] == elder.id_number[:4] + "*" * 10 + elder.id_number[-4:]
    assert view["name"] == "李**" and view["birth_year"] == 1943 and view["long_term"]
    assert view["photo_bytes"] == 1024
    text = json.dumps(view, ensure_ascii=False)
    assert elder.id_number not in text and elder.name not in text and elder.address not in text


def test_idcard_read_uses_the_settings_url_by_default(tmp_path: Any) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[devices]\nidcard = "sim://idcard?fixture=young&scenario=card"\n')
    view = read_ok("idcard", "read", "--config", str(site))
    assert view["nation"] == "苗族"


@pytest.mark.parametrize(
    ("scenario", "code", "reason"),
    [
        ("no_card", 3, "no card"),
        ("broken_checksums", 6, "corrupt frame"),
        ("removed_during_read", 8, "card removed"),
        ("sam_not_authorised", 9, "read failed"),
    ],
)
def test_idcard_read_failures(scenario: str, code: int, reason: str) -> None:
    url = f"sim://idcard?fixture=elder&scenario={scenario}"
    fails(code, reason, "idcard", "read", "--url", url, "--timeout", "0.5")


def test_idcard_reader_missing_is_device_unavailable() -> None:
    fails(4, "device unavailable", "idcard", "read", "--url", "serial:///dev/no-such-reader")


def test_idcard_bad_url_is_bad_input() -> None:
    fails(2, "bad input", "idcard", "read", "--url", "ftp://x")


# -- the PC/SC reader ---------------------------------------------------------------------


def test_card_read_social_security(pcscd: PcscdService) -> None:
    view = read_ok("card", "read", "--url", "sim://smartcard?card=ssc")
    assert view["card"] == "social_security" and view["reader"] == "Virtual PCD 00 00"
    assert view["card_number"] == "*****0001" and view["personal_access"] == "open"
    person = view["personal"]
    assert person["id_number"] == SSC_PERSON.id_number[:4] + "*" * 10 + SSC_PERSON.id_number[-4:]
    assert SSC_PERSON.id_number not in json.dumps(view)


def test_card_read_bank_card_masks_the_pan(pcscd: PcscdService) -> None:
    view = read_ok("card", "read", "--url", "sim://smartcard?card=bank&slot=1")
    assert view["pan"] == "620000******0005" and DEBIT.pan not in json.dumps(view)
    assert view["expiry"] == "2030-12" and view["cardholder_name"].startswith("T*")


def test_card_read_with_the_pin_from_stdin(pcscd: PcscdService) -> None:
    view = read_ok(
        "card", "read", "--url", "sim://smartcard?card=ssc_pin", "--pin-stdin", stdin="123456\n"
    )
    assert view["personal_access"] == "pin" and view["personal"]["birth_year"] == 1943


def card_pin_refused(*args: str, pin: str) -> str:
    done = run_kiosk("card", "read", "--pin-stdin", "--timeout", "10", *args, stdin=pin + "\n")
    assert done.returncode == 10 and done.stdout == "", (done.returncode, done.stderr)
    (line,) = done.stderr.splitlines()
    return line


def test_card_read_with_a_wrong_pin_says_how_many_tries_are_left(pcscd: PcscdService) -> None:
    # Regression (issue 19, item 5): this said "read failed: VERIFY PIN: card answered 63C2".
    line = card_pin_refused("--url", "sim://smartcard?card=ssc_pin", pin="000000")
    assert line == (
        "kiosk card read: wrong PIN: 社保卡密码不对，还可以再试2次；次数用完，卡会被锁定"
        " (VERIFY PIN: card answered 63C2)"
    )


def test_card_read_with_a_blocked_pin_says_where_to_unlock_it(
    pcscd: PcscdService, tmp_path: Any
) -> None:
    line = card_pin_refused("--url", "sim://smartcard?card=ssc_pin_blocked", pin="123456")
    assert line.startswith("kiosk card read: PIN blocked: 社保卡密码已锁定")
    assert "社保卡服务网点或发卡银行的网点解锁" in line and line.endswith("card answered 6983)")
    site = tmp_path / "site.toml"  # in the kiosk's language
    site.write_text('[ui]\nlanguage = "en"\n')
    url = "sim://smartcard?card=ssc_pin_blocked"
    english = card_pin_refused("--url", url, "--config", str(site), pin="123456")
    assert "bank that issued the card" in english and "6983" in english


def test_card_read_app_bank_on_a_third_generation_card(pcscd: PcscdService) -> None:
    view = read_ok("card", "read", "--url", "sim://smartcard?card=ssc3", "--app", "bank")
    assert view["card"] == "bank"


@pytest.mark.parametrize(
    ("url", "code", "reason"),
    [
        ("sim://smartcard?card=ssc&scenario=no_card", 3, "no card"),
        ("sim://smartcard?card=blank", 7, "unsupported card type"),
        ("sim://smartcard?card=bank_corrupt", 6, "corrupt data"),
        ("sim://smartcard?card=ssc&scenario=removed_during_read", 8, "card removed"),
        ("pcsc://NoSuchReader", 4, "device unavailable"),
    ],
)
def test_card_read_failures(pcscd: PcscdService, url: str, code: int, reason: str) -> None:
    fails(code, reason, "card", "read", "--url", url, "--timeout", "1")


def test_card_read_without_pcscd(pcscd: PcscdService) -> None:
    pcscd.require_control()
    pcscd.stop()
    line = fails(4, "device unavailable", "card", "read", "--url", "pcsc://", "--timeout", "0.3")
    assert "pcscd" in line
