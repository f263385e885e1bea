"""What ``kiosk outbox status|list|flush`` and the fleet heartbeat show, as plain data.

Only masked personal data leaves here (kiosk.masking), so the CLI can print it and a
technician can paste it into a ticket.
"""

from __future__ import annotations

from typing import Any

from kiosk.outbox.models import ItemState, ItemStatus
from kiosk.outbox.pump import OutboxPump, PassReport
from kiosk.outbox.store import Outbox
from kiosk.upstream.client import PlatformClient
from kiosk.upstream.models import iso


def status_report(outbox: Outbox) -> dict[str, Any]:
    """Counts by state, queue depth, oldest pending age, last success, the numbers
    saved without a confirmed receipt, and the receipts kept for a reprint."""
    last = outbox.last_success()
    age = outbox.oldest_pending_age()
    return {
        "counts": outbox.counts(),
        "depth": outbox.depth(),
        "oldest_pending_age_s": None if age is None else round(age, 1),
        "last_success": None if last is None else iso(last),
        "unconfirmed": [s.number for s in outbox.unconfirmed()],
        "receipts_to_reprint": [job.number for job in outbox.jobs.pending()],
    }


def empty_status_report() -> dict[str, Any]:
    """:func:`status_report` of a kiosk that has saved nothing yet (no outbox database):
    zero of everything, in the same shape."""
    return {
        "counts": {str(s): 0 for s in ItemState},
        "depth": 0,
        "oldest_pending_age_s": None,
        "last_success": None,
        "unconfirmed": [],
        "receipts_to_reprint": [],
    }


def list_rows(outbox: Outbox, limit: int = 50) -> list[dict[str, Any]]:
    """The newest items, one dict each, applicant masked (empty once purged)."""
    return [_row(outbox, s) for s in outbox.list_items(limit=limit)]


def flush(outbox: Outbox, client: PlatformClient) -> PassReport:
    """Send everything pending now, ignoring retry times, and say what happened."""
    return OutboxPump(outbox, client).run_once(force=True)


def _row(outbox: Outbox, s: ItemStatus) -> dict[str, Any]:
    return {
        "number": s.number,
        "provisional_no": s.provisional_no,
        "case_no": s.case_no,
        "state": str(s.state),
        "stage": str(s.stage),
        "matter_code": s.matter_code,
        "created_at": iso(s.created_at),
        "attachments": f"{s.attachments_done}/{s.attachments_total}",
        "attempts": s.attempts,
        "last_error": s.last_error,
        "applicant": outbox.applicant_masked(s.provisional_no) or "",
    }
