"""A release from the fleet's TUF repository: trusted metadata, checks, the download.

The metadata is python-tuf's client (``ngclient.Updater``): the kiosk's trusted root
(``updates/metadata/root.json``, set up at install) is walked forward through every
newer root, then timestamp, snapshot and targets are fetched and checked — signatures
by the keys the current root names (a rotated-out key signs nothing any more), expiry,
versions that never go down. Then, before a byte of a wheel is fetched, the release is
checked against this kiosk (:meth:`ReleaseSource.check`): not older than what runs
(unless the signed targets mark it a downgrade and the fleet ordered one), every wheel
built for this platform, enough free disk. The wheels are downloaded here, not by
ngclient, so a cut download resumes (HTTP Range) and the rate stays under a cap; each
is checked against its signed length and SHA-256 before anything is unpacked, and one
already in the cache (the running version's) is not downloaded again.

Every refusal is a :class:`Refused` with a stable ``reason`` (docs/updates.md).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from packaging.tags import sys_tags
from packaging.utils import parse_wheel_filename
from packaging.version import Version
from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import TargetFile
from tuf.ngclient import Updater as TufClient

from kiosk.failpoints import failpoint
from provisioning.protocol import ProtocolError, parse_release, release_target

log = logging.getLogger(__name__)

CHUNK = 16 * 1024
INSTALL_FACTOR = 3  # a venv takes about three times its wheels' bytes
MARGIN = 64 * 1024 * 1024  # left free after the update, for the outbox and logs
RESUMES = 5  # cut connections resumed within one attempt


class Refused(Exception):
    """This release will not be installed here: ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


class Unavailable(Exception):
    """The repository could not be reached now: try again later."""


def _tuf_refusal(exc: Exception) -> Exception:
    if isinstance(exc, tuf_errors.UnsignedMetadataError):
        return Refused("bad_signature", f"metadata not signed by a trusted key: {exc}")
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return Refused("expired_metadata", str(exc))
    if isinstance(exc, tuf_errors.BadVersionNumberError):
        return Refused("metadata_rollback", str(exc))
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        return Refused("hash_mismatch", str(exc))
    if isinstance(exc, tuf_errors.DownloadError | OSError):
        return Unavailable(str(exc))
    return Refused("bad_metadata", f"{type(exc).__name__}: {exc}")


class RateLimit:
    """At most ``kbps`` KiB per second on average: sleeps as the bytes go by."""

    def __init__(self, kbps: int, clock: Callable[[], float], sleep: Callable[[float], None]):
        self.rate, self.clock, self.sleep = kbps * 1024, clock, sleep
        self.start, self.sent = clock(), 0

    def take(self, n: int) -> None:
        self.sent += n
        ahead = self.sent / self.rate - (self.clock() - self.start)
        if ahead > 0:
            self.sleep(ahead)


class ReleaseSource:
    def __init__(
        self,
        updates_dir: Path,
        repository: str,
        *,
        kbps: int,
        session: requests.Session | None = None,
        free_space: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.dir = updates_dir
        self.metadata = updates_dir / "metadata"
        self.cache = updates_dir / "cache"
        self.repository = repository.rstrip("/") + "/"
        self.kbps, self.free_space = kbps, free_space
        self.clock, self.sleep = clock, sleep
        self.http = session or requests.Session()
        self._tuf: TufClient | None = None
        self.downloaded = 0  # bytes fetched by this source (the benchmark's figure)

    # ---- metadata ------------------------------------------------------------------------

    def client(self) -> TufClient:
        if self._tuf is None:
            if not (self.metadata / "root.json").exists():
                raise Refused(
                    "no_trust_root", "this kiosk has no trusted root: `kiosk update trust`"
                )
            self._tuf = TufClient(
                str(self.metadata),
                self.repository + "metadata/",
                str(self.cache / "tuf"),
                self.repository + "targets/",
                bootstrap=None,
            )
            try:
                self._tuf.refresh()
            except Exception as exc:
                self._tuf = None
                raise _tuf_refusal(exc) from exc
        return self._tuf

    def targetinfo(self, path: str) -> TargetFile:
        try:
            info = self.client().get_targetinfo(path)
        except (Refused, Unavailable):
            raise
        except Exception as exc:
            raise _tuf_refusal(exc) from exc
        if info is None:
            raise Refused("unknown_target", f"the signed targets do not name {path}")
        return info

    def manifest(self, version: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the release manifest, its signed ``custom`` fields) for ``version``."""
        try:
            info = self.targetinfo(release_target(version))
        except Refused as exc:
            if exc.reason == "unknown_target":
                raise Refused("unknown_version", f"no signed release {version}") from exc
            raise
        path = self.fetch(info)
        try:
            manifest = parse_release(path.read_bytes())
        except ProtocolError as exc:
            raise Refused("bad_manifest", str(exc)) from exc
        if manifest["version"] != version:
            raise Refused("bad_manifest", f"manifest says {manifest['version']}, not {version}")
        return manifest, dict(info.unrecognized_fields.get("custom") or {})

    # ---- checks before downloading -------------------------------------------------------

    def check(
        self,
        manifest: dict[str, Any],
        custom: dict[str, Any],
        *,
        running: str,
        downgrade_ordered: bool,
        project_only_ok: bool,
        install_dir: Path,
    ) -> int:
        """Refused unless this kiosk may install the release; the bytes to download."""
        version = str(manifest["version"])
        signed_downgrade = downgrade_ordered and custom.get("downgrade") is True
        if Version(version) < Version(running) and not signed_downgrade:
            raise Refused(
                "older_version",
                f"{version} is older than the running {running} and no signed downgrade allows it",
            )
        if manifest["wheelhouse"] != "complete" and not project_only_ok:
            raise Refused("incomplete_release", "the release does not carry its dependencies")
        here = set(sys_tags())
        for wheel in manifest["wheels"]:
            _name, _ver, _build, tags = parse_wheel_filename(wheel["filename"])
            if not tags & here:
                first = next(iter(sys_tags()))
                raise Refused(
                    "wrong_platform", f"{wheel['filename']} is not for this kiosk ({first})"
                )
        missing = sum(w["length"] for w in manifest["wheels"] if self.cached(w) is None)
        total = sum(w["length"] for w in manifest["wheels"])
        need_here = missing + MARGIN
        need_there = total * INSTALL_FACTOR + MARGIN
        self.dir.mkdir(parents=True, exist_ok=True)
        install_dir.mkdir(parents=True, exist_ok=True)
        same_disk = os.stat(self.dir).st_dev == os.stat(install_dir).st_dev
        needs = [(self.dir, need_here + (need_there if same_disk else 0))]
        if not same_disk:
            needs.append((install_dir, need_there))
        for where, need in needs:
            free = self.free_space(where)
            if free < need:
                raise Refused(
                    "disk_full", f"{where}: {need // 2**20} MiB needed, {free // 2**20} MiB free"
                )
        return missing

    # ---- the download --------------------------------------------------------------------

    def cached(self, wheel: dict[str, Any]) -> Path | None:
        path = self.cache / "wheels" / wheel["sha256"] / wheel["filename"]
        return path if path.is_file() and path.stat().st_size == wheel["length"] else None

    def wheels(self, manifest: dict[str, Any], progress: Callable[[int], None]) -> list[Path]:
        """Every wheel of the release, verified, in the cache; their paths."""
        paths = []
        for wheel in manifest["wheels"]:
            info = self.targetinfo(wheel["target"])
            if info.hashes.get("sha256") != wheel["sha256"] or info.length != wheel["length"]:
                raise Refused("hash_mismatch", f"{wheel['filename']}: manifest and targets differ")
            paths.append(self.cached(wheel) or self.fetch(info, progress))
        return paths

    def fetch(self, info: TargetFile, progress: Callable[[int], None] = lambda _n: None) -> Path:
        """Download one signed target (resuming a ``.part`` file), verify it, keep it."""
        name = info.path.rsplit("/", 1)[-1]
        digest = info.hashes["sha256"]
        final = (
            self.cache / ("wheels" if info.path.startswith("wheels/") else "files") / digest / name
        )
        if final.is_file():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(name + ".part")
        limit = RateLimit(self.kbps, self.clock, self.sleep)
        url = self.repository + "targets/" + info.path
        for _attempt in range(RESUMES):
            have = part.stat().st_size if part.exists() else 0
            if have >= info.length:
                break
            try:
                self._get(url, part, have, info.length, limit, progress)
            except requests.RequestException as exc:
                log.info(
                    "download of %s cut at %d bytes (%s): resuming", name, have, type(exc).__name__
                )
        have = part.stat().st_size if part.exists() else 0
        if have < info.length:
            raise Unavailable(f"{name}: {have} of {info.length} bytes after {RESUMES} tries")
        try:
            with part.open("rb") as fh:
                info.verify_length_and_hashes(fh)
        except tuf_errors.LengthOrHashMismatchError as exc:
            part.unlink()
            raise Refused("hash_mismatch", f"{name}: {exc}") from exc
        part.replace(final)
        return final

    def _get(
        self,
        url: str,
        part: Path,
        have: int,
        length: int,
        limit: RateLimit,
        progress: Callable[[int], None],
    ) -> None:
        headers = {"Range": f"bytes={have}-"} if have else {}
        with self.http.get(url, headers=headers, stream=True, timeout=30) as resp:
            if resp.status_code == 416:
                raise Refused("truncated", f"{url}: the server has only {have} of {length} bytes")
            if resp.status_code >= 400:
                raise Unavailable(f"{url}: HTTP {resp.status_code}")
            if have and resp.status_code != 206:  # no Range support: start again
                part.unlink()
                have = 0
            if _server_size(resp) < length:
                raise Refused(
                    "truncated",
                    f"{url}: the server's file is shorter than the signed {length} bytes",
                )
            with part.open("ab") as out:
                for chunk in resp.iter_content(CHUNK):
                    if have + len(chunk) > length:
                        raise Refused("too_long", f"{url}: more than the signed {length} bytes")
                    out.write(chunk)
                    out.flush()
                    have += len(chunk)
                    self.downloaded += len(chunk)
                    progress(len(chunk))
                    limit.take(len(chunk))
                    failpoint("download")
                os.fsync(out.fileno())


def _server_size(resp: requests.Response) -> int:
    """The whole file's size as the server states it (large when it does not say)."""
    total = resp.headers.get("Content-Range", "").rpartition("/")[2]
    if total.isdigit():
        return int(total)
    size = resp.headers.get("Content-Length", "")
    return int(size) if resp.status_code == 200 and size.isdigit() else 1 << 62
