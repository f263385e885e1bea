"""预约办: book a slot at this station for a matter that needs an appointment.

identity → slots (from the platform, within the site's rules) → confirm → book → the
appointment slip (printed with its QR code) → done.

A slot another kiosk took meanwhile sends the citizen back to the fresh list with a
message, never to a dead end; one booking per person per day is the platform's rule
and is told plainly. A booking is cancelled here too: the person's bookings still ahead
are found by the ID card (or from 办件查询, by scanning the slip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kiosk.appointments import AppointmentRules
from kiosk.flows.base import Abort, Intent, Invalid, Next, Step, Transition
from kiosk.flows.effects import BookSlot, CancelAppointment, FindAppointments, LoadSlots
from kiosk.flows.intents import (
    AppointmentLoaded,
    AppointmentsFound,
    Booked,
    CancelRequested,
    Choose,
    Confirm,
    Failed,
    SlotsLoaded,
)
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import StepMachine
from kiosk.session import Session

TAKEN = ("slot_full", "slot_unavailable")


def slot_start(slot: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(slot.start)


class AppointmentFlow(StepMachine):
    kind = FlowKind.APPOINTMENT

    def __init__(
        self,
        session: Session,
        matter: Any,
        rules: AppointmentRules,
        now: Callable[[], dt.datetime],
    ) -> None:
        super().__init__(session)
        self.matter = matter
        self.rules = rules
        self.now = now
        self.slots: list[Any] = []
        self.chosen: Any = None
        self.appointment: Any = None
        self.mine: list[Any] | None = None  # the person's bookings, once asked
        self.printed: bool | None = None
        self.print_problem: str | None = None
        session.matter_code = matter.code
        if session.identity is None:
            self.step = Step.IDENTITY
        else:
            self.step = Step.SLOTS
            self.start_effect = LoadSlots()

    # -- what the slots screen shows --

    def days(self) -> list[dt.date]:
        return sorted({slot_start(s).date() for s in self.slots})

    def slots_on(self, day: dt.date) -> list[Any]:
        return [s for s in self.slots if slot_start(s).date() == day]

    # -- the machine --

    def _identified(self) -> Transition:
        return Next(Step.SLOTS, effect=LoadSlots())

    def _on_slots(self, intent: Intent) -> Transition:
        if isinstance(intent, SlotsLoaded):
            now = self.now()
            self.slots = [
                s
                for s in intent.slots
                if s.remaining > 0 and self.rules.bookable(slot_start(s), now)
            ]
            if not self.slots:
                self.notice = "appointment.error.no_slots"
            return Next(Step.SLOTS)
        if isinstance(intent, Choose):
            slot = next((s for s in self.slots if s.slot_id == intent.value), None)
            if slot is None:
                return Invalid({"_": "appointment.error.slot_taken"})
            self.chosen, self.notice = slot, ""
            return Next(Step.CONFIRM)
        if isinstance(intent, CancelRequested):
            self.notice, self.mine = "", None
            return Next(Step.MINE, effect=FindAppointments())
        return self._failed(intent)

    def _on_mine(self, intent: Intent) -> Transition:
        if isinstance(intent, AppointmentsFound):
            self.mine = list(intent.appointments)
            self.notice = "" if self.mine else "appointment.none_booked"
            return Next(Step.MINE)
        if isinstance(intent, Choose):
            booked = [a for a in self.mine or () if a.status == "booked"]
            if not any(a.appointment_id == intent.value for a in booked):
                return Invalid({"_": "tracking.error.unknown_appointment"})
            return Next(Step.MINE, effect=CancelAppointment(intent.value))
        if isinstance(intent, AppointmentLoaded):
            done = intent.appointment
            self.mine = [
                done if a.appointment_id == done.appointment_id else a for a in self.mine or ()
            ]
            self.notice = "appointment.cancelled" if done.status == "cancelled" else ""
            return Next(Step.MINE)
        if isinstance(intent, Failed):
            if intent.retry:
                return self.fail(intent.key)
            self.notice = intent.key  # e.g. too late to cancel: said, the list stays
            return Next(Step.MINE)
        return self._refuse(intent)

    def _on_confirm(self, intent: Intent) -> Transition:
        if not isinstance(intent, Confirm):
            return self._refuse(intent)
        return Next(Step.BOOKING, effect=BookSlot(self.chosen.slot_id))

    def _on_booking(self, intent: Intent) -> Transition:
        if isinstance(intent, Booked):
            self.appointment = intent.appointment
            self.printed, self.print_problem = intent.printed, intent.key
            return Next(Step.BOOKED)
        if isinstance(intent, Failed):
            if intent.code in TAKEN:  # someone else was quicker: choose again
                self.notice, self.chosen = "appointment.error.slot_taken", None
                return Next(Step.SLOTS, effect=LoadSlots())
            return self.fail(intent.key)
        return self._refuse(intent)

    def _on_booked(self, intent: Intent) -> Transition:
        return self._continue(intent, to=Step.DONE)

    def _on_problem(self, intent: Intent) -> Transition:
        return self._retry(intent, Step.SLOTS, LoadSlots())

    def _back(self) -> Transition:
        if self.step is Step.CONFIRM:
            return Next(Step.SLOTS)
        if self.step is Step.MINE:  # a cancelled slot is free again: a fresh list
            self.notice = ""
            return Next(Step.SLOTS, effect=LoadSlots())
        if self.step in (Step.BOOKING, Step.BOOKED):
            return Invalid({"_": "flow.error.no_back"})
        return Abort("flow.cancelled")
