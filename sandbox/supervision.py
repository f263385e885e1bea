"""Sandbox handler: the case supervision listing (电子监察) of a station or a region.

Newest first with keyset paging (the cursor is the last row's id, so a page never
repeats or skips a case while new ones arrive); each case with its state and promised
date as the simulated review has them now, the time it was completed, and its latest
rating without the comment. Nothing of the applicant.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from typing import Any

from kiosk.upstream import fields as f
from kiosk.upstream.case_models import PAGE_MAX, SupervisionQuery
from kiosk.upstream.models import CHINA_TZ, CaseState, iso
from sandbox.cases import case_status
from sandbox.context import Ctx
from sandbox.wire import Request, Response, invalid, json_response

DEFAULT_LIMIT = 100
_CURSOR = re.compile(r"a([0-9]{1,18})")


def cases(req: Request, ctx: Ctx) -> Response:
    where, args, limit = _filters(req)
    rows = ctx.conn.execute(
        "SELECT * FROM applications WHERE id IN (SELECT MIN(id) FROM applications"
        " WHERE coalesce(json_extract(body, '$.kind'), 'application') = 'application'"
        f" GROUP BY case_no) AND {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        (*args, limit + 1),
    ).fetchall()
    page = rows[:limit]
    more = len(rows) > limit
    return json_response(
        200,
        {
            "cases": [_supervised(ctx, row, req.now) for row in page],
            "next_cursor": f"a{page[-1]['id']}" if more else None,
        },
    )


def _filters(req: Request) -> tuple[list[str], list[Any], int]:
    """The WHERE clauses and their arguments for the query, and the page size; a 422
    naming the parameter when one is wrong."""
    ask = req.read_query(SupervisionQuery)
    try:
        first = _day(ask.received_from, "received_from")
        last = _day(ask.received_to, "received_to")
        match = None if ask.cursor is None else _CURSOR.fullmatch(ask.cursor)
        if ask.cursor is not None and match is None:
            raise f.FieldError("cursor", "is not a cursor this platform gave")
        limit = _limit(req.query)
    except f.FieldError as exc:
        raise invalid(exc) from exc
    where: list[str] = []
    args: list[Any] = []
    if ask.station_id is not None:
        where.append("json_extract(body, '$.station_id') = ?")
        args.append(ask.station_id)
    else:
        region = str(ask.region_code)
        where.append("substr(json_extract(body, '$.region_code'), 1, ?) = ?")
        args += [len(region), region]
    if first is not None:
        where.append("received_at >= ?")
        args.append(first.timestamp())
    if last is not None:
        where.append("received_at < ?")
        args.append((last + dt.timedelta(days=1)).timestamp())
    if match is not None:
        where.append("id < ?")
        args.append(int(match[1]))
    return where, args, limit


def _day(text: str | None, key: str) -> dt.datetime | None:
    """The start (CST) of the day ``text`` names."""
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise f.FieldError(key, "is not a date") from None
    return dt.datetime.combine(day, dt.time(), CHINA_TZ)


def _limit(query: dict[str, str]) -> int:
    text = query.get("limit")
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= PAGE_MAX:
        raise f.FieldError("limit", f"must be between 1 and {PAGE_MAX}")
    return int(text)


def _supervised(ctx: Ctx, row: sqlite3.Row, now: float) -> dict[str, Any]:
    body = json.loads(row["body"])
    status = case_status(ctx, row, now)
    completed = [e["at"] for e in status["timeline"] if e["state"] == CaseState.COMPLETED]
    return {
        "case_no": row["case_no"],
        "matter_code": row["matter_code"],
        "matter_name": body["matter_name"],
        "department": body["department"],
        "station_id": body["station_id"],
        "region_code": body["region_code"],
        "channel": body["channel"],
        "mode": row["mode"],
        "status": status["status"],
        "received_at": iso(row["received_at"]),
        "promised_date": status["promised_date"],
        "completed_at": completed[-1] if completed else None,
        "rating": _rating(ctx.conn, row["case_no"]),
    }


def _rating(conn: sqlite3.Connection, case_no: str) -> dict[str, Any] | None:
    found = conn.execute(
        "SELECT rating_id, body, at FROM ratings WHERE json_extract(body, '$.case_no') = ?"
        " ORDER BY at DESC, rating_id DESC LIMIT 1",
        (case_no,),
    ).fetchone()
    if found is None:
        return None
    rating = json.loads(found["body"])
    return {
        "rating_id": found["rating_id"],
        "level": rating["level"],
        "rated_at": iso(found["at"]),
        "reasons": list(rating.get("reasons", [])),
    }
