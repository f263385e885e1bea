"""The pump's side of the outbox: which items are due, what each one still needs, and
the record of every acknowledged step.

Each ``set_*``/``mark_*`` is its own committed transaction (``synchronous=FULL``) made
*after* the platform's answer and *before* the next request, so a crash anywhere loses
at most one answer, which the platform's idempotency keys then absorb.
"""

from __future__ import annotations

import dataclasses as dc
import json
import sqlite3
from collections.abc import Callable

from kiosk.outbox.crypto import Sealer
from kiosk.outbox.models import ItemStatus
from kiosk.outbox.status import statuses
from kiosk.storage import Database
from kiosk.upstream.models import Application


@dc.dataclass(frozen=True)
class Part:
    idx: int
    material_code: str
    size: int
    upload_id: str | None
    acked_offset: int
    done: bool


@dc.dataclass(frozen=True)
class Work:
    """One pending item, opened for sending."""

    seq: int
    provisional_no: str
    idem_key: str
    case_no: str | None
    app_acked: bool
    application: Application  # case_no not filled in
    parts: list[Part]


def case_key(idem_key: str) -> str:
    """The idempotency key of an item's case-number request."""
    return f"{idem_key}.case"


def part_aad(idem_key: str, idx: int) -> str:
    """Binds a sealed attachment to its item and position."""
    return f"part:{idem_key}:{idx}"


def open_application(sealer: Sealer, prov: str, payload: bytes) -> Application:
    return Application.from_json(json.loads(sealer.open(bytes(payload), f"item:{prov}")))


def purge(conn: sqlite3.Connection, seq: int) -> None:
    """Drop an item's personal data (inside the caller's transaction)."""
    conn.execute("UPDATE items SET payload = NULL WHERE seq = ?", (seq,))
    conn.execute("UPDATE parts SET data = NULL WHERE item_seq = ?", (seq,))


class Progress:
    def __init__(self, db: Database, sealer: Sealer, clock: Callable[[], float]) -> None:
        self.db, self._sealer, self.clock = db, sealer, clock

    def due(self, force: bool = False) -> list[int]:
        """Pending items whose retry time has come, oldest first."""
        sql = "SELECT seq FROM items WHERE state = 'pending'"
        args: tuple[object, ...] = ()
        if not force:
            sql, args = sql + " AND next_attempt_at <= ?", (self.clock(),)
        return [int(r[0]) for r in self.db.query(sql + " ORDER BY seq", args)]

    def next_due_at(self) -> float | None:
        row = self.db.one("SELECT MIN(next_attempt_at) FROM items WHERE state = 'pending'")
        return None if row is None or row[0] is None else float(row[0])

    def work(self, seq: int) -> Work:
        row = self.db.one("SELECT * FROM items WHERE seq = ?", (seq,))
        if row is None or row["payload"] is None:
            raise KeyError(seq)
        parts = self.db.query(
            "SELECT idx, material_code, size, upload_id, acked_offset, done FROM parts"
            " WHERE item_seq = ? ORDER BY idx",
            (seq,),
        )
        return Work(
            seq=seq,
            provisional_no=row["provisional_no"],
            idem_key=row["idem_key"],
            case_no=row["case_no"],
            app_acked=bool(row["app_acked"]),
            application=open_application(self._sealer, row["provisional_no"], row["payload"]),
            parts=[Part(p[0], p[1], p[2], p[3], p[4], bool(p[5])) for p in parts],
        )

    def part_data(self, work: Work, idx: int) -> bytes:
        row = self.db.one("SELECT data FROM parts WHERE item_seq = ? AND idx = ?", (work.seq, idx))
        if row is None or row[0] is None:
            raise KeyError((work.seq, idx))
        return self._sealer.open(bytes(row[0]), part_aad(work.idem_key, idx))

    def set_case_no(self, seq: int, case_no: str) -> None:
        self._update(
            seq, "UPDATE items SET case_no = ? WHERE seq = ? AND case_no IS NULL", case_no, seq
        )

    def mark_app_acked(self, seq: int) -> None:
        self._update(seq, "UPDATE items SET app_acked = 1 WHERE seq = ?", seq)

    def set_upload(self, seq: int, idx: int, upload_id: str | None, offset: int) -> None:
        self._update(
            seq,
            "UPDATE parts SET upload_id = ?, acked_offset = ? WHERE item_seq = ? AND idx = ?",
            upload_id,
            offset,
            seq,
            idx,
        )

    def set_offset(self, seq: int, idx: int, offset: int, done: bool = False) -> None:
        self._update(
            seq,
            "UPDATE parts SET acked_offset = ?, done = ? WHERE item_seq = ? AND idx = ?",
            offset,
            int(done),
            seq,
            idx,
        )

    def mark_sent(self, seq: int) -> None:
        """Everything acknowledged: purge the personal data, keep the mapping."""
        with self.db.tx() as conn:
            purge(conn, seq)
            conn.execute(
                "UPDATE items SET state = 'sent', acked_at = ?, last_error = NULL WHERE seq = ?",
                (self.clock(), seq),
            )

    def mark_rejected(self, seq: int, code: str) -> None:
        self._update(
            seq, "UPDATE items SET state = 'rejected', last_error = ? WHERE seq = ?", code, seq
        )

    def schedule_retry(self, seq: int, at: float, code: str) -> None:
        self._update(
            seq,
            "UPDATE items SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
            " WHERE seq = ?",
            at,
            code,
            seq,
        )

    def attempts(self, seq: int) -> int:
        row = self.db.one("SELECT attempts FROM items WHERE seq = ?", (seq,))
        return int(row[0]) if row else 0

    def status_of(self, seq: int) -> ItemStatus:
        return statuses(self.db, "WHERE i.seq = ?", (seq,))[0]

    def _update(self, seq: int, sql: str, *args: object) -> None:
        """One progress step, committed before the next request goes out."""
        with self.db.tx() as conn:
            conn.execute(sql, args)
            conn.execute("UPDATE items SET updated_at = ? WHERE seq = ?", (self.clock(), seq))
