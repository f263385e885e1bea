"""Receipts that did not print, kept for a reprint.

A receipt is the citizen's proof that the application exists. When the paper runs out
in the middle of it, the printer is off, or it cannot confirm the job, the exact job
bytes are kept here, so that the receipt can be printed again later (the receipt and
attract screens, ``kiosk print reprint NUMBER``). The job is written *before* it is
sent to the printer and deleted once the printer confirms it, so a crash during
printing leaves it here too.

The receipt is masked (张*, 1101**********1234) but still names a person and a matter:
the bytes are sealed with the outbox key, deleted (``secure_delete``) as soon as they
print, and purged after :data:`RETENTION_S` at the latest.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Callable

from kiosk.outbox.crypto import Sealer
from kiosk.storage import Database

RETENTION_S = 30 * 86_400  # as long as the platform keeps idempotency keys

_FIND = """
SELECT provisional_no, kind, number, created_at, attempts, last_error FROM print_jobs
WHERE number = ? OR provisional_no = ?
   OR provisional_no IN (SELECT provisional_no FROM items WHERE case_no = ?)
ORDER BY created_at DESC LIMIT 1
"""


@dc.dataclass(frozen=True)
class KeptJob:
    """A kept print job; no personal data (the bytes stay sealed in the database)."""

    provisional_no: str
    kind: str
    number: str  # the number printed on it: the case number, or the provisional one
    created_at: float
    attempts: int
    last_error: str | None


class PrintJobs:
    def __init__(self, db: Database, sealer: Sealer, clock: Callable[[], float]) -> None:
        self.db, self._sealer, self.clock = db, sealer, clock

    def keep(self, provisional_no: str, number: str, data: bytes, kind: str = "receipt") -> KeptJob:
        """Store (or replace) the job of one item's document, sealed."""
        sealed = self._sealer.seal(data, _aad(provisional_no, kind))
        now = self.clock()
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO print_jobs (provisional_no, kind, number, created_at, data)"
                " VALUES (?,?,?,?,?) ON CONFLICT (provisional_no, kind) DO UPDATE SET"
                " number = excluded.number, data = excluded.data, attempts = 0,"
                " last_error = NULL",
                (provisional_no, kind, number, now, sealed),
            )
        return KeptJob(provisional_no, kind, number, now, 0, None)

    def find(self, number: str) -> KeptJob | None:
        """By the number printed on it, the provisional number or the case number."""
        row = self.db.one(_FIND, (number, number, number))
        return None if row is None else KeptJob(*row)

    def data(self, job: KeptJob) -> bytes:
        row = self.db.one(
            "SELECT data FROM print_jobs WHERE provisional_no = ? AND kind = ?",
            (job.provisional_no, job.kind),
        )
        if row is None:
            raise KeyError(job.number)
        return self._sealer.open(bytes(row[0]), _aad(job.provisional_no, job.kind))

    def failed(self, job: KeptJob, reason: str) -> None:
        """Another attempt did not print; ``reason`` is the printer's (paper_out …)."""
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?"
                " WHERE provisional_no = ? AND kind = ?",
                (reason, job.provisional_no, job.kind),
            )

    def printed(self, job: KeptJob) -> None:
        """The printer confirmed it: the bytes are no longer needed."""
        with self.db.tx() as conn:
            conn.execute(
                "DELETE FROM print_jobs WHERE provisional_no = ? AND kind = ?",
                (job.provisional_no, job.kind),
            )

    def pending(self) -> list[KeptJob]:
        """Jobs waiting for a reprint, oldest first."""
        rows = self.db.query(
            "SELECT provisional_no, kind, number, created_at, attempts, last_error"
            " FROM print_jobs ORDER BY created_at"
        )
        return [KeptJob(*r) for r in rows]

    def purge_expired(self) -> int:
        """Forget jobs older than the retention period; returns how many."""
        with self.db.tx() as conn:
            cur = conn.execute(
                "DELETE FROM print_jobs WHERE created_at < ?", (self.clock() - RETENTION_S,)
            )
        return cur.rowcount


def _aad(provisional_no: str, kind: str) -> str:
    """Binds a sealed job to its item, so a blob moved to another row does not open."""
    return f"job:{provisional_no}:{kind}"
