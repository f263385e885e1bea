"""The agent carries the kiosk's hourly usage batches after its heartbeat, to a real HTTP
server on loopback (tests/support/usage_fleet.py, answering as docs/analytics.md says):
the exact JSON, delivered on 2xx, a resend after a cut stored once, a refusal flagged
with its reason and never resent, anything else kept for the next round, offline hours
caught up in order."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config import CATALOGUE_FILE
from kiosk.catalogue import load_catalogue
from kiosk.usage import UsageRecorder, UsageStore
from provisioning.agent import Agent
from tests.support.usage import CST, WallClock
from tests.support.usage_fleet import UsageFleet

ALLOWANCE = "33102300MZ-JF-0001"
CATALOGUE = load_catalogue(CATALOGUE_FILE)
START = dt.datetime(2026, 1, 5, 9, 10, tzinfo=CST)


@dc.dataclass
class Rig:
    fleet: UsageFleet
    agent: Agent
    recorder: UsageRecorder
    wall: WallClock

    def hour(self, **counts: int) -> None:
        """Count in the current hour, then move the clock into the next one."""
        for metric, value in counts.items():
            self.recorder.count(metric, value)
        self.wall.advance(hours=1)

    def sync(self) -> dict[str, Any]:
        report = self.agent.sync_once()
        usage: dict[str, Any] = report.get("usage", {})
        return usage


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    wall = WallClock(START)
    fleet = UsageFleet(CATALOGUE, now=wall).start()
    recorder = UsageRecorder(UsageStore(tmp_path / "usage.sqlite3"), matters=lambda: CATALOGUE,
                             now=wall)  # fmt: skip
    agent = Agent(tmp_path, validate=lambda _dir: None, software_version="test", usage=recorder)
    fleet.enroll(agent)
    yield Rig(fleet, agent, recorder, wall)
    agent.close()
    recorder.close()
    fleet.stop()


def test_the_batches_go_after_the_heartbeat_exactly_as_sealed(rig: Rig) -> None:
    rig.recorder.count("ratings", flow="promised", matter=ALLOWANCE, level=2)
    rig.hour(sessions_started=3)
    rig.hour(sessions_started=1)
    assert rig.sync() == {"sent": 2, "refused": [], "kept": 0}
    assert rig.fleet.heartbeats == 1
    (device, first), (_, second) = rig.fleet.received
    assert device == rig.agent.key.device_id
    nine = json.loads(first)
    assert nine == {
        "format": "bianmin-usage/1",
        "batch_id": nine["batch_id"],
        "hour": "2026-01-05T09:00:00+08:00",
        "counters": [
            {"metric": "ratings", "flow": "promised", "matter": ALLOWANCE, "level": 2,
             "value": 1},
            {"metric": "sessions_started", "value": 3},
        ],
    }  # fmt: skip
    assert nine["batch_id"].startswith("u-2026010509-")
    assert json.loads(second)["hour"] == "2026-01-05T10:00:00+08:00"
    assert rig.sync() == {"sent": 0, "refused": [], "kept": 0}  # delivered: never again
    assert rig.recorder.status()["sent"] == 2


def test_a_resend_after_a_cut_is_stored_once(rig: Rig) -> None:
    rig.hour(sessions_started=2)
    rig.fleet.script = ["cut"]  # stored, but the answer is lost on the way back
    assert rig.sync() == {"sent": 0, "refused": [], "kept": 1, "error": "unreachable"}
    assert rig.sync() == {"sent": 1, "refused": [], "kept": 0}  # "duplicate": delivered
    first, again = (body for _, body in rig.fleet.received)
    assert first == again
    assert len(rig.fleet.batches(rig.agent.key.device_id)) == 1


@pytest.mark.parametrize("fault", [503, 429, 404, 401, "html"])
def test_anything_but_a_refusal_keeps_the_batch_for_the_next_round(
    rig: Rig, fault: int | str
) -> None:
    rig.hour(sessions_started=1)
    rig.fleet.script = [fault]
    report = rig.sync()
    assert (report["sent"], report["kept"], report["refused"]) == (0, 1, [])
    assert rig.recorder.status()["pending"] == 1
    assert rig.sync()["sent"] == 1


def test_a_refusal_is_flagged_with_its_reason_and_not_resent(rig: Rig) -> None:
    rig.recorder.count("journeys_started", flow="promised", matter=ALLOWANCE)
    rig.hour()
    rig.hour(sessions_started=1)
    rig.fleet.matters = {m.code for m in CATALOGUE if m.code != ALLOWANCE}  # not in its list
    report = rig.sync()
    assert report["sent"] == 1 and [r["code"] for r in report["refused"]] == ["unknown_matter"]
    (refusal,) = rig.recorder.status()["refused"]
    assert refusal["hour"] == "2026-01-05T09:00:00+08:00"
    assert refusal["code"] == "unknown_matter" and "counters[0].matter" in refusal["detail"]
    assert rig.sync()["refused"] == [] and len(rig.fleet.received) == 2  # never again


def test_a_conflicting_hour_is_refused_by_the_server(rig: Rig) -> None:
    rig.hour(sessions_started=1)
    sealed = rig.recorder.outgoing(limit=1)[0]
    other = {**sealed, "batch_id": "u-2026010509-ffffffffffffffff"}
    rig.fleet.stored[(rig.agent.key.device_id, sealed["hour"])] = other
    assert [r["code"] for r in rig.sync()["refused"]] == ["batch_conflict"]


def test_offline_hours_are_caught_up_in_order(rig: Rig) -> None:
    rig.fleet.down = True
    for n in range(5):
        rig.hour(sessions_started=n + 1)
        report = rig.agent.sync_once()
        assert report["contacted"] is False and "usage" not in report
    rig.fleet.down = False
    rig.agent.sync_once()
    stored = rig.fleet.batches(rig.agent.key.device_id)
    assert [b["hour"][11:13] for b in stored] == ["09", "10", "11", "12", "13"]
    assert [b["counters"][0]["value"] for b in stored] == [1, 2, 3, 4, 5]


def test_a_broken_queue_does_not_stop_the_heartbeat(rig: Rig) -> None:
    class Broken:
        def outgoing(self, limit: int) -> list[dict[str, Any]]:
            raise OSError("disk gone")

        def delivered(self, bid: str) -> None: ...

        def refused(self, bid: str, code: str, detail: str) -> None: ...

    rig.agent.usage = Broken()
    report = rig.agent.sync_once()
    assert report["usage"] == {"sent": 0, "error": "OSError"}
    assert rig.fleet.heartbeats == 1 and "error" not in report
