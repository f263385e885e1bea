"""A TUF repository of releases, kept with python-tuf's Metadata API.

Layout (what a web server serves, under any base URL)::

    metadata/1.root.json, 2.root.json …   every root version: a kiosk walks the chain
    metadata/timestamp.json, snapshot.json, targets.json
    targets/releases/<version>.json        the release manifests
    targets/wheels/<sha256>/<file>.whl     the wheels, shared between releases
    keys/<role>.pem                        the signing keys (owner-only; see below)

Roles: *root* (names every role's keys; rotating any key makes a new root, signed by
the old root keys and the new), *targets* (the manifests and wheels, with their lengths
and SHA-256; a manifest's ``custom`` carries ``version`` and ``downgrade``), *snapshot*
and *timestamp* (short expiry: a kiosk cut off from fresh metadata stops updating
instead of being frozen on an old view). Keeping every private key in ``keys/`` is for
one host and tests; a production root key lives offline and signs only new roots.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner, Signer
from tuf.api.metadata import (
    TOP_LEVEL_ROLE_NAMES,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from provisioning.protocol import parse_release, release_target

EXPIRY_DAYS = {"root": 365, "targets": 90, "snapshot": 7, "timestamp": 1}
_PRETTY = JSONSerializer(compact=False)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Repository:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.metadata = path / "metadata"
        self.targets = path / "targets"
        self.keys = path / "keys"

    # ---- keys ----------------------------------------------------------------------------

    def signer(self, role: str) -> CryptoSigner:
        pem = (self.keys / f"{role}.pem").read_bytes()
        return CryptoSigner(load_pem_private_key(pem, password=None))

    def _new_key(self, role: str) -> CryptoSigner:
        signer = CryptoSigner.generate_ed25519()
        self.keys.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.keys / f"{role}.pem"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(signer.private_bytes)
        tmp.replace(path)
        return signer

    # ---- reading and writing metadata ----------------------------------------------------

    def load(self, role: str) -> Metadata[Any]:
        if role == Root.type:
            return Metadata.from_file(str(self.metadata / "root.json"))
        return Metadata.from_file(str(self.metadata / f"{role}.json"))

    def _write(self, md: Metadata[Any], signers: list[Signer], days: float | None = None) -> None:
        role = md.signed.type
        md.signed.expires = _utcnow() + dt.timedelta(days=days or EXPIRY_DAYS[role])
        md.signatures.clear()
        for signer in signers:
            md.sign(signer, append=True)
        self.metadata.mkdir(parents=True, exist_ok=True)
        if role == Root.type:
            md.to_file(str(self.metadata / f"{md.signed.version}.root.json"), _PRETTY)
        md.to_file(str(self.metadata / f"{role}.json"), _PRETTY)

    # ---- set-up --------------------------------------------------------------------------

    @classmethod
    def init(cls, path: Path) -> Repository:
        """A new repository with a fresh key per role and no release."""
        repo = cls(path)
        if (repo.metadata / "root.json").exists():
            raise FileExistsError(f"{path} already holds a repository")
        signers = {role: repo._new_key(role) for role in TOP_LEVEL_ROLE_NAMES}
        root = Root(consistent_snapshot=False)
        for role, signer in signers.items():
            root.add_key(signer.public_key, role)
        repo._write(Metadata(root), [signers["root"]])
        repo._write(Metadata(Targets()), [signers["targets"]])
        repo.targets.mkdir(parents=True, exist_ok=True)
        repo._publish()
        return repo

    def _publish(
        self, snapshot_days: float | None = None, timestamp_days: float | None = None
    ) -> None:
        """New snapshot and timestamp over the current targets."""
        targets = self.load(Targets.type)
        snapshot = Metadata(Snapshot())
        if (self.metadata / "snapshot.json").exists():
            snapshot = self.load(Snapshot.type)
            snapshot.signed.version += 1
        snapshot.signed.meta["targets.json"] = MetaFile(version=targets.signed.version)
        self._write(snapshot, [self.signer("snapshot")], snapshot_days)
        timestamp = Metadata(Timestamp())
        if (self.metadata / "timestamp.json").exists():
            timestamp = self.load(Timestamp.type)
            timestamp.signed.version += 1
        timestamp.signed.snapshot_meta = MetaFile(version=snapshot.signed.version)
        self._write(timestamp, [self.signer("timestamp")], timestamp_days)

    # ---- releases ------------------------------------------------------------------------

    def add_release(self, release_dir: Path, *, downgrade: bool = False) -> str:
        """Publish the release folder made by build_release; its version."""
        manifest_file = release_dir / "release.json"
        manifest = parse_release(manifest_file.read_bytes())
        version = str(manifest["version"])
        targets = self.load(Targets.type)
        for wheel in manifest["wheels"]:
            dest = self.targets / wheel["target"]
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(release_dir / "wheels" / wheel["filename"], dest)
            info = TargetFile.from_file(wheel["target"], str(dest), ["sha256"])
            if info.hashes["sha256"] != wheel["sha256"]:
                raise ValueError(f"{wheel['filename']} is not the wheel the manifest names")
            targets.signed.targets[wheel["target"]] = info
        path = release_target(version)
        dest = self.targets / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(manifest_file, dest)
        info = TargetFile.from_file(path, str(dest), ["sha256"])
        info.unrecognized_fields["custom"] = {"version": version, "downgrade": downgrade}
        targets.signed.targets[path] = info
        targets.signed.version += 1
        self._write(targets, [self.signer("targets")])
        self._publish()
        return version

    def set_downgrade(self, version: str, allowed: bool = True) -> None:
        """Sign (or withdraw) an admin's order that kiosks may go back to ``version``."""
        targets = self.load(Targets.type)
        info = targets.signed.targets[release_target(version)]
        info.unrecognized_fields["custom"] = {"version": version, "downgrade": allowed}
        targets.signed.version += 1
        self._write(targets, [self.signer("targets")])
        self._publish()

    def releases(self) -> list[dict[str, Any]]:
        targets = self.load(Targets.type)
        return [
            dict(info.unrecognized_fields.get("custom", {}), length=info.length)
            for path, info in sorted(targets.signed.targets.items())
            if path.startswith("releases/")
        ]

    # ---- keys over time ------------------------------------------------------------------

    def rotate(self, role: str) -> str:
        """Replace ``role``'s key: a new root (signed by the old root key and, for the root
        role, the new one too) and the role's metadata signed again; the new key id."""
        root_md = self.load(Root.type)
        old_root_signer = self.signer("root")
        for keyid in list(root_md.signed.roles[role].keyids):
            root_md.signed.revoke_key(keyid, role)
        new = self._new_key(role)
        root_md.signed.add_key(new.public_key, role)
        root_md.signed.version += 1
        signers: list[Signer] = [old_root_signer]
        if role == Root.type:
            signers.append(new)
        self._write(root_md, signers)
        if role == Targets.type:
            targets = self.load(Targets.type)
            targets.signed.version += 1
            self._write(targets, [new])
        if role != Root.type:
            self._publish()
        return str(new.public_key.keyid)

    def resign(self, role: str, signer: Signer, *, bump: bool = True) -> None:
        """Sign ``role`` with ``signer`` (a test's stolen or rotated-out key), then publish."""
        md = self.load(role)
        if bump:
            md.signed.version += 1
        self._write(md, [signer])
        if role == Targets.type:
            self._publish()

    def refresh(
        self, *, snapshot_days: float | None = None, timestamp_days: float | None = None
    ) -> None:
        """Sign snapshot and timestamp again with fresh expiry (run it daily)."""
        self._publish(snapshot_days, timestamp_days)

    def root_bytes(self, version: int = 1) -> bytes:
        """A root version's bytes: the trust anchor a kiosk is set up with."""
        return (self.metadata / f"{version}.root.json").read_bytes()
