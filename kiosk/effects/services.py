"""预约办, 好差评, 意见投诉 and 自助办 effects: slots and bookings with the slip, ratings
and complaints through the outbox (never lost), the printed 办事指南."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from kiosk.flows.intents import AppointmentsFound, Booked, Filed, Printed, SlotsLoaded
from kiosk.guide import guide_sections
from kiosk.intake.accept import ID_TYPES
from kiosk.intake.submissions import submission_kind
from kiosk.receipts import AppointmentData, appointment_slip
from kiosk.receipts.certificate import complaint_slip, guide_sheet
from kiosk.receipts.qrcodes import appointment_qr
from kiosk.upstream.models import Applicant, to_json
from kiosk.upstream.service_models import AppointmentRequest, Complaint, Rating

log = logging.getLogger(__name__)

CATEGORY_NAMES = {
    "service_attitude": "服务态度",
    "efficiency": "办事效率",
    "materials": "材料要求",
    "device": "设备故障",
    "other": "其他",
}


def _applicant(identity: Any) -> Applicant:
    return Applicant(
        ID_TYPES.get(identity.id_type, identity.id_type), identity.id_number, identity.name
    )


def load_slots(ctx: Any, session: Any) -> SlotsLoaded:
    flow = session.flow
    slots = ctx.client.appointment_slots(flow.matter.code, ctx.settings.site.station_id)
    return SlotsLoaded(tuple(slots))


def book_slot(ctx: Any, session: Any, slot_id: str) -> Booked:
    flow = session.flow
    site = ctx.settings.site
    how = submission_kind(session)
    req = AppointmentRequest(
        slot_id, flow.matter.code, site.station_id, how.channel, _applicant(session.identity)
    )
    appt = ctx.client.book_appointment(req, idem_key=f"{session.token}.{slot_id}")
    doc = appointment_slip(
        AppointmentData(
            appointment_number=appt.appointment_id,
            matter_name=flow.matter.name.zh_CN,
            matter_code=flow.matter.code,
            applicant_name=session.identity.name,
            station_name=site.station_name,
            slot_start=dt.datetime.fromisoformat(appt.start).replace(tzinfo=None),
            slot_end=dt.datetime.fromisoformat(appt.end).replace(tzinfo=None),
            issued_at=ctx.intake.now().replace(tzinfo=None),
            bring=[m.name.zh_CN for m in flow.matter.materials if m.required],
            lookup_qr=appointment_qr(appt.appointment_id, ctx.intake.qr_keys),
        )
    )
    ok, key = ctx.intake.print_document(doc)
    return Booked(appt, ok, key)


def find_appointments(ctx: Any, session: Any) -> AppointmentsFound:
    return AppointmentsFound(tuple(ctx.client.search_appointments(_applicant(session.identity))))


def rating_case(session: Any) -> str | None:
    """The number the rating is about: the instant case, else the receipt's number."""
    flow = session.flow
    if getattr(flow, "mode", "") == "instant" and getattr(flow, "case_no", ""):
        return str(flow.case_no)
    submission = session.submission
    return submission.number if submission is not None else None


def send_rating(ctx: Any, session: Any, level: int, reasons: tuple[str, ...], comment: str) -> str:
    """Queue the rating (kept like an application) and kick the sender; its reference."""
    matter = ctx.catalogue.get(session.matter_code)
    site = ctx.settings.site
    how = submission_kind(session)
    case_ref = rating_case(session)
    rating = Rating(
        case_no=case_ref or "none",
        matter_code=matter.code,
        department=matter.department.name.zh_CN,
        region_code=site.region_code,
        channel=how.channel,
        station_id=site.station_id,
        level=level,
        reasons=list(reasons) or (["other"] if level <= 2 else []),
        comment=comment,
        staff=how.agent,
    )
    Rating.from_json(to_json(rating))  # refuse now what the platform would refuse
    body = {k: v for k, v in to_json(rating).items() if k != "case_no"}
    reference: str = ctx.outbox.messages.enqueue(
        "rating", body, station_id=site.station_id, case_ref=case_ref
    )
    ctx.outbox.notify()
    return reference


def file_complaint(ctx: Any, session: Any) -> Filed:
    flow = session.flow
    site = ctx.settings.site
    complaint = Complaint(
        category=flow.category,
        content=flow.text,
        channel=submission_kind(session).channel,
        station_id=site.station_id,
        contact_phone=flow.phone or None,
    )
    Complaint.from_json(to_json(complaint))
    reference = ctx.outbox.messages.enqueue(
        "complaint", to_json(complaint), station_id=site.station_id, case_ref=flow.case_no
    )
    remote = ctx.outbox.try_send_message(reference, ctx.client)
    ctx.outbox.notify()
    doc = complaint_slip(
        reference=reference,
        remote_id=remote,
        category=CATEGORY_NAMES.get(flow.category, flow.category),
        station_name=site.station_name,
        filed_at=ctx.intake.now().replace(tzinfo=None),
        phone=flow.phone,
    )
    ok, key = ctx.intake.print_document(doc)
    return Filed(reference, remote, ok, key)


def print_guide(ctx: Any, session: Any) -> Printed:
    flow = session.flow
    doc = guide_sheet(
        title=flow.matter.name.zh_CN,
        sections=guide_sections(flow.matter),
        mobile_url=flow.mobile_url,
        station_name=ctx.settings.site.station_name,
        printed_at=ctx.intake.now().replace(tzinfo=None),
    )
    ok, key = ctx.intake.print_document(doc)
    return Printed(ok, key)
