"""The separate consent for biometrics (帮办代办): may the agent see the photo in the
citizen's ID card chip? Text from config/consent.json; refusing changes nothing but
that (the agent checks the card itself). The answer is kept with the session's
assist context (wiped with it) and audited.

On consent the photo is shown here, for the agent to compare with the person present,
decoded through the licensed WLT library when one is configured; without one (or for
an identity not read from an ID card) the screen says that no photo can be shown and
the card itself is to be checked. The picture goes when the screen does. Then the
citizen's matters, on the assisted channel."""

from __future__ import annotations

import dataclasses as dc
from typing import Any

import cv2
import numpy as np
from kivy.properties import BooleanProperty, StringProperty

from kiosk.staff.consent import consent_text, load_consent_texts
from kiosk.staff.desk import chip_photo, masked_subject
from screens.base import KioskScreen
from screens.images import texture_from_bgr


class BiometricScreen(KioskScreen):
    title = StringProperty("")
    body = StringProperty("")
    checking = BooleanProperty(False)  # consent given: the photo (or why not) is shown
    photo_note = StringProperty("")

    def render(self) -> None:
        texts = load_consent_texts()
        self.title = consent_text(texts, "biometric", "title", self.app.lang)
        self.body = consent_text(texts, "biometric", "body", self.app.lang)

    def answer(self, agreed: bool) -> None:
        app = self.app
        session = app.session
        assist = session.assist
        if assist is None:  # no consent on record: back to the desk, never onwards
            app.nav.go("staff_desk", remember=False)
            return
        session.assist = dc.replace(assist, biometric=agreed)
        app.core.audit.record(
            assist.staff.staff_no,
            "biometric_consent",
            subject=masked_subject(session.identity, assist.consent.relationship),
            outcome="ok" if agreed else "refused",
        )
        if agreed:
            self._show_photo()
        else:
            self.done()

    def _show_photo(self) -> None:
        decoder = self.app.core.settings.devices.idcard_photo_decoder
        bmp = chip_photo(self.app.session.identity, decoder)
        image = None
        if bmp is not None:
            image = cv2.imdecode(np.frombuffer(bmp, np.uint8), cv2.IMREAD_COLOR)
        self.ids.photo.texture = texture_from_bgr(image) if image is not None else None
        self.photo_note = self.app.tr(
            "biometric.compare" if image is not None else "biometric.no_photo"
        )
        self.checking = True

    def done(self) -> None:
        self._clear()
        self.app.session.flow = None
        self.app.home()

    def on_back(self) -> bool:
        return True  # the consent is recorded: answer this one, or finish

    def on_leave(self, *_args: Any) -> None:
        self._clear()

    def _clear(self) -> None:
        self.checking = False
        self.photo_note = ""
        if "photo" in self.ids:
            self.ids.photo.texture = None

    def reset(self) -> None:
        self.title = self.body = ""
        self._clear()
