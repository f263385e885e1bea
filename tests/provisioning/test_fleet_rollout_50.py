"""The real rollout test: 50 kiosk agents, each with its own state folder, version slots
and updater, against a real fleet server on a loopback port (tests/support/fleet_rollout.py).

Two releases built from this repository: 0.2.1, whose printer answers nothing, and
0.2.0, good. The broken one's canary wave fails its health check, the rollout halts by
itself, the canaries are back on 0.1.0 and no kiosk outside the canary wave was touched;
then the good one goes out in waves to 100% commit. Timings are bench_rollout.py's.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fleet_rollout import (
    ACTOR,
    BROKEN,
    GOOD,
    OLD,
    Fleet,
    device_states,
    history,
    releases,
)

KIOSKS = 50


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    base = tmp_path_factory.mktemp("rollout")
    made = Fleet(base / "fleet", releases(base / "releases"), KIOSKS)
    yield made
    made.close()


@pytest.mark.timeout(900)
def test_a_broken_release_halts_at_the_canaries_and_a_good_one_reaches_every_kiosk(
    fleet: Fleet,
) -> None:
    started = fleet.app.rollouts.start(
        ACTOR, BROKEN, "p", canary="3", wave="50%", max_failures="10%"
    )
    rid = started["id"]
    canaries = {d for d, s in device_states(fleet, rid).items() if s["wave"] == 0}
    assert len(canaries) == 3 and len(started["waves_detail"]) == 4  # canaries + 3 counties
    status = fleet.run(rid)

    assert status["status"] == "halted", status
    assert "health_failed" in status["halted_reason"]
    assert [w["outcome"] for w in status["waves_detail"]] == ["halted", "", "", ""]
    by_device = device_states(fleet, rid)
    for k in fleet.kiosks:
        if k.device_id in canaries:  # tried it, failed its check, went back by itself
            last = history(k)[-1]
            assert (last["state"], last["reason"]) == ("rolled_back", "health_failed"), last
            assert "printer" in last["detail"]
            assert k.layout.get("current") == k.layout.get("good") == OLD
            assert k.apps[-1]["version"] == OLD and k.apps[-1]["ok"] is True  # runs, works
            assert by_device[k.device_id]["state"] == "rolled_back"
        else:  # never offered anything, nothing downloaded or installed
            assert k.offers == [] and not (k.updates / "offer.json").exists(), k.device_id
            assert k.layout.installed() == [OLD] and k.apps == []
            assert k.updater.load().state == "idle" and k.downloaded() < 10_000
            assert by_device[k.device_id]["state"] == "pending"
    problems = status["problems"]
    assert {p["device_id"] for p in problems} == canaries
    assert all("printer" in p["detail"] for p in problems)  # the kiosk's words reach the server

    fleet.app.rollouts.move(ACTOR, rid, "abort")
    good = fleet.app.rollouts.start(ACTOR, GOOD, "p", canary="3", wave="50%", max_failures="10%")
    status = fleet.run(good["id"])

    assert status["status"] == "finished", status
    assert status["totals"]["committed"] == KIOSKS and status["problems"] == []
    assert [w["outcome"] for w in status["waves_detail"]] == ["done"] * 4
    for k in fleet.kiosks:
        assert k.layout.get("current") == k.layout.get("good") == GOOD
        assert k.app_version == GOOD and k.apps[-1]["ok"] is True
    with fleet.app.db.read() as tx:
        reported = tx.all("SELECT software_version, COUNT(*) AS n FROM devices"
                          " GROUP BY software_version")  # fmt: skip
    assert reported == [{"software_version": GOOD, "n": KIOSKS}]  # each kiosk's own word
    census = fleet.app.fleet.region(ACTOR, "p")["census"]
    assert census["versions"] == [(GOOD, KIOSKS)]  # the console's version mix
