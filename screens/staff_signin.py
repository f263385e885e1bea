"""Staff sign-in (帮办代办): a personal staff number and PIN, or a staff card and PIN.

The PIN lives in a private attribute while it is typed, shows only as dots, is never
logged, and is dropped after every attempt. Wrong PINs count towards the account's
lockout (kiosk.staff.accounts); the screen shows only which rule refused.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.hardware import CardEvent, CardPayload, CardSource
from kiosk.staff.accounts import StaffError
from kiosk.staff.cards import staff_card_id
from screens.base import KioskScreen
from screens.widgets import keyed

MAX_NUMBER = 20
PIN_LENGTH = 6


class StaffSigninScreen(KioskScreen):
    voiced_keys = ("problem",)
    staff_no = StringProperty("")
    pin_len = NumericProperty(0)
    field = StringProperty("number")  # number | pin
    card_read = BooleanProperty(False)
    problem = StringProperty("")
    busy = BooleanProperty(False)
    simulated = BooleanProperty(False)

    _pin = ""
    _card_id = ""

    def render(self) -> None:
        simulation = self.app.core.simulation
        self.simulated = simulation is not None and simulation.smartcard

    def on_leave(self, *args: Any) -> None:
        self.reset()

    def choose(self, field: str) -> None:
        if not self.card_read:
            self.field = field

    def key(self, key: str) -> None:
        if self.busy:
            return
        self.problem = ""
        if self.field == "pin":
            self._pin = keyed(self._pin, key, PIN_LENGTH)
            self.pin_len = len(self._pin)
            return
        self.staff_no = keyed(self.staff_no, key, MAX_NUMBER)

    def next(self) -> None:
        if self.field == "number":
            if not self.staff_no:
                self.problem = "staff.error.number_needed"
                return
            self.field = "pin"
            return
        if len(self._pin) != PIN_LENGTH:
            self.problem = "staff.error.pin_length"
            return
        self.sign_in()

    def sign_in(self) -> None:
        desk = self.app.core.desk
        pin, self._pin, self.pin_len = self._pin, "", 0
        card_id, staff_no = self._card_id, self.staff_no
        self.busy = True

        def attempt() -> Any:
            if card_id:
                return desk.sign_in_card(card_id, pin)
            return desk.sign_in_pin(staff_no, pin)

        self.app.worker.run(attempt, self._signed_in, self._refused)

    def _signed_in(self, _member: Any) -> None:
        self.busy = False
        self.app.nav.go("staff_desk", remember=False)

    def _refused(self, exc: BaseException) -> None:
        self.busy = False
        self.problem = exc.key if isinstance(exc, StaffError) else "staff.error.unavailable"

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        """A staff card in the PC/SC reader is this screen's, not a citizen's."""
        if event is CardEvent.INSERTED and source is CardSource.SMARTCARD and payload:
            self.card_presented(payload)
            return True
        return False

    def card_presented(self, record: Any) -> None:
        """A card in the PC/SC reader while this screen shows: a staff card's identifier
        replaces the typed number; the PIN is still needed."""
        self.problem = ""
        try:
            self._card_id = staff_card_id(record)
        except StaffError as exc:
            self.problem = exc.key
            return
        self.card_read, self.staff_no, self.field = True, "", "pin"

    def present_test_card(self) -> None:
        """Only shown with a simulated PC/SC reader: put the demo staff card in it."""
        if self.app.core.simulation is not None:
            self.app.core.simulation.lay_test_smartcard("staff")

    def reset(self) -> None:
        self._pin, self._card_id = "", ""
        self.staff_no, self.pin_len, self.field = "", 0, "number"
        self.card_read, self.problem, self.busy = False, "", False
