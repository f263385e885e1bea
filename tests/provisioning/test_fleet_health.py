"""Heartbeats, offline detection, alerts and remote commands idempotent by id."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from devices.status import DeviceState, DeviceStatus, SupplyLevel
from kiosk.logs import redact
from provisioning.agent import Agent, Hooks, health_from
from provisioning.server import health
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.errors import Invalid
from provisioning.server.ratelimit import Admission, TokenBuckets

ACTOR = cli_actor("test")
HOUR = 3600.0


class Kiosk:
    """A kiosk's health, changed by tests between heartbeats."""

    def __init__(self) -> None:
        self.paper = SupplyLevel.FULL
        self.reader = DeviceState.ONLINE
        self.depth, self.oldest = 0, None

    def probe(self) -> dict[str, Any]:
        statuses = {
            "idcard": DeviceStatus(self.reader),
            "printer": DeviceStatus(DeviceState.ONLINE, supplies={"paper": self.paper}),
        }
        return health_from(statuses, self.depth, self.oldest)


def _open(server: FleetApp) -> set[str]:
    return {a["kind"] for a in server.fleet.alerts(ACTOR)}


def test_heartbeats_raise_and_clear_alerts(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    kiosk = Kiosk()
    agent = make_agent(probe=kiosk.probe, validate=lambda _d: None)
    accept(server, agent)
    agent.sync_once()
    assert _open(server) == set()
    kiosk.paper, kiosk.reader = SupplyLevel.OUT, DeviceState.HARDWARE_ERROR
    kiosk.depth, kiosk.oldest = 12, 30 * HOUR
    agent.sync_once()
    assert _open(server) == {"paper_out", "device_error", "outbox_stale"}
    detail = server.fleet.device(ACTOR, agent.key.device_id)
    assert detail["health"]["outbox"] == {"depth": 12, "oldest_pending_age_s": 30 * HOUR}
    assert detail["health"]["paper"] == "out"
    kiosk.paper, kiosk.reader, kiosk.depth, kiosk.oldest = (
        SupplyLevel.LOW,
        DeviceState.ONLINE,
        0,
        None,
    )
    agent.sync_once()
    assert _open(server) == set()
    with server.db.tx() as tx:  # the history stays
        assert tx.one("SELECT COUNT(*) AS n FROM alerts WHERE resolved_at IS NOT NULL") == {"n": 3}


def test_missed_heartbeats_mark_offline_and_a_silent_day_alerts(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    agent = make_agent(validate=lambda _d: None)
    accept(server, agent)
    (device,) = server.fleet.devices(ACTOR)
    assert device["connectivity"] == "never"
    agent.sync_once()
    assert server.fleet.devices(ACTOR)[0]["connectivity"] == "online"
    clock.advance(health.OFFLINE_AFTER_S + 1)
    assert server.fleet.devices(ACTOR)[0]["connectivity"] == "offline"
    assert server.fleet.sweep()["offline_alerts"] == 0  # offline, but not for a day yet
    clock.advance(health.OFFLINE_DAY_S)
    assert server.fleet.sweep()["offline_alerts"] == 1
    assert server.fleet.sweep()["offline_alerts"] == 0  # one open alert, not one per sweep
    assert _open(server) == {"offline_day"}
    agent.sync_once()  # it came back
    assert _open(server) == set()


def test_a_heartbeat_with_bad_fields_is_refused_naming_the_field(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    from provisioning.agent import Refused

    agent = make_agent(validate=lambda _d: None)
    accept(server, agent)
    body = agent.heartbeat_body() | {"outbox": {"depth": -1}}
    with pytest.raises(Refused) as refused:
        agent.client().call("POST", "/v1/device/heartbeat", body)
    assert (refused.value.status, refused.value.code) == (422, "invalid_field")
    assert server.fleet.device(ACTOR, agent.key.device_id)["last_seen"] is None


def test_commands_run_once_per_id_and_report_back(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    printed: list[int] = []
    hooks = Hooks(test_print=lambda: printed.append(1) or "ok")
    agent = make_agent(hooks=hooks, validate=lambda _d: None)
    accept(server, agent)
    device = agent.key.device_id
    lock = server.fleet.command(ACTOR, device, "lock", {"message": "设备维护中"}, "cmd-lock-0001")
    again = server.fleet.command(ACTOR, device, "lock", {"message": "设备维护中"}, "cmd-lock-0001")
    assert lock == again  # the same id is the same command
    server.fleet.command(ACTOR, device, "test_print", {}, "cmd-print-001")
    report = agent.sync_once()
    assert [r["status"] for r in report["commands"]] == ["done", "done"]
    assert agent.service_state() == (False, "设备维护中") and printed == [1]
    results = {c["id"]: c for c in server.fleet.device(ACTOR, device)["commands"]}
    assert results["cmd-lock-0001"]["status"] == "done"
    assert results["cmd-print-001"]["result"] == {"printer": "ok"}
    assert server.fleet.device(ACTOR, device)["in_service"] is False
    # Delivered again (say its answer was lost): recalled, not run a second time.
    from provisioning.agent import commands as runner

    runner.run(agent.state, {"id": "cmd-print-001", "kind": "test_print"}, hooks)
    assert printed == [1]


def test_a_reused_command_id_for_another_command_is_refused(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    from provisioning.server.errors import Conflict

    agent = make_agent(validate=lambda _d: None)
    accept(server, agent)
    server.fleet.command(ACTOR, agent.key.device_id, "unlock", {}, "cmd-00000001")
    with pytest.raises(Conflict) as refused:
        server.fleet.command(ACTOR, agent.key.device_id, "restart", {}, "cmd-00000001")
    assert refused.value.code == "command_id_reused"


def test_collected_logs_are_redacted_on_the_kiosk(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    agent = make_agent(hooks=Hooks(redact=redact), validate=lambda _d: None)
    agent.hooks.log_dir = log_dir = agent.root.parent / "logs"
    log_dir.mkdir(parents=True)
    (log_dir / "kiosk.log").write_text(
        "INFO printer ok\nWARNING lookup for 110101199003077758 phone 13812345678\n",
        encoding="utf-8",
    )
    accept(server, agent)
    server.fleet.command(ACTOR, agent.key.device_id, "collect_logs", {}, "cmd-logs-0001")
    report = agent.sync_once()
    assert report["commands"][0]["status"] == "done"
    with server.db.tx() as tx:
        (row,) = tx.all("SELECT content FROM device_logs")
    assert "printer ok" in row["content"]
    assert "110101199003077758" not in row["content"] and "13812345678" not in row["content"]


def test_unlock_resync_and_unknown_commands(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    agent = make_agent(validate=lambda _d: None)
    accept(server, agent)
    for kind in ("lock", "unlock", "resync", "test_print"):
        server.fleet.command(ACTOR, agent.key.device_id, kind, {})
    report = agent.sync_once()
    assert [r["status"] for r in report["commands"]] == ["done", "done", "done", "failed"]
    assert "no printer hook" in report["commands"][3]["result"]["error"]
    assert agent.service_state() == (True, "")


def test_a_storm_meets_429_with_a_retry_after_in_the_window(tmp_path: Any, clock: Any) -> None:
    from provisioning.agent import Refused
    from provisioning.agent.client import FleetClient
    from provisioning.agent.identity import load_or_create_device_key

    admission = Admission(max_inflight=1, retry_window=(7, 9), rng=random.Random(1))
    app = FleetApp(tmp_path, None, clock=clock, admission=admission)
    app.start()
    try:
        assert admission.enter()  # one slow request holds the only slot
        client = FleetClient(app.base_url, load_or_create_device_key(tmp_path / "k"), clock=clock)
        with pytest.raises(Refused) as refused:
            client.call("GET", "/v1/device/state")
        assert (refused.value.status, refused.value.code) == (429, "too_many_requests")
        assert 7 <= refused.value.retry_after <= 9
        admission.leave()
        with pytest.raises(Refused) as after:
            client.call("GET", "/v1/device/state")
        assert after.value.code == "unknown_device"  # admitted again once the slot is free
        client.close()
    finally:
        app.stop()


def test_one_device_asking_too_often_is_slowed_down() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=0.5, burst=2, clock=lambda: now[0])
    assert buckets.take("dev-a") == 0 and buckets.take("dev-a") == 0
    assert buckets.take("dev-a") == pytest.approx(2.0)
    assert buckets.take("dev-b") == 0  # others are not affected
    now[0] += 2
    assert buckets.take("dev-a") == 0


def test_heartbeats_are_jittered_and_honour_retry_after(make_agent: Callable[..., Agent]) -> None:
    agent = make_agent(rng=random.Random(7))
    delays = [agent.next_delay(300) for _ in range(200)]
    assert 240 <= min(delays) < 260 and 340 < max(delays) <= 360
    assert len({round(d) for d in delays}) > 50
    assert all(45 <= agent.next_delay(300, retry_after=45) <= 54 for _ in range(50))


def test_maintenance_events_ride_the_heartbeat_into_the_fleet_audit_log(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    agent = make_agent(validate=lambda _d: None)
    accept(server, agent)
    event = {"kind": "maintenance_pin_failed", "at": 1.0e9, "technician": "unknown",
             "method": "pin", "detail": "staff.error.bad_credentials"}  # fmt: skip
    agent.report_event(event)
    agent.report_event(event | {"kind": "maintenance_entered", "technician": "900101",
                                "detail": ""})  # fmt: skip
    assert len(agent.state.pending_events) == 2
    agent.sync_once()
    assert agent.state.pending_events == []  # sent, so not sent twice
    rows = [r for r in server.fleet.audit_log(ACTOR) if r["action"].startswith("kiosk.")]
    assert [(r["action"], r["actor"], r["detail"]["technician"]) for r in reversed(rows)] == [
        ("kiosk.maintenance_pin_failed", agent.key.device_id, "unknown"),
        ("kiosk.maintenance_entered", agent.key.device_id, "900101"),
    ]


def test_a_heartbeat_with_a_bad_event_is_refused_naming_the_field() -> None:
    with pytest.raises(Invalid) as info:
        health.check_heartbeat({"events": [{"kind": "coffee_break"}]})
    assert info.value.field == "events[0].kind"
    with pytest.raises(Invalid):
        health.check_heartbeat({"events": "maintenance_entered"})
    ok = health.check_heartbeat({"events": [{"kind": "maintenance_left", "at": 5}]})
    assert ok["events"][0]["kind"] == "maintenance_left"
