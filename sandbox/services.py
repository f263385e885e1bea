"""Sandbox handlers: ratings (好差评), appointments (预约办) and complaints (投诉).

Appointment rules are data (kiosk/appointments.py, the sandbox's ``appointments``
setting); the defaults are a published county centre's (research/features.md §4): book
from tomorrow within the next 5 working days, one booking per person per day, cancel at
least 2 hours before the start.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from typing import Any

from kiosk.appointments import AppointmentRules
from kiosk.upstream.models import CHINA_TZ, to_json
from kiosk.upstream.service_models import AppointmentRequest, Complaint, Rating, SlotQuery
from sandbox import access
from sandbox.context import Ctx
from sandbox.storage import next_value
from sandbox.wire import Problem, Request, Response, json_response

SLOT_TIMES = ("0900", "0930", "1000", "1030", "1100", "1400", "1430", "1500", "1530", "1600")
SLOT_MINUTES = 30
SLOT_CAPACITY = 2


def rate(req: Request, ctx: Ctx) -> Response:
    rating_id = _received(req, ctx, "rating", "R", req.read(Rating))
    return json_response(201, {"rating_id": rating_id})


def complain(req: Request, ctx: Ctx) -> Response:
    complaint_id = _received(req, ctx, "complaint", "C", req.read(Complaint))
    return json_response(201, {"complaint_id": complaint_id, "status": "received"})


def _received(req: Request, ctx: Ctx, kind: str, prefix: str, record: object) -> str:
    """Keep a rating or a complaint as sent (table ``{kind}s``); its new id, ``prefix``
    and eight digits."""
    new_id = f"{prefix}{next_value(ctx.conn, kind):08d}"
    ctx.conn.execute(
        f"INSERT INTO {kind}s ({kind}_id, device_id, body, at) VALUES (?,?,?,?)",
        (new_id, req.device_id, json.dumps(to_json(record), ensure_ascii=False), req.now),
    )
    return new_id


def slots(req: Request, ctx: Ctx) -> Response:
    ask = req.read_query(SlotQuery)
    station, day = ask.station_id, ask.date
    out = []
    for start in _offered(req.now, ctx.settings.appointments):
        if day is not None and start.date().isoformat() != day:
            continue
        slot_id = "S" + start.strftime("%Y%m%d%H%M")
        out.append(_slot_json(ctx.conn, station, slot_id, start))
    return json_response(200, {"slots": out})


def book(req: Request, ctx: Ctx) -> Response:
    ask = req.read(AppointmentRequest)
    rules = ctx.settings.appointments
    start = _slot_start(ask.slot_id)
    if start is None or start not in _offered(req.now, rules):
        raise Problem(409, "slot_unavailable", "slot is not open for booking")
    if _slot_json(ctx.conn, ask.station_id, ask.slot_id, start)["remaining"] <= 0:
        raise Problem(409, "slot_full", "slot is fully booked")
    same_day = ctx.conn.execute(
        "SELECT COUNT(*) FROM appointments WHERE id_number = ? AND status = 'booked'"
        " AND substr(slot_id, 2, 8) = ?",
        (ask.applicant.id_number, ask.slot_id[1:9]),
    ).fetchone()[0]
    if same_day >= rules.per_person_per_day:
        raise Problem(409, "already_booked_that_day", "one booking per person per day")
    appointment_id = f"A{next_value(ctx.conn, 'appointment'):08d}"
    ctx.conn.execute(
        "INSERT INTO appointments (appointment_id, station_id, slot_id, matter_code, id_number,"
        " status, body, at, device_id) VALUES (?,?,?,?,?,'booked',?,?,?)",
        (
            appointment_id,
            ask.station_id,
            ask.slot_id,
            ask.matter_code,
            ask.applicant.id_number,
            json.dumps(to_json(ask), ensure_ascii=False),
            req.now,
            req.device_id,
        ),
    )
    return json_response(201, appointment_json(ctx.conn, appointment_id, with_token=True))


def cancel(req: Request, ctx: Ctx) -> Response:
    """Cancel, by the device that booked it or with the appointment's access token."""
    appointment_id = req.params["appointment_id"]
    row = visible_appointment(req, ctx.conn, appointment_id)
    if row["status"] == "booked":
        start = _slot_start(row["slot_id"])
        assert start is not None  # stored slot ids were checked when booked
        now = dt.datetime.fromtimestamp(req.now, CHINA_TZ)
        if not ctx.settings.appointments.can_cancel(start, now):
            raise Problem(409, "cancel_too_late", "too close to the start to cancel")
        ctx.conn.execute(
            "UPDATE appointments SET status = 'cancelled' WHERE appointment_id = ?",
            (appointment_id,),
        )
    return json_response(200, appointment_json(ctx.conn, appointment_id))


def _offered(now: float, rules: AppointmentRules) -> list[dt.datetime]:
    """Slot start times open for booking at ``now``."""
    moment = dt.datetime.fromtimestamp(now, CHINA_TZ)
    starts = [
        dt.datetime.combine(d, dt.time(int(t[:2]), int(t[2:])), CHINA_TZ)
        for d in rules.open_days(moment.date())
        for t in SLOT_TIMES
    ]
    return [s for s in starts if s > moment]


def _slot_start(slot_id: str) -> dt.datetime | None:
    if not re.fullmatch(r"S\d{12}", slot_id):
        return None
    try:
        return dt.datetime.strptime(slot_id[1:], "%Y%m%d%H%M").replace(tzinfo=CHINA_TZ)
    except ValueError:
        return None


def _slot_json(
    conn: sqlite3.Connection, station: str, slot_id: str, start: dt.datetime
) -> dict[str, Any]:
    taken = conn.execute(
        "SELECT COUNT(*) FROM appointments WHERE station_id = ? AND slot_id = ?"
        " AND status = 'booked'",
        (station, slot_id),
    ).fetchone()[0]
    end = start + dt.timedelta(minutes=SLOT_MINUTES)
    return {
        "slot_id": slot_id,
        "start": start.isoformat(timespec="seconds"),  # RFC 3339 date-time
        "end": end.isoformat(timespec="seconds"),  # RFC 3339 date-time
        "capacity": SLOT_CAPACITY,
        "remaining": max(0, SLOT_CAPACITY - taken),
    }


def visible_appointment(req: Request, conn: sqlite3.Connection, appointment_id: str) -> sqlite3.Row:
    """The appointment if the asking device may see it (access.py); 404 otherwise."""
    missing = Problem(404, "appointment_not_found", "no such appointment")
    row: sqlite3.Row | None = conn.execute(
        "SELECT slot_id, status, device_id FROM appointments WHERE appointment_id = ?",
        (appointment_id,),
    ).fetchone()
    if row is None:
        raise missing
    owner = row["device_id"]
    access.require(req, conn, "appointment", appointment_id, owner, missing)
    return row


def appointment_json(
    conn: sqlite3.Connection, appointment_id: str, with_token: bool = False
) -> dict[str, Any]:
    """An appointment on the wire; ``with_token`` adds its access token (for the booking
    device and for the citizen's own search)."""
    row = conn.execute(
        "SELECT slot_id, matter_code, status FROM appointments WHERE appointment_id = ?",
        (appointment_id,),
    ).fetchone()
    start = _slot_start(row["slot_id"])
    assert start is not None
    end = start + dt.timedelta(minutes=SLOT_MINUTES)
    return {
        "appointment_id": appointment_id,
        "slot_id": row["slot_id"],
        "matter_code": row["matter_code"],
        "start": start.isoformat(timespec="seconds"),  # RFC 3339 date-time
        "end": end.isoformat(timespec="seconds"),  # RFC 3339 date-time
        "status": row["status"],
    } | ({"access_token": access.token(conn, "appointment", appointment_id)} if with_token else {})
