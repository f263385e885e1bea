"""Rate limits an attacker must not be able to turn against a kiosk, and limits on
guessing: per device only once authenticated, per client address for failures and
enrollment attempts (issue 15, items 3 and 4)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from provisioning.agent import Agent, Refused
from provisioning.protocol import sign_request
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import ClientLimits, TokenBuckets
from tests.provisioning.conftest import make_tree
from tests.support import FakeClock

ACTOR = cli_actor("test")


def _app(tmp_path: Path, clock: FakeClock, **limits: Any) -> FleetApp:
    app = FleetApp(tmp_path / "server", None, clock=clock,
                   buckets=TokenBuckets(rate=0.5, burst=20, clock=clock), **limits)  # fmt: skip
    make_tree(app)
    app.start()
    return app


@pytest.fixture
def strict(tmp_path: Path, clock: FakeClock) -> Iterator[FleetApp]:
    """A server with the shipped per-device bucket (20 at once, then one every 2 s) on
    the test's clock, so nothing refills while the test runs."""
    limits = ClientLimits(TokenBuckets(rate=1000, burst=1000), TokenBuckets(rate=1000, burst=1000))
    app = _app(tmp_path, clock, client_limits=limits)
    yield app
    app.stop()


def _forged_heartbeat(app: FleetApp, victim: str, stamp: int) -> requests.Response:
    """A heartbeat under the victim's id, signed by a key the attacker made."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = json.dumps({"uptime_s": 1}).encode()
    headers = sign_request(Ed25519PrivateKey.generate(), victim, "POST", "/v1/device/heartbeat",
                           body, stamp, secrets.token_urlsafe(16))  # fmt: skip
    return requests.post(app.base_url + "/v1/device/heartbeat", data=body, timeout=10,
                         headers=headers | {"Content-Type": "application/json"})  # fmt: skip


def test_forged_requests_under_a_kiosks_id_do_not_spend_its_allowance(
    strict: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    # issue 15 item 3: 25 forged requests carrying the victim's id got the victim's
    # genuine heartbeats answered 429 (the bucket was charged before the signature check)
    victim = make_agent()
    accept(strict, victim)
    for _ in range(25):
        forged = _forged_heartbeat(strict, victim.key.device_id, int(clock()))
        assert (forged.status_code, forged.json()["code"]) == (401, "signature_invalid")
    for _ in range(5):  # each round: state, heartbeat (and the bundle once)
        report = victim.sync_once()
        assert "error" not in report, report
    # the kiosk's own bucket still works: its own requests beyond the burst are refused
    while "error" not in (report := victim.sync_once()):
        pass
    assert report["error"]["status"] == 429


def test_failed_device_requests_are_limited_per_client_address(
    tmp_path: Path, clock: FakeClock, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    limits = ClientLimits(TokenBuckets(rate=1 / 30, burst=5, clock=clock),
                          TokenBuckets(rate=1000, burst=1000))  # fmt: skip
    app = _app(tmp_path, clock, client_limits=limits)
    try:
        victim = make_agent()
        accept(app, victim)
        codes = [_forged_heartbeat(app, victim.key.device_id, int(clock())).status_code
                 for _ in range(8)]  # fmt: skip
        assert codes == [401] * 5 + [429] * 3
        refused = _forged_heartbeat(app, victim.key.device_id, int(clock()))
        assert refused.json()["code"] == "too_many_requests" and "Retry-After" in refused.headers
        clock.advance(31)  # the address earns one attempt back
        assert _forged_heartbeat(app, victim.key.device_id, int(clock())).status_code == 401
    finally:
        app.stop()


def test_pairing_codes_cannot_be_guessed_at_speed(
    tmp_path: Path, clock: FakeClock, make_agent: Callable[..., Agent]
) -> None:
    # issue 15 item 4: 300 random pairing codes, each with a fresh key: 300 x 401 in 0.7 s
    app = _app(tmp_path, clock, client_limits=ClientLimits(
        TokenBuckets(rate=1 / 30, burst=20, clock=clock),
        TokenBuckets(rate=1 / 10, burst=30, clock=clock)))  # fmt: skip
    try:
        statuses = []
        for n in range(40):
            try:
                make_agent(f"guess-{n}").enroll(app.base_url, "ABCD-EFGH", f"SN-{n}")
            except Refused as exc:
                statuses.append((exc.status, exc.code))
        assert statuses[:20] == [(401, "pairing_code_invalid")] * 20
        assert set(statuses[20:]) == {(429, "too_many_requests")}
        code, _ = app.fleet.pairing_code(ACTOR, "s-0001")
        with pytest.raises(Refused) as still:  # even the right code waits its turn
            make_agent("honest").enroll(app.base_url, code, "SN-OK")
        assert still.value.status == 429
        clock.advance(31)
        assert make_agent("honest2").enroll(app.base_url, code, "SN-OK")["status"] == "pending"
    finally:
        app.stop()


def test_enrollment_attempts_are_limited_per_address_whatever_their_outcome(
    tmp_path: Path, clock: FakeClock, make_agent: Callable[..., Agent]
) -> None:
    app = _app(
        tmp_path,
        clock,
        client_limits=ClientLimits(
            TokenBuckets(rate=1000, burst=1000), TokenBuckets(rate=1 / 10, burst=3, clock=clock)
        ),
    )
    try:
        code, _ = app.fleet.pairing_code(ACTOR, "s-0001", uses=10)
        for n in range(3):
            make_agent(f"k{n}").enroll(app.base_url, code, f"SN-{n}")
        with pytest.raises(Refused) as refused:
            make_agent("k3").enroll(app.base_url, code, "SN-3")
        assert refused.value.status == 429
        clock.advance(11)
        assert make_agent("k4").enroll(app.base_url, code, "SN-4")["status"] == "pending"
    finally:
        app.stop()


def test_a_genuine_kiosk_with_a_wrong_clock_costs_its_address_nothing(
    tmp_path: Path, clock: FakeClock, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    limits = ClientLimits(TokenBuckets(rate=1 / 30, burst=2, clock=clock),
                          TokenBuckets(rate=1000, burst=1000))  # fmt: skip
    app = _app(tmp_path, clock, client_limits=limits)
    try:
        kiosk = make_agent()
        accept(app, kiosk)
        body = json.dumps({"uptime_s": 1}).encode()
        for n in range(5):  # signed by the kiosk's own key, an hour off
            headers = sign_request(kiosk.key.private, kiosk.key.device_id, "POST",
                                   "/v1/device/heartbeat", body, int(clock()) - 3600,
                                   f"stale-nonce-{n:06d}")  # fmt: skip
            stale = requests.post(
                app.base_url + "/v1/device/heartbeat",
                data=body,
                timeout=10,
                headers=headers | {"Content-Type": "application/json"},
            )
            assert stale.json()["code"] == "stale_timestamp"
        assert "error" not in kiosk.sync_once()  # the address was not charged
    finally:
        app.stop()
