"""Bundles on the kiosk's disk: staged, active, previous; activation and rollback.

A verified bundle is *staged* (kept as its signed envelope) until the kiosk is between
citizen sessions. Activation writes it out as files the kiosk already knows how to read —
``settings.toml`` (a site file for ``kiosk.settings``), ``catalogue.json`` (for
``kiosk.catalogue``), ``branding.json``, ``provenance.json`` — in its own directory,
validates them, and only then flips the ``current`` symlink (an atomic rename). The old
target becomes ``previous``, which is what a rollback flips back to::

    fleet/bundles/v17/{bundle.json, settings.toml, catalogue.json, branding.json}
    fleet/current -> bundles/v17      fleet/previous -> bundles/v12
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provisioning.agent import tomlwrite
from provisioning.agent.errors import BundleRefused
from provisioning.agent.state import write_atomic

#: checks a written bundle's files: BundleRefused to refuse it, or what the admin should
#: read about it without refusing it (warnings, reported as the configuration's state)
Validator = Callable[[Path], list[str] | None]
#: who set each setting, in which layer, approved by whom: the kiosk's validator checks it
PROVENANCE = "provenance.json"


class BundleStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.bundles = root / "bundles"
        self.staged_file = root / "staged.json"

    # ---- staging -------------------------------------------------------------------------

    def stage(self, envelope: dict[str, Any]) -> None:
        write_atomic(self.staged_file, json.dumps(envelope, ensure_ascii=False).encode())

    def staged(self) -> dict[str, Any] | None:
        try:
            value: dict[str, Any] = json.loads(self.staged_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return value

    def drop_staged(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.staged_file.unlink()

    # ---- activation ----------------------------------------------------------------------

    def activate(
        self, envelope: dict[str, Any], payload: dict[str, Any], validate: Validator
    ) -> list[str]:
        """Write, validate, then switch to the bundle; BundleRefused leaves all as it was.
        The validator's warnings, if any."""
        version = int(payload["version"])
        target = self.bundles / f"v{version}"
        if target.exists():
            shutil.rmtree(target)
        try:
            self._write(target, envelope, payload)
            warnings = validate(target) or []
        except BundleRefused:
            shutil.rmtree(target, ignore_errors=True)
            raise
        except (OSError, ValueError) as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise BundleRefused(f"cannot write bundle: {exc}", code="write_failed") from exc
        current = self.current_dir()
        if current is not None and current != target:
            self._link("previous", current)
        self._link("current", target)
        self._prune()
        return warnings

    def _write(self, target: Path, envelope: dict[str, Any], payload: dict[str, Any]) -> None:
        target.mkdir(parents=True)
        write_atomic(target / "bundle.json", json.dumps(envelope, ensure_ascii=False).encode())
        settings = tomlwrite.dumps(payload["settings"])
        write_atomic(target / "settings.toml", settings.encode("utf-8"), 0o644)
        branding = json.dumps(payload["branding"], ensure_ascii=False, indent=1)
        write_atomic(target / "branding.json", branding.encode("utf-8"), 0o644)
        excluded = json.dumps(payload.get("exclude_matters", []), ensure_ascii=False)
        write_atomic(target / "exclude_matters.json", excluded.encode("utf-8"), 0o644)
        if "provenance" in payload:  # bundles of servers before issue 15 have none
            provenance = json.dumps(payload["provenance"], ensure_ascii=False, indent=1)
            write_atomic(target / PROVENANCE, provenance.encode("utf-8"), 0o644)
        if payload.get("catalogue") is not None:
            catalogue = json.dumps(payload["catalogue"], ensure_ascii=False, indent=1)
            write_atomic(target / "catalogue.json", catalogue.encode("utf-8"), 0o644)

    def _link(self, name: str, target: Path) -> None:
        tmp = self.root / f".{name}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.relpath(target, self.root), tmp)
        os.replace(tmp, self.root / name)

    def _prune(self) -> None:
        keep = {self.current_dir(), self.previous_dir()}
        for child in self.bundles.iterdir():
            if child not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def rollback(self) -> int | None:
        """Go back to the previous bundle; its version, or None if there is none."""
        previous = self.previous_dir()
        if previous is None:
            return None
        self._link("current", previous)
        with contextlib.suppress(FileNotFoundError):
            (self.root / "previous").unlink()
        self._prune()
        return self.active_version()

    # ---- reading -------------------------------------------------------------------------

    def _resolve(self, name: str) -> Path | None:
        link = self.root / name
        if not link.is_symlink() or not link.exists():
            return None
        return (self.root / os.readlink(link)).resolve()

    def current_dir(self) -> Path | None:
        return self._resolve("current")

    def previous_dir(self) -> Path | None:
        return self._resolve("previous")

    def active_payload(self) -> dict[str, Any] | None:
        current = self.current_dir()
        if current is None:
            return None
        envelope = json.loads((current / "bundle.json").read_text(encoding="utf-8"))
        payload: dict[str, Any] = json.loads(envelope["payload"])
        return payload

    def active_version(self) -> int | None:
        payload = self.active_payload()
        return None if payload is None else int(payload["version"])
