"""办件查询, the way in: scan the receipt's QR code, type its number on a big keypad, or
read the ID card for all of the person's cases. What was wrong last time (an unknown
number, a code that is not ours) is said here."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.intents import NumberEntered, StartScan, UseIdCard
from screens.base import KioskScreen
from screens.widgets import keyed

# digits first; "ABC" turns to letters (a provisional number names its station)
NUMBER_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-", "LS-", "ABC", "clear", "back"]
MAX_TYPED = 40


class TrackingLookupScreen(KioskScreen):
    voiced = ("notice",)
    number = StringProperty("")  # a case number is not personal data; kept until the end
    notice = StringProperty("")
    errors_shown_in = "notice"
    letters = BooleanProperty(False)

    def on_kv_post(self, base_widget: object) -> None:
        # strong references: ids are weak, and the pad out of the tree would be collected
        self._pads = {False: self.ids.digits.__self__, True: self.ids.letters.__self__}
        self.on_letters(self, False)

    def on_letters(self, _screen: object, letters: bool) -> None:
        """One pad at a time, the other out of the tree (a hidden widget still eats taps)."""
        area = self.ids.pad_area
        area.clear_widgets()
        area.add_widget(self._pads[bool(letters)])

    def render(self) -> None:
        flow = self.app.flow
        key = getattr(flow, "notice", "") if flow is not None else ""
        self.notice = self.app.tr(key) if key else ""

    def on_key(self, key: str) -> None:
        if key in ("ABC", "123"):
            self.letters = key == "ABC"
            return
        if key == "space":
            return
        self.number = keyed(self.number, key, MAX_TYPED)
        self.notice = ""

    def search(self) -> None:
        if not self.number:
            self.notice = self.app.tr("tracking.error.empty")
            return
        self.app.runner.send(NumberEntered(self.number))

    def scan(self) -> None:
        self.app.runner.send(StartScan())

    def use_card(self) -> None:
        self.app.runner.send(UseIdCard())

    def reset(self) -> None:
        self.letters = False
        self.number = ""
        self.notice = ""
