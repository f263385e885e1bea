"""A kiosk machine in a folder, updated for real: the e2e test's and bench_update.py's rig.

``kiosk install-service --root`` lays out release 0.1.0 (every dependency installed
offline from its wheelhouse); a systemd stand-in restarts the launcher whenever the app
exits (``Restart=always``); the app is the real window (``kiosk run --windowed``) on a
virtual display; the updater runs as a process from the ``good`` version, as its unit
would. A TUF repository with the releases is served with HTTP Range on loopback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from provisioning.release.httpd import StaticServer
from provisioning.release.repo import Repository
from tests.support import ROOT

# no smartcard: the simulated one would use the system's shared pcscd
SITE = (
    '[updates]\nhours = ""\ndownload_kbps = 100000\nprove_within_s = 300\n'
    '[ui]\nvoice = false\n[devices]\nsmartcard = "pcsc://none-such"\n'
)


class Supervisor:
    """``Restart=always`` for the launcher: the app runs again after every exit."""

    def __init__(self, launch: Path, env: dict[str, str], log: Path) -> None:
        self.launch, self.env, self.log = launch, env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def _loop(self) -> None:
        with self.log.open("ab") as out:
            while not self._stop.is_set():
                self.starts += 1
                self.proc = subprocess.Popen(
                    [str(self.launch), "--windowed"],
                    env=self.env,
                    stdout=out,
                    stderr=out,
                    cwd=self.launch.parent,
                    start_new_session=True,
                )
                self.proc.wait()
                self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
        self._thread.join(timeout=10)


class Machine:
    def __init__(self, where: Path, base_release: Path, repo: Repository, display: str) -> None:
        self.where = where
        self.root = where / "root"
        self.apps = self.root / "opt" / "bianmin-kiosk"
        self.state = self.root / "var" / "lib" / "bianmin-kiosk"
        self.updates = self.state / "updates"
        self.site = where / "site.toml"
        where.mkdir(parents=True, exist_ok=True)
        self.site.write_text(SITE, encoding="utf-8")
        self.repo = repo
        self.env = {
            **os.environ,
            "KIOSK_STATE_DIR": str(self.state),
            "DISPLAY": display,
            "KIOSK_CONFIG": str(self.site),
            "KIOSK_APP_ROOT": str(self.apps),
        }
        self.env.pop("KIOSK_FAILPOINT", None)
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "terminal.cli",
                "install-service",
                "--root",
                str(self.root),
                "--release",
                str(base_release),
                "--no-user",
                "--no-enable",
                "--update-root",
                str(repo.metadata / "1.root.json"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=900,
            env=self.env,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        self.install_s = time.monotonic() - started
        self.server = StaticServer(repo.path).start()
        self.app: Supervisor | None = None

    def start_app(self) -> None:
        self.app = Supervisor(self.apps / "launch", self.env, self.where / "app.log").start()

    def close(self) -> None:
        if self.app is not None:
            self.app.stop()
        self.server.stop()

    def offer(self, version: str) -> None:
        doc = {"offer_id": f"e2e-{version}", "version": version, "repository": self.server.url}
        (self.updates / "offer.json").write_text(json.dumps(doc))

    def updater_step(self) -> dict[str, Any]:
        done = subprocess.run(
            [str(self.apps / "launch-updater"), "--until-stable"],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.where,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    def proof(self) -> dict[str, Any]:
        try:
            return dict(json.loads((self.updates / "proof.json").read_text()))
        except (FileNotFoundError, ValueError):
            return {}

    def until(self, state: str, limit_s: float = 600) -> dict[str, Any]:
        """Step the updater until its report says ``state`` (or fail after limit_s)."""
        deadline = time.monotonic() + limit_s
        while True:
            status = self.updater_step()
            if status["state"] == state:
                return status
            if status["state"] in ("failed", "committed", "rolled_back"):
                raise AssertionError(f"wanted {state}: {status}\n{self.app_log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {state} in {limit_s} s: {status}\n{self.app_log()}")
            time.sleep(2)

    def running_version(self, version: str, limit_s: float = 180) -> dict[str, Any]:
        """Wait until the app running is ``version`` and has drawn its attract screen."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            proof = self.proof()
            checks = proof.get("checks", {})
            if proof.get("version") == version and "attract" in checks and "devices" in checks:
                return proof
            time.sleep(0.5)
        raise AssertionError(f"{version} never drew its screen: {self.proof()}\n{self.app_log()}")

    def app_log(self) -> str:
        path = self.where / "app.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
