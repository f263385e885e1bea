"""Action liveness: the kiosk asks for a blink and a slight head turn, in random order,
and sees them in the landmarks across frames, each within a time limit.

A printed photo or a phone showing a still cannot blink or turn, so it never passes. A
video of the person doing the same actions in the same order can (docs/security.md
says so): the random order and direction make a prepared video less likely to fit, not
impossible.

Pure: :meth:`LivenessCheck.feed` takes one :class:`Sample` per analysed frame (the
clock time and the landmark numbers, or no face) and answers the state. The capture
loop (kiosk/face/capture.py) feeds it; tests feed it recorded sequences.

- A blink: the eyes' aspect ratio falls under ``SHUT`` of the open level seen in the
  last second and a half, then comes back over ``REOPENED`` of it.
- A head turn: the yaw moves ``TURN`` from where it was when the action began, the
  asked way (to the subject's left or right).
- The same face throughout: a face lost for longer than ``LOST_S``, or one that jumps
  across the frame between two samples (another face, a photo swapped in), starts the
  check again from its first action, and counts against the time.
"""

from __future__ import annotations

import dataclasses as dc
import enum
import random
from collections import deque

SHUT = 0.7  # the eyes' aspect ratio under this share of their open level: shut
REOPENED = 0.88  # … and back over this share: opened again
TURN = 0.15  # yaw units (devices/face/landmarks.yaw) a slight turn moves the nose
OPEN_WINDOW_S = 1.5  # the open level is the highest of this many recent seconds
LOST_S = 1.0  # a face missing this long is lost
JUMP = 0.5  # the face's centre moving more than this share of its width in one step


class Action(enum.StrEnum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"  # the subject's left
    TURN_RIGHT = "turn_right"


class Outcome(enum.StrEnum):
    RUNNING = "running"
    PASSED = "passed"
    TIMED_OUT = "timed_out"


@dc.dataclass(frozen=True)
class Sample:
    """One analysed frame: when, the eyes' aspect ratio, the yaw, and the face's centre
    and width in pixels. ``face=False``: no single face in the frame."""

    at: float
    face: bool = True
    eyes: float = 0.0
    yaw: float = 0.0
    centre: tuple[float, float] = (0.0, 0.0)
    width: float = 0.0


@dc.dataclass(frozen=True)
class State:
    outcome: Outcome
    current: Action | None  # the action asked for now (None once passed)
    done: int  # how many actions are done
    left_s: float  # seconds left for the current action
    restarted: bool = False  # the face was lost or changed: the check began again


def challenge(rng: random.Random) -> tuple[Action, ...]:
    """A blink and a turn (either way) in random order."""
    actions = [Action.BLINK, rng.choice((Action.TURN_LEFT, Action.TURN_RIGHT))]
    rng.shuffle(actions)
    return tuple(actions)


class LivenessCheck:
    def __init__(self, actions: tuple[Action, ...], action_s: float, start: float) -> None:
        if not actions:
            raise ValueError("a liveness check needs at least one action")
        self.actions = actions
        self.action_s = action_s
        self.frames = 0  # samples fed
        self._index = 0
        self._deadline = start + action_s
        self._last_face: Sample | None = None
        self._recent: deque[tuple[float, float]] = deque()  # (at, eyes)
        self._closed = False
        self._open_level = 0.0  # the eyes' level when they shut (a blink reopens to it)
        self._yaw_start: float | None = None
        self._outcome = Outcome.RUNNING

    @property
    def current(self) -> Action | None:
        return self.actions[self._index] if self._index < len(self.actions) else None

    def feed(self, s: Sample) -> State:
        """Take one sample; the state after it."""
        if self._outcome is not Outcome.RUNNING:
            return self._state(s.at)
        self.frames += 1
        restarted = self._continuity(s)
        if s.face:
            self._last_face = s
            self._step(s)
        if self._outcome is Outcome.RUNNING and s.at > self._deadline:
            self._outcome = Outcome.TIMED_OUT
        return self._state(s.at, restarted)

    def _continuity(self, s: Sample) -> bool:
        last = self._last_face
        if last is None:
            return False
        lost = not s.face and s.at - last.at > LOST_S
        jumped = s.face and _distance(s.centre, last.centre) > JUMP * max(last.width, 1.0)
        if not (lost or jumped) or (self._index == 0 and not self._closed):
            return False
        self._index, self._closed, self._yaw_start = 0, False, None
        self._recent.clear()
        self._last_face = None
        return True

    def _step(self, s: Sample) -> None:
        action = self.current
        self._recent.append((s.at, s.eyes))
        while self._recent and s.at - self._recent[0][0] > OPEN_WINDOW_S:
            self._recent.popleft()
        if action is Action.BLINK:
            open_level = max(e for _t, e in self._recent)
            if not self._closed and s.eyes < SHUT * open_level:
                self._closed, self._open_level = True, open_level
            elif self._closed and s.eyes > REOPENED * self._open_level:
                self._advance(s.at)
        elif action is not None:
            if self._yaw_start is None:
                self._yaw_start = s.yaw
            way = 1.0 if action is Action.TURN_LEFT else -1.0
            if (s.yaw - self._yaw_start) * way >= TURN:
                self._advance(s.at)

    def _advance(self, at: float) -> None:
        self._index += 1
        self._closed, self._yaw_start = False, None
        if self._index >= len(self.actions):
            self._outcome = Outcome.PASSED
        else:
            self._deadline = at + self.action_s

    def _state(self, at: float, restarted: bool = False) -> State:
        left = max(0.0, self._deadline - at) if self._outcome is Outcome.RUNNING else 0.0
        return State(self._outcome, self.current, self._index, left, restarted)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)
