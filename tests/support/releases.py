"""Releases built from this repository for the updater's tests and benchmark.

Building is slow (a wheel build, and for a complete release every dependency wheel),
so each is built once per test session into a folder the session keeps, and the
dependency wheels are kept between sessions in ``~/.cache/bianmin-kiosk/wheels``.
Release 0.2.0 adds an outbox migration, so an upgrade and a rollback cross a schema
change; a *broken* release ships a printer URL nothing answers on, so it fails the
devices' health check like a release with a bad default would.
"""

from __future__ import annotations

import os
import sysconfig
from collections.abc import Callable
from pathlib import Path

from provisioning.release import build_release
from tests.support import ROOT

WHEEL_CACHE = Path(os.environ.get("KIOSK_WHEEL_CACHE", Path.home() / ".cache/bianmin-kiosk/wheels"))
BASE_SITE = Path(sysconfig.get_paths()["purelib"])  # the test environment's packages
MIGRATION = "ALTER TABLE items ADD COLUMN kiosk_version TEXT"


def add_outbox_migration(src: Path) -> None:
    db = src / "kiosk" / "outbox" / "db.py"
    text = db.read_text(encoding="utf-8")
    old = "MIGRATIONS: tuple[str, ...] = ()"
    assert old in text
    db.write_text(text.replace(old, f'MIGRATIONS: tuple[str, ...] = ("{MIGRATION}",)'), "utf-8")


def break_the_printer(src: Path) -> None:
    add_outbox_migration(src)
    defaults = src / "config" / "defaults.toml"
    text = defaults.read_text(encoding="utf-8")
    old = 'printer = "sim://printer"'
    assert old in text
    defaults.write_text(text.replace(old, 'printer = "tcp://127.0.0.1:9"'), "utf-8")


MUTATIONS: dict[str, Callable[[Path], None] | None] = {
    "0.1.0": None,
    "0.2.0": add_outbox_migration,
    "0.2.1": break_the_printer,
}


def build(version: str, out: Path, *, complete: bool) -> Path:
    """The release folder for ``version`` (0.1.0 base, 0.2.0 good, 0.2.1 broken)."""
    if not (out / "release.json").exists():
        build_release(
            version,
            out,
            source=ROOT,
            deps=complete,
            wheel_cache=WHEEL_CACHE,
            mutate=MUTATIONS[version],
        )
    return out
