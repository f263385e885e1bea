"""The shape every step machine shares: dispatch an intent to the current step's
handler, refuse what a step does not take, and leave by Back; and the steps several
flows share: a screen that only tells, one whose paper can be printed again, and the
capture of paper materials."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from kiosk.catalogue import Material
from kiosk.errors import FlowError
from kiosk.flows.base import (
    Abort,
    Back,
    Continue,
    Identified,
    Intent,
    Invalid,
    Next,
    PageCaptured,
    Retake,
    Step,
    Transition,
)
from kiosk.flows.effects import Effect
from kiosk.flows.intents import Failed, Printed, PrintRequested, Retry
from kiosk.flows.kinds import FlowKind
from kiosk.session import CapturedPage, Session


class StepMachine:
    """Subclasses define ``_on_<step>(intent)`` for each step that takes intents
    (:meth:`_identified` where the IDENTITY step leads) and may override :meth:`_back`.
    The machine registers itself as the session's flow."""

    kind: ClassVar[FlowKind]
    step: Step

    def __init__(self, session: Session) -> None:
        self.session = session
        self.problem = ""  # message key shown at Step.PROBLEM
        self.notice = ""  # message key shown on the current step (e.g. "slot taken")
        self.start_effect: Effect | None = None  # run by the app when the flow starts
        session.flow = self
        session.observer.flow_started(session, self)  # its step is set after this

    def handle(self, intent: Intent) -> Transition:
        before = self.step
        if isinstance(intent, Back):
            result = self._back()
        else:
            handler = getattr(self, f"_on_{self.step.value}", None)
            if handler is None:
                raise FlowError(f"no intents accepted at step {self.step}")
            result = handler(intent)
        if isinstance(result, Next):
            self.step = result.step
        self.session.observer.flow_moved(self.session, self, intent, before, result)
        return result

    def _refuse(self, intent: Intent) -> Transition:
        raise FlowError(f"{type(intent).__name__} is not accepted at step {self.step}")

    def _back(self) -> Transition:
        return Abort("flow.cancelled")

    def fail(self, key: str) -> Transition:
        """Show ``key`` at Step.PROBLEM."""
        self.problem = key
        return Next(Step.PROBLEM)

    def _failed(self, intent: Intent) -> Transition:
        """The end of a step's handler: an effect that failed shows its message at
        Step.PROBLEM; any other intent is not for this step."""
        if isinstance(intent, Failed):
            return self.fail(intent.key)
        return self._refuse(intent)

    def _retry(self, intent: Intent, to: Step, effect: Effect | None = None) -> Transition:
        """At Step.PROBLEM: Retry clears the problem and goes back ``to`` the step that
        failed, running its ``effect`` again."""
        if not isinstance(intent, Retry):
            return self._refuse(intent)
        self.problem = ""
        return Next(to, effect=effect)

    def _on_identity(self, intent: Intent) -> Transition:
        """The citizen identified (ID card, social-security card, e-ID): the identity
        goes into the session and the flow on to what :meth:`_identified` says."""
        if not isinstance(intent, Identified):
            return self._refuse(intent)
        self.session.identity = intent.identity
        return self._identified()

    def _identified(self) -> Transition:
        """A flow with an IDENTITY step says where it goes from there."""
        raise FlowError(f"{type(self).__name__} has no identity step")

    def _continue(self, intent: Intent, to: Step) -> Transition:
        """A screen that only tells (a receipt, a slip, a case): Continue goes ``to``."""
        if not isinstance(intent, Continue):
            return self._refuse(intent)
        return Next(to)


class PrintSteps(StepMachine):
    """A flow with a screen whose paper is printed on arrival and again on request (a
    certificate, a guide, a result slip); the screen says how the last print went."""

    printed: bool | None = None  # None: not printed yet
    print_problem: str | None = None  # the message key when it did not print

    def _print_or_continue(self, intent: Intent, effect: Effect, to: Step) -> Transition:
        """Print (again) with ``effect``, note how it went, or Continue ``to``."""
        if isinstance(intent, PrintRequested):
            return Next(self.step, effect=effect)
        if isinstance(intent, Printed):
            self.printed, self.print_problem = intent.ok, intent.key
            return Next(self.step)
        return self._continue(intent, to)


class CaptureSteps(StepMachine):
    """A flow whose MATERIALS step captures paper by the document camera (see
    :class:`CapturesMaterials`); the pages are kept in the session."""

    def pages_for(self, code: str) -> list[CapturedPage]:
        return self.session.pages.get(code, [])

    def _capture(self, intent: PageCaptured | Retake, material: Material) -> Transition:
        """A page of ``material`` added, or the last one taken back to capture again."""
        if isinstance(intent, Retake):
            pages = self.session.pages.get(material.code)
            if pages:
                pages.pop()
            return Next(Step.MATERIALS)
        if intent.page.material_code != material.code:
            return Invalid({"_": "materials.error.wrong_material"})
        self.session.pages.setdefault(material.code, []).append(intent.page)
        return Next(Step.MATERIALS)


@runtime_checkable
class CapturesMaterials(Protocol):
    """A flow whose steps capture paper materials (承诺办 and its kin; 帮办代办's
    authorisation): what the capture and review screens render."""

    material_index: int

    @property
    def materials(self) -> list[Material]: ...

    @property
    def current_material(self) -> Material: ...

    def pages_for(self, code: str) -> list[CapturedPage]: ...
