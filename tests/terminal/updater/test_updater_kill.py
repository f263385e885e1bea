"""The update kill test: ``kill -9`` at seeded random points of download, unpack,
install, migrate and switch; after every one the kiosk starts a working version and
the outbox has lost nothing and sent nothing twice.

Each trial is a kiosk of its own running release 0.1.0 with applications queued while
the platform was away, offered 0.2.0 (which adds an outbox column). The updater runs
as a real process from the good version's venv with one failpoint armed
(kiosk/failpoints.py; ``unpack`` kills pip's process group a seeded number of
milliseconds into its work), is killed, is started again and carries on. The app is
``kiosk update selftest`` from whatever ``current`` names (the core without a window:
devices, outbox after its migrations — where ``migrate`` trials kill it — and the
stand-in platform, to which it flushes the outbox). One trial in three runs the new
version with a printer nothing answers on, so it fails its health check and the kiosk
rolls back; an application queued after that is sent by the old version, on the file
the new one migrated. The oracle: each queued application is on the platform exactly
once, the outbox is empty and intact, and ``current`` is a complete version.

The releases are project-only (their environments see this one's dependencies through
a .pth line), so a trial costs seconds; the full path with every dependency installed
offline is tests/terminal/updater/test_updater_e2e.py.

Trials: ``KIOSK_UPDATE_KILL_TRIALS`` (default 50). No smartcard is configured: the
simulated one would use the system's shared pcscd.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.outbox import Attachment, Outbox, Submission, load_or_create_key
from kiosk.upstream import Applicant
from provisioning.release.httpd import StaticServer
from provisioning.release.repo import Repository
from terminal.updater.fetch import CHUNK
from terminal.updater.install import install
from terminal.updater.layout import Layout
from terminal.updater.state import write_json
from terminal.updater.trust import install_root
from terminal.wiring import outbox_db, outbox_key, sandbox_db
from tests.support import ROOT
from tests.support.releases import BASE_SITE, build

TRIALS = int(os.environ.get("KIOSK_UPDATE_KILL_TRIALS", "50"))
PHASES = ("download", "unpack", "install", "switch", "migrate")
REQUIRE = "devices,outbox,fleet"  # the selftest has no window to draw the attract screen
# no smartcard reader here (pcscd is the system's, shared): the rig's devices are the
# ID card reader, the printer and the cameras, as the last good version saw them
SITE = '[updates]\nhours = ""\ndownload_kbps = 200000\n[devices]\nsmartcard = "pcsc://none-such"\n'
BASELINE = {"working": ["camera", "docscan", "idcard", "printer"]}
BROKEN_SITE = SITE + 'printer = "tcp://127.0.0.1:9"\n'


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A repository with 0.1.0 and 0.2.0, served; a kiosk root with 0.1.0 installed."""
    base = tmp_path_factory.mktemp("kill-rig")
    a = build("0.1.0", base / "r010", complete=False)
    b = build("0.2.0", base / "r020", complete=False)
    repo = Repository.init(base / "repo")
    repo.add_release(a)
    repo.add_release(b)
    template = Layout(base / "template")
    wheels = sorted((a / "wheels").glob("*.whl"))
    install(template, "0.1.0", wheels, base_site=BASE_SITE)
    template.point("current", "0.1.0")
    template.point("good", "0.1.0")
    server = StaticServer(repo.path).start()
    (b_wheel,) = (b / "wheels").glob("*.whl")
    chunks = b_wheel.stat().st_size // CHUNK
    yield {"repo": repo, "template": template.root, "url": server.url, "chunks": chunks}
    server.stop()


def queue(state: Path, n: int, tag: str) -> list[str]:
    outbox = Outbox(outbox_db(state), load_or_create_key(outbox_key(state)))
    try:
        numbers = []
        for i in range(n):
            sub = Submission(
                matter_code="330110-MZ-012",
                matter_name="最低生活保障申请",
                department="区民政局",
                applicant=Applicant("resident_id", "33010219851231987X", "欧阳明月", "13912345678"),
                answers={"household_size": str(i), "note": tag},
                attachments=[Attachment("M0", "scan.jpg", "image/jpeg", os.urandom(3000))],
                channel="kiosk",
                station_id="demo-0001",
                region_code="110101",
            )
            numbers.append(outbox.enqueue(sub).provisional_no)
        return numbers
    finally:
        outbox.close()


def run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> int:
    done = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
    )
    if done.returncode not in (0, -9):
        raise AssertionError(f"{cmd[2:5]} exited {done.returncode}: {done.stderr[-1500:]}")
    return done.returncode


class Kiosk:
    def __init__(self, root: Path, state: Path, url: str) -> None:
        self.root, self.state, self.url = root, state, url
        self.layout = Layout(root)
        self.site = state.parent / "site.toml"
        self.site.write_text(SITE, encoding="utf-8")
        self.env = {
            **os.environ,
            "KIOSK_STATE_DIR": str(state),
            "KIOSK_CONFIG": str(self.site),
            "KIOSK_APP_ROOT": str(root),
        }
        self.env.pop("KIOSK_FAILPOINT", None)

    def python(self, link: str) -> str:
        return str((self.root / link).resolve() / "venv" / "bin" / "python")

    def updater(self, failpoint: str = "") -> int:
        env = {**self.env, **({"KIOSK_FAILPOINT": failpoint} if failpoint else {})}
        cmd = [
            self.python("good"),
            "-m",
            "terminal.updater",
            "--until-stable",
            "--require",
            REQUIRE,
            "--base-site",
            str(BASE_SITE),
            "--prove-within",
            "120",
        ]
        return run(cmd, env, self.root.parent)

    def app(
        self, *, failpoint: str = "", broken: bool = False, hold: float = 0
    ) -> dict[str, object] | None:
        """``kiosk update selftest --flush`` from ``current``; its report (None if killed)."""
        self.site.write_text(BROKEN_SITE if broken else SITE, encoding="utf-8")
        env = {**self.env, **({"KIOSK_FAILPOINT": failpoint} if failpoint else {})}
        cmd = [self.python("current"), "-m", "terminal.cli", "update", "selftest", "--flush"]
        if not hold:
            code = run(cmd, env, self.root.parent)
            self.site.write_text(SITE, encoding="utf-8")
            return None if code == -9 else self._report()
        proc = subprocess.Popen(
            [*cmd, "--hold", str(hold)],
            env=env,
            cwd=self.root.parent,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert proc.stdout is not None
        report = json.loads(_read_json_block(proc.stdout))
        self.site.write_text(SITE, encoding="utf-8")
        self._held = proc
        return dict(report)

    def _report(self) -> dict[str, object]:
        return json.loads((self.state / "updates" / "proof.json").read_text())

    def release_hold(self) -> None:
        proc = getattr(self, "_held", None)
        if proc is not None:
            proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
            self._held = None

    def status(self) -> dict[str, object]:
        return dict(json.loads((self.state / "updates" / "status.json").read_text()))


def _read_json_block(stream: object) -> str:
    lines = []
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)
        if line.startswith("}"):
            return "".join(lines)
    raise AssertionError("the selftest printed no report: " + "".join(lines)[-500:])


def on_platform(state: Path) -> list[str]:
    with sqlite3.connect(sandbox_db(state)) as conn:
        return [r[0] for r in conn.execute("SELECT client_ref FROM applications")]


def trial(rig: dict[str, object], where: Path, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    phase = PHASES[seed % len(PHASES)]
    broken = seed % 3 == 2
    root = where / "opt"
    shutil.copytree(rig["template"], root, symlinks=True)  # type: ignore[arg-type]
    state = where / "state"
    k = Kiosk(root, state, str(rig["url"]))
    repo: Repository = rig["repo"]  # type: ignore[assignment]
    install_root(state / "updates", repo.root_bytes(1))
    write_json(state / "updates" / "devices.json", BASELINE)
    queued = queue(state, 2, "before the upgrade")
    write_json(
        state / "updates" / "offer.json",
        {"offer_id": f"kill-{seed}", "version": "0.2.0", "repository": k.url},
    )
    point = {
        "download": f"download:{rng.randint(1, int(rig['chunks']))}",  # type: ignore[call-overload]
        "unpack": f"unpack:{rng.randint(20, 1500)}",
        "install": f"install:{rng.randint(1, 3)}",
        "switch": f"switch:{rng.randint(1, 2)}",
        "migrate": "",
    }[phase]
    killed = k.updater(point) == -9 if point else False
    k.updater()  # started again: carries on from where it was cut
    assert k.status()["state"] in ("installed", "failed"), k.status()
    if phase == "migrate":
        # the new version's first start is cut between its backup and its migration
        killed = k.app(failpoint=f"migrate:{rng.randint(1, 2)}") is None
    report = k.app(broken=broken, hold=60)
    k.updater()
    k.release_hold()
    status = k.status()
    expected = "rolled_back" if broken else "committed"
    assert status["state"] == expected, (phase, point, status, report)
    assert k.layout.get("current") == ("0.1.0" if broken else "0.2.0")
    queued += queue(state, 1, "after the update")  # sent by whichever version runs now
    final = k.app()
    assert final is not None and all(
        final["checks"][c]["ok"]
        for c in ("devices", "outbox", "fleet")  # type: ignore[index]
    ), final
    sent = on_platform(state)
    assert sorted(sent) == sorted(queued), f"lost or twice: {sent} vs {queued}"
    with sqlite3.connect(outbox_db(state)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        pending = conn.execute("SELECT count(*) FROM items WHERE state = 'pending'").fetchone()[0]
        assert pending == 0
    return {
        "seed": seed,
        "phase": phase,
        "point": point,
        "killed": killed,
        "result": status["state"],
        "reason": status["reason"],
    }


@pytest.mark.timeout(3600)  # about 7 s a trial on this machine
def test_kill_at_random_points_of_an_update_loses_and_duplicates_nothing(
    rig: dict[str, object], tmp_path: Path
) -> None:
    results = [trial(rig, tmp_path / f"t{seed}", seed) for seed in range(TRIALS)]
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "update-kill-trials.json").write_text(json.dumps(results, indent=1))
    if TRIALS >= 10:
        for phase in PHASES:  # each phase was really cut, more than once
            assert sum(r["killed"] for r in results if r["phase"] == phase) >= 2, (phase, results)
    assert {r["result"] for r in results} == {"committed", "rolled_back"}
