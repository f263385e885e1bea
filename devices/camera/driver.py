"""The camera: capture on its own thread, the latest frame always at hand.

One thread reads the source as fast as it delivers and keeps only the newest frame;
older unread frames are dropped, so a slow reader (the QR decoder, the screen) always
works on what is in front of the camera now, never on a queue of the past. Readers
take the latest frame (:meth:`Camera.latest`), wait for the next one
(:meth:`Camera.next_frame`), a screen-sized copy (:meth:`Camera.preview`) or a
full-resolution still taken after the request (:meth:`Camera.still`).

Faults are states, not crashes: a source that cannot be opened or disappears makes the
camera ``offline``; one that stops delivering frames for ``stall_after`` seconds makes it
``hardwareError`` and is reopened (a UVC camera often recovers so). The thread keeps
trying every ``retry_every`` seconds and the camera is ``online`` again with its first
new frame. :meth:`Camera.step` is one turn of the loop, so tests drive it on an
injected clock without a thread and without sleeping.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from devices.camera.sources import FrameSource
from devices.docscan.codec import fit_within
from devices.status import DeviceState, DeviceStatus, DeviceTimeout, DeviceUnavailable

log = logging.getLogger(__name__)

Clock = Callable[[], float]
PREVIEW_WIDTH = 640
STALL_AFTER = 2.0  # seconds without a frame before the camera is declared stalled
RETRY_EVERY = 1.0  # seconds between attempts to (re)open the source
IDLE_WAIT = 0.005  # seconds between reads of a source that had no frame


@dc.dataclass(frozen=True, eq=False)
class Frame:
    """A captured frame: read-only BGR ``image``, sequence number ``seq``, clock time ``at``."""

    image: np.ndarray
    seq: int
    at: float


class Camera:
    """A camera over a :class:`~devices.camera.sources.FrameSource`; see the module doc."""

    def __init__(
        self,
        opener: Callable[[], FrameSource],
        *,
        name: str,
        preview_width: int = PREVIEW_WIDTH,
        stall_after: float = STALL_AFTER,
        retry_every: float = RETRY_EVERY,
        clock: Clock = time.monotonic,
        on_status: Callable[[DeviceStatus], None] | None = None,
    ) -> None:
        self.name = name
        self.preview_width = preview_width
        self.stall_after = stall_after
        self.retry_every = retry_every
        self.frames_captured = 0
        self.frames_dropped = 0
        self._opener = opener
        self._clock = clock
        self._on_status = on_status
        self._source: FrameSource | None = None
        self._retry_at = 0.0
        self._last_frame_at = clock()
        self._state, self._detail = DeviceState.STARTING, ""
        self._latest: Frame | None = None
        self._seq = 0  # the next frame's number: never reused, not even after a stop
        self._taken = True  # whether the latest frame was handed out
        self._preview: tuple[int, np.ndarray] | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    # ---- the capture loop ----

    def start(self) -> Camera:
        """Start (or resume) the capture thread; returns the camera."""
        if self._closed:
            raise DeviceUnavailable(f"camera {self.name} is closed")
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"camera {self.name}", daemon=True
            )
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.step()
            except Exception:  # keep capturing whatever happens
                log.exception("camera %s: capture step failed", self.name)
                wait = self.retry_every
            if wait > 0:
                self._stop.wait(wait)

    def step(self) -> float:
        """One turn: open if needed, read one frame, judge stalls; seconds to wait next."""
        now = self._clock()
        if self._source is None:
            if now < self._retry_at:
                return self._retry_at - now
            if not self._open(now):
                return self.retry_every
        assert self._source is not None
        try:
            image = self._source.read()
        except DeviceUnavailable as exc:
            self._drop_source(now, DeviceState.OFFLINE, str(exc.detail or exc))
            return 0.0
        except Exception as exc:  # OpenCV raises cv2.error on a broken stream
            log.warning("camera %s: read failed: %s", self.name, type(exc).__name__)
            image = None
        if image is None:
            if now - self._last_frame_at >= self.stall_after:
                self._drop_source(now, DeviceState.HARDWARE_ERROR, "no frames")
                return self.retry_every
            return IDLE_WAIT
        self._publish(image, now)
        fps = self._source.fps if self._source is not None else 0.0
        return max(0.0, 1.0 / fps - (self._clock() - now)) if fps > 0 else 0.0

    def _open(self, now: float) -> bool:
        try:
            self._source = self._opener()
        except DeviceUnavailable as exc:
            self._set_state(DeviceState.OFFLINE, str(exc.detail or exc))
            self._retry_at = now + self.retry_every
            return False
        except Exception as exc:  # a driver error while opening: try again later
            self._set_state(DeviceState.HARDWARE_ERROR, f"cannot open: {type(exc).__name__}")
            self._retry_at = now + self.retry_every
            return False
        self._last_frame_at = now
        log.info("camera %s: source opened", self.name)
        return True

    def _drop_source(self, now: float, state: DeviceState, detail: str) -> None:
        source, self._source = self._source, None
        if source is not None:
            try:
                source.close()
            except Exception:  # closing a vanished device may fail; it is gone anyway
                log.debug("camera %s: close failed", self.name)
        self._retry_at = now + self.retry_every
        self._last_frame_at = now
        self._set_state(state, detail)

    def _publish(self, image: np.ndarray, now: float) -> None:
        image.flags.writeable = False
        with self._cond:
            if not self._taken:
                self.frames_dropped += 1
            self._latest = Frame(image, self._seq, now)
            self._seq += 1
            self._taken = False
            self.frames_captured += 1
            self._cond.notify_all()
        self._last_frame_at = now
        self._set_state(DeviceState.ONLINE, "")

    def _set_state(self, state: DeviceState, detail: str) -> None:
        if (state, detail) == (self._state, self._detail):
            return
        self._state, self._detail = state, detail
        log.info("camera %s: %s %s", self.name, state, detail)
        if self._on_status is not None:
            try:
                self._on_status(self.status())
            except Exception as exc:  # the listener's bug must not stop the capture
                log.error("camera %s: status listener raised %s", self.name, type(exc).__name__)

    # ---- readers ----

    def latest(self) -> Frame | None:
        """The newest frame, or ``None`` before the first one."""
        with self._cond:
            self._taken = True
            return self._latest

    def next_frame(self, after: int = -1, timeout: float = 2.0) -> Frame:
        """The newest frame with ``seq > after``, waiting up to ``timeout`` seconds for it.

        Raises :class:`DeviceUnavailable` when the camera is offline or closed and
        :class:`DeviceTimeout` when no such frame comes in time.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._latest is None or self._latest.seq <= after:
                if self._closed:
                    raise DeviceUnavailable(f"camera {self.name} is closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    if self._state is DeviceState.OFFLINE:
                        raise DeviceUnavailable(f"camera {self.name} is offline: {self._detail}")
                    raise DeviceTimeout(f"camera {self.name} delivered no new frame")
                self._cond.wait(left)
            self._taken = True
            return self._latest

    def preview(self) -> np.ndarray | None:
        """The newest frame shrunk to ``preview_width`` (cached per frame), or ``None``."""
        frame = self.latest()
        if frame is None:
            return None
        cached = self._preview
        if cached is not None and cached[0] == frame.seq:
            return cached[1]
        small = fit_within(frame.image, self.preview_width)
        self._preview = (frame.seq, small)
        return small

    def still(self, timeout: float = 2.0) -> np.ndarray:
        """A full-resolution frame captured after this call (not one already waiting)."""
        current = self._latest.seq if self._latest is not None else -1
        return self.next_frame(after=current, timeout=timeout).image

    def status(self) -> DeviceStatus:
        return DeviceStatus(
            device=self._state,
            detail=self._detail,
            vendor={
                "source": self.name,
                "frames": self.frames_captured,
                "dropped": self.frames_dropped,
            },
        )

    def stop(self, timeout: float = 5.0) -> None:
        """Pause: stop the thread and release the device (a live camera costs CPU and
        USB bandwidth) until :meth:`start`. The status keeps its last known state; the
        last frame is dropped (it may show a citizen's paper: no later reader sees it)."""
        self._halt(timeout)
        with self._cond:
            self._latest, self._preview = None, None
        source, self._source = self._source, None
        if source is not None:
            try:
                source.close()
            except Exception:  # the device may be gone; it is released either way
                log.debug("camera %s: close failed", self.name)

    def close(self, timeout: float = 5.0) -> None:
        """Stop for good and release the source; readers waiting get DeviceUnavailable."""
        self._closed = True
        self._halt(timeout)
        if self._source is not None:
            self._drop_source(self._clock(), DeviceState.OFFLINE, "closed")
        else:
            self._set_state(DeviceState.OFFLINE, "closed")

    def _halt(self, timeout: float) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
