"""办件查询: find a case by scanning the receipt's QR code, by typing its number, or by
the ID card (all of that person's cases); see its timeline and its colour against the
promised date. An appointment slip's code (or number) shows the appointment, which can
be cancelled while the rules allow.

lookup → (scan | type | card) → searching → case list → case (→ 补正, started by the
app as its own flow) | appointment (→ cancel).

Bad input is told, never a dead end: a code that is not ours, or not a receipt, keeps
the camera on with a message; an unknown number comes back to the lookup with one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from kiosk.appointments import AppointmentRules
from kiosk.flows.base import Abort, Identified, Intent, Invalid, Next, Step, Transition
from kiosk.flows.effects import (
    CancelAppointment,
    FindByIdentity,
    FindByNumber,
    LoadAppointment,
    LoadCase,
    ScanQr,
)
from kiosk.flows.intents import (
    AppointmentLoaded,
    CancelRequested,
    Choose,
    Failed,
    Found,
    NumberEntered,
    Scanned,
    StartScan,
    UseIdCard,
)
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import StepMachine
from kiosk.session import Session

NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{3,63}")
APPOINTMENT_NUMBER = re.compile(r"A\d{8}")


class TrackingFlow(StepMachine):
    kind = FlowKind.TRACKING

    def __init__(
        self, session: Session, rules: AppointmentRules, now: Callable[[], dt.datetime]
    ) -> None:
        super().__init__(session)
        self.rules, self.now = rules, now
        self.step = Step.LOOKUP
        self.cases: list[Any] = []  # kiosk.tracking.CaseView
        self.case: Any = None
        self.appointment: Any = None
        self.by_identity = False  # the cases were found by the identity in the session
        self._last: Any = None  # the effect to run again on Retry

    def _search(self, effect: Any) -> Transition:
        self._last = effect
        return Next(Step.SEARCHING, effect=effect)

    # -- lookup --

    def _on_lookup(self, intent: Intent) -> Transition:
        if isinstance(intent, StartScan):
            self.notice = ""
            return Next(Step.SCAN, effect=ScanQr())
        if isinstance(intent, NumberEntered):
            number = intent.number.strip().upper()
            if not NUMBER.fullmatch(number):
                return Invalid({"number": "tracking.error.number_format"})
            self.notice = ""
            if APPOINTMENT_NUMBER.fullmatch(number):
                return self._search(LoadAppointment(number))
            return self._search(FindByNumber(number))
        if isinstance(intent, UseIdCard):
            if self.session.identity is None:
                return Next(Step.IDENTITY)
            return self._by_identity()
        if isinstance(intent, Identified):  # a card laid on the reader meanwhile
            self.session.identity = intent.identity
            return self._by_identity()
        return self._refuse(intent)

    def _by_identity(self) -> Transition:
        self.notice, self.by_identity = "", True
        return self._search(FindByIdentity())

    def _identified(self) -> Transition:
        return self._by_identity()

    def _on_scan(self, intent: Intent) -> Transition:
        if isinstance(intent, Scanned):
            code = intent.code
            if str(code.kind) == "receipt":
                self.by_identity = False
                return self._search(FindByNumber(code.number))
            if str(code.kind) == "appointment":
                return self._search(LoadAppointment(code.number))
            self.notice = (
                "tracking.error.not_ours"
                if str(code.kind) == "lookalike"
                else "tracking.error.not_a_receipt"
            )
            return Next(Step.SCAN, effect=ScanQr(ignore=code.text))
        if isinstance(intent, Failed):
            self.notice = intent.key
            return Next(Step.LOOKUP)
        return self._refuse(intent)

    # -- results --

    def _on_searching(self, intent: Intent) -> Transition:
        if isinstance(intent, Found):
            return self._found(list(intent.cases))
        if isinstance(intent, AppointmentLoaded):
            self.appointment = intent.appointment
            return Next(Step.APPOINTMENT)
        if isinstance(intent, Failed):
            if intent.code in ("case_not_found", "appointment_not_found"):
                self.notice = intent.key
                return Next(Step.LOOKUP)
            return self.fail(intent.key)
        return self._refuse(intent)

    def _found(self, cases: list[Any]) -> Transition:
        if isinstance(self._last, LoadCase) and cases:
            self.case = cases[0]
            return Next(Step.CASE)
        self.cases = cases
        if not cases:
            self.notice = (
                "tracking.error.none_for_person" if self.by_identity else "tracking.error.unknown"
            )
            return Next(Step.LOOKUP)
        if len(cases) == 1 and (cases[0].timeline or cases[0].local_only):
            self.case = cases[0]
            return Next(Step.CASE)
        return Next(Step.CASES)

    def _on_cases(self, intent: Intent) -> Transition:
        if not isinstance(intent, Choose):
            return self._refuse(intent)
        chosen = next((c for c in self.cases if c.number == intent.value), None)
        if chosen is None:
            return Invalid({"_": "tracking.error.unknown"})
        if chosen.local_only or chosen.case_no is None:
            self.case = chosen
            return Next(Step.CASE)
        return self._search(LoadCase(chosen.case_no))

    def _on_case(self, intent: Intent) -> Transition:
        return self._continue(intent, to=Step.DONE)

    def _on_appointment(self, intent: Intent) -> Transition:
        if isinstance(intent, CancelRequested):
            appt = self.appointment
            start = dt.datetime.fromisoformat(appt.start)
            if appt.status != "booked":
                return Invalid({"_": "appointment.error.not_booked"})
            if not self.rules.can_cancel(start, self.now()):
                return Invalid({"_": "appointment.error.cancel_too_late"})
            return self._search(CancelAppointment(appt.appointment_id))
        return self._continue(intent, to=Step.DONE)

    def _on_problem(self, intent: Intent) -> Transition:
        if self._last is None:  # nothing was searched: nothing to try again
            return self._refuse(intent)
        return self._retry(intent, Step.SEARCHING, self._last)

    def _back(self) -> Transition:
        if self.step is Step.CASE and len(self.cases) > 1:
            return Next(Step.CASES)
        if self.step in (
            Step.SCAN,
            Step.IDENTITY,
            Step.CASES,
            Step.CASE,
            Step.APPOINTMENT,
            Step.PROBLEM,
        ):
            return Next(Step.LOOKUP)
        if self.step is Step.SEARCHING:
            return Invalid({"_": "flow.error.no_back"})
        return Abort("flow.cancelled")
