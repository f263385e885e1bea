"""The sandbox platform's SQLite database: schema, transactions, idempotency records.

One connection behind a lock: requests are serialized, which keeps every request one
transaction (Brandur Leach, "Implementing Stripe-like idempotency keys": when an endpoint
only changes local ACID state, the key record and the effect commit together).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.storage import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    device_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL, content_type TEXT NOT NULL, body BLOB NOT NULL,
    headers TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (device_id, key));
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_at);
CREATE TABLE IF NOT EXISTS case_numbers (
    case_no TEXT PRIMARY KEY, device_id TEXT NOT NULL, matter_code TEXT NOT NULL,
    issued_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, case_no TEXT NOT NULL, device_id TEXT NOT NULL,
    client_ref TEXT, idem_key TEXT, matter_code TEXT NOT NULL, mode TEXT NOT NULL,
    body TEXT NOT NULL, received_at REAL NOT NULL, accepted_at REAL);
CREATE INDEX IF NOT EXISTS applications_case ON applications (case_no);
CREATE INDEX IF NOT EXISTS applications_ref ON applications (client_ref);
CREATE TABLE IF NOT EXISTS review_overrides (
    case_no TEXT PRIMARY KEY, outcome TEXT NOT NULL, missing TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY, application_id INTEGER NOT NULL, manifest_index INTEGER NOT NULL,
    material_code TEXT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,
    length INTEGER NOT NULL, sha256 TEXT NOT NULL, offset INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL,
    UNIQUE (application_id, manifest_index));
CREATE TABLE IF NOT EXISTS upload_chunks (
    upload_id TEXT NOT NULL, offset INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (upload_id, offset));
CREATE TABLE IF NOT EXISTS ratings (
    rating_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS complaints (
    complaint_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS payments (
    payment_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, matter_code TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, station_id TEXT NOT NULL, status TEXT NOT NULL,
    created_at REAL NOT NULL, paid_at REAL);
CREATE TABLE IF NOT EXISTS appointments (
    appointment_id TEXT PRIMARY KEY, station_id TEXT NOT NULL, slot_id TEXT NOT NULL,
    matter_code TEXT NOT NULL, id_number TEXT NOT NULL, status TEXT NOT NULL,
    body TEXT NOT NULL, at REAL NOT NULL);
"""
# Expand-only steps after SCHEMA, in order; PRAGMA user_version counts those applied.
# Append, never edit or remove (kiosk/schema.py; tests/kiosk/test_schema.py).
MIGRATIONS: tuple[str, ...] = ()


class SandboxDB(Database):
    """The stand-in platform's file (kiosk/storage.py): ``tx()`` is the only way to
    write; a commit survives the process, not a power cut (it is a stand-in)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, SCHEMA, synchronous="NORMAL", migrations=MIGRATIONS)


def next_value(conn: sqlite3.Connection, name: str) -> int:
    """The next value of a named counter (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT (name) DO UPDATE SET value = value + 1",
        (name,),
    )
    row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return int(row[0])


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
