"""Staff accounts for 帮办代办: one per person, bound to one station, no shared logins.

An agent signs in with a personal staff number and a PIN, or with a staff card and the
same PIN (``card_id``: the card's identifier, read by devices/smartcard when it is
wired in). PINs are stored as scrypt hashes with a per-account salt; after
``max_failures`` wrong PINs in a row the number is locked for ``lockout_s`` (the audit
found shared super-admin accounts with weak passwords: research/features.md §5).
"""

from __future__ import annotations

import dataclasses as dc
import hashlib
import hmac
import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.storage import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS staff (
    staff_no TEXT PRIMARY KEY, name TEXT NOT NULL, station_id TEXT NOT NULL,
    pin_salt BLOB NOT NULL, pin_hash BLOB NOT NULL, card_id TEXT UNIQUE,
    active INTEGER NOT NULL DEFAULT 1, failures INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0, created_at REAL NOT NULL);
"""
# Expand-only steps after SCHEMA, in order; PRAGMA user_version counts those applied.
# Append, never edit or remove (kiosk/schema.py; tests/kiosk/test_schema.py).
MIGRATIONS: tuple[str, ...] = ()
STAFF_NO = re.compile(r"[A-Za-z0-9-]{3,20}")
PIN = re.compile(r"[0-9]{6}")
WEAK_PINS = frozenset({"123456", "654321", "012345", "123123", "112233", "121212"})


class StaffError(KioskError):
    key = "staff.error.bad_credentials"


class Locked(StaffError):
    key = "staff.error.locked"


class OtherStation(StaffError):
    key = "staff.error.other_station"


@dc.dataclass(frozen=True)
class Cost:
    """scrypt parameters; tests pass a cheap one."""

    n: int = 2**14
    r: int = 8
    p: int = 1


@dc.dataclass(frozen=True)
class StaffMember:
    staff_no: str
    name: str
    station_id: str
    card_id: str | None = None

    def __repr__(self) -> str:
        return f"StaffMember({self.staff_no!r})"


def check_pin_rule(pin: str) -> None:
    """Six digits, not one repeated, not a well-known sequence."""
    if not PIN.fullmatch(pin) or len(set(pin)) == 1 or pin in WEAK_PINS:
        raise ValueError("a PIN is 6 digits, not all the same and not a simple sequence")


class StaffStore:
    def __init__(
        self,
        path: Path,
        *,
        max_failures: int = 5,
        lockout_s: float = 900,
        cost: Cost | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = Database(path, SCHEMA, synchronous="FULL", private=True, migrations=MIGRATIONS)
        self.max_failures, self.lockout_s = max_failures, lockout_s
        self.cost, self.clock = cost or Cost(), clock

    def close(self) -> None:
        self._db.close()

    def _hash(self, pin: str, salt: bytes) -> bytes:
        c = self.cost
        return hashlib.scrypt(pin.encode(), salt=salt, n=c.n, r=c.r, p=c.p, dklen=32)

    def add(
        self, staff_no: str, name: str, pin: str, station_id: str, card_id: str | None = None
    ) -> StaffMember:
        if not STAFF_NO.fullmatch(staff_no):
            raise ValueError("a staff number is 3-20 of A-Z a-z 0-9 -")
        if not name.strip():
            raise ValueError("a staff member needs a name")
        check_pin_rule(pin)
        salt = os.urandom(16)
        with self._db.tx() as conn:
            conn.execute(
                "INSERT INTO staff (staff_no, name, station_id, pin_salt, pin_hash, card_id,"
                " created_at) VALUES (?,?,?,?,?,?,?)",
                (
                    staff_no,
                    name.strip(),
                    station_id,
                    salt,
                    self._hash(pin, salt),
                    card_id,
                    self.clock(),
                ),
            )
        return StaffMember(staff_no, name.strip(), station_id, card_id)

    def set_pin(self, staff_no: str, pin: str) -> None:
        check_pin_rule(pin)
        salt = os.urandom(16)
        with self._db.tx() as conn:
            done = conn.execute(
                "UPDATE staff SET pin_salt = ?, pin_hash = ?, failures = 0, locked_until = 0"
                " WHERE staff_no = ?",
                (salt, self._hash(pin, salt), staff_no),
            ).rowcount
        if not done:
            raise KeyError(staff_no)

    def set_active(self, staff_no: str, active: bool) -> None:
        with self._db.tx() as conn:
            done = conn.execute(
                "UPDATE staff SET active = ? WHERE staff_no = ?", (int(active), staff_no)
            ).rowcount
        if not done:
            raise KeyError(staff_no)

    def members(self) -> list[StaffMember]:
        rows = self._db.query("SELECT * FROM staff WHERE active = 1 ORDER BY staff_no")
        return [_member(r) for r in rows]

    def verify_pin(self, staff_no: str, pin: str, station_id: str) -> StaffMember:
        """The member, or a StaffError; every wrong PIN counts towards the lockout."""
        row = self._db.one("SELECT * FROM staff WHERE staff_no = ?", (staff_no,))
        return self._verify(row, pin, station_id)

    def verify_card(self, card_id: str, pin: str, station_id: str) -> StaffMember:
        row = self._db.one("SELECT * FROM staff WHERE card_id = ?", (card_id,))
        return self._verify(row, pin, station_id)

    def _verify(self, row: sqlite3.Row | None, pin: str, station_id: str) -> StaffMember:
        if row is None or not row["active"]:
            self._hash(pin, b"\0" * 16)  # the same work as a real check: no timing oracle
            raise StaffError("unknown or inactive staff number")
        now = self.clock()
        if row["locked_until"] > now:
            raise Locked("too many wrong PINs")
        ok = hmac.compare_digest(self._hash(pin, bytes(row["pin_salt"])), bytes(row["pin_hash"]))
        with self._db.tx() as conn:
            if not ok:
                failures = row["failures"] + 1
                until = now + self.lockout_s if failures >= self.max_failures else 0
                conn.execute(
                    "UPDATE staff SET failures = ?, locked_until = ? WHERE staff_no = ?",
                    (0 if until else failures, until, row["staff_no"]),
                )
            else:
                conn.execute("UPDATE staff SET failures = 0 WHERE staff_no = ?", (row["staff_no"],))
        if not ok:  # counted (committed) first, then refused
            raise Locked("too many wrong PINs") if until else StaffError("wrong PIN")
        if row["station_id"] != station_id:
            raise OtherStation("this staff number belongs to another station")
        return _member(row)


def _member(row: sqlite3.Row) -> StaffMember:
    return StaffMember(row["staff_no"], row["name"], row["station_id"], row["card_id"])
