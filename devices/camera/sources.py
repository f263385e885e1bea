"""Where frames come from: a V4L2 camera or a video file through OpenCV, or a folder.

A source is opened, read frame by frame, and closed, all on the capture thread
(:class:`~devices.camera.driver.Camera`). ``read`` returns a BGR frame, ``None`` when no
frame came this time (a camera between frames, a stalled device), and raises
:class:`~devices.status.DeviceUnavailable` when the device is gone; the capture thread
then reopens it until it returns. ``fps`` is the pace a source should be read at when
reading does not block by itself (files and folders); 0 for live cameras.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from devices.docscan.codec import decode_image, still_files
from devices.docscan.page import CorruptImage
from devices.status import DeviceUnavailable

log = logging.getLogger(__name__)

CaptureFactory = Callable[..., Any]  # cv2.VideoCapture's signature


class FrameSource(Protocol):
    name: str
    fps: float  # 0: reading blocks until the next frame by itself

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


class OpenCvSource:
    """A V4L2 device (``/dev/video0`` or an index) or a video file, through OpenCV.

    A live camera asks for MJPEG at the requested size (YUYV cannot carry 1080p over
    USB 2.0, research/devices.md §5) and a one-frame driver buffer, so what is read is
    recent. A video file plays at its own frame rate and loops.
    """

    def __init__(
        self,
        target: str | int,
        *,
        live: bool,
        width: int | None = None,
        height: int | None = None,
        fourcc: str = "MJPG",
        fps: float | None = None,
        capture_factory: CaptureFactory | None = None,
    ) -> None:
        self.name = str(target)
        self._target = target
        self._live = live
        if capture_factory is None:
            if isinstance(target, str) and not os.path.exists(target):
                what = "video device" if live else "video file"
                raise DeviceUnavailable(f"no {what} at {target}")
            capture_factory = cv2.VideoCapture
        api = cv2.CAP_V4L2 if live else cv2.CAP_ANY
        self._cap = capture_factory(target, api)
        if not self._cap.isOpened():
            raise DeviceUnavailable(f"cannot open {self.name}: busy, no permission, or not video")
        if live:
            if len(fourcc) != 4:
                raise ValueError(f"a FOURCC has four characters, not {fourcc!r}")
            self._cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*fourcc))
            if width and height:
                self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
                self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            self._cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        file_fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = 0.0 if live else (fps or (file_fps if 1 <= file_fps <= 120 else 25.0))

    def read(self) -> np.ndarray | None:
        if self._gone():
            raise DeviceUnavailable(f"video device {self._target} disappeared")
        ok, frame = self._cap.read()
        if not ok and not self._live:  # end of the file: play it again
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None or frame.size == 0:
            return None
        return frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)

    def _gone(self) -> bool:
        """Whether a live camera's device node vanished (unplugged)."""
        dev = self._target
        return (
            self._live
            and isinstance(dev, str)
            and dev.startswith("/dev/")
            and not os.path.exists(dev)
        )

    def close(self) -> None:
        self._cap.release()


class FolderSource:
    """Every image in a folder (or one image file), in name order, looping, at ``fps``."""

    def __init__(self, path: str, *, fps: float = 5.0) -> None:
        self.name = str(Path(path))
        self.fps = fps
        self._files = still_files(path)
        self._next = 0

    def read(self) -> np.ndarray | None:
        path = self._files[self._next]
        self._next = (self._next + 1) % len(self._files)
        try:
            return decode_image(path.read_bytes())
        except FileNotFoundError as exc:
            raise DeviceUnavailable(f"image {path.name} is gone") from exc
        except (OSError, CorruptImage) as exc:
            log.warning("camera folder: skipping unreadable image %s (%s)", path.name, exc)
            return None

    def close(self) -> None:
        pass


VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg")


def open_file_source(path: str, fps: float | None = None) -> FrameSource:
    """A video file, an image file or a folder of images, by what is at ``path``."""
    p = Path(path)
    if p.suffix.lower() in VIDEO_SUFFIXES:
        return OpenCvSource(path, live=False, fps=fps)
    return FolderSource(path, fps=fps or 5.0)
