"""The idle warning: a visible countdown the citizen can extend with one tap."""

from __future__ import annotations

import math
from collections.abc import Callable

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

from kiosk.session import EndReason, IdlePhase, SessionManager


class IdleOverlay(ModalView):
    remaining = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(auto_dismiss=False, **kwargs)
        self.shown = False

    def show(self, remaining: float) -> None:
        self.remaining = math.ceil(remaining)
        if not self.shown:
            self.shown = True
            self.open(animation=False)

    def hide(self) -> None:
        if self.shown:
            self.shown = False
            self.dismiss(animation=False)


class IdleWatch:
    """Twice a second: outside a session keep the idle timer fresh; in one, warn when the
    citizen has been idle long enough, and end the session when the warning runs out."""

    def __init__(
        self,
        sessions: SessionManager,
        overlay: IdleOverlay,
        in_session: Callable[[], bool],
        speak: Callable[[str], object],
    ) -> None:
        self.sessions, self.overlay = sessions, overlay
        self.in_session, self.speak = in_session, speak

    def tick(self) -> None:
        if not self.in_session():
            self.sessions.restart_idle()
            self.overlay.hide()
            return
        state = self.sessions.idle.state()
        if state.phase is IdlePhase.EXPIRED:
            self.overlay.hide()
            self.sessions.end(EndReason.TIMEOUT)
        elif state.phase is IdlePhase.WARNING:
            if not self.overlay.shown:
                self.speak("idle")
            self.overlay.show(state.remaining)
        else:
            self.overlay.hide()

    def extend(self) -> None:
        """The citizen tapped "more time"."""
        self.sessions.idle.extend()
        self.overlay.hide()
