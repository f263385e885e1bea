"""End to end on this machine: three releases built from this repository (0.1.0; 0.2.0,
good, with an outbox migration; 0.2.1, whose printer nothing answers on), each a wheel
and a complete wheelhouse installed offline into its own venv; the real kiosk window on
a virtual display restarted by a systemd stand-in; the updater as its own process.

The good release commits; the broken one fails its devices' health check and the kiosk
goes back to 0.2.0 by itself and says why; applications queued before the upgrades
reach the platform exactly once. The releases are built once per test session (their
dependency wheels kept in ~/.cache/bianmin-kiosk/wheels between sessions). No smartcard
is configured (the simulated one would use the system's shared pcscd). Timings are
measured by bench/bench_update.py.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from provisioning.release.repo import Repository
from terminal.system.xvfb import virtual_display
from terminal.wiring import sandbox_db
from tests.support.releases import build
from tests.support.update_rig import Machine
from tests.terminal.updater.test_updater_kill import queue


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("releases")
    return {v: build(v, base / v, complete=True) for v in ("0.1.0", "0.2.0", "0.2.1")}


@pytest.fixture
def machine(tmp_path: Path, releases: dict[str, Path]) -> Iterator[Machine]:
    repo = Repository.init(tmp_path / "repo")
    repo.add_release(releases["0.2.0"])
    repo.add_release(releases["0.2.1"])
    with virtual_display() as display:
        m = Machine(tmp_path, releases["0.1.0"], repo, display)
        try:
            yield m
        finally:
            m.close()


@pytest.mark.timeout(1800)
def test_a_good_release_commits_and_a_broken_one_rolls_back_by_itself(machine: Machine) -> None:
    queued = queue(machine.state, 3, "queued before the upgrade, platform away")
    machine.start_app()
    machine.running_version("0.1.0")

    machine.offer("0.2.0")
    machine.until("committed")
    assert machine.running_version("0.2.0")["checks"]["devices"]["ok"] is True
    status = machine.updater_step()
    assert (status["current"], status["good"], status["previous"]) == ("0.2.0", "0.2.0", "0.1.0")

    machine.offer("0.2.1")
    status = machine.until("rolled_back")
    assert status["reason"] == "health_failed" and "printer" in status["detail"], status
    machine.running_version("0.2.0")  # back on the good version, by itself
    assert status["current"] == status["good"] == "0.2.0"
    assert sorted(p.name for p in (machine.apps / "versions").iterdir()) == ["0.1.0", "0.2.0"]

    queued += queue(machine.state, 1, "queued after the rollback")
    for _second in range(120):  # the pump sends in the background
        if sorted(_sent(machine)) == sorted(queued):
            break
        time.sleep(1)
    assert sorted(_sent(machine)) == sorted(queued)  # each exactly once
    with sqlite3.connect(machine.state / "outbox.sqlite3") as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(items)")]
        assert "kiosk_version" in columns  # 0.2.0's migration, read by 0.2.0 after 0.2.1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def _sent(machine: Machine) -> list[str]:
    with sqlite3.connect(sandbox_db(machine.state)) as conn:
        return [r[0] for r in conn.execute("SELECT client_ref FROM applications")]
