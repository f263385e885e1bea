"""Install and uninstall the kiosk service. ``root`` is the filesystem root to write
into ("/" on a real machine; a folder in tests and for image building)."""

from __future__ import annotations

import dataclasses as dc
import json
import logging
import shutil
import subprocess
from pathlib import Path

from terminal.system import files

log = logging.getLogger(__name__)

MANIFEST = "var/lib/bianmin-kiosk/installed.json"


@dc.dataclass(frozen=True)
class Plan:
    root: Path
    user: str
    kiosk: str  # the `kiosk` executable in its virtual environment
    state_dir: str
    config: str | None
    app_root: str = "/opt/bianmin-kiosk"  # the version folders (terminal/updater/layout.py)

    def files(self) -> dict[str, tuple[str, int]]:
        """Path under root → (content, mode)."""
        session = "usr/local/lib/bianmin-kiosk/session"
        apps = self.app_root.lstrip("/")
        return {
            f"etc/systemd/system/{files.UNIT}": (
                files.unit(
                    user=self.user,
                    session=f"/{session}",
                    state_dir=self.state_dir,
                    config=self.config,
                ),
                0o644,
            ),
            session: (files.session(launch=f"{self.app_root}/launch"), 0o755),
            f"{apps}/launch": (files.launch(state_dir=self.state_dir), 0o755),
            f"{apps}/launch-updater": (files.launch_updater(), 0o755),
            f"etc/systemd/system/{files.UPDATER_UNIT}": (
                files.updater_unit(
                    state_dir=self.state_dir,
                    config=self.config,
                    launch=f"{self.app_root}/launch-updater",
                ),
                0o644,
            ),
            "etc/X11/xorg.conf.d/90-bianmin-kiosk.conf": (files.XORG, 0o644),
        }


def plan(
    *,
    root: Path = Path("/"),
    user: str = "kiosk",
    kiosk: str,
    state_dir: str = "/var/lib/bianmin-kiosk",
    config: str | None = None,
    app_root: str = "/opt/bianmin-kiosk",
) -> Plan:
    if not user.isidentifier() or user == "root":
        raise ValueError(f"not a usable user name for the kiosk: {user!r}")
    return Plan(root, user, kiosk, state_dir, config, app_root)


def _run(args: list[str]) -> None:
    log.info("running %s", " ".join(args))
    subprocess.run(args, check=True, capture_output=True, text=True)


# What the kiosk's X session needs on a machine installed without a desktop.
PACKAGES = ("xinit", "xserver-xorg-core", "xserver-xorg-input-libinput", "x11-xserver-utils")


def _ensure_packages() -> None:
    missing = [
        name
        for name in PACKAGES
        if subprocess.run(["dpkg-query", "-W", name], capture_output=True, check=False).returncode
    ]
    if missing and shutil.which("apt-get"):
        _run(["apt-get", "install", "-y", "--no-install-recommends", *missing])


def _create_user(p: Plan) -> None:
    exists = subprocess.run(["id", "-u", p.user], capture_output=True, check=False)
    if exists.returncode != 0:
        _run(
            [
                "useradd",
                "--system",
                "--create-home",
                "--shell",
                "/bin/sh",
                "--groups",
                "video,audio,input,dialout",
                p.user,
            ]
        )


def install(
    p: Plan,
    *,
    create_user: bool = True,
    enable: bool = True,
    release: Path | None = None,
    update_root: Path | None = None,
) -> list[str]:
    """Write the files (recorded in a manifest for uninstall) and lay out the first
    version folder (terminal/system/versions.py); returns the files' paths."""
    from terminal.system.versions import lay_out  # the updater's parts: only here

    written = []
    for rel, (content, mode) in p.files().items():
        path = p.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        path.chmod(mode)
        written.append(rel)
    state = p.root / p.state_dir.lstrip("/")
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    apps = p.root / p.app_root.lstrip("/")
    version = lay_out(apps, state, release=release, update_root=update_root)
    log.info("version %s laid out in %s", version, apps)
    if create_user:  # a real machine, not a folder
        _ensure_packages()
        _create_user(p)
        shutil.chown(state, p.user, p.user)
    manifest = p.root / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    record = {"files": written, "user": p.user, "app_root": p.app_root}
    manifest.write_text(json.dumps(record, indent=1), "utf-8")
    if enable and shutil.which("systemctl"):
        _run(["systemctl", "daemon-reload"])
        _run(["systemctl", "enable", "--now", files.UNIT, files.UPDATER_UNIT])
    return written


def uninstall(root: Path = Path("/"), *, disable: bool = True) -> list[str]:
    """Remove what install wrote. The state directory (queued applications!) stays."""
    manifest = root / MANIFEST
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest}: the kiosk service is not installed here")
    recorded = json.loads(manifest.read_text("utf-8"))
    if disable and shutil.which("systemctl"):
        subprocess.run(
            ["systemctl", "disable", "--now", files.UNIT, files.UPDATER_UNIT],
            check=False,
            capture_output=True,
        )
    removed = []
    for rel in recorded["files"]:
        path = root / rel
        if path.exists():
            path.unlink()
            removed.append(rel)
    apps = root / str(recorded.get("app_root", "/opt/bianmin-kiosk")).lstrip("/")
    for name in ("current", "good", "fallback", "versions"):
        target = apps / name
        if target.is_symlink():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)  # the installed versions (an adopted venv is a link)
    manifest.unlink()
    return removed
