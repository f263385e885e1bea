"""The kiosk's files that must survive a crash: SQLite stores and secret keys.

:class:`Database` is every store's SQLite file (the outbox, the staff accounts, the
audit chain, the stand-in platform's): one connection shared by the UI thread and the
workers behind a lock, WAL, the durability the store asks for, and ``tx()`` as the only
way to write. ``synchronous=FULL`` makes a commit survive a power cut, provided the
storage honours fsync (research/fleet.md §B2); ``NORMAL`` survives an application crash.
``secure_delete`` zeroes freed pages instead of leaving deleted rows in them. One process
owns a file; never put one on a network file system. A store's ``migrations`` take its
file up version by version at open, after a backup, and only ever add to the schema
(kiosk/schema.py), so the release before still reads a file this one has migrated.

:func:`secret_file` reads a key, making it on first use as an owner-only file that
another process racing to make it cannot overwrite; :func:`write_atomically` replaces a
file so that a power cut leaves the old contents or the new, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from kiosk.schema import Migration, check_expand_only, migrate

Synchronous = Literal["FULL", "NORMAL"]


class Database:
    """One SQLite file with ``schema`` applied and ``migrations`` run; see the module
    docstring.

    ``private``: the file is made owner-only (0600) before SQLite opens it, and SQLite
    gives its -wal and -shm files the same mode (and so do its backups).
    ``migrations``: expand-only steps after ``schema`` (kiosk/schema.py); the file's
    ``PRAGMA user_version`` counts those applied.
    """

    def __init__(
        self,
        path: Path,
        schema: str,
        *,
        synchronous: Synchronous = "FULL",
        secure_delete: bool = False,
        private: bool = False,
        migrations: tuple[Migration, ...] = (),
    ) -> None:
        check_expand_only(migrations)
        path.parent.mkdir(parents=True, exist_ok=True)
        if private and not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.path = path
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            for pragma in (
                "journal_mode=WAL",
                f"synchronous={synchronous}",
                f"secure_delete={'ON' if secure_delete else 'OFF'}",
                "foreign_keys=ON",
                "busy_timeout=5000",
            ):
                self._conn.execute(f"PRAGMA {pragma}")
            self._conn.executescript(schema)
            self.schema_version = migrate(self._conn, path, migrations, private=private)

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """An immediate write transaction: committed on exit (durably, as the file's
        ``synchronous`` says), rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def one(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Row | None:
        rows = self.query(sql, args)
        return rows[0] if rows else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def secret_file(path: Path, make: Callable[[], bytes]) -> tuple[bytes, bool]:
    """(the secret in ``path``, whether it was made now). Made on first use as a 0600
    file, written and fsynced before anyone reads it; a process that loses the race to
    make it reads the winner's. A file others may read is made owner-only again."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_bytes(), False
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
            fh.flush()
            os.fsync(fh.fileno())
        return secret, True
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return secret, False


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``: a temporary file beside it, fsynced, renamed over
    it, and the folder fsynced so that the rename itself survives a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
