"""The shape every step machine shares: dispatch an intent to the current step's
handler, refuse what a step does not take, and leave by Back."""

from __future__ import annotations

from kiosk.errors import FlowError
from kiosk.flows.base import Abort, Back, Intent, Next, Step, Transition
from kiosk.session import Session


class StepMachine:
    """Subclasses define ``_on_<step>(intent)`` for each step that takes intents and
    may override :meth:`_back`. The machine registers itself as the session's flow."""

    mode = ""
    step: Step

    def __init__(self, session: Session) -> None:
        self.session = session
        self.problem = ""  # message key shown at Step.PROBLEM
        self.notice = ""  # message key shown on the current step (e.g. "slot taken")
        self.start_effect: object = None  # run by the app when the flow starts
        session.flow = self

    def handle(self, intent: Intent) -> Transition:
        if isinstance(intent, Back):
            result = self._back()
        else:
            handler = getattr(self, f"_on_{self.step.value}", None)
            if handler is None:
                raise FlowError(f"no intents accepted at step {self.step}")
            result = handler(intent)
        if isinstance(result, Next):
            self.step = result.step
        return result

    def _refuse(self, intent: Intent) -> Transition:
        raise FlowError(f"{type(intent).__name__} is not accepted at step {self.step}")

    def _back(self) -> Transition:
        return Abort("flow.cancelled")

    def fail(self, key: str) -> Transition:
        """Show ``key`` at Step.PROBLEM."""
        self.problem = key
        return Next(Step.PROBLEM)
