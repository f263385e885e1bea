"""Turning camera frames and encoded pages into Kivy textures, and a live preview."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from kivy.clock import Clock, ClockEvent
from kivy.graphics.texture import Texture
from kivy.uix.image import Image


def texture_from_bgr(frame: np.ndarray) -> Texture:
    """A texture from an OpenCV-style BGR (or grey) array, flipped for OpenGL."""
    rgb = np.repeat(frame[:, :, None], 3, axis=2) if frame.ndim == 2 else frame[:, :, ::-1]
    rgb = np.ascontiguousarray(rgb[::-1])
    height, width = rgb.shape[:2]
    texture = Texture.create(size=(width, height), colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    return texture


def thumbnail_texture(jpeg: bytes) -> Texture:
    """A half-size texture of an encoded page: enough for the screen, a quarter of the
    memory (a 200 dpi A4 page is 1654×2339)."""
    frame = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
    if frame is None:
        raise ValueError("not a decodable image")
    return texture_from_bgr(frame)


class LivePreview:
    """A camera's newest preview frame in an ``Image``, refreshed a few times a second
    while started. :meth:`stop` clears the picture: a frame may show a citizen's paper.
    ``frames`` gives the newest (number, preview) while the camera runs, else None; a
    stopped camera keeps none (devices/camera/driver.py)."""

    def __init__(
        self,
        image: Image,
        frames: Callable[[], tuple[int, np.ndarray] | None],
        every: float = 0.25,
    ) -> None:
        self.image, self._frames, self.every = image, frames, every
        self._event: ClockEvent | None = None
        self._seen: int | None = None

    def start(self) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._tick, self.every)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None
        self._seen = None
        self.image.texture = None

    def _tick(self, _dt: float) -> None:
        newest = self._frames()
        if newest is None or newest[0] == self._seen:
            return
        self._seen, small = newest
        self.image.texture = texture_from_bgr(small)
