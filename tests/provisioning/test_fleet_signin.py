"""Sign-in against guessing (issue 15, item 4): backoff and lock-out per account and per
address with an alert in the console, and a second factor (TOTP) for province admins,
enrolled by ``kiosk-fleet admin add``."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from provisioning.server import signin, totp
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.cli import main as fleet_main
from provisioning.server.errors import TooMany, Unauthorized
from tests.provisioning.conftest import PASSWORD, otp

ACTOR = cli_actor("test")

# RFC 6238 appendix B, SHA-1: the seed "12345678901234567890", 8 digits
RFC_6238 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


def test_totp_codes_are_the_rfcs() -> None:
    key = b"12345678901234567890"
    for at, code in RFC_6238:
        assert totp.hotp(key, at // totp.STEP_S, digits=8) == code
    secret = totp.new_secret()
    assert totp.matching_step(secret, totp.code_at(secret, 1000.0), 1000.0) == 1000 // 30
    assert totp.matching_step(secret, totp.code_at(secret, 1000.0), 1000.0 + 95) is None
    assert totp.uri(secret, "alice").startswith("otpauth://totp/Bianmin%20Fleet:alice?secret=")


def _login(server: FleetApp, user: str, password: str, code: str = "") -> requests.Response:
    return requests.post(
        server.base_url + "/v1/admin/login",
        timeout=10,
        json={"username": user, "password": password, "otp": code},
    )


def test_the_right_password_after_many_wrong_ones_is_refused_for_a_while(
    server: FleetApp, clock: Any
) -> None:
    # issue 15 item 4: 50 wrong console logins followed by the right one: logged in;
    # 400 guesses at the API: 400 x 401 and no 429
    statuses = [_login(server, "bob", f"guess-{n}").status_code for n in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    locked = _login(server, "bob", PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")
    assert 1 <= int(locked.headers["Retry-After"]) <= 61
    clock.advance(61)
    assert _login(server, "bob", "again wrong").status_code == 401  # one more: twice as long
    clock.advance(61)
    assert _login(server, "bob", PASSWORD).status_code == 429
    clock.advance(61)
    assert _login(server, "bob", PASSWORD).status_code == 200
    assert _login(server, "bob", "wrong once").status_code == 401  # the count starts over
    assert _login(server, "bob", PASSWORD).status_code == 200


def test_guessing_from_one_address_is_locked_across_accounts(server: FleetApp) -> None:
    for n in range(signin.ADDRESS_LIMIT):
        assert _login(server, f"user{n}", "guess").status_code == 401
    assert _login(server, "tom", PASSWORD).json()["code"] == "login_locked"


def test_a_lockout_raises_an_alert_in_the_console(
    server: FleetApp, admin_api: Callable[..., Any]
) -> None:
    alice = admin_api("alice")
    for n in range(signin.ACCOUNT_LIMIT):
        _login(server, "bob", f"guess-{n}")
    actor = server.fleet.actor(alice.http.headers["Authorization"].split()[1])
    alerts = server.fleet.security_alerts(actor)
    assert [(a["kind"], a["subject"]) for a in alerts] == [("login_locked", "account:bob")]
    cookie = {"fleet_session": alice.http.headers["Authorization"].split()[1]}
    page = requests.get(server.base_url + "/console/", cookies=cookie, timeout=10)
    assert "登录失败次数过多" in page.text and "account:bob" in page.text
    bob = server.fleet.actor(server.fleet.login("tom", PASSWORD)[0])
    assert server.fleet.security_alerts(bob) == []  # province admins only


def test_province_admins_need_their_one_time_code(server: FleetApp) -> None:
    refused = _login(server, "alice", PASSWORD)
    assert (refused.status_code, refused.json()["code"]) == (401, "second_factor_required")
    assert _login(server, "alice", PASSWORD, "000000").status_code == 401
    code = otp(server, "alice")
    assert _login(server, "alice", PASSWORD, code).status_code == 200
    again = _login(server, "alice", PASSWORD, code)  # a code is taken once
    assert (again.status_code, again.json()["code"]) == (401, "second_factor_required")
    with pytest.raises(Unauthorized):  # a wrong password with a right code is still wrong
        server.fleet.login("alice", "not the password", otp=otp(server, "alice"))


def test_the_second_factor_is_enrolled_by_admin_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "fleet"
    old = sys.stdin
    sys.stdin = io.StringIO("a long password\n")
    try:
        code = fleet_main(["--data-dir", str(data), "admin", "add", "zoe", "--role",
                           "province_admin"])  # fmt: skip
    finally:
        sys.stdin = old
    added = json.loads(capsys.readouterr().out)
    assert code == 0 and added["totp_uri"].startswith("otpauth://totp/")
    with FleetApp(data) as app:
        now = app.fleet.clock()
        with pytest.raises(Unauthorized):
            app.fleet.login("zoe", "a long password")
        token, _, _ = app.fleet.login("zoe", "a long password",
                                      otp=totp.code_at(added["totp_secret"], now))  # fmt: skip
        assert app.fleet.actor(token).role == "province_admin"
    assert fleet_main(["--data-dir", str(data), "admin", "totp", "zoe"]) == 0
    renewed = json.loads(capsys.readouterr().out)
    assert renewed["totp_secret"] != added["totp_secret"]


def test_a_lockout_holds_in_the_service_layer_too(server: FleetApp) -> None:
    for n in range(signin.ACCOUNT_LIMIT):
        with pytest.raises(Unauthorized):
            server.fleet.login("tom", f"guess-{n}", "198.51.100.1")
    with pytest.raises(TooMany):
        server.fleet.login("tom", PASSWORD, "198.51.100.2")  # another address: same account
