"""A simulated document camera: synthetic page photos delivered as MJPEG frames.

A real 高拍仪 hands over JPEG-compressed frames (research/devices.md §5); so does this
simulator, so the camera code decodes them with the same ``decode_image`` the real path
uses. The kiosk demo lays a named material under the camera with :meth:`set_next`;
tests unplug it or stop its frames to exercise the failure paths without sleeping.
"""

from __future__ import annotations

import logging
import threading

import cv2

from devices.docscan.synth import SCENARIOS, synth_photo
from devices.simulation import SimulatedCable
from devices.status import DeviceTimeout, DeviceUnavailable

log = logging.getLogger(__name__)


class DocScanSimulator(SimulatedCable):
    """The desk under the camera: which page lies there, and whether the camera works.

    The page stays until :meth:`set_next` or :meth:`remove_page` changes it, as a sheet
    does on a real desk. Rendered frames are cached per page, so a preview loop is cheap.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        scenario: str = "ok",
        title: str = "居民户口簿",
        size: tuple[int, int] = (2592, 1944),
        preview_width: int = 960,
        landscape: bool = False,
        jpeg_quality: int = 90,
    ) -> None:
        _check_scenario(scenario)
        self.size = size
        self.preview_width = preview_width
        self.jpeg_quality = jpeg_quality
        self.frames_served = 0
        self._lock = threading.Lock()
        self._seed = seed
        self._scene = (title, scenario, landscape)
        self._cache: dict[bool, bytes] = {}

    @property
    def scene(self) -> tuple[str, str]:
        """(title, scenario) of what lies under the camera now."""
        return self._scene[0], self._scene[1]

    def set_next(self, title: str, scenario: str = "ok", *, landscape: bool = False) -> None:
        """Lay a page titled ``title`` under the camera, photographed as ``scenario``."""
        _check_scenario(scenario)
        with self._lock:
            self._seed += 1  # a new sheet: new text, new position
            self._scene = (title, scenario, landscape)
            self._cache.clear()

    def remove_page(self) -> None:
        self.set_next(self._scene[0], "no_page")

    def grab(self, preview: bool) -> bytes:
        """One MJPEG frame: ``preview`` ones are ``preview_width`` wide, captures full size."""
        if not self._plugged:
            raise DeviceUnavailable("simulated document camera unplugged")
        if self._stalled:
            raise DeviceTimeout("simulated document camera delivers no frames")
        with self._lock:
            frame = self._cache.get(preview)
            if frame is None:
                frame = self._render(preview)
                self._cache[preview] = frame
            self.frames_served += 1
            return frame

    def _render(self, preview: bool) -> bytes:
        title, scenario, landscape = self._scene
        w, h = self.size
        if preview and w > self.preview_width:
            w, h = self.preview_width, round(h * self.preview_width / w)
        photo = synth_photo(
            self._seed, scenario=scenario, title=title, size=(w, h), landscape=landscape
        )
        ok, buf = cv2.imencode(".jpg", photo.image, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:
            raise DeviceTimeout("simulator could not encode a frame")
        log.debug("simulated frame %dx%d scenario=%s", w, h, scenario)
        return buf.tobytes()

    def close(self) -> None:
        with self._lock:
            self._cache.clear()


def _check_scenario(scenario: str) -> None:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {SCENARIOS}")
