"""Reading where queued items stand, without opening any personal data."""

from __future__ import annotations

import sqlite3

from kiosk.outbox.models import ItemState, ItemStatus, Stage
from kiosk.storage import Database

_STATUS_SQL = """
SELECT i.*, COUNT(p.idx) AS n_parts, COALESCE(SUM(p.done), 0) AS n_done,
       COALESCE(SUM(p.size), 0) AS n_bytes, COALESCE(SUM(p.acked_offset), 0) AS n_acked
FROM items i LEFT JOIN parts p ON p.item_seq = i.seq
"""


def statuses(
    db: Database, where: str, args: tuple[object, ...], *, order: str = "ASC", limit: int = -1
) -> list[ItemStatus]:
    """Items matching ``where`` (a fixed SQL fragment; values go in ``args``)."""
    if order not in ("ASC", "DESC"):
        raise ValueError(order)
    sql = f"{_STATUS_SQL} {where} GROUP BY i.seq ORDER BY i.seq {order} LIMIT ?"
    return [_status(r) for r in db.query(sql, (*args, limit))]


def _stage(r: sqlite3.Row, state: ItemState) -> Stage:
    if state is ItemState.SENT:
        return Stage.DONE
    if not r["case_no"]:
        return Stage.CASE_NUMBER
    if not r["app_acked"]:
        return Stage.APPLICATION
    return Stage.ATTACHMENTS


def _status(r: sqlite3.Row) -> ItemStatus:
    state = ItemState(r["state"])
    return ItemStatus(
        provisional_no=r["provisional_no"],
        case_no=r["case_no"],
        state=state,
        stage=_stage(r, state),
        matter_code=r["matter_code"],
        station_id=r["station_id"],
        created_at=r["created_at"],
        acked_at=r["acked_at"],
        attachments_total=r["n_parts"],
        attachments_done=r["n_done"],
        bytes_total=r["n_bytes"],
        bytes_acked=r["n_acked"],
        attempts=r["attempts"],
        last_error=r["last_error"],
        receipt_confirmed=bool(r["receipt_confirmed"]),
    )
