"""The durable outbox: a submission is committed here before any receipt is printed.

``enqueue`` returns only after the row is committed with ``synchronous=FULL``, so the
receipt that follows means *durable*. The idempotency key is fixed at that moment and
every request about this submission derives from it, so a resend after any crash is
recognised by the platform. Personal data (applicant, answers, file names, scans) is
sealed with AES-GCM; once the platform has acknowledged everything it is purged and only
the non-personal mapping provisional number → case number is kept.

The pump (pump.py) records its progress through ``Outbox.progress`` (progress.py).
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import hashlib
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from kiosk.masking import mask_id_number, mask_name
from kiosk.outbox.courier import send_one
from kiosk.outbox.crypto import Sealer
from kiosk.outbox.db import open_outbox_db
from kiosk.outbox.jobs import PrintJobs
from kiosk.outbox.messages import Messages
from kiosk.outbox.models import ItemState, ItemStatus, QueuedSubmission, Submission
from kiosk.outbox.progress import Progress, case_key, open_application, part_aad, purge
from kiosk.outbox.status import statuses
from kiosk.upstream.client import PlatformClient
from kiosk.upstream.errors import PlatformError
from kiosk.upstream.fields import FieldError
from kiosk.upstream.models import CHINA_TZ, Application, IssuedNumber, MaterialRef, unsafe_filename

log = logging.getLogger(__name__)

Failpoint = Callable[[str], None]


class Outbox:
    def __init__(
        self,
        db_path: Path,
        key: bytes,
        *,
        clock: Callable[[], float] = time.time,
        failpoint: Failpoint | None = None,
    ) -> None:
        self._sealer = Sealer(key)  # a bad key fails before any file is touched
        self.db = open_outbox_db(db_path)
        self.clock = clock
        self.failpoint: Failpoint = failpoint or (lambda name: None)
        self.progress = Progress(self.db, self._sealer, clock)
        self.messages = Messages(self.db, self._sealer, clock)
        self.jobs = PrintJobs(self.db, self._sealer, clock)  # receipts kept for a reprint
        self._listeners: list[Callable[[], None]] = []

    def close(self) -> None:
        self.db.close()

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Called after each enqueue (the pump kicks itself with it)."""
        self._listeners.append(callback)

    # -- the journey ----------------------------------------------------------------------

    def enqueue(self, sub: Submission) -> QueuedSubmission:
        """Commit a submission durably and return its provisional number and key.
        Raises fields.FieldError (a ValueError) for a submission the platform's API
        would refuse, before anything is stored."""
        now, key = self.clock(), uuid.uuid4().hex
        day = dt.datetime.fromtimestamp(now, CHINA_TZ).strftime("%Y%m%d")
        manifest = [
            MaterialRef(
                a.material_code,
                a.filename,
                a.content_type,
                len(a.data),
                hashlib.sha256(a.data).hexdigest(),
            )
            for a in sub.attachments
        ]
        draft = _application(sub, manifest, client_ref=f"LS-{sub.station_id}-{day}-0000")
        Application.from_json(draft.to_json())  # refuse now what the platform would refuse
        for i, a in enumerate(sub.attachments):
            if unsafe_filename(a.filename):
                raise FieldError(f"attachments[{i}].filename", "has path or control characters")
        sealed = [
            self._sealer.seal(a.data, part_aad(key, i)) for i, a in enumerate(sub.attachments)
        ]
        with self.db.tx() as conn:
            n = _next(conn, f"prov:{sub.station_id}:{day}")
            prov = f"LS-{sub.station_id}-{day}-{n:04d}"
            app = dc.replace(draft, client_ref=prov)
            payload = self._sealer.seal(json.dumps(app.to_json()).encode(), f"item:{prov}")
            seq = conn.execute(
                "INSERT INTO items (provisional_no, idem_key, station_id, matter_code,"
                " region_code, created_at, updated_at, payload, case_no)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    prov,
                    key,
                    sub.station_id,
                    sub.matter_code,
                    sub.region_code,
                    now,
                    now,
                    payload,
                    sub.case_no,
                ),
            ).lastrowid
            for idx, a in enumerate(sub.attachments):
                conn.execute(
                    "INSERT INTO parts (item_seq, idx, material_code, size, data)"
                    " VALUES (?,?,?,?,?)",
                    (seq, idx, a.material_code, len(a.data), sealed[idx]),
                )
            self.failpoint("enqueue.before_commit")
        self.failpoint("enqueue.after_commit")
        log.info("outbox: queued %s (%d attachments)", prov, len(sub.attachments))
        self.notify()
        return QueuedSubmission(prov, key, now, sub.case_no)

    def notify(self) -> None:
        """Something new waits to be sent (the pump kicks itself)."""
        for listener in self._listeners:
            listener()

    def try_reserve_case_number(
        self, item: QueuedSubmission, client: PlatformClient, timeout: float = 2.0
    ) -> str | None:
        """The fast path before printing: one quick try for the platform's case number
        with the item's key. ``None`` when offline; the pump will get it later."""
        issued = self.try_reserve_case(item, client, timeout)
        return None if issued is None else issued.case_no

    def try_reserve_case(
        self,
        item: QueuedSubmission,
        client: PlatformClient,
        timeout: float = 2.0,
        *,
        promised_days: int | None = None,
    ) -> IssuedNumber | None:
        """:meth:`try_reserve_case_number` with the platform's promised date for the
        case (given ``promised_days``). A number known already (a correction's case, or
        the pump was first) comes without a date: the caller prints its estimate."""
        row = self.db.one("SELECT * FROM items WHERE provisional_no = ?", (item.provisional_no,))
        if row is None:
            raise KeyError(item.provisional_no)
        if row["case_no"]:
            return IssuedNumber(str(row["case_no"]))
        try:
            issued = client.issue_case(
                case_key(row["idem_key"]),
                row["matter_code"],
                region_code=row["region_code"],
                promised_days=promised_days,
                timeout=timeout,
                attempts=1,
            )
        except PlatformError as exc:
            log.info("outbox: no case number for %s yet (%s)", item.provisional_no, exc.code)
            return None
        self.progress.set_case_no(row["seq"], issued.case_no)
        return issued

    def try_send_message(self, reference: str, client: PlatformClient) -> str | None:
        """The fast path for a complaint's paper: one try now for the platform's id.
        None when offline or still waiting; the pump sends it later."""

        msg = self.messages.one(reference)
        if msg is None:
            status = self.messages.status(reference)
            return status.remote_id if status is not None else None
        try:
            remote = send_one(self, client, msg)
        except PlatformError as exc:
            log.info("outbox: %s not sent yet (%s)", reference, exc.code)
            return None
        if remote is not None:
            self.messages.mark_sent(msg.seq, remote)
        return remote

    def confirm_receipt(self, number: str) -> None:
        """The receipt for this item was printed or shown."""
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE items SET receipt_confirmed = 1 WHERE provisional_no = ? OR case_no = ?",
                (number, number),
            )

    def unconfirmed(self) -> list[ItemStatus]:
        """Saved but no receipt confirmed: after a crash, tell the citizen or staff
        "your application was saved, number N" instead of inviting a second one."""
        return self._statuses("WHERE i.receipt_confirmed = 0", ())

    # -- lookups and health -----------------------------------------------------------------

    def lookup(self, number: str) -> ItemStatus | None:
        """By provisional number or by case number."""
        found = self._statuses("WHERE i.provisional_no = ? OR i.case_no = ?", (number, number))
        return found[0] if found else None

    def list_items(self, limit: int = 100, state: ItemState | None = None) -> list[ItemStatus]:
        where, args = ("WHERE i.state = ?", (str(state),)) if state else ("", ())
        return self._statuses(where, args, order="DESC", limit=limit)

    def depth(self) -> int:
        row = self.db.one("SELECT COUNT(*) FROM items WHERE state = 'pending'")
        return int(row[0]) if row else 0

    def oldest_pending_age(self) -> float | None:
        row = self.db.one("SELECT MIN(created_at) FROM items WHERE state = 'pending'")
        return None if row is None or row[0] is None else max(0.0, self.clock() - row[0])

    def counts(self) -> dict[str, int]:
        rows = self.db.query("SELECT state, COUNT(*) FROM items GROUP BY state")
        return {str(s): 0 for s in ItemState} | {r[0]: int(r[1]) for r in rows}

    def last_success(self) -> float | None:
        row = self.db.one("SELECT MAX(acked_at) FROM items")
        return None if row is None or row[0] is None else float(row[0])

    def applicant_masked(self, number: str) -> str | None:
        """``张* 1101**********1234`` for staff lists; None once purged."""
        app = self.application(number)
        if app is None:
            return None
        return f"{mask_name(app.applicant.name)} {mask_id_number(app.applicant.id_number)}"

    def application(self, number: str) -> Application | None:
        """The queued application, opened: personal data, never to be logged. None once
        purged. For masked lists and for rebuilding a receipt that never printed."""
        row = self.db.one(
            "SELECT provisional_no, payload FROM items WHERE provisional_no = ? OR case_no = ?",
            (number, number),
        )
        if row is None or row["payload"] is None:
            return None
        return open_application(self._sealer, row["provisional_no"], row["payload"])

    def pending_for(self, id_number: str) -> list[ItemStatus]:
        """Applications of this person still waiting here (opens only the pending few)."""
        found = []
        rows = self.db.query(
            "SELECT provisional_no, payload FROM items WHERE state = 'pending'"
            " AND payload IS NOT NULL"
        )
        for row in rows:
            app = open_application(self._sealer, row["provisional_no"], row["payload"])
            if app.applicant.id_number == id_number:
                status = self.lookup(row["provisional_no"])
                if status is not None:
                    found.append(status)
        return found

    def discard(self, number: str) -> bool:
        """Staff drop a rejected item: its personal data is purged, the row stays."""
        with self.db.tx() as conn:
            row = conn.execute(
                "SELECT seq FROM items WHERE state = 'rejected' AND (provisional_no = ?"
                " OR case_no = ?)",
                (number, number),
            ).fetchone()
            if row is not None:
                purge(conn, row[0])
        return row is not None

    def integrity_check(self) -> str:
        row = self.db.one("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"

    # -- internals --------------------------------------------------------------------------

    def _statuses(
        self, where: str, args: tuple[object, ...], order: str = "ASC", limit: int = -1
    ) -> list[ItemStatus]:
        return statuses(self.db, where, args, order=order, limit=limit)


def _application(sub: Submission, manifest: list[MaterialRef], client_ref: str) -> Application:
    return Application(
        matter_code=sub.matter_code,
        matter_name=sub.matter_name,
        department=sub.department,
        applicant=sub.applicant,
        answers=dict(sub.answers),
        channel=sub.channel,
        station_id=sub.station_id,
        region_code=sub.region_code,
        materials=manifest,
        agent=sub.agent,
        mode=sub.mode,
        client_ref=client_ref,
        promised_days=sub.promised_days,
        kind=sub.kind,
        case_no=sub.case_no if sub.kind == "correction" else None,
    )


def _next(conn: sqlite3.Connection, name: str) -> int:
    conn.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT (name) DO UPDATE SET value = value + 1",
        (name,),
    )
    return int(conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])
