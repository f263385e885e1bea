"""What happens to sessions and flows, turned into counts (a session observer).

The session manager and the step machines tell :class:`JourneyCounter` what happens
(kiosk.session.SessionObserver): a session begun or ended, a flow started, each intent
a flow took and where it went. From that it counts, by flow and matter: journeys
started, the steps they reached (the funnel), the time spent at each step, where a
journey was left and why (backed out, went elsewhere, timed out, card taken away …),
and completion (kiosk.usage.vocabulary.COMPLETED_AT); per session: how identity was
proven and whether 长辈版, English or voice were used; and the facts on the way:
captures retaken, ratings, complaints, QR scans that failed. It reads kinds, steps,
levels and categories, never what the citizen entered.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from kiosk.flows.base import Abort, Next, Rated, Retake, Step
from kiosk.flows.intents import Failed, Filed, Scanned
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import StepMachine
from kiosk.session import EndReason, Session
from kiosk.usage.vocabulary import (
    COMPLETED_AT,
    VISIT_MAX_S,
    AbandonReason,
    DimValue,
    Feature,
    IdentityMethod,
    Metric,
    QrFailure,
)

log = logging.getLogger(__name__)

Count = Callable[..., None]  # (metric, value=1, **dims), refusing quietly

IDENTITY_SOURCES = {  # kiosk.identity.Identity.source -> how identity was proven
    "idcard": IdentityMethod.ID_CARD,
    "smartcard": IdentityMethod.SOCIAL_SECURITY_CARD,
    "bank_card": IdentityMethod.BANK_CARD,
    "qr": IdentityMethod.QR_EID,
    "face": IdentityMethod.FACE,
}
QR_FAILURES = {"scan.error.timeout": QrFailure.TIMEOUT, "error.device.missing": QrFailure.NO_CAMERA}
ON_END = {str(r): r for r in AbandonReason}  # a session's end reason, for its journey

F = TypeVar("F", bound=Callable[..., None])


def never_raises(method: F) -> F:
    """Counting must never break a journey or stop a session's wipe: a fault here is
    logged (its type only) and the kiosk goes on."""

    @functools.wraps(method)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            method(*args, **kwargs)
        except Exception as exc:
            log.error("usage: %s in %s; not counted", type(exc).__name__, method.__name__)

    return guarded  # type: ignore[return-value]


@dc.dataclass
class _Journey:
    flow: StepMachine
    started: float
    assisted: bool
    matter: str | None = None
    step: Step | None = None  # None until its first step is known
    since: float = 0.0
    reached: set[Step] = dc.field(default_factory=set)
    completed: bool = False

    @property
    def kind(self) -> FlowKind:
        return self.flow.kind

    def dims(self) -> dict[str, DimValue]:
        out: dict[str, DimValue] = {"flow": str(self.kind)}
        if self.matter is not None:
            out["matter"] = self.matter
        return out


@dc.dataclass
class _Visit:
    begun: bool = False
    journey: _Journey | None = None


class JourneyCounter:
    """See the module docstring. ``flush`` runs at each session's end (the counts go to
    disk then); ``voice_on`` says whether voice guidance was on."""

    def __init__(
        self,
        count: Count,
        clock: Callable[[], float],
        *,
        voice_on: Callable[[], bool] = lambda: False,
        flush: Callable[[], None] = lambda: None,
    ) -> None:
        self.count, self.clock, self.voice_on, self.flush = count, clock, voice_on, flush
        self._visits: dict[str, _Visit] = {}  # by session token

    # ---- kiosk.session.SessionObserver ----

    @never_raises
    def session_begun(self, session: Session) -> None:
        visit = self._visits.setdefault(session.token, _Visit())
        if not visit.begun:
            visit.begun = True
            self.count(Metric.SESSIONS_STARTED)

    @never_raises
    def flow_started(self, session: Session, flow: StepMachine) -> None:
        self.session_begun(session)
        visit = self._visits[session.token]
        if visit.journey is not None:
            self._close(visit.journey, AbandonReason.LEFT)
        visit.journey = _Journey(flow, self.clock(), assisted=session.assist is not None)

    @never_raises
    def flow_moved(
        self, session: Session, flow: StepMachine, intent: object, before: Step, result: object
    ) -> None:
        visit = self._visits.get(session.token)
        journey = visit.journey if visit is not None else None
        if visit is None or journey is None or journey.flow is not flow:
            return  # a flow the session has left behind
        self._resolve(journey, before)
        self._facts(journey, intent, before, result)
        if flow.step is not journey.step:
            self._enter(journey, flow.step)
        if isinstance(result, Abort):
            self._close(journey, AbandonReason.BACK)
            visit.journey = None

    @never_raises
    def session_ending(self, session: Session, reason: EndReason) -> None:
        visit = self._visits.pop(session.token, None)
        if visit is None:
            return
        if visit.journey is not None:
            self._close(visit.journey, ON_END.get(str(reason), AbandonReason.CANCELLED))
        if visit.begun:
            self.count(Metric.SESSIONS_ENDED, reason=str(reason))
            self._session_facts(session)
        self.flush()

    # ---- journeys ----

    def _resolve(self, journey: _Journey, step: Step) -> None:
        """The journey's first step and matter, known once the flow has set them up."""
        if journey.step is not None:
            return
        matter = getattr(journey.flow, "matter", None)
        journey.matter = getattr(matter, "code", None)
        self.count(Metric.JOURNEYS_STARTED, **journey.dims())
        if journey.assisted and journey.kind is not FlowKind.ASSIST:
            self.count(Metric.JOURNEYS_ASSISTED, **journey.dims())
        self._enter(journey, step, at=journey.started)

    def _enter(self, journey: _Journey, step: Step, at: float | None = None) -> None:
        now = self.clock() if at is None else at
        self._leave(journey, now)
        journey.step, journey.since = step, now
        if step not in journey.reached:
            journey.reached.add(step)
            self.count(Metric.STEPS_REACHED, step=str(step), **journey.dims())
        done = step is Step.DONE or step in COMPLETED_AT.get(journey.kind, ())
        if done and not journey.completed:
            journey.completed = True
            self.count(Metric.JOURNEYS_COMPLETED, **journey.dims())

    def _leave(self, journey: _Journey, now: float) -> None:
        if journey.step is None:
            return
        seconds = round(min(max(now - journey.since, 0.0), VISIT_MAX_S))
        step = {"step": str(journey.step), **journey.dims()}
        self.count(Metric.STEP_VISITS, **step)
        if seconds > 0:
            self.count(Metric.STEP_SECONDS, seconds, **step)

    def _close(self, journey: _Journey, reason: AbandonReason) -> None:
        self._resolve(journey, journey.flow.step)
        self._leave(journey, self.clock())
        if not journey.completed:
            where = str(journey.step)
            self.count(Metric.JOURNEYS_ABANDONED, step=where, reason=str(reason), **journey.dims())

    # ---- what happened on the way ----

    def _facts(self, journey: _Journey, intent: object, before: Step, result: object) -> None:
        if isinstance(intent, Retake) and isinstance(result, Next):
            self.count(Metric.CAPTURES_RETAKEN, **journey.dims())
        elif isinstance(intent, Rated) and isinstance(result, Next) and result.step is Step.DONE:
            self.count(Metric.RATINGS, level=intent.level, **journey.dims())
        elif isinstance(intent, Filed):
            self.count(Metric.COMPLAINTS_FILED, category=getattr(journey.flow, "category", ""))
        elif before is Step.SCAN and isinstance(intent, Failed):
            self.count(Metric.QR_SCANS_FAILED, reason=QR_FAILURES.get(intent.key, QrFailure.ERROR))
        elif before is Step.SCAN and isinstance(intent, Scanned):
            kind = str(getattr(intent.code, "kind", ""))
            if kind not in ("receipt", "appointment"):
                failure = QrFailure.NOT_OURS if kind == "lookalike" else QrFailure.NOT_A_RECEIPT
                self.count(Metric.QR_SCANS_FAILED, reason=failure)

    def _session_facts(self, session: Session) -> None:
        identity = session.identity
        if identity is not None:
            method = IDENTITY_SOURCES.get(identity.source)
            if identity.source == "typed":
                assisted = session.assist is not None
                method = IdentityMethod.AGENT if assisted else IdentityMethod.TYPED
            if method is None:
                log.warning("usage: identity source %r has no method", identity.source)
            else:
                self.count(Metric.IDENTITY_PROVEN, method=method)
        if session.elderly_used:
            self.count(Metric.SESSIONS_USING, feature=Feature.ELDERLY)
        if "en" in session.languages_used:
            self.count(Metric.SESSIONS_USING, feature=Feature.ENGLISH)
        if self.voice_on():
            self.count(Metric.SESSIONS_USING, feature=Feature.VOICE)
