"""The server's half of software updates: releases in a TUF repository served with
Range, rollouts in waves driven by heartbeats, halting by themselves. The kiosks here are
real agents over HTTP whose updater is a stand-in that reports what the test says (the
real updater runs in test_fleet_rollout_50.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from provisioning.agent import Agent
from provisioning.agent.commands import Hooks
from provisioning.release.build import write_manifest
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.cli import main
from provisioning.server.errors import Conflict, FleetError, Invalid, NotFound
from provisioning.server.rollout_plan import canaries, percent, plan

ACTOR = cli_actor("test")


def stand_in_release(where: Path, version: str) -> Path:
    out = where / version
    (out / "wheels").mkdir(parents=True)
    (out / "wheels" / f"bianmin_kiosk-{version}-py3-none-any.whl").write_bytes(os.urandom(50_000))
    write_manifest(out, version, complete=True)
    return out


class Kiosk:
    """An agent whose updater says what the test tells it to."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.offers: list[Any] = []
        self.report: dict[str, Any] = {"offer_id": None, "state": "idle"}
        agent.hooks = Hooks(offer_update=self.offers.append, update_report=lambda: self.report)

    def beat(self) -> Any:
        return self.agent.sync_once().get("update", "absent")

    def says(self, state: str, reason: str = "", detail: str = "") -> None:
        offer = self.offers[-1]
        self.report = {"offer_id": offer["offer_id"], "version": offer["version"],
                       "state": state, "reason": reason, "detail": detail}  # fmt: skip


@pytest.fixture
def fleet(
    sqlite_server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any],
    tmp_path: Path,
) -> tuple[FleetApp, list[Kiosk]]:  # fmt: skip
    kiosks = []
    for n, site in enumerate(["s-0001"] * 4 + ["s-0002"] * 2 + ["s-0101"] * 4):
        agent = make_agent(f"k{n}")
        accept(sqlite_server, agent, site, f"SN-{n}")
        kiosks.append(Kiosk(agent))
    sqlite_server.releases.add(ACTOR, stand_in_release(tmp_path / "rel", "0.2.0"), "0.2.0")
    return sqlite_server, kiosks


# ---- plans and options ------------------------------------------------------------------


def test_canaries_spread_over_regions_then_the_rest_goes_region_by_region() -> None:
    members = [(f"a{i}", "county-a") for i in range(6)] + [(f"b{i}", "county-b") for i in range(4)]
    waves = plan(members, 2, 50)
    assert waves[0].label == "canary" and waves[0].devices == ("a0", "b0")
    assert [(w.region, len(w.devices)) for w in waves[1:]] == [
        ("county-a", 4), ("county-a", 1), ("county-b", 3)
    ]  # fmt: skip
    assert sorted(d for w in waves for d in w.devices) == sorted(m[0] for m in members)


@pytest.mark.parametrize("text", ["", "abc", "101%", "-5%", "5%%", "1e2"])
def test_bad_percentages_are_refused_naming_the_option(text: str) -> None:
    with pytest.raises(Invalid) as err:
        percent(text, "wave", zero_ok=False)
    assert err.value.field == "wave"


def test_canaries_by_count_or_share() -> None:
    assert (canaries("3", 10), canaries("25%", 10), canaries("0", 10)) == (3, 3, 0)
    for bad in ("10", "x", "3.5"):
        with pytest.raises(Invalid):
            canaries(bad, 10)


# ---- releases ---------------------------------------------------------------------------


def test_a_release_is_checked_before_it_is_signed(sqlite_server: FleetApp, tmp_path: Path) -> None:
    folder = stand_in_release(tmp_path, "0.3.0")
    with pytest.raises(Invalid, match=r"is version 0\.3\.0, not 0\.3\.1"):
        sqlite_server.releases.add(ACTOR, folder, "0.3.1")
    (wheel,) = (folder / "wheels").glob("*.whl")
    good = wheel.read_bytes()
    wheel.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    with pytest.raises(FleetError) as err:
        sqlite_server.releases.add(ACTOR, folder, "0.3.0")
    assert err.value.code == "tampered_release" and wheel.name in err.value.detail
    wheel.write_bytes(good[:1000])
    with pytest.raises(FleetError, match="truncated"):
        sqlite_server.releases.add(ACTOR, folder, "0.3.0")
    wheel.write_bytes(good)
    added = sqlite_server.releases.add(ACTOR, folder, "0.3.0", "修复打印机")
    assert (added["signed"], added["downgrade"], added["notes"]) == (True, False, "修复打印机")
    with pytest.raises(Conflict):
        sqlite_server.releases.add(ACTOR, folder, "0.3.0")
    assert sqlite_server.releases.set_downgrade(ACTOR, "0.3.0")["downgrade"] is True
    with pytest.raises(NotFound):
        sqlite_server.releases.set_downgrade(ACTOR, "9.9.9")


def test_the_repository_is_served_with_range(sqlite_server: FleetApp, tmp_path: Path) -> None:
    sqlite_server.releases.add(ACTOR, stand_in_release(tmp_path, "0.3.0"), "0.3.0")
    base = sqlite_server.base_url + "/tuf/"
    target = "targets/releases/0.3.0.json"
    whole = requests.get(base + target, timeout=10)
    assert whole.status_code == 200
    assert whole.content == (tmp_path / "0.3.0" / "release.json").read_bytes()
    size = len(whole.content)
    part = requests.get(base + target, headers={"Range": "bytes=10-"}, timeout=10)
    assert part.status_code == 206 and part.content == whole.content[10:]
    assert part.headers["Content-Range"] == f"bytes 10-{size - 1}/{size}"
    some = requests.get(base + target, headers={"Range": "bytes=0-9"}, timeout=10)
    assert (some.status_code, some.content) == (206, whole.content[:10])
    past = requests.get(base + target, headers={"Range": f"bytes={size}-"}, timeout=10)
    assert past.status_code == 416 and past.headers["Content-Range"] == f"bytes */{size}"
    head = requests.head(base + "metadata/1.root.json", timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) > 0
    for hidden in ("keys/root.pem", "metadata/../keys/root.pem", "metadata/%2e%2e/keys/root.pem",
                   "metadata/nothing.json", ""):  # fmt: skip
        assert requests.get(base + hidden, timeout=10).status_code == 404, hidden
    assert requests.post(base + target, timeout=10).status_code == 405


# ---- rollouts ---------------------------------------------------------------------------


def test_bad_rollouts_are_refused_with_clear_reasons(fleet: tuple[FleetApp, list[Kiosk]]) -> None:
    app, _ = fleet
    cases: list[tuple[dict[str, Any], str]] = [
        ({"version": "9.9.9", "target": "33"}, "unknown_release"),
        ({"version": "0.2.0", "target": "nowhere"}, "unknown_region"),
        ({"version": "0.2.0", "target": "33", "wave": "0%"}, "invalid_field"),
        ({"version": "0.2.0", "target": "33", "max_failures": "150%"}, "invalid_field"),
        ({"version": "0.2.0", "target": "33", "canary": "10"}, "invalid_field"),
    ]
    for kw, code in cases:
        with pytest.raises(FleetError) as err:
            app.rollouts.start(ACTOR, **kw)
        assert err.value.code == code, (kw, err.value)
    app.rollouts.start(ACTOR, "0.2.0", "330110")
    with pytest.raises(Conflict, match="under way"):
        app.rollouts.start(ACTOR, "0.2.0", "33")


def test_a_failing_canary_wave_halts_the_rollout_and_touches_no_one_else(
    fleet: tuple[FleetApp, list[Kiosk]],
) -> None:
    app, kiosks = fleet
    rollout = app.rollouts.start(ACTOR, "0.2.0", "33", canary="2", wave="50%",
                                 max_failures="10%")  # fmt: skip
    rid = rollout["id"]
    answers = [k.beat() for k in kiosks]
    offered = [k for k, a in zip(kiosks, answers, strict=True) if a != "absent"]
    assert len(offered) == 2 and all(k.offers[-1]["version"] == "0.2.0" for k in offered)
    assert offered[0].offers[-1]["repository"].endswith("/tuf/")
    county = {"s-0001": "330110", "s-0002": "330110", "s-0101": "330122"}
    assert sorted(county[str(k.agent.state.site_id)] for k in offered) == ["330110", "330122"]
    first, second = offered
    first.says("downloading")
    first.beat()
    first.says("rolled_back", "health_failed", "devices: printer: 未连接")
    first.beat()
    status = app.rollouts.status(ACTOR, rid)
    assert status["status"] == "halted" and "health_failed" in status["halted_reason"]
    assert status["problems"][0]["detail"] == "devices: printer: 未连接"  # the kiosk's words
    assert second.beat() == {"action": "withdrawn"}  # its offer not yet switched to: dropped
    second.report = {"offer_id": None, "state": "idle"}
    second.beat()
    assert app.rollouts.status(ACTOR, rid)["totals"]["withdrawn"] == 1
    for k in kiosks:
        if k not in offered:
            assert k.beat() == "absent" and k.offers == []
    # the admin looked, and resumes: the withdrawn canary gets a new offer id, the rest go on
    app.rollouts.move(ACTOR, rid, "resume")
    assert second.beat()["action"] == "offered"
    assert second.offers[-1]["offer_id"] != second.offers[0]["offer_id"]
    second.says("committed")
    second.beat()
    wave2 = [k for k in kiosks if k.beat() != "absent"]
    assert wave2 and not set(wave2) & set(offered)
    app.rollouts.move(ACTOR, rid, "abort")
    assert all(k.beat() == {"action": "withdrawn"} for k in wave2)
    with pytest.raises(Conflict):
        app.rollouts.move(ACTOR, rid, "resume")


def test_a_good_rollout_goes_wave_by_wave_to_the_end(fleet: tuple[FleetApp, list[Kiosk]]) -> None:
    app, kiosks = fleet
    rid = app.rollouts.start(ACTOR, "0.2.0", "33", canary="1", wave="100%")["id"]
    waves_seen = []
    for _round in range(10):
        fresh = [k for k in kiosks if k.beat() not in ("absent",) and k.report["state"] == "idle"]
        if not fresh:
            break
        waves_seen.append(len(fresh))
        for k in fresh:
            k.says("committed")
            k.beat()
    status = app.rollouts.status(ACTOR, rid)
    assert status["status"] == "finished" and status["totals"]["committed"] == len(kiosks)
    assert waves_seen == [1, 5, 4]  # a canary, then 余杭区 (s-0001, s-0002), then 桐庐县
    assert [w["outcome"] for w in status["waves_detail"]] == ["done"] * 3
    assert all(k.beat() == "absent" for k in kiosks)  # finished: nothing more to say
    paused = app.rollouts.start(ACTOR, "0.2.0", "s-0101")
    app.rollouts.move(ACTOR, paused["id"], "pause")
    assert all(k.beat() == "absent" for k in kiosks)  # paused before any offer went out


def test_the_command_line_adds_lists_and_rolls_out(
    fleet: tuple[FleetApp, list[Kiosk]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _app, kiosks = fleet
    data = ["--data-dir", str(tmp_path / "server")]
    folder = stand_in_release(tmp_path / "cli", "0.2.1")
    assert main([*data, "release", "add", str(folder), "--version", "0.2.1"]) == 0
    assert main([*data, "release", "list"]) == 0
    listed = capsys.readouterr().out
    assert "0.2.1" in listed and "0.2.0" in listed
    assert main([*data, "rollout", "start", "0.2.1", "--target", "nowhere"]) == 1
    assert "unknown_region" in capsys.readouterr().err
    assert main([*data, "rollout", "start", "0.2.1", "--target", "33", "--wave", "0"]) == 1
    assert "wave" in capsys.readouterr().err
    assert main([*data, "rollout", "start", "0.2.1", "--target", "33", "--canary", "2"]) == 0
    assert "rollout 1: 0.2.1 to 33" in capsys.readouterr().out
    assert sum(k.beat() != "absent" for k in kiosks) == 2  # the server in the other process
    assert main([*data, "rollout", "status", "1", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["totals"]["offered"] == 2 and status["waves_detail"][0]["label"] == "canary"
    assert main([*data, "rollout", "pause", "1"]) == 0
    assert "paused" in capsys.readouterr().out
    assert main([*data, "rollout", "status", "7"]) == 1
    assert "unknown_rollout" in capsys.readouterr().err


def test_keys_rotate_and_the_timestamp_is_signed_again_before_it_expires(
    sqlite_server: FleetApp, tmp_path: Path
) -> None:
    releases = sqlite_server.releases
    releases.add(ACTOR, stand_in_release(tmp_path, "0.3.0"), "0.3.0")
    assert releases.refresh_if_due() is False  # a day to go
    repo = releases.repository()
    old = repo.load("root").signed.roles["targets"].keyids
    new_key = releases.rotate(ACTOR, "targets")
    root = repo.load("root").signed
    assert root.version == 2 and root.roles["targets"].keyids == [new_key] != old
    assert (repo.metadata / "2.root.json").exists()  # kiosks walk 1 -> 2
    repo.refresh(timestamp_days=0.2)  # about to expire
    before = repo.load("timestamp").signed.version
    assert releases.refresh_if_due() is True
    assert repo.load("timestamp").signed.version == before + 1
    with pytest.raises(Invalid):
        releases.rotate(ACTOR, "nobody")


def test_the_sweep_opens_a_wave_whose_last_reports_crossed(
    fleet: tuple[FleetApp, list[Kiosk]],
) -> None:
    # two kiosks finishing a wave in concurrent PostgreSQL transactions each see the
    # other's row unfinished: nobody opens the next wave unless the sweep does
    app, _kiosks = fleet
    rid = app.rollouts.start(ACTOR, "0.2.0", "33", canary="1", wave="100%")["id"]
    with app.db.tx() as tx:
        tx.run("UPDATE rollout_devices SET state = 'committed' WHERE wave = 0")
    assert app.rollouts.status(ACTOR, rid)["current_wave"] == 0
    app.rollouts.sweep()
    assert app.rollouts.status(ACTOR, rid)["current_wave"] == 1
