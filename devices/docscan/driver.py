"""Document cameras behind one interface, chosen by URL.

``v4l2:///dev/video0?width=4208&height=3120`` a UVC 高拍仪 through OpenCV (MJPEG for full
resolution, research/devices.md §5); ``file:///srv/stills`` stills from a file or a
folder, cycling; ``sim://docscan?seed=1&scenario=ok`` synthetic pages (the simulator,
recorded in the :class:`~devices.simulation.Simulators` passed to :func:`open_docscan`,
lets the demo and tests lay pages and pull the cable). Every call blocks: run them off
the UI thread.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, Protocol

import cv2
import numpy as np

from devices.docscan.codec import decode_image, fit_within, still_files
from devices.docscan.page import CorruptImage
from devices.docscan.simulator import DocScanSimulator
from devices.simulation import Simulators
from devices.status import DeviceState, DeviceStatus, DeviceTimeout, DeviceUnavailable
from devices.transport import parse_url

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 960


class DocCamera(Protocol):
    """What the kiosk sees of any document camera."""

    def status(self) -> DeviceStatus: ...

    def preview(self) -> np.ndarray:
        """A small BGR frame (long side <= the preview width) for the screen."""
        ...

    def capture(self) -> np.ndarray:
        """A full-resolution BGR still for :func:`~devices.docscan.pipeline.process_page`."""
        ...

    def close(self) -> None: ...


class StillSource(Protocol):
    """Something that hands out encoded stills: a folder, or the simulator."""

    def grab(self, preview: bool) -> bytes: ...

    def state(self) -> tuple[DeviceState, str]:
        """The source's health now, without grabbing a frame."""
        ...

    def close(self) -> None: ...


class FolderSource:
    """Stills from one image file or every image in a folder, in name order, cycling.

    A preview shows the still the next capture will return; a capture moves on.
    """

    def __init__(self, path: str) -> None:
        self._files = still_files(path)
        self._next = 0

    def grab(self, preview: bool) -> bytes:
        path = self._files[self._next]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DeviceUnavailable(f"cannot read still {path.name}: {exc}") from exc
        if not preview:
            self._next = (self._next + 1) % len(self._files)
        return data

    def state(self) -> tuple[DeviceState, str]:
        if self._files[self._next].is_file():
            return DeviceState.ONLINE, ""
        return DeviceState.OFFLINE, f"still {self._files[self._next].name} is gone"

    def close(self) -> None:
        pass


class StillCamera:
    """A :class:`DocCamera` over encoded stills; decoding is the real codec."""

    def __init__(
        self,
        source: StillSource,
        *,
        name: str,
        preview_width: int = PREVIEW_WIDTH,
    ) -> None:
        self._source = source
        self._name = name
        self._preview_width = preview_width
        self._lock = threading.Lock()
        self._closed = False

    def status(self) -> DeviceStatus:
        state, detail = (DeviceState.OFFLINE, "closed") if self._closed else self._source.state()
        return DeviceStatus(device=state, detail=detail, vendor={"source": self._name})

    def preview(self) -> np.ndarray:
        return decode_image(self._grab(True), max_side=self._preview_width)

    def capture(self) -> np.ndarray:
        return decode_image(self._grab(False))

    def _grab(self, preview: bool) -> bytes:
        if self._closed:
            raise DeviceUnavailable(f"document camera {self._name} is closed")
        with self._lock:
            return self._source.grab(preview)

    def close(self) -> None:
        self._closed = True
        self._source.close()


CaptureFactory = Callable[[Any, int], Any]


class V4l2Camera:
    """A UVC document camera through OpenCV's V4L2 backend.

    MJPEG is asked for, since YUYV cannot carry full resolution over USB 2.0. Where the
    backend hands back the raw MJPEG buffer, preview frames are decoded at 1/2-1/8 scale
    directly from the JPEG's DCT data, which keeps a live preview cheap.
    """

    FRAME_RETRIES = 3

    def __init__(
        self,
        device: str | int,
        *,
        width: int | None = None,
        height: int | None = None,
        fourcc: str = "MJPG",
        preview_width: int = PREVIEW_WIDTH,
        capture_factory: CaptureFactory | None = None,
    ) -> None:
        if len(fourcc) != 4:
            raise ValueError(f"a FOURCC has four characters, not {fourcc!r}")
        if capture_factory is None:
            if isinstance(device, str) and not os.path.exists(device):
                raise DeviceUnavailable(f"no video device {device}: is the camera plugged in?")
            capture_factory = cv2.VideoCapture
        self._device = device
        self._preview_width = preview_width
        self._lock = threading.Lock()
        self._cap = capture_factory(device, cv2.CAP_V4L2)
        if not self._cap.isOpened():
            raise DeviceUnavailable(
                f"cannot open video device {device}: in use by another program, "
                "no permission (group 'video'), or not a camera"
            )
        self._configure(fourcc, width, height)
        self._state, self._detail = DeviceState.ONLINE, ""
        self._closed = False

    def _configure(self, fourcc: str, width: int | None, height: int | None) -> None:
        self._cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*fourcc))
        if width and height:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        if fourcc == "MJPG":  # hand back the raw JPEG, decoded here at the size needed
            self._cap.set(cv2.CAP_PROP_CONVERT_RGB, 0)
        got = (self._cap.get(cv2.CAP_PROP_FRAME_WIDTH), self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        log.info("document camera %s opened at %dx%d", self._device, got[0], got[1])

    def status(self) -> DeviceStatus:
        if self._gone():
            self._state, self._detail = DeviceState.OFFLINE, "video device disappeared"
        return DeviceStatus(
            device=self._state, detail=self._detail, vendor={"device": str(self._device)}
        )

    def preview(self) -> np.ndarray:
        return self._frame(self._preview_width)

    def capture(self) -> np.ndarray:
        with self._lock:
            self._cap.grab()  # drop the frame that waited in the buffer
        return self._frame(None)

    def _gone(self) -> bool:
        dev = self._device
        return isinstance(dev, str) and dev.startswith("/dev/") and not os.path.exists(dev)

    def _frame(self, max_side: int | None) -> np.ndarray:
        """One decoded frame; a few corrupt or missing frames in a row mean no frames."""
        if self._closed:
            raise DeviceUnavailable(f"document camera {self._device} is closed")
        for _ in range(self.FRAME_RETRIES):
            if self._gone():
                self._state, self._detail = DeviceState.OFFLINE, "video device disappeared"
                raise DeviceUnavailable(f"document camera {self._device} disappeared")
            with self._lock:
                ok, frame = self._cap.read()
            if not ok or frame is None or frame.size == 0:
                continue
            try:
                image = _to_image(frame, max_side)
            except CorruptImage:
                log.warning("document camera %s sent a corrupt frame", self._device)
                continue
            self._state, self._detail = DeviceState.ONLINE, ""
            return image
        self._state, self._detail = DeviceState.HARDWARE_ERROR, "no frames"
        raise DeviceTimeout(f"document camera {self._device} returned no usable frame")

    def close(self) -> None:
        with self._lock:
            self._cap.release()
        self._closed = True
        self._state, self._detail = DeviceState.OFFLINE, "closed"


def _to_image(frame: np.ndarray, max_side: int | None) -> np.ndarray:
    """A frame from OpenCV: raw MJPEG bytes (one row) or an already decoded image."""
    if frame.ndim == 1 or (frame.ndim == 2 and frame.shape[0] == 1):
        return decode_image(frame.tobytes(), max_side=max_side)
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    return frame if max_side is None else fit_within(frame, max_side)


def open_docscan(url: str, *, simulators: Simulators | None = None) -> DocCamera:
    """Open the document camera named by ``url`` (see the module docstring); a ``sim://``
    camera's simulator is recorded in ``simulators``."""
    u = parse_url(url)
    p = u.params
    preview_width = int(p.get("preview_width", PREVIEW_WIDTH))
    if u.scheme == "v4l2":
        target = u.path or u.host
        device: str | int = int(target) if target.isdigit() else target
        w, h = p.get("width"), p.get("height")
        return V4l2Camera(
            device,
            width=int(w) if w else None,
            height=int(h) if h else None,
            fourcc=p.get("fourcc", "MJPG"),
            preview_width=preview_width,
        )
    if u.scheme == "file":
        return StillCamera(FolderSource(u.path), name=url, preview_width=preview_width)
    if u.scheme == "sim":
        sim = DocScanSimulator(
            seed=int(p.get("seed", "0")),
            scenario=p.get("scenario", "ok"),
            title=p.get("title", "居民户口簿"),
            size=(int(p.get("width", "2592")), int(p.get("height", "1944"))),
            preview_width=preview_width,
            landscape=p.get("landscape", "0") in ("1", "true", "yes"),
        )
        if simulators is not None:
            simulators.docscan = sim
        return StillCamera(sim, name=url, preview_width=preview_width)
    raise ValueError(f"unsupported document camera URL scheme {u.scheme!r} in {url!r}")
