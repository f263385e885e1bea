"""A fleet of kiosks updated for real by a rollout: the rollout test's and
bench_rollout.py's rig.

One fleet server (uvicorn on a loopback port, SQLite) keeps the releases in its TUF
repository and serves them at ``/tuf/``. Each kiosk has its own state folder and version
slots (a hard-linked copy of a 0.1.0 install), its own fleet agent (terminal/fleet.py's,
enrolled with a pairing code and approved into a site) and its own updater
(terminal/updater/, in this process through its class: a thread each, so 50 of them do
not cost 50 interpreters). The updater checks the TUF metadata, downloads the wheel over
HTTP with Range from the fleet server and installs it into a new venv offline; the
"app" is ``kiosk update selftest`` started from whatever ``current`` names, held alive
while the updater judges its proof (devices, outbox, fleet reached), as the kiosk app
would be. Releases are project-only (their venvs see this environment's packages through
a .pth line, like the kill test's), so a kiosk's update costs seconds.

A *round* is what a kiosk does between two heartbeats, for every kiosk at once: the
heartbeat (its report out, the offer in), the updater's steps, the app restarted onto a
switched version and judged, and a heartbeat again with the outcome.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from provisioning.agent import Agent
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import Admission, ClientLimits, TokenBuckets
from terminal.fleet import kiosk_agent
from terminal.updater.install import install
from terminal.updater.layout import Layout
from terminal.updater.service import Updater
from terminal.updater.state import read_json, write_json
from terminal.updater.trust import install_root
from tests.support.releases import BASE_SITE, build

ACTOR = cli_actor("rollout-rig")
REQUIRE = ("devices", "outbox", "fleet")  # the selftest has no window to draw a screen
# no smartcard reader (pcscd is the system's, shared); the devices the old version had
# working are what a new one must show
SITE = '[updates]\nhours = ""\ndownload_kbps = 200000\n[devices]\nsmartcard = "pcsc://none-such"\n'
BASELINE = {"working": ["camera", "docscan", "idcard", "printer"]}
COUNTIES = ("c1", "c2", "c3")
OLD, GOOD, BROKEN = "0.1.0", "0.2.0", "0.2.1"


def releases(base: Path) -> dict[str, Path]:
    """0.1.0 (what the kiosks run), 0.2.0 (good) and 0.2.1 (its printer answers nothing)."""
    return {v: build(v, base / v, complete=False) for v in (OLD, GOOD, BROKEN)}


class Kiosk:
    def __init__(self, where: Path, template: Path, site: Path) -> None:
        self.where = where
        self.root, self.state = where / "opt", where / "state"
        where.mkdir(parents=True)
        subprocess.run(["cp", "-al", str(template), str(self.root)], check=True)
        self.layout = Layout(self.root)
        self.updates = self.state / "updates"
        self.env = {**os.environ, "KIOSK_STATE_DIR": str(self.state),
                    "KIOSK_CONFIG": str(site), "KIOSK_APP_ROOT": str(self.root)}  # fmt: skip
        for name in ("KIOSK_FAILPOINT", "DISPLAY"):
            self.env.pop(name, None)
        self.agent: Agent = kiosk_agent(self.state)
        self.updater = Updater(self.layout, self.updates, hours="", kbps=200_000,
                               prove_within_s=120, require=REQUIRE,
                               base_site=BASE_SITE)  # fmt: skip
        self.app_version = OLD
        self.offers: list[str] = []  # offer ids the agent handed the updater
        self.apps: list[dict[str, Any]] = []  # each start of the app: its proof report

    @property
    def device_id(self) -> str:
        return self.agent.key.device_id

    def heartbeat(self) -> None:
        self.agent.software_version = self.app_version  # the app's agent says what runs
        report = self.agent.sync_once()
        update = report.get("update") or {}
        fresh = update.get("offer_id") not in self.offers[-1:]
        if update.get("action") == "offered" and fresh:
            self.offers.append(update["offer_id"])
        if "error" in report:
            raise AssertionError(f"{self.device_id}: {report['error']}")

    def step_updater(self) -> dict[str, Any]:
        before = None
        for _ in range(10):
            self.updater.step()
            now = {k: v for k, v in self.updater.status().items() if k != "at"}
            if now == before:
                break
            before = now
        return self.updater.status()

    def round(self) -> None:
        self.heartbeat()
        self.step_updater()
        for _ in range(3):  # onto the new version; back onto the old one after a rollback
            if self.layout.get("current") == self.app_version:
                break
            self.restart_app()
        self.heartbeat()

    def restart_app(self) -> None:
        """The kiosk app restarts onto ``current`` and proves itself while the updater
        judges; then it stays the running version."""
        python = str((self.root / "current").resolve() / "venv" / "bin" / "python")
        proc = subprocess.Popen(
            [python, "-m", "terminal.cli", "update", "selftest", "--hold", "120"],
            env=self.env, cwd=self.where, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, start_new_session=True,
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("}"):
                    break
            report = json.loads("".join(lines))
            self.apps.append(report)
            self.app_version = str(report["version"])
            self.step_updater()  # judged while the app is alive
        finally:
            proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        (self.updates / "restart.json").unlink(missing_ok=True)  # the app restarted onto it

    def downloaded(self) -> int:
        """Bytes the updater fetched and kept: wheels in its cache, TUF metadata."""
        total = 0
        for folder in (self.updates / "cache", self.updates / "metadata"):
            if folder.is_dir():
                total += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        return total

    def close(self) -> None:
        self.agent.close()


class Fleet:
    """The fleet server and ``n`` kiosks on 0.1.0 spread over three counties."""

    def __init__(self, where: Path, built: dict[str, Path], n: int, workers: int = 4) -> None:
        self.where, self.built = where, built
        many = TokenBuckets(rate=1000, burst=1000)  # 50 kiosks enroll from one address
        self.app = FleetApp(where / "server", buckets=many, admission=Admission(max_inflight=64),
                            client_limits=ClientLimits(many, many))  # fmt: skip
        self.app.start()
        self.pool = ThreadPoolExecutor(max_workers=workers)
        self.kiosks: list[Kiosk] = []
        self._tree()
        for version in (GOOD, BROKEN):
            self.app.releases.add(ACTOR, built[version], version, f"rig {version}")
        template = Layout(where / "template")
        install(template, OLD, sorted((built[OLD] / "wheels").glob("*.whl")), base_site=BASE_SITE)
        template.point("current", OLD)
        template.point("good", OLD)
        site = where / "site.toml"
        site.write_text(SITE, encoding="utf-8")
        root = self.app.releases.repository().root_bytes(1)
        sites = [f"{c}-s{i}" for c in COUNTIES for i in (1, 2)]
        codes = {s: self.app.fleet.pairing_code(ACTOR, s, uses=n)[0] for s in sites}
        for i in range(n):
            k = Kiosk(where / f"k{i:03d}", template.root, site)
            install_root(k.updates, root)
            write_json(k.updates / "devices.json", BASELINE)
            s = sites[i % len(sites)]
            k.agent.enroll(self.app.base_url, codes[s], f"SN-{i:04d}")
            self.app.fleet.approve(ACTOR, k.device_id, s)
            self.kiosks.append(k)

    def _tree(self) -> None:
        add = self.app.fleet.add_region
        add(ACTOR, "p", "演示省", "province", None)
        for c in COUNTIES:
            add(ACTOR, c, f"{c} 县", "county", "p")
            add(ACTOR, f"{c}-t", f"{c} 镇", "township", c)
            for i in (1, 2):
                add(ACTOR, f"{c}-s{i}", f"{c} 第{i}村便民服务站", "site", f"{c}-t")

    def status(self, rollout_id: int) -> dict[str, Any]:
        return self.app.rollouts.status(ACTOR, rollout_id)

    def run(self, rollout_id: int, max_rounds: int = 40) -> dict[str, Any]:
        """Rounds until the rollout has halted or finished and no kiosk is mid-update."""
        for _ in range(max_rounds):
            list(self.pool.map(Kiosk.round, self.kiosks))
            status = self.status(rollout_id)
            busy = sum(status["totals"][s] for s in ("offered", "downloading", "installed"))
            if status["status"] in ("halted", "finished") and busy == 0:
                list(self.pool.map(Kiosk.heartbeat, self.kiosks))  # last words
                return self.status(rollout_id)
        raise AssertionError(f"the rollout never settled: {self.status(rollout_id)}")

    def close(self) -> None:
        self.pool.shutdown()
        for k in self.kiosks:
            k.close()
        self.app.stop()


def summary(fleet: Fleet, rollout_id: int, started: float) -> dict[str, Any]:
    """The benchmark's JSON: what the kiosks say of themselves, and the server's view."""
    status = fleet.status(rollout_id)
    in_rollout = {d["device_id"] for d in _states(fleet, rollout_id) if d["state"] != "pending"}
    versions = [k.layout.get("current") for k in fleet.kiosks]
    return {
        "kiosks": len(fleet.kiosks),
        "committed": status["totals"]["committed"],
        "rolled_back": status["totals"]["rolled_back"],
        "untouched": sum(1 for k in fleet.kiosks if not k.offers and k.device_id not in in_rollout),
        "halted": status["status"] == "halted",
        "seconds": round(time.monotonic() - started, 1),
        "versions": {v: versions.count(v) for v in sorted({str(v) for v in versions})},
    }


def _states(fleet: Fleet, rollout_id: int) -> list[dict[str, Any]]:
    with fleet.app.db.read() as tx:
        return tx.all(
            "SELECT device_id, wave, state, reason FROM rollout_devices WHERE rollout_id = ?",
            (rollout_id,),
        )


def device_states(fleet: Fleet, rollout_id: int) -> dict[str, dict[str, Any]]:
    return {d["device_id"]: d for d in _states(fleet, rollout_id)}


def history(k: Kiosk) -> list[dict[str, Any]]:
    return list((read_json(k.updates / "state.json") or {}).get("history", []))


def remove(where: Path) -> None:
    shutil.rmtree(where, ignore_errors=True)
