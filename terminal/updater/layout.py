"""The version folders and the links that choose between them::

    <root>/versions/0.1.0/venv/…   one folder and virtual environment per version
    <root>/versions/0.2.0/venv/…   (``.complete`` inside once fully installed)
    <root>/current -> versions/0.2.0   what the kiosk app runs (the unit's launcher)
    <root>/good    -> versions/0.1.0   the last version that proved itself: the
                                       updater runs from it, a rollback goes back to it
    <root>/fallback -> versions/0.0.9  the good one before (a technician's rollback)
    <root>/launch, <root>/launch-updater   the units' ExecStart

A link is replaced by making a new one beside it and renaming it over the old (one
atomic rename), then the folder is fsynced, so a power cut leaves the old link or the
new. A process resolves ``current`` once, at its start: switching never changes code
under a running process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from kiosk.failpoints import failpoint

LINKS = ("current", "good", "fallback")
COMPLETE = ".complete"
DEFAULT_ROOT = Path("/opt/bianmin-kiosk")


class Layout:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"

    def folder(self, version: str) -> Path:
        return self.versions / version

    def venv(self, version: str) -> Path:
        return self.folder(version) / "venv"

    def python(self, version: str) -> Path:
        return self.venv(version) / "bin" / "python"

    def complete(self, version: str) -> bool:
        return (self.folder(version) / COMPLETE).exists()

    def mark_complete(self, version: str) -> None:
        marker = self.folder(version) / COMPLETE
        marker.write_text(version + "\n", encoding="utf-8")
        _fsync_dir(marker.parent)

    def installed(self) -> list[str]:
        if not self.versions.is_dir():
            return []
        return sorted(p.name for p in self.versions.iterdir() if self.complete(p.name))

    # ---- links ---------------------------------------------------------------------------

    def get(self, name: str) -> str | None:
        """The version a link points at, if it points at a complete one."""
        link = self.root / name
        if not link.is_symlink():
            return None
        version = Path(os.readlink(link)).name
        return version if self.complete(version) else None

    def point(self, name: str, version: str) -> None:
        """Point link ``name`` at ``version``: one rename, then the folder fsynced."""
        assert name in LINKS
        tmp = self.root / f".{name}.new"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.join("versions", version), tmp)
        failpoint("switch")
        os.replace(tmp, self.root / name)
        _fsync_dir(self.root)
        failpoint("switch")

    def drop(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.root / name).unlink()
        _fsync_dir(self.root)

    # ---- housekeeping --------------------------------------------------------------------

    def prune(self, keep: set[str]) -> list[str]:
        """Remove version folders not in ``keep`` (nor linked); what was removed."""
        keep = keep | {v for v in (self.get(n) for n in LINKS) if v}
        removed: list[str] = []
        if not self.versions.is_dir():
            return removed
        for folder in sorted(self.versions.iterdir()):
            if folder.name not in keep:
                if folder.is_symlink():  # an adopted environment: never delete its files
                    folder.unlink()
                else:
                    shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
