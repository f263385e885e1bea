"""The attract screen: what the kiosk is, and one big invitation to start.

After a crash between saving an application and handing out its number, it also says
that the last application was saved, with its number, so nobody submits it again
(``core.unconfirmed()``): the receipt can be printed from here, and "OK" confirms.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.base import KioskScreen


class SavedNotice(BoxLayout):
    """The "last application was saved" box; hidden (and untappable) when empty.

    Hidden, it lets every touch through: its buttons keep a size of their own (the
    KButton rule sets it again when 长辈版 changes) and, being disabled, would swallow
    a tap meant for the 长辈版 button above them."""

    tid = StringProperty("")
    shown = BooleanProperty(False)

    def on_touch_down(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_down(touch))

    def on_touch_move(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_move(touch))

    def on_touch_up(self, touch: Any) -> bool:
        return bool(self.shown and super().on_touch_up(touch))


class AttractScreen(KioskScreen):
    out_of_service = StringProperty("")
    saved_numbers = ListProperty([])  # numbers only: no personal data on this screen
    saved_message = StringProperty("")

    def render(self) -> None:
        serving, message = self.app.core.service_state()
        self.out_of_service = "" if serving else (message or self.app.tr("attract.locked"))
        self.saved_numbers = self.app.core.unconfirmed()
        self.saved_message = ""

    _service_check: Any = None

    def on_enter(self, *_args: Any) -> None:
        """While waiting for a citizen: to the out-of-service screen if it cannot serve."""
        self._service_check = Clock.schedule_interval(self._check_service, 1.0)
        self._check_service(0)

    def on_leave(self, *_args: Any) -> None:
        if self._service_check is not None:
            self._service_check.cancel()
            self._service_check = None

    def _check_service(self, _dt: float) -> None:
        if not self.app.core.serving()[0] and self.manager.current == self.name:
            self.app.nav.go("outofservice", remember=False)

    def identity_arrived(self) -> None:
        """A card laid down while the kiosk waits: straight to the matters."""
        self.app.home()
        self.app.nav.current_screen.render()

    def start(self) -> None:
        self.render()
        if not self.out_of_service:
            self.app.home()

    def track(self) -> None:
        """办件查询 straight from here: hold up the receipt, no sign-in needed."""
        self.start()
        if not self.out_of_service:
            self.app.runner.start_tracking()

    def saved_body(self, *_deps: Any) -> str:
        sep = "、" if self.app.lang == "zh_CN" else ", "
        return str(self.app.tr("attract.saved.body", numbers=sep.join(self.saved_numbers)))

    def reprint_saved(self) -> None:
        numbers = list(self.saved_numbers)
        journey = self.app.core.intake
        self.saved_message = self.app.tr("attract.saved.printing")

        def done(printed: bool) -> None:
            key = "attract.saved.printed" if printed else "attract.saved.not_printed"
            self.saved_message = self.app.tr(key)

        self.app.worker.run(lambda: all([journey.reprint(n) for n in numbers]), done)

    def dismiss_saved(self) -> None:
        for number in self.saved_numbers:
            self.app.core.confirm(number)
        self.saved_numbers = []
        self.saved_message = ""
