"""The outbox's SQLite file: schema and durability settings.

WAL with ``synchronous=FULL``: a commit survives an application crash at any setting,
and a power cut only with FULL, provided the storage honours fsync (research/fleet.md
§B2). ``secure_delete`` zeroes purged blobs instead of leaving them in free pages. The
file is created owner-only (0600); SQLite gives the -wal and -shm files the same mode.
One process owns the file; never put it on a network file system.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    provisional_no TEXT NOT NULL UNIQUE,
    idem_key TEXT NOT NULL,
    station_id TEXT NOT NULL,
    matter_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    case_no TEXT,
    app_acked INTEGER NOT NULL DEFAULT 0,
    payload BLOB,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    receipt_confirmed INTEGER NOT NULL DEFAULT 0,
    acked_at REAL
);
CREATE INDEX IF NOT EXISTS items_case ON items (case_no);
CREATE INDEX IF NOT EXISTS items_state ON items (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS parts (
    item_seq INTEGER NOT NULL REFERENCES items (seq),
    idx INTEGER NOT NULL,
    material_code TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB,
    upload_id TEXT,
    acked_offset INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_seq, idx)
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    idem_key TEXT NOT NULL,
    case_ref TEXT,
    station_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    remote_id TEXT,
    acked_at REAL,
    payload BLOB
);
CREATE INDEX IF NOT EXISTS messages_state ON messages (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS print_jobs (
    provisional_no TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    data BLOB NOT NULL,
    PRIMARY KEY (provisional_no, kind)
);
"""


class OutboxDB:
    """One connection shared by the UI thread and the pump, behind a lock. Every
    statement is short; no lock is held across network I/O."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            for pragma in (
                "journal_mode=WAL",
                "synchronous=FULL",
                "secure_delete=ON",
                "foreign_keys=ON",
                "busy_timeout=5000",
            ):
                self._conn.execute(f"PRAGMA {pragma}")
            self._conn.executescript(SCHEMA)

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """An immediate write transaction, committed (and fsynced) on exit."""
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
