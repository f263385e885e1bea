"""Sandbox handlers' rules for corrections (退回补正) and paid applications.

A correction is accepted only for a case that stands *returned*, from the same applicant,
and with every material the return asked for in its manifest; it may come from any
kiosk. It becomes the case's next round (rounds.py): received, then accepted when its
uploads are in, then reviewed again.
"""

from __future__ import annotations

import json
import sqlite3

from kiosk.upstream.models import Application, CaseState, iso
from sandbox import access
from sandbox.context import Ctx
from sandbox.rounds import case_timeline, first_round
from sandbox.wire import Problem, Request, Response, json_response


def submit(req: Request, ctx: Ctx, app: Application) -> Response:
    assert app.case_no is not None  # Application.from_json insists
    original = first_round(ctx.conn, app.case_no)
    missing = Problem(404, "case_not_found", "no application with this case number")
    if original is None:
        raise missing
    # materials for someone's case come from the station that filed it, from a kiosk
    # holding the case's access token (access.py), or from the case's own applicant, whom
    # the kiosk knows only from the card it read; anyone else finds no such case
    applicant = json.loads(original["body"])["applicant"]
    if applicant["id_number"] != app.applicant.id_number:
        access.require(req, ctx.conn, "case", app.case_no, str(original["device_id"]), missing)
        raise Problem(422, "not_applicant", "a correction comes from the case's applicant")
    line = case_timeline(ctx, original, req.now)
    if line.state is not CaseState.RETURNED:
        raise Problem(409, "case_not_returned", "the case is not waiting for materials")
    given = {m.material_code for m in app.materials}
    if not set(line.missing) <= given:
        raise Problem(422, "materials_incomplete", "every material asked for must be sent")
    body = app.to_json() | {"returned_missing": line.missing}
    ctx.conn.execute(
        "INSERT INTO applications (case_no, device_id, client_ref, idem_key, matter_code, mode,"
        " body, received_at, accepted_at) VALUES (?,?,?,?,?,?,?,?,NULL)",
        (
            app.case_no,
            req.device_id,
            app.client_ref,
            req.header("idempotency-key"),
            original["matter_code"],
            original["mode"],
            json.dumps(body, ensure_ascii=False),
            req.now,
        ),
    )
    ctx.conn.execute("DELETE FROM review_overrides WHERE case_no = ?", (app.case_no,))
    return json_response(
        201,
        {
            "case_no": app.case_no,
            "status": str(CaseState.RECEIVED),
            "received_at": iso(req.now),
            "awaiting_uploads": len(app.materials),
        },
    )


def require_paid(conn: sqlite3.Connection, payment_id: str, device_id: str) -> None:
    """A fee-bearing application names a payment of this device that has been paid."""
    row = conn.execute(
        "SELECT status FROM payments WHERE payment_id = ? AND device_id = ?",
        (payment_id, device_id),
    ).fetchone()
    if row is None:
        raise Problem(422, "payment_not_found", "no such payment of this device")
    if row[0] != "paid":
        raise Problem(409, "payment_not_completed", "the payment has not been made")
