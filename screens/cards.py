"""Card events, routed: which screen takes a card, and what a card means for the session.

The card devices' threads report to the UI thread. The current screen is asked first
(:meth:`KioskScreen.on_card`): maintenance takes every card as a test, the identity
screen shows a failed read, the staff sign-in takes a staff card. Otherwise a card laid
down proves who the citizen is, and the card taken away ends their session.
"""

from __future__ import annotations

from kivy.clock import Clock

from kiosk.errors import IdentityRejected
from kiosk.flows.base import Identified, Step
from kiosk.hardware import CardEvent, CardListener, CardPayload, CardSource
from kiosk.identity import identity_from_record
from kiosk.session import EndReason
from screens.core import KioskCore
from screens.navigator import Navigator
from screens.runner import FlowRunner

# the steps at which a card laid down is the flow's answer
ASKS_FOR_A_CARD = (Step.IDENTITY, Step.LOOKUP)


class CardRouter:
    def __init__(self, core: KioskCore, nav: Navigator, runner: FlowRunner) -> None:
        self.core, self.nav, self.runner = core, nav, runner

    def listen(self) -> None:
        """Hear both card devices, each on its own (a bank card taken out of the PC/SC
        reader does not end a session opened with an ID card)."""
        for source in CardSource:
            self.core.on_card(self._from_thread(), source=source)

    def _from_thread(self) -> CardListener:
        def listener(event: CardEvent, payload: CardPayload, source: CardSource) -> None:
            Clock.schedule_once(lambda _dt: self.handle(event, payload, source))

        return listener

    def handle(self, event: CardEvent, payload: CardPayload, source: CardSource) -> None:
        screen = self.nav.current_screen
        if screen.on_card(event, payload, source):
            return
        session = self.core.sessions.current
        if event is CardEvent.REMOVED:
            if session.identity is not None and session.identity.source == source:
                self.core.sessions.end(EndReason.CARD_REMOVED)
            return
        if event is not CardEvent.INSERTED or payload is None or isinstance(payload, Exception):
            return
        if session.identity is not None:
            return
        try:
            identity = identity_from_record(payload)
        except IdentityRejected as exc:  # a bank card, or a card that keeps its data shut
            screen.card_refused(exc.key)
            return
        self.core.sessions.touch()
        flow = session.flow
        if flow is not None and flow.step in ASKS_FOR_A_CARD:
            self.runner.send(Identified(identity))
        else:
            session.identity = identity
            screen.identity_arrived()
