"""One citizen's session: everything the kiosk holds about them, and its end.

The session is the only owner of personal data. Screens render from it and keep nothing
of their own. It ends by timeout, by "finish", or when the ID card is taken away; ending
wipes it: data dropped, temp files deleted, listeners (screens) told to reset.
"""

from __future__ import annotations

import dataclasses as dc
import enum
import gc
import logging
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kiosk.errors import SessionEnded
from kiosk.identity import Identity

if TYPE_CHECKING:
    from kiosk.flows.base import Step
    from kiosk.flows.machine import StepMachine
    from kiosk.staff.desk import AssistContext

F = TypeVar("F")
log = logging.getLogger(__name__)

Clock = Callable[[], float]


class EndReason(enum.StrEnum):
    TIMEOUT = "timeout"
    FINISHED = "finished"
    CARD_REMOVED = "card_removed"
    CANCELLED = "cancelled"


class IdlePhase(enum.StrEnum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dc.dataclass(frozen=True)
class IdleState:
    phase: IdlePhase
    remaining: float  # seconds until expiry


class IdleTimer:
    """Idle warning and timeout, on an injected clock (tested without sleeping).

    A touch resets the timer while it is active. Once the warning shows, only an explicit
    :meth:`extend` does, so a stray touch cannot keep a forgotten session alive forever.
    """

    def __init__(self, timeout: float, warning: float, max_extensions: int, clock: Clock) -> None:
        if warning >= timeout:
            raise ValueError("the warning must come before the timeout")
        self.timeout = timeout
        self.warning = warning
        self.max_extensions = max_extensions
        self._clock = clock
        self._last = clock()
        self.extensions = 0

    def state(self) -> IdleState:
        remaining = self.timeout - (self._clock() - self._last)
        if remaining <= 0:
            return IdleState(IdlePhase.EXPIRED, 0.0)
        if remaining <= self.warning:
            return IdleState(IdlePhase.WARNING, remaining)
        return IdleState(IdlePhase.ACTIVE, remaining)

    def touch(self) -> None:
        if self.state().phase is IdlePhase.ACTIVE:
            self._last = self._clock()

    @property
    def can_extend(self) -> bool:
        return self.extensions < self.max_extensions

    def extend(self) -> bool:
        if self.state().phase is IdlePhase.EXPIRED or not self.can_extend:
            return False
        self.extensions += 1
        self._last = self._clock()
        return True


@dc.dataclass
class CapturedPage:
    """A scanned page as captured: the clean JPEG (no watermark), its size and verdict.

    ``trust`` is the material's level (``kiosk.trust``): C when captured here, B once an
    agent (``verified_by``, a staff id) has checked the original. The watermark for the
    level is stamped when the page is sent, so that a later B replaces the C wording.
    """

    material_code: str
    jpeg: bytes = dc.field(repr=False)
    width: int
    height: int
    problems: tuple[str, ...] = ()
    trust: str = "C"
    verified_by: str = ""
    dpi: int = 200
    mode: str = "grey"


@dc.dataclass
class Submission:
    """What the citizen got back: the number on the receipt and how it went."""

    number: str
    provisional: bool
    printed: bool
    print_problem: str | None = None  # message key when the receipt did not print
    promised_date: str = ""
    qr_payload: str = ""
    kind: str = "application"  # application | correction | deferred (what the paper says)
    callback_org: str = ""  # 延时办: who calls back ...
    callback_by: str = ""  # ... by this date (ISO)


class SessionObserver(Protocol):
    """Hears what happens to sessions and their flows, never what they hold: the usage
    counters (kiosk/usage) are one. The step machines call the flow methods."""

    def session_begun(self, session: Session) -> None: ...

    def flow_started(self, session: Session, flow: StepMachine) -> None: ...

    def flow_moved(
        self, session: Session, flow: StepMachine, intent: object, before: Step, result: object
    ) -> None: ...

    def session_ending(self, session: Session, reason: EndReason) -> None: ...


class Unobserved:
    """The observer of a session nobody watches."""

    def session_begun(self, session: Session) -> None:
        pass

    def flow_started(self, session: Session, flow: StepMachine) -> None:
        pass

    def flow_moved(
        self, session: Session, flow: StepMachine, intent: object, before: Step, result: object
    ) -> None:
        pass

    def session_ending(self, session: Session, reason: EndReason) -> None:
        pass


class Session:
    """Everything about one citizen. Created by :class:`SessionManager`."""

    def __init__(
        self,
        temp_root: Path,
        *,
        language: str,
        elderly: bool,
        clock: Clock,
        observer: SessionObserver | None = None,
    ) -> None:
        self.token = secrets.token_hex(8)  # not personal; safe to log
        self.started = clock()
        self.observer: SessionObserver = observer or Unobserved()
        self.languages_used: set[str] = set()  # what the screens were shown in, and
        self.elderly_used = False  # whether 长辈版 was on at any time
        self.language = language
        self.elderly = elderly
        self.identity: Identity | None = None
        self.matter_code: str | None = None
        self.answers: dict[str, str] = {}
        self.pages: dict[str, list[CapturedPage]] = {}
        self.submission: Submission | None = None
        self.rating: int | None = None
        self.flow: StepMachine | None = None  # the running step machine, if any
        self.ime: Any = None  # pending pinyin of the field being typed
        self.assist: AssistContext | None = None  # when an agent acts for them (帮办代办)
        self._temp_root = temp_root
        self._temp: Path | None = None

    @property
    def language(self) -> str:
        return self._language

    @language.setter
    def language(self, value: str) -> None:
        self._language = value
        self.languages_used.add(value)

    @property
    def elderly(self) -> bool:
        return self._elderly

    @elderly.setter
    def elderly(self, value: bool) -> None:
        self._elderly = value
        self.elderly_used = self.elderly_used or value

    @property
    def temp_dir(self) -> Path:
        """A private directory for this session's files; deleted by the wipe."""
        if self._temp is None:
            self._temp = self._temp_root / f"session-{self.token}"
            self._temp.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self._temp

    def flow_as(self, kind: type[F]) -> F:
        """The running flow, which an effect expects to be a ``kind``; SessionEnded when
        the session ended (or moved on) under the effect."""
        if not isinstance(self.flow, kind):
            raise SessionEnded(f"no {kind.__name__} running")
        return self.flow

    def person(self) -> Identity:
        """The identity an effect needs; SessionEnded when the session ended under it."""
        if self.identity is None:
            raise SessionEnded("no identity in the session")
        return self.identity

    def page_count(self) -> int:
        return sum(len(p) for p in self.pages.values())

    def wipe(self) -> None:
        self.identity = None
        self.matter_code = None
        self.answers.clear()
        self.pages.clear()
        self.submission = None
        self.rating = None
        self.flow = None
        self.assist = None
        if self.ime is not None:
            self.ime.clear()
            self.ime = None
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def __repr__(self) -> str:
        return f"Session(token={self.token!r})"


class SessionManager:
    """Owns the current session, its idle timer and its end."""

    def __init__(
        self,
        temp_root: Path,
        *,
        idle_timeout: float,
        idle_warning: float,
        max_extensions: int,
        language: str,
        elderly: bool,
        clock: Clock = time.monotonic,
        reclaim: Callable[[], object] = lambda: None,
        observer: SessionObserver | None = None,
    ) -> None:
        """``reclaim`` runs after each wipe, once the old session is garbage: the terminal
        hands the C heap's freed pages back to the system there (terminal/system/memory.py).
        ``observer`` hears every session and its flows (kiosk/usage counts them)."""
        self.temp_root = temp_root
        self.observer: SessionObserver = observer or Unobserved()
        self._reclaim = reclaim
        self.default_language = language
        self.default_elderly = elderly
        self._idle_args = (idle_timeout, idle_warning, max_extensions)
        self._clock = clock
        self._listeners: list[Callable[[EndReason], None]] = []
        self.current = self._new()
        self.idle = IdleTimer(*self._idle_args, clock)
        self._purge_stale()

    def _new(self) -> Session:
        return Session(
            self.temp_root,
            language=self.default_language,
            elderly=self.default_elderly,
            clock=self._clock,
            observer=self.observer,
        )

    def _purge_stale(self) -> None:
        """Temp files of sessions cut short by a crash or power loss go at start-up."""
        if self.temp_root.is_dir():
            for stale in self.temp_root.glob("session-*"):
                shutil.rmtree(stale, ignore_errors=True)

    def on_end(self, listener: Callable[[EndReason], None]) -> None:
        self._listeners.append(listener)

    def touch(self) -> None:
        self.idle.touch()

    def restart_idle(self) -> None:
        self.idle = IdleTimer(*self._idle_args, self._clock)

    def begin(self) -> None:
        """A citizen has started using the kiosk (left the attract screen)."""
        self.observer.session_begun(self.current)

    def end(self, reason: EndReason) -> Session:
        """Wipe the current session, start a fresh one and tell the listeners."""
        old = self.current
        log.info("session %s ended: %s", old.token, reason)
        old.observer.session_ending(old, reason)  # before the wipe: it reads the flow
        old.wipe()
        self.current = self._new()
        self.restart_idle()
        for listener in list(self._listeners):
            listener(reason)
        gc.collect()
        self._reclaim()
        return self.current
