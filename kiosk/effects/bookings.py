"""预约办 effects: the slots of a matter, a booking with its printed slip, the bookings of
the person in the session (to cancel one)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.flows.appointment import AppointmentFlow
from kiosk.flows.intents import AppointmentsFound, Booked, SlotsLoaded
from kiosk.intake.accept import applicant_of
from kiosk.intake.submissions import submission_kind
from kiosk.receipts import AppointmentData, appointment_slip
from kiosk.receipts.qrcodes import appointment_qr
from kiosk.upstream.service_models import AppointmentRequest

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session


def load_slots(ctx: Effects, session: Session) -> SlotsLoaded:
    flow = session.flow_as(AppointmentFlow)
    slots = ctx.client.appointment_slots(flow.matter.code, ctx.settings.site.station_id)
    return SlotsLoaded(tuple(slots))


def book_slot(ctx: Effects, session: Session, slot_id: str) -> Booked:
    flow = session.flow_as(AppointmentFlow)
    person = session.person()
    site = ctx.settings.site
    how = submission_kind(session)
    req = AppointmentRequest(
        slot_id, flow.matter.code, site.station_id, how.channel, applicant_of(person)
    )
    appt = ctx.client.book_appointment(req, idem_key=f"{session.token}.{slot_id}")
    doc = appointment_slip(
        AppointmentData(
            appointment_number=appt.appointment_id,
            matter_name=flow.matter.name.zh_CN,
            matter_code=flow.matter.code,
            applicant_name=person.name,
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


def find_appointments(ctx: Effects, session: Session) -> AppointmentsFound:
    return AppointmentsFound(tuple(ctx.client.search_appointments(applicant_of(session.person()))))
