"""预约办 through the real screens: a slot someone else took meanwhile brings the citizen
back to the fresh list with a message, and another slot books; slots need the platform
live, and when it is down the citizen is told so and can leave."""

from __future__ import annotations

from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from kiosk.upstream import Applicant
from kiosk.upstream.service_models import AppointmentRequest
from terminal.demo.journeys.steps import Trip
from tests.support.ui import platform_down

ZH = load_messages("zh_CN", I18N_DIR)
HOMESTEAD = "33102300XZ-XK-0001"  # 宅基地和建房申请: appointment (and promised)
OTHERS = ("110101198001010018", "110101198502020014")  # two neighbours, quicker


def to_slots(app: Any, pilot: Any) -> Trip:
    trip = Trip(app, pilot, None)
    trip.apply("zjd", HOMESTEAD, "appointment")
    trip.wait("slots")
    return trip


def test_a_slot_taken_meanwhile_brings_back_the_fresh_list_with_a_message(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    trip = to_slots(app, pilot)
    flow = app.flow
    pilot.wait_until(lambda: flow.slots, "the open slots", timeout=30)
    last_day = flow.days()[-1]  # the journey test books the first day
    slot, other = flow.slots_on(last_day)[-2:]
    pilot.tap(f"slot-{slot.slot_id}")
    trip.wait("slot_confirm")
    station = runtime.settings.site.station_id
    for id_number in OTHERS[: slot.remaining]:  # other kiosks fill it meanwhile
        who = Applicant("resident_id", id_number, "邻居")
        runtime.client.book_appointment(
            AppointmentRequest(slot.slot_id, HOMESTEAD, station, "kiosk", who)
        )
    pilot.tap("slot-confirm")
    trip.wait("slots", timeout=30)
    pilot.wait_until(lambda: flow.slots and flow.chosen is None, "the fresh list", timeout=30)
    pilot.step(3)
    assert ZH["appointment.error.slot_taken"] in pilot.texts()
    assert pilot.find(f"slot-{slot.slot_id}") is None  # full now: not offered again
    assert app.session.identity is not None  # nothing lost: the citizen goes on
    pilot.tap(f"slot-{other.slot_id}")
    trip.wait("slot_confirm")
    pilot.tap("slot-confirm")
    trip.wait("booked", timeout=30)
    appt = flow.appointment
    assert appt.slot_id == other.slot_id
    assert runtime.client.get_appointment(appt.appointment_id).status == "booked"
    assert flow.printed is True
    pilot.tap("booked-continue")
    trip.finish()


def test_slots_need_the_platform_live_and_a_citizen_can_leave_when_it_is_down(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    with platform_down(app):
        trip = to_slots(app, pilot)
        trip.wait("problem", timeout=30)
        assert ZH["error.upstream.live"] in pilot.texts()
    pilot.tap("problem-leave")
    trip.wait("matter")
    assert app.flow is None and app.session.identity is not None


def test_a_booking_found_by_the_id_card_is_cancelled(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    runtime = app.core
    trip = to_slots(app, pilot)
    flow = app.flow
    pilot.wait_until(lambda: flow.slots, "the open slots", timeout=30)
    slot = flow.slots_on(flow.days()[1])[0]  # booked earlier, at another kiosk
    identity = app.session.identity
    me = Applicant("resident_id", identity.id_number, identity.name)
    station = runtime.settings.site.station_id
    booked = runtime.client.book_appointment(
        AppointmentRequest(slot.slot_id, HOMESTEAD, station, "kiosk", me)
    )
    pilot.tap("slots-mine")
    trip.wait("mine")
    tid = f"cancel-{booked.appointment_id}"
    pilot.wait_until(lambda: pilot.find(tid), "the booking listed", timeout=30)
    assert any(identity.id_number in t for t in pilot.texts()) is False
    pilot.tap(tid)
    pilot.wait_until(lambda: flow.notice == "appointment.cancelled", "cancelled", timeout=30)
    pilot.step(3)
    assert ZH["appointment.cancelled"] in pilot.texts()
    assert runtime.client.get_appointment(booked.appointment_id).status == "cancelled"
    assert pilot.find(tid) is None  # cancelled: the button is off
    pilot.tap("back")
    trip.wait("slots")
    pilot.wait_until(lambda: flow.notice == "" and flow.slots, "the fresh list", timeout=30)
    app.finish()
    trip.wait("attract")
