"""The first version folder ``kiosk install-service`` lays out (terminal/updater/layout.py).

From a release folder (``--release DIR``, made by ``kiosk-release build``): its wheels
are checked against its manifest, kept in the updater's cache (the next release
downloads only what changed) and installed offline into ``versions/<V>/venv``. Without
one, the environment running the command is adopted as that version (a development
machine); the first update replaces it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from kiosk import __version__
from provisioning.protocol import parse_release, sha256_of
from terminal.updater.install import install
from terminal.updater.layout import Layout
from terminal.updater.proof import updates_dir
from terminal.updater.trust import install_root


def lay_out(
    app_root: Path, state_dir: Path, *, release: Path | None, update_root: Path | None
) -> str:
    """Install the first version and point ``current`` and ``good`` at it; its version."""
    layout = Layout(app_root)
    layout.versions.mkdir(parents=True, exist_ok=True)
    updates = updates_dir(state_dir)
    if release is not None:
        manifest = parse_release((release / "release.json").read_bytes())
        version = str(manifest["version"])
        cached = []
        for wheel in manifest["wheels"]:
            source = release / "wheels" / wheel["filename"]
            if sha256_of(source) != wheel["sha256"]:
                raise ValueError(f"{source.name} is not the wheel the manifest names")
            keep = updates / "cache" / "wheels" / wheel["sha256"] / wheel["filename"]
            keep.parent.mkdir(parents=True, exist_ok=True)
            if not keep.exists():
                shutil.copyfile(source, keep)
            cached.append(keep)
        install(layout, version, cached)
        shutil.copyfile(release / "release.json", _mkdirs(updates / "releases") / f"{version}.json")
    else:
        version = __version__
        folder = layout.folder(version)
        if not layout.complete(version):
            folder.mkdir(parents=True, exist_ok=True)
            venv = folder / "venv"
            if not venv.exists():
                os.symlink(sys.prefix, venv)
            layout.mark_complete(version)
    layout.point("current", version)
    layout.point("good", version)
    if update_root is not None:
        install_root(updates, update_root.read_bytes(), replace=True)
    return version


def _mkdirs(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
