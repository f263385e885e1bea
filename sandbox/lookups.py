"""Sandbox handlers: case search (by applicant or station), payments, one appointment,
an applicant's bookings.

Payments are simulated: an order is *pending* until :meth:`SandboxPlatform.pay` marks
it *paid* (a phone paying the QR code), and *expired* after 15 minutes unpaid.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from kiosk.masking import mask_id_number, mask_name
from kiosk.upstream.case_models import ApplicantSearch, CaseSearch, PaymentRequest
from kiosk.upstream.models import iso
from sandbox.cases import case_status
from sandbox.context import Ctx
from sandbox.services import appointment_json
from sandbox.storage import next_value
from sandbox.wire import Problem, Request, Response, json_response

PAYMENT_TTL = 15 * 60.0
PAY_URL = "https://pay.example.gov.cn/p/"
MAX_CASES = 200


def search(req: Request, ctx: Ctx) -> Response:

    ask = req.read(CaseSearch)
    if ask.applicant is not None:
        where, arg = "json_extract(body, '$.applicant.id_number') = ?", ask.applicant.id_number
    else:
        where, arg = "json_extract(body, '$.station_id') = ?", str(ask.station_id)
    rows = ctx.conn.execute(
        "SELECT * FROM applications WHERE id IN (SELECT MIN(id) FROM applications"
        f" WHERE {where} AND coalesce(json_extract(body, '$.kind'), 'application')"
        " = 'application' GROUP BY case_no) ORDER BY id DESC LIMIT ?",
        (arg, MAX_CASES),
    ).fetchall()
    cases = [_summary(row, case_status(ctx, row, req.now)) for row in rows]
    return json_response(200, {"cases": cases})


def _summary(row: sqlite3.Row, status: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(row["body"])
    applicant = body["applicant"]
    return {
        "case_no": row["case_no"],
        "matter_code": row["matter_code"],
        "matter_name": body["matter_name"],
        "status": status["status"],
        "received_at": iso(row["received_at"]),
        "promised_date": status["promised_date"],
        "missing_materials": status["missing_materials"],
        "applicant_masked": f"{mask_name(applicant['name'])} "
        f"{mask_id_number(applicant['id_number'])}",
    }


def create_payment(req: Request, ctx: Ctx) -> Response:
    ask = req.read(PaymentRequest)
    payment_id = f"P{next_value(ctx.conn, 'payment'):010d}"
    ctx.conn.execute(
        "INSERT INTO payments (payment_id, device_id, matter_code, amount_fen, station_id,"
        " status, created_at) VALUES (?,?,?,?,?,'pending',?)",
        (payment_id, req.device_id, ask.matter_code, ask.amount_fen, ask.station_id, req.now),
    )
    return json_response(201, payment_json(ctx.conn, payment_id, req.now))


def get_payment(req: Request, ctx: Ctx) -> Response:
    row = ctx.conn.execute(
        "SELECT device_id FROM payments WHERE payment_id = ?", (req.params["payment_id"],)
    ).fetchone()
    if row is None or row[0] != req.device_id:
        raise Problem(404, "payment_not_found", "no such payment of this device")
    return json_response(200, payment_json(ctx.conn, req.params["payment_id"], req.now))


def payment_json(conn: sqlite3.Connection, payment_id: str, now: float) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
    expires = row["created_at"] + PAYMENT_TTL
    status = row["status"]
    if status == "pending" and now > expires:
        status = "expired"
    return {
        "payment_id": payment_id,
        "amount_fen": row["amount_fen"],
        "status": status,
        "qr": PAY_URL + payment_id,
        "expires_at": iso(expires),
    }


def get_appointment(req: Request, ctx: Ctx) -> Response:

    appointment_id = req.params["appointment_id"]
    row = ctx.conn.execute(
        "SELECT 1 FROM appointments WHERE appointment_id = ?", (appointment_id,)
    ).fetchone()
    if row is None:
        raise Problem(404, "appointment_not_found", "no such appointment")
    return json_response(200, appointment_json(ctx.conn, appointment_id))


def search_appointments(req: Request, ctx: Ctx) -> Response:
    """An applicant's appointments still booked and not yet begun (预约办: cancel one
    found by the ID card). The ID number travels in the body, never in a URL."""

    number = req.read(ApplicantSearch).applicant.id_number
    rows = ctx.conn.execute(
        "SELECT appointment_id FROM appointments WHERE id_number = ? AND status = 'booked'"
        " ORDER BY slot_id LIMIT ?",
        (number, MAX_CASES),
    ).fetchall()
    found = [appointment_json(ctx.conn, row[0]) for row in rows]
    now = dt.datetime.fromtimestamp(req.now, dt.UTC)
    ahead = [a for a in found if dt.datetime.fromisoformat(a["start"]) > now]
    return json_response(200, {"appointments": ahead})
