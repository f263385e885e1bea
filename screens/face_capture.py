"""The live capture of 人证核验: the person sees themselves (mirrored, as in a mirror,
in the 长辈版 sizes) and is told, on screen and aloud, what to do — 请正对摄像头,
请靠近一点, 请眨眨眼, 请向左转头 — with the step and the seconds left.

The capture runs as an effect off the UI thread and posts its progress to the flow's
board; this screen reads it a few times a second. When an attempt fails the reason is
shown and said, with 再试一次 and the other ways. The picture goes when the screen does.
"""

from __future__ import annotations

from typing import Any

import cv2
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.flows.certification import CertificationFlow
from kiosk.flows.intents import Choose, Retry
from screens.base import KioskScreen
from screens.images import texture_from_bgr

TICK_S = 0.2
PORTRAIT = 3 / 4  # the preview's width over its height: the face fills it, not the room


def spoken_key(key: str) -> str:
    """The voice's wording of a prompt or a failure shown on screen (face.prompt.blink:
    voice.face_blink)."""
    return "voice." + key.replace("face.prompt.", "face_").replace("face.failed.", "face_")


def portrait(frame: Any) -> Any:
    """The middle of a landscape frame at 3:4, mirrored: a person sees themselves as in
    a mirror, turning left moves their face to the left."""
    h, w = frame.shape[:2]
    width = min(w, int(h * PORTRAIT))
    left = (w - width) // 2
    return cv2.flip(frame[:, left : left + width], 1)


class FaceCaptureScreen(KioskScreen):
    prompt = StringProperty("")  # the message key shown big and spoken
    step_text = StringProperty("")
    seconds = NumericProperty(0)
    failed = BooleanProperty(False)  # an attempt failed: its reason and the choices show
    reason = StringProperty("")
    attempt_text = StringProperty("")
    can_retry = BooleanProperty(False)
    simulated = BooleanProperty(False)  # a simulated camera: the 【模拟】 buttons show

    _event: Any = None
    _seen: int | None = None
    _spoken = ""

    def render(self) -> None:
        flow = self.running(CertificationFlow)
        if flow is None:
            return
        simulation = self.app.core.simulation
        self.simulated = simulation is not None and simulation.camera
        self.failed = bool(flow.notice)
        self.reason = flow.notice
        self.can_retry = flow.attempts_left > 0
        attempt = min(flow.attempts + (0 if flow.notice else 1), flow.max_attempts)
        self.attempt_text = self.app.tr("face.attempt", n=attempt, of=flow.max_attempts)
        # a failed attempt's reason is said by the announcer, with the choices it offers

    def on_enter(self, *_args: Any) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._tick, TICK_S)

    def on_leave(self, *_args: Any) -> None:
        self._stop()

    def _tick(self, _dt: float) -> None:
        flow = self.running(CertificationFlow)
        if flow is None:
            return
        if not self.failed:
            progress = flow.board.read()
            self.prompt = progress.prompt
            self.seconds = int(progress.left_s + 0.5)
            self.step_text = self.app.tr(
                "face.step", n=min(progress.done + 1, progress.total), of=progress.total
            )
            self._say(progress.prompt)
        newest = self.app.core.camera_preview()
        if newest is None or self.failed:
            self.ids.preview.texture = None
            self._seen = None
        elif newest[0] != self._seen:
            self._seen = newest[0]
            self.ids.preview.texture = texture_from_bgr(portrait(newest[1]))

    def spoken(self) -> list[str]:
        """The prompt; after a failed attempt, why it failed and what can be done (the
        choices follow). The live prompts while capturing are said as they change."""
        said = super().spoken()
        if self.failed and self.reason:
            said.append(self.app.tr(spoken_key(self.reason)))
        return said

    def _say(self, key: str) -> None:
        if key and key != self._spoken:
            self._spoken = key
            self.app.speak(spoken_key(key).removeprefix("voice."))

    def retry(self) -> None:
        self._spoken = ""
        self.failed = False
        self.app.runner.send(Retry())

    def simulate(self, live: bool) -> None:
        """Only shown with a simulated camera: the demo resident in front of it, alive
        (blinking and turning) or as a photo held still."""
        simulation = self.app.core.simulation
        if simulation is not None:
            simulation.show_face("elder", live=live)

    def other_ways(self) -> None:
        self.app.runner.send(Choose("other"))

    def _stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self._seen = None
        if "preview" in self.ids:
            self.ids.preview.texture = None

    def reset(self) -> None:
        self._stop()
        self.prompt = self.step_text = self.reason = self.attempt_text = ""
        self.failed, self.can_retry, self.seconds, self._spoken = False, False, 0, ""
