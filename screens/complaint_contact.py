"""意见投诉: a phone number to be called back on, or none (the citizen may stay
anonymous). Shown masked once typed; kept only in the session until filed."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.intents import PhoneEntered
from kiosk.masking import mask_phone
from screens.base import ErrorLineScreen
from screens.widgets import keyed

MAX_DIGITS = 11


class ComplaintContactScreen(ErrorLineScreen):
    shown = StringProperty("")

    @property
    def phone(self) -> str:
        return str(self.app.session.answers.get("_phone", ""))

    def render(self) -> None:
        phone = self.phone
        self.shown = phone if len(phone) < MAX_DIGITS else mask_phone(phone)

    def on_key(self, key: str) -> None:
        self.app.session.answers["_phone"] = keyed(self.phone, key, MAX_DIGITS)
        self.error_text = ""
        self.render()

    def send(self, phone: str) -> None:
        self.error_text = ""
        self.app.runner.send(PhoneEntered(phone))

    def submit(self) -> None:
        self.send(self.phone)

    def skip(self) -> None:
        self.send("")

    def reset(self) -> None:
        self.shown = ""
        self.error_text = ""
