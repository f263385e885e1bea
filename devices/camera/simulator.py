"""A simulated camera: a counter in view, a QR code held up to it on demand, or a face
clip replayed (the face check: devices/face/synth.py makes clips from one photo).

``sim://camera?qr=TEXT&blur=1&tilt=20&noise=3`` opens one; the demo and the tests call
:meth:`CameraSimulator.show` to hold up a payload at run time, ``hide`` to take it
away, :meth:`CameraSimulator.play` to replay face frames (looping, one frame per frame
served), and ``unplug``/``replug``/``stall`` to exercise fault handling without sleeping.
Frames come from :mod:`devices.qr.synth`, so they carry the same blur, tilt, noise and
JPEG the decoder is benchmarked on.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import threading
from collections.abc import Sequence

import cv2
import numpy as np

from devices.qr.encode import qr_matrix
from devices.qr.synth import Scene, render_frame
from devices.simulation import SimulatedCable
from devices.status import DeviceUnavailable

log = logging.getLogger(__name__)


@dc.dataclass(frozen=True)
class Shown:
    """A payload held up to the camera, and how it is written into the code."""

    text: str
    encoding: str = "utf-8"
    eci: int | None = None


class CameraSimulator(SimulatedCable):
    """The scene in front of a simulated camera, and whether the camera works."""

    def __init__(
        self,
        *,
        size: tuple[int, int] = (1280, 720),
        fps: float = 15.0,
        scene: Scene | None = None,
        seed: int = 0,
    ) -> None:
        self.size = size
        self.fps = fps
        self.scene = scene or Scene(module_px=5.0, jpeg=85)
        self.frames_served = 0
        self._seed = seed
        self._shown: Shown | None = None
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._clip: tuple[np.ndarray, ...] = ()
        self._clip_at = 0

    @property
    def shown(self) -> Shown | None:
        return self._shown

    def show(
        self, text: str, *, encoding: str = "utf-8", eci: int | None = None, **scene: float
    ) -> None:
        """Hold up a code holding ``text``; ``scene`` overrides fields of :class:`Scene`."""
        qr_matrix(text, encoding=encoding, eci=eci)  # refuse what cannot be encoded, now
        with self._lock:
            self._shown = Shown(text, encoding, eci)
            self._clip, self._clip_at = (), 0  # the code is held up in front of any face
            if scene:
                self.scene = dc.replace(self.scene, **scene)  # type: ignore[arg-type]
            self._seed += 1
            self._frame = None

    def hide(self) -> None:
        with self._lock:
            self._shown = None
            self._frame = None
            self._clip, self._clip_at = (), 0

    def play(self, frames: Sequence[np.ndarray]) -> None:
        """Replay ``frames`` (BGR, the camera's size), one per frame served, looping,
        instead of the synthetic scene, until :meth:`hide` or another :meth:`play`."""
        if not frames:
            raise ValueError("a clip needs at least one frame")
        with self._lock:
            self._clip, self._clip_at = tuple(frames), 0
            self._frame = None

    @property
    def playing(self) -> bool:
        return bool(self._clip)

    def open(self) -> SimSource:
        if not self._plugged:
            raise DeviceUnavailable("simulated camera unplugged")
        return SimSource(self)

    def frame(self) -> np.ndarray | None:
        """The current view as BGR (rendered once per scene), ``None`` while stalled."""
        if not self._plugged:
            raise DeviceUnavailable("simulated camera unplugged")
        if self._stalled:
            return None
        with self._lock:
            self.frames_served += 1
            if self._clip:
                image = self._clip[self._clip_at % len(self._clip)]
                self._clip_at += 1
                return image
            if self._frame is None:
                self._frame = self._render()
            return self._frame

    def _render(self) -> np.ndarray:
        shown = self._shown
        matrix = (
            None if shown is None else qr_matrix(shown.text, encoding=shown.encoding, eci=shown.eci)
        )
        grey = render_frame(matrix, self.scene, self.size, seed=self._seed)
        log.debug("simulated camera frame %dx%d, code shown: %s", *self.size, shown is not None)
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


class SimSource:
    """The :class:`~devices.camera.sources.FrameSource` over a :class:`CameraSimulator`."""

    def __init__(self, sim: CameraSimulator) -> None:
        self.sim = sim
        self.name = "sim://camera"
        self.fps = sim.fps

    def read(self) -> np.ndarray | None:
        return self.sim.frame()

    def close(self) -> None:
        pass
