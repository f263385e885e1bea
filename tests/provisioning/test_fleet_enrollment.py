"""Enrollment and device authentication: pairing codes, pending → approved, bulk
pre-authorisation, revocation, and refusal of replayed, forged, stale or unknown requests."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from typing import Any

import pytest
import requests

from provisioning.agent import Agent, Refused
from provisioning.agent.client import FleetClient
from provisioning.agent.identity import load_or_create_device_key
from provisioning.protocol import CLOCK_SKEW_S, sign_request
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp

ACTOR = cli_actor("test")


def test_the_private_key_is_made_on_the_kiosk_with_mode_0600(
    make_agent: Callable[..., Agent],
) -> None:
    agent = make_agent()
    path = agent.root / "device.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_device_key(path)
    assert again.device_id == agent.key.device_id  # the same key on the next start


def test_a_kiosk_waits_as_pending_until_an_admin_approves_it(
    server: FleetApp, make_agent: Callable[..., Agent], admin_api: Callable[..., Any]
) -> None:
    code, _ = server.fleet.pairing_code(ACTOR, "s-0002")
    agent = make_agent()
    answer = agent.enroll(server.base_url, code.lower(), "SN-0001")
    assert answer["status"] == "pending" and answer["site_id"] is None
    assert answer["server_key_id"] == server.fleet.key.key_id
    report = agent.sync_once()
    assert report["status"] == "pending" and "heartbeat_s" not in report
    alice = admin_api("alice")
    pending = alice.call("GET", "/v1/admin/devices?status=pending")[1]["devices"]
    assert [(d["device_id"], d["requested_site"]) for d in pending] == [
        (agent.key.device_id, "s-0002")
    ]
    status, _ = alice.call("POST", f"/v1/admin/devices/{agent.key.device_id}/approve",
                           {"site_id": "s-0002"})  # fmt: skip
    assert status == 200
    report = agent.sync_once()
    assert (report["status"], report["site_id"]) == ("accepted", "s-0002")
    assert report["bundle"]["action"] == "staged"


def test_pairing_codes_are_spent_and_expire(
    server: FleetApp, make_agent: Callable[..., Agent], clock: Any
) -> None:
    code, _ = server.fleet.pairing_code(ACTOR, "s-0001", uses=1, ttl_s=600)
    make_agent("a").enroll(server.base_url, code, "SN-A")
    with pytest.raises(Refused) as used:
        make_agent("b").enroll(server.base_url, code, "SN-B")
    assert used.value.code == "pairing_code_invalid"
    late, _ = server.fleet.pairing_code(ACTOR, "s-0001", ttl_s=600)
    clock.advance(601)
    with pytest.raises(Refused) as expired:
        make_agent("c").enroll(server.base_url, late, "SN-C")
    assert expired.value.code == "pairing_code_expired"
    with pytest.raises(Refused) as garbage:
        make_agent("d").enroll(server.base_url, "0OIL-1111", "SN-D")
    assert garbage.value.code == "pairing_code_invalid"


def test_enrolling_again_with_the_same_key_answers_the_same(
    server: FleetApp, make_agent: Callable[..., Agent]
) -> None:
    code, _ = server.fleet.pairing_code(ACTOR, "s-0001", uses=1)
    agent = make_agent()
    first = agent.enroll(server.base_url, code, "SN-1")
    second = agent.enroll(server.base_url, code, "SN-1")  # the code is spent, the key known
    assert first == second
    assert len(server.fleet.devices(ACTOR)) == 1


def test_preauthorised_serials_are_accepted_at_once_into_their_site(
    server: FleetApp, make_agent: Callable[..., Agent], admin_api: Callable[..., Any]
) -> None:
    alice = admin_api("alice")
    csv = "serial,site\nSN-100,s-0101\nSN-101,s-0002\n"
    resp = alice.http.post(server.base_url + "/v1/admin/preauthorize", data=csv.encode(),
                           headers={"Content-Type": "text/csv"}, timeout=10)  # fmt: skip
    assert resp.json() == {"serials": ["SN-100", "SN-101"]}
    code, _ = server.fleet.pairing_code(ACTOR, "s-0001", uses=3)
    pre = make_agent("pre").enroll(server.base_url, code, "SN-100")
    other = make_agent("other").enroll(server.base_url, code, "SN-999")
    assert (pre["status"], pre["site_id"]) == ("accepted", "s-0101")
    assert other["status"] == "pending"


def test_a_bad_csv_row_stores_nothing(server: FleetApp) -> None:
    from provisioning.server.errors import Invalid

    with pytest.raises(Invalid, match="row 2: no region s-9999"):
        server.fleet.preauthorize(ACTOR, "SN-1,s-0001\nSN-2,s-9999\n")
    with pytest.raises(Invalid, match="row 1: 330110 is a county, not a site"):
        server.fleet.preauthorize(ACTOR, "SN-1,330110\n")
    with server.db.tx() as tx:
        assert tx.all("SELECT * FROM preauthorized") == []


def test_a_revoked_key_is_refused_and_the_kiosk_stops_serving(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    agent = make_agent()
    accept(server, agent)
    assert agent.sync_once()["status"] == "accepted"
    server.fleet.revoke(ACTOR, agent.key.device_id)
    report = agent.sync_once()
    assert report["error"]["code"] == "device_revoked"
    assert report["status"] == "revoked" and report["in_service"] is False
    code, _ = server.fleet.pairing_code(ACTOR, "s-0001")
    with pytest.raises(Refused) as again:
        agent.enroll(server.base_url, code, "SN-1")
    assert again.value.code == "device_revoked"  # the same key cannot come back


def _signed_get(server: FleetApp, agent: Agent, stamp: int, nonce: str) -> requests.Response:
    headers = sign_request(agent.key.private, agent.key.device_id, "GET", "/v1/device/state",
                           b"", stamp, nonce)  # fmt: skip
    return requests.get(server.base_url + "/v1/device/state", headers=headers, timeout=10)


def test_a_replayed_request_is_refused(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    agent = make_agent()
    accept(server, agent)
    sent_at, nonce = int(clock()), "n" * 22
    assert _signed_get(server, agent, sent_at, nonce).status_code == 200
    replay = _signed_get(server, agent, sent_at, nonce)
    assert (replay.status_code, replay.json()["code"]) == (401, "replayed_request")
    clock.advance(3 * CLOCK_SKEW_S + 1)
    assert server.fleet.sweep()["nonces"] >= 1  # the nonce is forgotten ...
    late = _signed_get(server, agent, sent_at, nonce)
    assert late.json()["code"] == "stale_timestamp"  # ... and the timestamp still refuses


def test_forged_tampered_and_unknown_requests_are_refused(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    agent, stranger = make_agent("a"), make_agent("b")
    accept(server, agent)
    stamp = int(clock())
    headers = sign_request(stranger.key.private, agent.key.device_id, "GET", "/v1/device/state",
                           b"", stamp, "x" * 22)  # fmt: skip
    forged = requests.get(server.base_url + "/v1/device/state", headers=headers, timeout=10)
    assert forged.json()["code"] == "signature_invalid"
    body = json.dumps({"uptime_s": 1}).encode()
    headers = sign_request(agent.key.private, agent.key.device_id, "POST",
                           "/v1/device/heartbeat", body, stamp, "y" * 22)  # fmt: skip
    tampered = requests.post(
        server.base_url + "/v1/device/heartbeat",
        data=b'{"uptime_s": 2}',
        headers=headers | {"Content-Type": "application/json"},
        timeout=10,
    )
    assert tampered.json()["code"] == "signature_invalid"
    unknown = FleetClient(server.base_url, stranger.key, clock=clock)
    with pytest.raises(Refused) as refused:
        unknown.call("GET", "/v1/device/state")
    assert (refused.value.status, refused.value.code) == (401, "unknown_device")
    unknown.close()
    bare = requests.get(server.base_url + "/v1/device/state", timeout=10)
    assert (bare.status_code, bare.json()["code"]) == (401, "auth_required")


def test_a_kiosk_with_a_wrong_clock_recovers_from_the_servers_time(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    agent = make_agent()
    accept(server, agent)
    late_clock = lambda: clock() - 3 * 3600  # noqa: E731  a kiosk three hours behind
    client = FleetClient(server.base_url, agent.key, clock=late_clock)
    assert client.call("GET", "/v1/device/state")["status"] == "accepted"
    assert client.clock_offset == pytest.approx(3 * 3600, abs=1)
    client.close()


def test_a_pending_device_may_ask_its_state_but_nothing_else(
    server: FleetApp, make_agent: Callable[..., Agent]
) -> None:
    code, _ = server.fleet.pairing_code(ACTOR, "s-0001")
    agent = make_agent()
    agent.enroll(server.base_url, code, "SN-1")
    with pytest.raises(Refused) as refused:
        agent.client().call("POST", "/v1/device/heartbeat", agent.heartbeat_body())
    assert (refused.value.status, refused.value.code) == (403, "device_pending")
    server.fleet.reject(ACTOR, agent.key.device_id)
    assert agent.sync_once()["error"]["code"] == "device_rejected"


def test_text_that_is_no_csv_is_refused_naming_it(server: FleetApp) -> None:
    # Regression (found by schemathesis): a stray carriage return inside a field made
    # Python's csv reader raise, and the API answered 500 instead of 422.
    from provisioning.server.errors import Invalid

    with pytest.raises(Invalid) as refused:
        server.fleet.preauthorize(ACTOR, "SN-1\r9,s-0001\n")
    assert refused.value.field == "csv"
