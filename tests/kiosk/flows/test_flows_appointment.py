"""预约办 as a step machine: slots within the rules, a slot taken meanwhile sends the
citizen back to a fresh list, one booking a day is told plainly."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt

from kiosk.appointments import AppointmentRules
from kiosk.catalogue import Catalogue
from kiosk.flows import intents
from kiosk.flows.appointment import AppointmentFlow
from kiosk.flows.base import Back, Continue, Identified, Invalid, Next, Step
from kiosk.flows.effects import BookSlot, CancelAppointment, FindAppointments, LoadSlots
from kiosk.session import Session
from kiosk.upstream.service_models import Appointment, Slot

from .conftest import DIBAO, NOW, person


def slot(day: str, time: str, remaining: int = 2) -> Slot:
    return Slot(
        f"S{day.replace('-', '')}{time.replace(':', '')}",
        f"{day}T{time}+08:00",
        f"{day}T{time}+08:00",
        2,
        remaining,
    )


# NOW is 元旦 2026 (Thursday 1 January): Friday the 2nd is a public holiday too, and
# Sunday the 4th a make-up working day (调休), by the State Council's schedule.
SLOTS = (
    slot("2026-01-01", "15:00"),  # today: not bookable (from tomorrow)
    slot("2026-01-04", "09:00"),  # a make-up Sunday: open like any working day
    slot("2026-01-04", "09:30", remaining=0),  # full
    slot("2026-01-05", "14:00"),
    slot("2026-01-09", "09:00"),  # the 6th working day: outside the window
    slot("2026-01-02", "10:00"),  # a public holiday: never offered (issue 19, item 1)
)


def new(session: Session, catalogue: Catalogue) -> AppointmentFlow:
    return AppointmentFlow(session, catalogue.get(DIBAO), AppointmentRules(), lambda: NOW)


def test_booking_offers_only_what_the_rules_allow(session: Session, catalogue: Catalogue) -> None:
    flow = new(session, catalogue)
    load = flow.handle(Identified(person()))
    assert load == Next(Step.SLOTS) and isinstance(load.effect, LoadSlots)
    flow.handle(intents.SlotsLoaded(SLOTS))
    assert [s.slot_id for s in flow.slots] == ["S202601040900", "S202601051400"]
    assert flow.days() == [dt.date(2026, 1, 4), dt.date(2026, 1, 5)]
    taken = intents.Choose("S202601040930")
    assert flow.handle(taken) == Invalid({"_": "appointment.error.slot_taken"})
    assert flow.handle(intents.Choose("S202601040900")) == Next(Step.CONFIRM)
    assert flow.handle(Back()) == Next(Step.SLOTS)
    flow.handle(intents.Choose("S202601051400"))
    book = flow.handle(intents.Confirm())
    assert book == Next(Step.BOOKING) and book.effect == BookSlot("S202601051400")
    appt = Appointment("A00000001", "S202601051400", DIBAO, SLOTS[3].start, SLOTS[3].end, "booked")
    assert flow.handle(intents.Booked(appt, printed=True)) == Next(Step.BOOKED)
    assert flow.handle(Back()) == Invalid({"_": "flow.error.no_back"})
    assert flow.handle(Continue()) == Next(Step.DONE)


def test_a_slot_taken_meanwhile_brings_a_fresh_list_and_a_message(
    session: Session, catalogue: Catalogue
) -> None:
    session.identity = person()
    flow = new(session, catalogue)
    assert flow.step is Step.SLOTS and isinstance(flow.start_effect, LoadSlots)
    flow.handle(intents.SlotsLoaded(SLOTS))
    flow.handle(intents.Choose("S202601040900"))
    flow.handle(intents.Confirm())
    again = flow.handle(intents.Failed("appointment.error.slot_taken", code="slot_full"))
    assert again == Next(Step.SLOTS) and isinstance(again.effect, LoadSlots)
    assert flow.notice == "appointment.error.slot_taken" and flow.chosen is None


def test_one_booking_a_day_and_a_platform_down_are_told(
    session: Session, catalogue: Catalogue
) -> None:
    session.identity = person()
    flow = new(session, catalogue)
    flow.handle(intents.SlotsLoaded(SLOTS))
    flow.handle(intents.Choose("S202601040900"))
    flow.handle(intents.Confirm())
    key = "appointment.error.one_per_day"
    assert flow.handle(intents.Failed(key, code="already_booked_that_day")) == Next(Step.PROBLEM)
    assert flow.problem == key
    assert isinstance(flow.handle(intents.Retry()).effect, LoadSlots)
    assert flow.handle(intents.Failed("error.upstream.live", retry=True)) == Next(Step.PROBLEM)


def test_no_open_slot_is_said(session: Session, catalogue: Catalogue) -> None:
    session.identity = person()
    flow = new(session, catalogue)
    flow.handle(intents.SlotsLoaded(tuple(dc.replace(s, remaining=0) for s in SLOTS)))
    assert flow.slots == [] and flow.notice == "appointment.error.no_slots"


def test_rules_are_data() -> None:
    rules = AppointmentRules(min_days_ahead=0, working_days=2, cancel_before_hours=24)
    # Regression (issue 19, item 1): Monday to Friday offered the 1st and 2nd, holidays
    # both, and never the make-up Sunday
    assert rules.open_days(NOW.date()) == [dt.date(2026, 1, 4), dt.date(2026, 1, 5)]
    start = NOW + dt.timedelta(hours=23)
    assert not rules.can_cancel(start, NOW) and rules.can_cancel(start, NOW - dt.timedelta(hours=1))


def test_a_booking_found_by_the_id_card_is_cancelled_and_a_late_one_is_told(
    session: Session, catalogue: Catalogue
) -> None:
    flow = new(session, catalogue)
    flow.handle(Identified(person()))
    flow.handle(intents.SlotsLoaded(SLOTS))
    find = flow.handle(intents.CancelRequested())
    assert find == Next(Step.MINE) and isinstance(find.effect, FindAppointments)
    soon = Appointment("A1", "S202601040900", DIBAO, SLOTS[1].start, SLOTS[1].end, "booked")
    later = Appointment("A2", "S202601051400", DIBAO, SLOTS[3].start, SLOTS[3].end, "booked")
    flow.handle(intents.AppointmentsFound((soon, later)))
    assert flow.mine == [soon, later] and flow.notice == ""
    assert flow.handle(intents.Choose("A9")) == Invalid({"_": "tracking.error.unknown_appointment"})
    cancel = flow.handle(intents.Choose("A2"))
    assert cancel == Next(Step.MINE) and cancel.effect == CancelAppointment("A2")
    flow.handle(intents.AppointmentLoaded(dc.replace(later, status="cancelled")))
    assert [a.status for a in flow.mine] == ["booked", "cancelled"]
    assert flow.notice == "appointment.cancelled"
    assert flow.handle(intents.Choose("A2")) == Invalid({"_": "tracking.error.unknown_appointment"})
    flow.handle(intents.Choose("A1"))  # too close to its start: the platform refuses
    refused = intents.Failed("appointment.error.cancel_too_late", code="cancel_too_late")
    assert flow.handle(refused) == Next(Step.MINE)
    assert flow.notice == "appointment.error.cancel_too_late" and flow.mine[0].status == "booked"
    back = flow.handle(Back())  # the freed slot is offered again: a fresh list
    assert back == Next(Step.SLOTS) and isinstance(back.effect, LoadSlots)


def test_no_bookings_is_said_and_a_platform_down_is_a_problem(
    session: Session, catalogue: Catalogue
) -> None:
    flow = new(session, catalogue)
    flow.handle(Identified(person()))
    flow.handle(intents.CancelRequested())
    flow.handle(intents.AppointmentsFound(()))
    assert flow.mine == [] and flow.notice == "appointment.none_booked"
    flow.handle(Back())
    flow.handle(intents.CancelRequested())
    assert flow.handle(intents.Failed("error.upstream.live", retry=True)) == Next(Step.PROBLEM)
    assert flow.problem == "error.upstream.live"
