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
from tests.support.closing import closing_all

ACTOR = cli_actor("test")
Rate = tuple[float, float]  # a bucket's refill per second and burst


def _app(tmp_path: Path, clock: FakeClock, **limits: Any) -> FleetApp:
    app = FleetApp(tmp_path / "server", None, clock=clock,
                   buckets=TokenBuckets(rate=0.5, burst=20, clock=clock), **limits)  # fmt: skip
    make_tree(app)
    app.start()
    return app


@pytest.fixture
def limited(tmp_path: Path, clock: FakeClock) -> Iterator[Callable[..., FleetApp]]:
    """``limited(failures=(rate, burst), enrollments=(rate, burst))``: a server with these
    per-address buckets (a limit not given is never reached) and the shipped per-device
    bucket (20 at once, then one every 2 s), all on the test's clock, so nothing refills
    while the test runs."""
    generous = (1000.0, 1000.0)

    def start(failures: Rate = generous, enrollments: Rate = generous) -> FleetApp:
        limits = ClientLimits(TokenBuckets(*failures, clock=clock),
                              TokenBuckets(*enrollments, clock=clock))  # fmt: skip
        return _app(tmp_path, clock, client_limits=limits)

    with closing_all(start, FleetApp.stop) as made:
        yield made


@pytest.fixture
def strict(limited: Callable[..., FleetApp]) -> FleetApp:
    """A server with only the shipped per-device bucket to reach."""
    return limited()


def _forged_heartbeat(app: FleetApp, victim: str, stamp: int) -> requests.Response:
    """A heartbeat under the victim's id, signed by a key the attacker made."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = json.dumps({"uptime_s": 1}).encode()
    headers = sign_request(Ed25519PrivateKey.generate(), victim, "POST", "/v1/device/heartbeat",
                           body, stamp, secrets.token_urlsafe(16))  # fmt: skip
    return requests.post(app.base_url + "/v1/device/heartbeat", data=body, timeout=10,
                         headers=headers | {"Content-Type": "application/json"})  # fmt: skip


def test_forged_requests_under_a_kiosks_id_do_not_spend_its_allowance(
    strict: FleetApp, accepted: Callable[..., Agent], clock: Any
) -> None:
    # issue 15 item 3: 25 forged requests carrying the victim's id got the victim's
    # genuine heartbeats answered 429 (the bucket was charged before the signature check)
    victim = accepted(strict)
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
    limited: Callable[..., FleetApp], clock: FakeClock, accepted: Callable[..., Agent]
) -> None:
    app = limited(failures=(1 / 30, 5))
    victim = accepted(app)
    codes = [_forged_heartbeat(app, victim.key.device_id, int(clock())).status_code
             for _ in range(8)]  # fmt: skip
    assert codes == [401] * 5 + [429] * 3
    refused = _forged_heartbeat(app, victim.key.device_id, int(clock()))
    assert refused.json()["code"] == "too_many_requests" and "Retry-After" in refused.headers
    clock.advance(31)  # the address earns one attempt back
    assert _forged_heartbeat(app, victim.key.device_id, int(clock())).status_code == 401


def _waits_its_turn(
    app: FleetApp, code: str, make_agent: Callable[..., Agent], clock: FakeClock, refill_s: float
) -> None:
    """An enrollment with a good ``code`` is refused now (429) and taken once the address's
    bucket has refilled, ``refill_s`` later."""
    with pytest.raises(Refused) as refused:
        make_agent("refused").enroll(app.base_url, code, "SN-REFUSED")
    assert refused.value.status == 429
    clock.advance(refill_s)
    assert make_agent("later").enroll(app.base_url, code, "SN-LATER")["status"] == "pending"


def test_pairing_codes_cannot_be_guessed_at_speed(
    limited: Callable[..., FleetApp], clock: FakeClock, make_agent: Callable[..., Agent]
) -> None:
    # issue 15 item 4: 300 random pairing codes, each with a fresh key: 300 x 401 in 0.7 s
    app = limited(failures=(1 / 30, 20), enrollments=(1 / 10, 30))
    statuses = []
    for n in range(40):
        try:
            make_agent(f"guess-{n}").enroll(app.base_url, "ABCD-EFGH", f"SN-{n}")
        except Refused as exc:
            statuses.append((exc.status, exc.code))
    assert statuses[:20] == [(401, "pairing_code_invalid")] * 20
    assert set(statuses[20:]) == {(429, "too_many_requests")}
    code, _ = app.fleet.pairing_code(ACTOR, "s-0001")
    _waits_its_turn(app, code, make_agent, clock, 31)  # even the right code


def test_enrollment_attempts_are_limited_per_address_whatever_their_outcome(
    limited: Callable[..., FleetApp], clock: FakeClock, make_agent: Callable[..., Agent]
) -> None:
    app = limited(enrollments=(1 / 10, 3))
    code, _ = app.fleet.pairing_code(ACTOR, "s-0001", uses=10)
    for n in range(3):
        make_agent(f"k{n}").enroll(app.base_url, code, f"SN-{n}")
    _waits_its_turn(app, code, make_agent, clock, 11)


def test_a_genuine_kiosk_with_a_wrong_clock_costs_its_address_nothing(
    limited: Callable[..., FleetApp], clock: FakeClock, accepted: Callable[..., Agent]
) -> None:
    app = limited(failures=(1 / 30, 2))
    kiosk = accepted(app)
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
