"""Sandbox handlers: case numbers, applications, case status and 即时办 certificates."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from kiosk.masking import mask_id_number
from kiosk.upstream.models import Application, CaseNumberRequest, CaseState, iso
from sandbox import access, corrections, pdf
from sandbox.context import Ctx, check_filename, new_case_no
from sandbox.review import promised_date
from sandbox.rounds import case_timeline, first_round, rounds
from sandbox.wire import Problem, Request, Response, json_response


def issue_case_number(req: Request, ctx: Ctx) -> Response:
    """A case number for a receipt about to be printed; with ``promised_days``, the
    promised date the case will show (the station accepts it today)."""
    ask = req.read(CaseNumberRequest)
    matter, region = ask.matter_code, ask.region_code or ctx.settings.region_code
    days = ask.promised_days
    case_no = new_case_no(ctx.conn, region, req.now)
    ctx.conn.execute(
        "INSERT INTO case_numbers (case_no, device_id, matter_code, issued_at) VALUES (?,?,?,?)",
        (case_no, req.device_id, matter, req.now),
    )
    answer = {
        "case_no": case_no,
        "issued_at": iso(req.now),
        "access_token": access.token(ctx.conn, "case", case_no),
    }
    if days is not None:
        answer["promised_date"] = promised_date(req.now, days, ctx.settings.calendar)
    return json_response(201, answer)


def submit_application(req: Request, ctx: Ctx) -> Response:
    app = req.read(Application)
    for i, m in enumerate(app.materials):
        check_filename(m.filename, f"materials[{i}].filename")
    if app.kind == "correction":
        return corrections.submit(req, ctx, app)
    if app.payment_id is not None:
        corrections.require_paid(ctx.conn, app.payment_id, req.device_id)
    case_no = app.case_no or new_case_no(ctx.conn, app.region_code, req.now)
    if app.case_no is not None:
        issued = ctx.conn.execute(
            "SELECT device_id FROM case_numbers WHERE case_no = ?", (case_no,)
        ).fetchone()
        if issued is None or issued[0] != req.device_id:
            raise Problem(422, "unknown_case_no", "case number was not issued to this device")
        if ctx.settings.dedupe and first_round(ctx.conn, case_no) is not None:
            raise Problem(409, "case_exists", "an application already uses this case number")
    accepted = req.now if not app.materials else None
    ctx.conn.execute(
        "INSERT INTO applications (case_no, device_id, client_ref, idem_key, matter_code, mode,"
        " body, received_at, accepted_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            case_no,
            req.device_id,
            app.client_ref,
            req.header("idempotency-key"),
            app.matter_code,
            app.mode,
            json.dumps(app.to_json(), ensure_ascii=False),
            req.now,
            accepted,
        ),
    )
    status = CaseState.ACCEPTED if accepted is not None else CaseState.RECEIVED
    return json_response(
        201,
        {
            "case_no": case_no,
            "status": str(status),
            "received_at": iso(req.now),
            "awaiting_uploads": len(app.materials),
            "access_token": access.token(ctx.conn, "case", case_no),
        },
    )


def get_case(req: Request, ctx: Ctx) -> Response:
    """A case's progress, to any authenticated kiosk: 办件查询 by number works at every
    station, and the answer names no person (state, timeline, dates, materials asked
    for). What does name the person, the certificate, stays with :func:`_visible`."""
    row = _require(ctx.conn, req.params["case_no"])
    return json_response(200, case_status(ctx, row, req.now))


def certificate(req: Request, ctx: Ctx) -> Response:
    """The PDF, or with ``Accept: application/json`` the same content as fields: only to
    the station that filed the case, or with the case's access token (access.py)."""
    row = _visible(req, ctx.conn, req.params["case_no"])
    if row["mode"] != "instant":
        raise Problem(409, "certificate_not_available", "only 即时办 cases have a certificate")
    status = case_status(ctx, row, req.now)
    if status["status"] != CaseState.COMPLETED:
        raise Problem(409, "certificate_not_ready", "the case is not completed yet")
    body = json.loads(row["body"])
    if "application/json" in (req.header("accept") or ""):
        return json_response(200, certificate_fields(row, body, req.now))
    lines = [
        "Bianmin sandbox platform - certificate (test document, not valid)",
        f"Case number: {row['case_no']}",
        f"Matter code: {row['matter_code']}",
        f"Applicant ID: {mask_id_number(body['applicant']['id_number'])}",
        f"Issued: {iso(req.now)}",
    ]
    return Response(200, pdf.text_pdf(lines), "application/pdf")


def certificate_fields(row: sqlite3.Row, body: dict[str, Any], now: float) -> dict[str, Any]:
    """The certificate as labelled fields; the kiosk masks the personal ones."""
    applicant = body["applicant"]
    verify = hashlib.sha256(f"verify|{row['case_no']}".encode()).hexdigest()[:10].upper()
    fields = [
        {"label": "姓名", "value": applicant["name"], "kind": "name"},
        {"label": "公民身份号码", "value": applicant["id_number"], "kind": "id_number"},
        {"label": "证明事项", "value": body["matter_name"], "kind": "text"},
        {"label": "办件编号", "value": row["case_no"], "kind": "text"},
        {"label": "证明结果", "value": "经查询，记录正常（沙箱测试数据，不作证明用途）"},
        {"label": "出具日期", "value": iso(now)[:10], "kind": "date"},
    ]
    return {
        "case_no": row["case_no"],
        "title": f"{body['matter_name']}证明",
        "issuer": f"{body['department']}（沙箱）",
        "issued_at": iso(now),
        "verify_code": f"V{verify}",
        "fields": fields,
    }


def case_status(ctx: Ctx, row: sqlite3.Row, now: float) -> dict[str, Any]:
    """The wire form of a case's status at ``now`` (``row``: its first application)."""
    current = rounds(ctx.conn, row)[-1]
    materials = json.loads(current["body"]).get("materials", [])
    done = ctx.conn.execute(
        "SELECT COUNT(*) FROM uploads WHERE application_id = ? AND complete = 1",
        (current["id"],),
    ).fetchone()[0]
    line = case_timeline(ctx, row, now)
    return {
        "case_no": row["case_no"],
        "matter_code": row["matter_code"],
        "status": str(line.state),
        "timeline": [{"at": at, "state": str(s), "note": note} for at, s, note in line.events],
        "promised_date": line.promised_date,
        "missing_materials": line.missing,
        "awaiting_uploads": len(materials) - done,
    }


def _require(conn: sqlite3.Connection, case_no: str) -> sqlite3.Row:
    row = first_round(conn, case_no)
    if row is None:
        raise Problem(404, "case_not_found", "no application with this case number")
    return row


def _visible(req: Request, conn: sqlite3.Connection, case_no: str) -> sqlite3.Row:
    """The case's first application if the asking device may see it; 404 otherwise, the
    same answer as for a case that does not exist."""
    missing = Problem(404, "case_not_found", "no application with this case number")
    row = first_round(conn, case_no)
    if row is None:
        raise missing
    access.require(req, conn, "case", case_no, str(row["device_id"]), missing)
    return row
