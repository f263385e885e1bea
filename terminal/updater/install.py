"""Installing one version into its own folder: a venv filled offline from the wheels.

``python -m venv --without-pip`` (fast, no network), then pip — the updater's own,
pointed at the new environment with ``--python`` — installs the release from the
verified wheels with ``--no-index``: nothing comes from a package index. The folder is
marked complete only after the new environment imports the kiosk at the right version;
a folder without the mark is an interrupted install and is removed before a retry.
``base_site`` (test rigs only) lets the new environment see a site directory's
packages, for project-only releases.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

from kiosk.failpoints import ENV, failpoint
from provisioning.protocol import PROJECT
from terminal.updater.layout import Layout


class InstallFailed(Exception):
    pass


def _run(args: list[str], what: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise InstallFailed(f"{what}: " + " | ".join(tail))
    return done.stdout


def _arm_unpack_kill() -> None:
    """``KIOSK_FAILPOINT=unpack:MS``: SIGKILL this process group MS milliseconds into
    pip's unpacking (a kill test's cut at a random point inside pip)."""
    armed = os.environ.get(ENV, "")
    if armed.startswith("unpack:"):
        delay = int(armed.split(":", 1)[1]) / 1000
        timer = threading.Timer(delay, lambda: os.killpg(0, signal.SIGKILL))
        timer.daemon = True
        timer.start()


def install(
    layout: Layout,
    version: str,
    wheels: list[Path],
    *,
    base_python: str | None = None,
    base_site: Path | None = None,
) -> None:
    folder = layout.folder(version)
    if folder.exists() and not layout.complete(version):
        shutil.rmtree(folder)
    if layout.complete(version):
        return
    folder.mkdir(parents=True)
    house = folder / "wheels"
    house.mkdir()
    for wheel in wheels:  # hard links: the cache keeps them for the next release
        try:
            os.link(wheel, house / wheel.name)
        except OSError:
            shutil.copyfile(wheel, house / wheel.name)
    failpoint("install")
    python = base_python or str(getattr(sys, "_base_executable", None) or sys.executable)
    _run([python, "-m", "venv", "--without-pip", str(layout.venv(version))], "venv")
    if base_site is not None:
        purelib = sysconfig.get_path("purelib", vars={"base": str(layout.venv(version))})
        Path(purelib, "_kiosk_base_site.pth").write_text(f"{base_site}\n", encoding="utf-8")
    failpoint("install")
    _arm_unpack_kill()
    has_pip = any(w.name.startswith("pip-") for w in wheels)
    wanted = [f"{PROJECT}=={version}", *(["pip"] if has_pip else [])]
    if base_site is not None:  # the dependencies are the base site's: the project alone
        wanted += ["--no-deps", "--ignore-installed"]
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(layout.python(version)),
            "install",
            "--no-index",
            "--find-links",
            str(house),
            "--disable-pip-version-check",
            "--no-warn-script-location",
            "-q",
            *wanted,
        ],
        "pip install",
    )
    failpoint("install")
    said = _run(
        [str(layout.python(version)), "-c", "import terminal.cli, kiosk; print(kiosk.__version__)"],
        "the new version does not import",
    ).strip()
    if said != version:
        raise InstallFailed(f"the new environment says version {said!r}, not {version}")
    shutil.rmtree(house)
    layout.mark_complete(version)
