"""Technician sign-in for maintenance mode, reached only by the hidden corner gesture.

A personal technician number and PIN, or a technician card in the PC/SC reader and the
PIN. The PIN shows as dots and lives only in this screen until it is checked; wrong PINs
lock the number (kiosk/maint/technicians.py audits and reports every attempt).
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.widget import Widget

from kiosk.hardware import CardEvent, CardPayload, CardSource
from kiosk.maint import CornerTaps
from kiosk.masking import mask_card_number
from kiosk.staff.accounts import Locked, StaffError
from screens.base import KioskScreen
from screens.widgets import keyed

MAX_DIGITS = {"number": 20, "pin": 6}


class HiddenCorner(ButtonBehavior, Widget):
    """An empty, undecorated corner: five quick taps open the technician sign-in."""

    tid = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.taps = CornerTaps()

    def on_release(self) -> None:
        if self.taps.tap():
            App.get_running_app().nav.go("maintlogin", remember=False)


class MaintLoginScreen(KioskScreen):
    voiced = ("problem",)
    number = StringProperty("")
    pin = StringProperty("")
    card_id = StringProperty("")
    card_label = StringProperty("")
    field = StringProperty("number")
    problem = StringProperty("")
    busy = StringProperty("")

    def render(self) -> None:
        self.problem = ""

    def key(self, key: str) -> None:
        setattr(self, self.field, keyed(getattr(self, self.field), key, MAX_DIGITS[self.field]))
        self.problem = ""

    def dots(self, *_deps: Any) -> str:
        return "●" * len(self.pin)

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        """A technician card in the PC/SC reader stands in for the number."""
        card_id = getattr(payload, "card_id", "") if event is CardEvent.INSERTED else ""
        if source is CardSource.SMARTCARD and card_id:
            self.card_id = str(card_id)
            self.card_label = mask_card_number(self.card_id)
            self.field = "pin"
        elif source is CardSource.SMARTCARD and event is CardEvent.REMOVED:
            self.card_id = self.card_label = ""
        return True  # no card starts a citizen's session from here

    def submit(self) -> None:
        if self.busy or len(self.pin) != 6 or not (self.number or self.card_id):
            self.problem = self.app.tr("maintlogin.incomplete")
            return
        pin, number, card_id = self.pin, self.number, self.card_id
        self.pin = ""  # gone from the screen whatever the answer
        self.busy = self.app.tr("maintlogin.checking")
        desk = self.app.core.technicians

        def done(_member: Any) -> None:
            self.busy = ""
            self.app.nav.go("maint", remember=False)

        def failed(exc: BaseException) -> None:
            self.busy = ""
            locked = isinstance(exc, Locked)
            if not isinstance(exc, StaffError):
                raise exc
            self.problem = self.app.tr("maintlogin.locked" if locked else "maintlogin.refused")

        self.app.worker.run(lambda: desk.sign_in(pin, number=number, card_id=card_id), done, failed)

    def reset(self) -> None:
        self.number = self.pin = self.card_id = self.card_label = ""
        self.problem = self.busy = ""
        self.field = "number"
