"""帮办代办 consent: the citizen confirms here, or a signed paper authorisation is
captured; acting for another household member means choosing the relationship, and then
paper is the only way. The texts come from config/consent.json (zh_CN, en)."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.assist import RELATIONSHIPS, ConsentFlow
from kiosk.flows.intents import ConsentGiven
from kiosk.masking import mask_name
from kiosk.staff.consent import consent_text, load_consent_texts
from screens.base import ErrorLineScreen


class ConsentScreen(ErrorLineScreen):
    title = StringProperty("")
    body = StringProperty("")
    household = StringProperty("")
    parties = StringProperty("")
    relationship = StringProperty("")

    relationships = RELATIONSHIPS

    def render(self) -> None:
        app = self.app
        texts = load_consent_texts()
        lang = app.lang
        self.title = consent_text(texts, "assist", "title", lang)
        self.body = consent_text(texts, "assist", "body", lang)
        self.household = consent_text(texts, "household", "body", lang) if self.relationship else ""
        flow, identity = self.running(ConsentFlow), app.session.identity
        if flow is None or identity is None:
            self.parties = ""
            return
        self.parties = app.tr(
            "consent.parties",
            citizen=identity.masked_name,
            agent=mask_name(flow.staff.name),
            number=flow.staff.staff_no,
        )

    def choose_relationship(self, relationship: str) -> None:
        """Acting for a household member (or "" for oneself)."""
        self.relationship = "" if relationship == self.relationship else relationship
        self.error_text = ""
        self.render()

    def confirm_on_screen(self) -> None:
        self.app.runner.send(ConsentGiven("screen", self.relationship))

    def paper(self) -> None:
        self.app.runner.send(ConsentGiven("paper", self.relationship))

    def reset(self) -> None:
        for name in ("title", "body", "household", "parties", "relationship", "error_text"):
            setattr(self, name, "")
