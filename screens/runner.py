"""Driving the session's flow: attributes down, intents up.

A screen renders the current flow's step and forwards what the citizen does as an intent
(:meth:`FlowRunner.send`). The flow answers with a transition; the runner shows the
step's screen (screens/routes.py) and runs the effect the flow asked for off the UI
thread. An effect's outcome goes back to the flow that asked, only while that flow is
still at the step that asked: the citizen may have moved on, or the session ended.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.catalogue import HandlingMode
from kiosk.errors import describe
from kiosk.flows import effects as fx
from kiosk.flows.base import (
    Abort,
    Back,
    Intent,
    Invalid,
    Next,
    Step,
    SubmitFailed,
    Submitted,
    Transition,
)
from kiosk.flows.intents import Failed
from kiosk.flows.machine import StepMachine
from kiosk.session import Session
from kiosk.tracking import CaseView
from screens.core import KioskCore, OnSession
from screens.navigator import Navigator
from screens.routes import FLOW_SCREENS, REDRAWN, after_leaving, screen_for
from screens.worker import Worker

log = logging.getLogger(__name__)


class FlowRunner(OnSession):
    def __init__(self, core: KioskCore, nav: Navigator, worker: Worker) -> None:
        self.core, self.nav, self.worker = core, nav, worker
        self.changed: Callable[[], object] = lambda: None  # after each step (the voice)

    # ---- starting ----

    def start_matter(self, code: str, mode: HandlingMode | None = None) -> None:
        """Begin matter ``code`` as ``mode`` (default: the kiosk's preferred mode)."""
        matter = self.core.catalogue.get(code)
        flow = self.core.flows.for_matter(self.session, matter, mode)
        self.nav.go(screen_for(flow.kind, flow.step))
        self.nav.current_screen.render()
        self.run_effect(flow.start_effect)

    def start_tracking(self) -> None:
        self._start(self.core.flows.tracking(self.session))

    def start_complaint(self, case_no: str | None = None) -> None:
        self._start(self.core.flows.complaint(self.session, case_no))

    def start_correction(self, case: CaseView, *, by_identity: bool) -> None:
        """补正 a returned case just looked up: its missing materials, to the same case.
        ``by_identity``: it was found by the card of the person in the session."""
        session = self.session
        matter = self.core.catalogue.get(case.matter_code)
        owner_known = by_identity and session.identity is not None
        flow = self.core.flows.correction(
            session, matter, case.case_no or case.number, case.missing, owner_known=owner_known
        )
        self._start(flow)

    def start_assist(self) -> None:
        """The signed-in agent starts serving a citizen: identity, then consent."""
        member = self.core.desk.current
        if member is None:
            self.nav.go("staff_signin", remember=False)
            return
        flow = self.core.flows.consent(self.session, member)
        self.nav.go(screen_for(flow.kind, flow.step))

    def _start(self, flow: StepMachine) -> None:
        self.nav.show(screen_for(flow.kind, flow.step))
        self.run_effect(flow.start_effect)

    # ---- intents ----

    def send(self, intent: Intent) -> Transition:
        flow = self.flow
        if flow is None:
            raise RuntimeError(f"{type(intent).__name__} sent with no flow running")
        result = flow.handle(intent)
        if isinstance(result, Next):
            name = screen_for(flow.kind, result.step)
            self.nav.go(name, remember=False)
            if name in REDRAWN:
                self.nav.current_screen.render()
            self.run_effect(result.effect)
        elif isinstance(result, Invalid):
            if flow.step is not Step.SUBMIT:
                self.nav.go(screen_for(flow.kind, flow.step), remember=False)
            self.nav.current_screen.show_errors(result.errors)
        elif isinstance(result, Abort):
            self.session.flow = None
            self.nav.go(after_leaving(flow.kind), remember=False)
        self.changed()
        return result

    def back(self) -> bool:
        """The header's back button on a flow's screen goes back in the flow; False when
        the current screen is not one of the flow's."""
        if self.flow is None or self.nav.current not in FLOW_SCREENS:
            return False
        self.send(Back())
        return True

    # ---- effects ----

    def run_effect(self, effect: fx.Effect | None) -> None:
        """Run ``effect`` in the background; see the module docstring."""
        session, flow = self.session, self.flow
        if effect is None or flow is None:
            return
        if isinstance(effect, fx.SubmitApplication):
            self._submit(session)
            return
        if isinstance(effect, fx.SendRating):
            # A local write (the outbox sends it later); done now, so that a citizen who
            # finishes at once does not wipe the session under it.
            self.core.effects.run(effect, session)
            return
        step = flow.step

        def wanted() -> bool:
            return self.session is session and session.flow is flow and flow.step is step

        def done(outcome: Intent | None) -> None:
            if outcome is not None and wanted():
                self.send(outcome)

        self.worker.run(lambda: self.core.effects.run(effect, session, wanted), done)

    def _submit(self, session: Session) -> None:
        """Save → print → send, through the effects (an agent's submission is audited
        there); the review screen hears how it went."""

        def still_here() -> bool:
            return session is self.session and self.flow is not None

        def done(outcome: Intent | None) -> None:
            if still_here():
                key = outcome.key if isinstance(outcome, Failed) else "error.generic"
                self.send(outcome if isinstance(outcome, Submitted) else SubmitFailed(key))

        def failed(exc: BaseException) -> None:
            problem = describe(exc)
            log.error("submission failed: %s", problem.log)
            if still_here():
                self.send(SubmitFailed(problem.key))

        effect = fx.SubmitApplication()
        self.worker.run(lambda: self.core.effects.run(effect, session), done, failed)
