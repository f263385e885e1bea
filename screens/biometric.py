"""The separate consent for biometrics (帮办代办): may the agent see the photo in the
citizen's ID card chip? Text from config/consent.json; refusing changes nothing but
that (the agent checks the card itself). The answer is kept with the session's
assist context (wiped with it) and audited; then the citizen's matters, on the
assisted channel."""

from __future__ import annotations

import dataclasses as dc

from kivy.properties import StringProperty

from kiosk.staff.consent import consent_text, load_consent_texts
from kiosk.staff.desk import masked_subject
from screens.base import KioskScreen


class BiometricScreen(KioskScreen):
    title = StringProperty("")
    body = StringProperty("")

    def render(self) -> None:
        texts = load_consent_texts()
        self.title = consent_text(texts, "biometric", "title", self.app.lang)
        self.body = consent_text(texts, "biometric", "body", self.app.lang)

    def answer(self, agreed: bool) -> None:
        app = self.app
        session = app.session
        assist = session.assist
        if assist is None:  # no consent on record: back to the desk, never onwards
            app.go("staff_desk", remember=False)
            return
        session.assist = dc.replace(assist, biometric=agreed)
        app.runtime.audit.record(
            assist.staff.staff_no,
            "biometric_consent",
            subject=masked_subject(session.identity, assist.consent.relationship),
            outcome="ok" if agreed else "refused",
        )
        session.flow = None
        app.home()

    def on_back(self) -> bool:
        return True  # the consent is recorded: answer this one, or finish

    def reset(self) -> None:
        self.title = self.body = ""
