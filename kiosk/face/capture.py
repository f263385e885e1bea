"""The live capture: guide the person into a good position, run the liveness check,
and take one good frontal frame — all from the camera's frames, in memory.

Runs off the UI thread (an effect). What it tells the screen goes through a
:class:`Board` (the prompt to show and speak, the action, the seconds left), which the
screen reads; what it returns is a :class:`Capture`: the face cropped from the final
frame as JPEG bytes, and the liveness evidence. No frame is kept past the loop, none is
written anywhere, and the camera is stopped (dropping its last frame) on the way out.
"""

from __future__ import annotations

import dataclasses as dc
import enum
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from devices.face.model import Face
from devices.face.quality import Limits, Problem, Verdict, check
from kiosk.face.liveness import Action, LivenessCheck, Outcome, Sample, challenge

CROP_MARGIN = 0.6  # the crop sent on: the face's box grown by this share on each side
CROP_WIDTH = 360  # … scaled down to at most this many pixels wide
STEADY_FRAMES = 3  # good frames in a row before the actions are asked for
FRAME_WAIT_S = 1.0

PROMPTS = {
    Problem.NO_FACE: "face.prompt.no_face",
    Problem.SEVERAL_FACES: "face.prompt.one_person",
    Problem.TOO_SMALL: "face.prompt.closer",
    Problem.TOO_CLOSE: "face.prompt.farther",
    Problem.NOT_FRONTAL: "face.prompt.frontal",
    Problem.EYES_CLOSED: "face.prompt.open_eyes",
    Problem.TOO_DARK: "face.prompt.dark",
    Problem.TOO_BRIGHT: "face.prompt.bright",
    Problem.BLURRY: "face.prompt.still",
}
ACTION_PROMPTS = {
    Action.BLINK: "face.prompt.blink",
    Action.TURN_LEFT: "face.prompt.turn_left",
    Action.TURN_RIGHT: "face.prompt.turn_right",
}


class Phase(enum.StrEnum):
    POSITION = "position"  # the quality gate: one face, near enough, frontal, lit
    ACTIONS = "actions"  # the liveness check
    HOLD = "hold"  # one good frontal frame to send
    DONE = "done"


class CaptureFailed(Exception):
    """The capture did not succeed; ``reason``: position (no good frame in time),
    liveness (an action not seen in time), camera (no frames)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dc.dataclass(frozen=True)
class Progress:
    """What the screen shows and says while the capture runs."""

    phase: Phase = Phase.POSITION
    prompt: str = "face.prompt.no_face"
    done: int = 0  # actions done
    total: int = 2
    left_s: float = 0.0


class Board:
    """The capture's progress, written by the capture thread, read by the screen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress = Progress()

    def post(self, progress: Progress) -> None:
        with self._lock:
            self._progress = progress

    def read(self) -> Progress:
        with self._lock:
            return self._progress


@dc.dataclass(frozen=True, eq=False)
class Capture:
    """The face to verify (JPEG, in memory) and how liveness was shown."""

    jpeg: bytes = dc.field(repr=False)
    actions: tuple[Action, ...]
    frames: int
    duration_s: float


class FaceCapture:
    def __init__(
        self,
        camera: Any,  # devices.camera.Camera
        model: Any,  # devices.face.FaceModel
        *,
        action_s: float,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        limits: Limits | None = None,
    ) -> None:
        self.camera, self.model = camera, model
        self.action_s = action_s
        self.rng = rng or random.Random()
        self.clock = clock
        self.limits = limits or Limits()

    def run(self, board: Board, wanted: Callable[[], bool] = lambda: True) -> Capture | None:
        """Capture until done (a Capture), the person left (None) or CaptureFailed."""
        camera = self.camera
        camera.start()
        held = camera.latest()
        seq = held.seq if held is not None else -1
        start = self.clock()
        actions = challenge(self.rng)
        liveness: LivenessCheck | None = None
        phase, steady = Phase.POSITION, 0
        deadline = start + 2 * self.action_s
        try:
            while wanted():
                now = self.clock()
                if now > deadline:
                    raise CaptureFailed("liveness" if phase is Phase.ACTIONS else "position")
                try:
                    frame = camera.next_frame(after=seq, timeout=FRAME_WAIT_S)
                except Exception:  # a camera hiccup: it reconnects by itself
                    continue
                seq = frame.seq
                faces = self.model.analyse(frame.image)
                verdict = check(frame.image, faces, self.limits)
                at = self.clock()
                if phase is Phase.POSITION:
                    steady = steady + 1 if verdict.ok else 0
                    board.post(
                        Progress(
                            phase,
                            _prompt(verdict, "face.prompt.hold"),
                            0,
                            len(actions),
                            deadline - at,
                        )
                    )
                    if steady >= STEADY_FRAMES:
                        phase = Phase.ACTIONS
                        liveness = LivenessCheck(actions, self.action_s, at)
                        deadline = at + self.action_s * len(actions) + 1.0
                elif phase is Phase.ACTIONS and liveness is not None:
                    state = liveness.feed(_sample(at, faces, verdict))
                    if state.outcome is Outcome.TIMED_OUT:
                        raise CaptureFailed("liveness")
                    if state.outcome is Outcome.PASSED:
                        phase, deadline = Phase.HOLD, at + self.action_s
                        board.post(
                            Progress(
                                phase, "face.prompt.hold", len(actions), len(actions), self.action_s
                            )
                        )
                        continue
                    prompt = ACTION_PROMPTS[state.current] if state.current else "face.prompt.hold"
                    if verdict.measure.faces != 1:
                        prompt = _prompt(verdict, prompt)
                    board.post(Progress(phase, prompt, state.done, len(actions), state.left_s))
                elif phase is Phase.HOLD:
                    board.post(
                        Progress(
                            phase,
                            _prompt(verdict, "face.prompt.hold"),
                            len(actions),
                            len(actions),
                            deadline - at,
                        )
                    )
                    if verdict.ok:
                        jpeg = crop_jpeg(frame.image, faces[0])
                        board.post(
                            Progress(
                                Phase.DONE, "face.prompt.done", len(actions), len(actions), 0.0
                            )
                        )
                        frames = liveness.frames if liveness is not None else 0
                        return Capture(jpeg, actions, frames, at - start)
            return None
        finally:
            camera.stop()  # drops the last frame: no later reader sees this face


def _prompt(verdict: Verdict, otherwise: str) -> str:
    return PROMPTS[verdict.problems[0]] if verdict.problems else otherwise


def _sample(at: float, faces: list[Face], verdict: Verdict) -> Sample:
    m = verdict.measure
    if m.faces != 1:
        return Sample(at, face=False)
    left, top, right, bottom = faces[0].box
    centre = ((left + right) / 2.0, (top + bottom) / 2.0)
    return Sample(at, True, m.eyes, m.yaw, centre, float(right - left))


def crop_jpeg(image: np.ndarray, face: Face) -> bytes:
    """The face with a margin around it, at most CROP_WIDTH wide, as JPEG: only the face
    leaves the capture, not the room behind the person."""
    h, w = image.shape[:2]
    left, top, right, bottom = face.box
    mx, my = int((right - left) * CROP_MARGIN), int((bottom - top) * CROP_MARGIN)
    crop = image[max(0, top - my) : min(h, bottom + my), max(0, left - mx) : min(w, right + mx)]
    if crop.shape[1] > CROP_WIDTH:
        scale = CROP_WIDTH / crop.shape[1]
        crop = cv2.resize(
            crop, (CROP_WIDTH, int(crop.shape[0] * scale)), interpolation=cv2.INTER_AREA
        )
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise CaptureFailed("camera")
    return data.tobytes()
