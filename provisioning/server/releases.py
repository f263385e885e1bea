"""The fleet's software releases: a TUF repository beside the database (docs/updates.md).

``<data-dir>/tuf/`` is a :class:`provisioning.release.Repository` (python-tuf): the
server adds releases to it, signs downgrade orders and rotated keys, re-signs the
short-lived timestamp before it expires, and serves it under ``/tuf/`` (tufserve.py).
The ``releases`` table keeps what TUF does not: who added a release, when, and the
admin's notes. A release folder is checked before anything is published: its manifest
names this version, and every wheel has the length and SHA-256 the manifest says (a
tampered or truncated upload is refused, naming the wheel).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from provisioning.protocol import ProtocolError, check_version, parse_release, sha256_of
from provisioning.release.repo import Repository
from provisioning.server import audit
from provisioning.server.accounts import Actor
from provisioning.server.db import Database
from provisioning.server.errors import Conflict, FleetError, Invalid, NotFound

log = logging.getLogger(__name__)

REFRESH_BEFORE_S = 12 * 3600  # re-sign the timestamp when it has less than this to live
ROLES = ("root", "targets", "snapshot", "timestamp")


class BadRelease(FleetError):
    status = 422
    code = "bad_release"


def check_release_folder(folder: Path, version: str) -> dict[str, Any]:
    """The manifest of a release folder made by ``kiosk-release build``, once every wheel
    it names is there with its length and hash; BadRelease naming what is wrong."""
    try:
        check_version(version)
    except ProtocolError as exc:
        raise Invalid(f"not a release version: {version!r}", field="version") from exc
    manifest_file = folder / "release.json"
    try:
        manifest = parse_release(manifest_file.read_bytes())
    except FileNotFoundError as exc:
        raise BadRelease(f"{folder}: no release.json (build it with kiosk-release build)") from exc
    except (OSError, ProtocolError) as exc:
        raise BadRelease(f"{manifest_file}: {exc}") from exc
    if manifest["version"] != version:
        raise Invalid(
            f"the release in {folder} is version {manifest['version']}, not {version}",
            field="version",
        )
    for wheel in manifest["wheels"]:
        path = folder / "wheels" / wheel["filename"]
        if not path.is_file():
            raise BadRelease(f"{wheel['filename']}: missing from {folder / 'wheels'}")
        if path.stat().st_size != wheel["length"]:
            raise BadRelease(
                f"{wheel['filename']}: {path.stat().st_size} bytes, the manifest says"
                f" {wheel['length']} (truncated or tampered)",
                code="tampered_release",
            )
        if sha256_of(path) != wheel["sha256"]:
            raise BadRelease(
                f"{wheel['filename']}: SHA-256 differs from the manifest (tampered)",
                code="tampered_release",
            )
    return manifest


class Releases:
    """The repository and the ``releases`` table, for the CLI, the console and rollouts."""

    def __init__(self, path: Path, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.path, self.db, self.clock = path, db, clock
        self._lock = threading.Lock()  # one writer of the metadata files in this process

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer of the metadata at a time, across threads and processes (server
        workers re-signing the timestamp, an admin's ``kiosk-fleet release add``)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock, (self.path / ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def repository(self) -> Repository:
        """The repository, made on first use (fresh keys for every role)."""
        repo = Repository(self.path)
        if not (repo.metadata / "root.json").exists():
            repo = Repository.init(self.path)
            log.info("made a TUF repository at %s", self.path)
        return repo

    def add(self, actor: Actor, folder: Path, version: str, notes: str = "") -> dict[str, Any]:
        actor.require_province()
        manifest = check_release_folder(folder, version)
        now = self.clock()
        with self._writing():
            repo = self.repository()
            if any(r.get("version") == version for r in repo.releases()):
                raise Conflict(f"release {version} exists", code="release_exists")
            with self.db.tx() as tx:
                if tx.one("SELECT version FROM releases WHERE version = ?", (version,)):
                    raise Conflict(f"release {version} exists", code="release_exists")
                try:
                    repo.add_release(folder)
                except (OSError, ValueError) as exc:  # changed between the check and now
                    raise BadRelease(str(exc), code="tampered_release") from exc
                size = sum(int(w["length"]) for w in manifest["wheels"])
                tx.run(
                    "INSERT INTO releases (version, notes, wheels, bytes, platform, added_by,"
                    " added_at) VALUES (?,?,?,?,?,?,?)",
                    (
                        version,
                        notes or str(manifest.get("notes", "")),
                        len(manifest["wheels"]),
                        size,
                        json.dumps(manifest.get("built_on", {})),
                        actor.username,
                        now,
                    ),
                )
                audit.record(tx, actor, "release_add", version, now, bytes=size)
        return self.get(version)

    def get(self, version: str) -> dict[str, Any]:
        for release in self.all():
            if release["version"] == version:
                return release
        raise NotFound(
            f"no release {version}: add it with kiosk-fleet release add", code="unknown_release"
        )

    def all(self) -> list[dict[str, Any]]:
        """Every release, newest first, with its TUF target's downgrade mark."""
        signed = {}
        if (self.path / "metadata" / "root.json").exists():
            signed = {r["version"]: r for r in Repository(self.path).releases()}
        with self.db.read() as tx:
            rows = tx.all("SELECT * FROM releases ORDER BY added_at DESC, version DESC")
        out = []
        for row in rows:
            target = signed.get(row["version"], {})
            out.append(
                row
                | {
                    "platform": json.loads(row["platform"] or "{}"),
                    "signed": bool(target),
                    "downgrade": bool(target.get("downgrade", False)),
                }
            )
        return out

    def set_downgrade(self, actor: Actor, version: str, allowed: bool = True) -> dict[str, Any]:
        """Sign (or withdraw) the order that kiosks may go back to ``version``."""
        actor.require_province()
        self.get(version)
        with self._writing():
            self.repository().set_downgrade(version, allowed)
        with self.db.tx() as tx:
            audit.record(tx, actor, "release_downgrade", version, self.clock(), allowed=allowed)
        return self.get(version)

    def rotate(self, actor: Actor, role: str) -> str:
        """A new key for ``role``; kiosks follow the new root on their next refresh."""
        actor.require_province()
        if role not in ROLES:
            raise Invalid(f"role: one of {', '.join(ROLES)}", field="role")
        with self._writing():
            key = self.repository().rotate(role)
        with self.db.tx() as tx:
            audit.record(tx, actor, "release_key_rotated", role, self.clock(), key_id=key)
        return key

    def refresh_if_due(self) -> bool:
        """Sign snapshot and timestamp again when the timestamp is about to expire."""
        stamp = self.path / "metadata" / "timestamp.json"
        if not stamp.exists():
            return False
        with self._writing():
            expires = json.loads(stamp.read_text(encoding="utf-8"))["signed"]["expires"]
            left = dt.datetime.fromisoformat(expires.replace("Z", "+00:00")).timestamp()
            if left - time.time() > REFRESH_BEFORE_S:
                return False
            Repository(self.path).refresh()
        log.info("TUF timestamp re-signed")
        return True
