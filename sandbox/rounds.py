"""A case's rounds: the application, then each correction (退回补正) sent to it.

Round 1 is the first application row of a case; each correction is a later row whose
body says ``"kind": "correction"``. Every round but the last ended *returned*, with the
materials recorded on the next round (``returned_missing``, kept inside the sandbox and
never served). The last round's outcome is the test's override or, for round 1, the
hash of the case number; a corrected case completes unless a test says otherwise.
"""

from __future__ import annotations

import json
import sqlite3

from kiosk.upstream.models import CaseState
from sandbox.context import Ctx
from sandbox.review import Outcome, Timeline, default_outcome, timeline

#: Rows of one case in the order they came; corrections after the application.
ROUNDS_SQL = (
    "SELECT * FROM applications WHERE case_no = ?"
    " ORDER BY (json_extract(body, '$.kind') = 'correction'), id"
)


def first_round(conn: sqlite3.Connection, case_no: str) -> sqlite3.Row | None:
    """The application that opened case ``case_no``, if there is one."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM applications WHERE case_no = ? ORDER BY id LIMIT 1", (case_no,)
    ).fetchone()
    return row


def rounds(conn: sqlite3.Connection, original: sqlite3.Row) -> list[sqlite3.Row]:
    """The original row, then its corrections (duplicates of the original left out)."""
    rows = conn.execute(ROUNDS_SQL, (original["case_no"],)).fetchall()
    return [original] + [r for r in rows if is_correction(r)]


def is_correction(row: sqlite3.Row) -> bool:
    return bool(json.loads(row["body"]).get("kind") == "correction")


def case_timeline(ctx: Ctx, original: sqlite3.Row, now: float) -> Timeline:
    """Where the case stands at ``now``, across all its rounds."""
    rows = rounds(ctx.conn, original)
    body = json.loads(original["body"])
    promised_days = body.get("promised_days") or ctx.settings.policy.promised_days
    issued = ctx.conn.execute(
        "SELECT issued_at FROM case_numbers WHERE case_no = ?", (original["case_no"],)
    ).fetchone()
    events: list[tuple[str, CaseState, str]] = []
    line: Timeline | None = None
    for i, row in enumerate(rows):
        last = i == len(rows) - 1
        if last:
            outcome = _last_outcome(ctx, original, row, first=i == 0)
        else:
            missing = json.loads(rows[i + 1]["body"]).get("returned_missing", [])
            outcome = Outcome(CaseState.RETURNED, tuple(missing))
        line = timeline(
            received_at=row["received_at"],
            accepted_at=row["accepted_at"],
            instant=original["mode"] == "instant",
            outcome=outcome,
            promised_days=promised_days,
            policy=ctx.settings.policy,
            speed=ctx.settings.speed,
            now=now,
            calendar=ctx.settings.calendar,
            # the receipt's day, for the application the number was issued for
            promised_from=issued[0] if issued is not None and i == 0 else None,
        )
        events += line.events
    assert line is not None
    return Timeline(line.state, events, line.promised_date, line.missing)


def _last_outcome(ctx: Ctx, original: sqlite3.Row, row: sqlite3.Row, first: bool) -> Outcome:
    over = ctx.conn.execute(
        "SELECT outcome, missing FROM review_overrides WHERE case_no = ?", (original["case_no"],)
    ).fetchone()
    if over is not None:
        return Outcome(CaseState(over[0]), tuple(json.loads(over[1])))
    if not first:
        return Outcome(CaseState.COMPLETED)
    materials = [m["material_code"] for m in json.loads(row["body"]).get("materials", [])]
    return default_outcome(original["case_no"], ctx.settings.policy, materials)
