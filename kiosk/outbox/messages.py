"""Ratings (好差评) and complaints (投诉) kept like applications: never lost.

``enqueue`` commits the message (sealed: a complaint's text and phone, a rating's
comment are personal) and returns a local reference the citizen gets at once
(``TS-<station>-<yyyymmdd>-<seq>`` for a complaint, ``PJ-…`` for a rating). The pump
sends what is due with an idempotency key fixed at enqueue; a rating waits until the
case it rates has its platform case number. Once acknowledged, the payload is purged
and only the reference → platform id mapping stays.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from kiosk.outbox.crypto import Sealer
from kiosk.storage import Database
from kiosk.upstream.models import CHINA_TZ

log = logging.getLogger(__name__)

KINDS = {"rating": "PJ", "complaint": "TS"}


@dc.dataclass(frozen=True)
class Message:
    """One queued message, opened for sending."""

    seq: int
    kind: str
    reference: str
    idem_key: str
    case_ref: str | None
    body: dict[str, Any] = dc.field(repr=False)


@dc.dataclass(frozen=True)
class MessageStatus:
    """Where a message stands; no personal data."""

    reference: str
    kind: str
    state: str  # pending | sent | rejected
    remote_id: str | None
    attempts: int
    last_error: str | None


class Messages:
    def __init__(self, db: Database, sealer: Sealer, clock: Callable[[], float]) -> None:
        self.db, self._sealer, self.clock = db, sealer, clock

    def enqueue(
        self, kind: str, body: dict[str, Any], *, station_id: str, case_ref: str | None = None
    ) -> str:
        """Commit a message; returns its local reference."""
        if kind not in KINDS:
            raise ValueError(f"unknown message kind {kind!r}")
        now, key = self.clock(), uuid.uuid4().hex
        day = dt.datetime.fromtimestamp(now, CHINA_TZ).strftime("%Y%m%d")
        with self.db.tx() as conn:
            name = f"msg:{kind}:{station_id}:{day}"
            conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1)"
                " ON CONFLICT (name) DO UPDATE SET value = value + 1",
                (name,),
            )
            n = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
            reference = f"{KINDS[kind]}-{station_id}-{day}-{n:04d}"
            payload = self._sealer.seal(json.dumps(body).encode(), f"msg:{reference}")
            conn.execute(
                "INSERT INTO messages (kind, reference, idem_key, case_ref, station_id,"
                " created_at, payload) VALUES (?,?,?,?,?,?,?)",
                (kind, reference, key, case_ref, station_id, now, payload),
            )
        log.info("outbox: queued %s %s", kind, reference)
        return reference

    def due(self, force: bool = False) -> list[Message]:
        sql = "SELECT * FROM messages WHERE state = 'pending'"
        args: tuple[object, ...] = ()
        if not force:
            sql, args = sql + " AND next_attempt_at <= ?", (self.clock(),)
        return [self._open(r) for r in self.db.query(sql + " ORDER BY seq", args)]

    def one(self, reference: str) -> Message | None:
        row = self.db.one(
            "SELECT * FROM messages WHERE reference = ? AND state = 'pending'", (reference,)
        )
        return None if row is None else self._open(row)

    def _open(self, row: Any) -> Message:
        body = json.loads(self._sealer.open(bytes(row["payload"]), f"msg:{row['reference']}"))
        return Message(
            row["seq"], row["kind"], row["reference"], row["idem_key"], row["case_ref"], body
        )

    def next_due_at(self) -> float | None:
        row = self.db.one("SELECT MIN(next_attempt_at) FROM messages WHERE state = 'pending'")
        return None if row is None or row[0] is None else float(row[0])

    def mark_sent(self, seq: int, remote_id: str) -> None:
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE messages SET state = 'sent', remote_id = ?, acked_at = ?, payload = NULL,"
                " last_error = NULL WHERE seq = ?",
                (remote_id, self.clock(), seq),
            )

    def mark_rejected(self, seq: int, code: str) -> None:
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE messages SET state = 'rejected', last_error = ? WHERE seq = ?", (code, seq)
            )

    def schedule_retry(self, seq: int, at: float, code: str) -> None:
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE messages SET attempts = attempts + 1, next_attempt_at = ?,"
                " last_error = ? WHERE seq = ?",
                (at, code, seq),
            )

    def attempts(self, seq: int) -> int:
        row = self.db.one("SELECT attempts FROM messages WHERE seq = ?", (seq,))
        return int(row[0]) if row else 0

    def status(self, reference: str) -> MessageStatus | None:
        row = self.db.one("SELECT * FROM messages WHERE reference = ?", (reference,))
        if row is None:
            return None
        return MessageStatus(
            row["reference"],
            row["kind"],
            row["state"],
            row["remote_id"],
            row["attempts"],
            row["last_error"],
        )

    def depth(self) -> int:
        row = self.db.one("SELECT COUNT(*) FROM messages WHERE state = 'pending'")
        return int(row[0]) if row else 0
