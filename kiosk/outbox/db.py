"""The outbox's SQLite file: its schema, and the strictest durability kiosk/storage.py
offers (``synchronous=FULL``, ``secure_delete``, owner-only)."""

from __future__ import annotations

from pathlib import Path

from kiosk.storage import Database

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
# Expand-only steps after SCHEMA, in order; PRAGMA user_version counts those applied.
# Append, never edit or remove (kiosk/schema.py; tests/kiosk/test_schema.py).
MIGRATIONS: tuple[str, ...] = ()


def open_outbox_db(path: Path) -> Database:
    """The outbox file: a commit survives a power cut, purged blobs are zeroed, and the
    file is the owner's alone."""
    return Database(
        path, SCHEMA, synchronous="FULL", secure_delete=True, private=True, migrations=MIGRATIONS
    )
