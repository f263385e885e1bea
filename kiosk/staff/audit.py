"""The audit log of assisted work (帮办代办): who, for whom, which matter, when, outcome.

One row per action, in a local SQLite file the fleet agent can read and send on
(``query`` and ``kiosk staff audit``). Rows hold no more personal data than an audit
needs: the citizen masked (``张* 1101**********1234``), never a full name or number.
Each row carries the SHA-256 of the row before it and of itself, so a deleted or edited
row breaks the chain (:meth:`AuditLog.verify`).
"""

from __future__ import annotations

import dataclasses as dc
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.storage import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, station_id TEXT NOT NULL,
    staff_no TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
    matter_code TEXT NOT NULL, reference TEXT NOT NULL, outcome TEXT NOT NULL,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""
# Expand-only steps after SCHEMA, in order; PRAGMA user_version counts those applied.
# Append, never edit or remove (kiosk/schema.py; tests/kiosk/test_schema.py).
MIGRATIONS: tuple[str, ...] = ()
GENESIS = "0" * 64
_FIELDS = (
    "at",
    "station_id",
    "staff_no",
    "action",
    "subject",
    "matter_code",
    "reference",
    "outcome",
    "detail",
)


@dc.dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: float
    station_id: str
    staff_no: str
    action: str  # sign_in, sign_in_failed, sign_out, consent, submit, certificate, book ...
    subject: str  # the citizen, masked ("" when none)
    matter_code: str
    reference: str  # the case, provisional, appointment or complaint number
    outcome: str  # ok | failed | refused | queued ...
    detail: str  # a message key or problem code, never personal data

    def to_json(self) -> dict[str, Any]:
        return dc.asdict(self)


def _row_hash(prev: str, values: tuple[object, ...]) -> str:
    text = json.dumps([prev, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class AuditLog:
    def __init__(self, path: Path, station_id: str, clock: Callable[[], float] = time.time) -> None:
        self._db = Database(path, SCHEMA, synchronous="FULL", migrations=MIGRATIONS)
        self.station_id, self.clock = station_id, clock

    def close(self) -> None:
        self._db.close()

    def record(
        self,
        staff_no: str,
        action: str,
        *,
        subject: str = "",
        matter_code: str = "",
        reference: str = "",
        outcome: str = "ok",
        detail: str = "",
    ) -> AuditEntry:
        values = (
            self.clock(),
            self.station_id,
            staff_no,
            action,
            subject,
            matter_code,
            reference,
            outcome,
            detail,
        )
        with self._db.tx() as conn:
            last = conn.execute("SELECT row_hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            prev = last[0] if last else GENESIS
            seq = conn.execute(
                f"INSERT INTO audit ({', '.join(_FIELDS)}, prev_hash, row_hash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (*values, prev, _row_hash(prev, values)),
            ).lastrowid
        assert seq is not None
        return AuditEntry(seq, *values)  # type: ignore[arg-type]

    def query(
        self,
        *,
        since: float | None = None,
        until: float | None = None,
        staff_no: str | None = None,
        after_seq: int = 0,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """Entries oldest first; ``after_seq`` lets the fleet fetch only what is new."""
        where: list[str] = ["seq > ?"]
        args: list[object] = [after_seq]
        for clause, value in (("at >= ?", since), ("at < ?", until), ("staff_no = ?", staff_no)):
            if value is not None:
                where.append(clause)
                args.append(value)
        rows = self._db.query(
            f"SELECT seq, {', '.join(_FIELDS)} FROM audit WHERE {' AND '.join(where)}"
            " ORDER BY seq LIMIT ?",
            (*args, limit),
        )
        return [AuditEntry(*r) for r in rows]

    def verify(self) -> bool:
        """True when no row was removed, inserted or changed since it was written."""
        prev = GENESIS
        for row in self._db.query("SELECT * FROM audit ORDER BY seq"):
            values = tuple(row[f] for f in _FIELDS)
            if row["prev_hash"] != prev or row["row_hash"] != _row_hash(prev, values):
                return False
            prev = row["row_hash"]
        return True
