"""The capture loop on an injected clock: newest frame only, faults reported and recovered."""

from __future__ import annotations

import numpy as np
import pytest

from devices.camera import Camera
from devices.status import DeviceState, DeviceStatus, DeviceTimeout, DeviceUnavailable
from tests.support import FakeClock


class Device:
    """A camera on a cable: frames on demand, unpluggable, freezable."""

    def __init__(self) -> None:
        self.plugged = True
        self.frozen = False
        self.count = 0
        self.opened = 0
        self.closed = 0

    def open(self) -> Device.Source:
        if not self.plugged:
            raise DeviceUnavailable("no video device at /dev/video0")
        self.opened += 1
        return Device.Source(self)

    class Source:
        name = "fake"
        fps = 0.0

        def __init__(self, dev: Device) -> None:
            self.dev = dev

        def read(self) -> np.ndarray | None:
            if not self.dev.plugged:
                raise DeviceUnavailable("video device /dev/video0 disappeared")
            if self.dev.frozen:
                return None
            self.dev.count += 1
            return np.full((480, 640, 3), self.dev.count % 256, np.uint8)

        def close(self) -> None:
            self.dev.closed += 1


def make(**kw) -> tuple[Camera, Device, FakeClock, list[DeviceStatus]]:
    dev, clock, seen = Device(), FakeClock(100.0), []
    cam = Camera(dev.open, name="fake", clock=clock, on_status=seen.append, **kw)
    return cam, dev, clock, seen


def test_frames_are_numbered_and_only_the_newest_is_kept() -> None:
    cam, _dev, _clock, _ = make()
    assert cam.latest() is None and cam.status().device == DeviceState.STARTING
    for _ in range(5):
        cam.step()
    frame = cam.latest()
    assert frame is not None and frame.seq == 4 and frame.image[0, 0, 0] == 5
    assert cam.frames_captured == 5 and cam.frames_dropped == 4  # four never handed out
    assert not frame.image.flags.writeable  # shared with every reader: nobody may draw
    cam.step()
    assert cam.next_frame(after=4, timeout=0).seq == 5
    assert cam.status().device == DeviceState.ONLINE


def test_a_stopped_camera_keeps_no_frame_and_never_reuses_a_number() -> None:
    """The last frame may show a citizen's paper: after a stop no reader gets it."""
    cam, *_ = make()
    for _ in range(3):
        cam.step()
    assert cam.latest() is not None and cam.preview() is not None
    cam.stop()
    assert cam.latest() is None and cam.preview() is None
    with pytest.raises(DeviceTimeout):
        cam.next_frame(after=-1, timeout=0)
    cam.step()  # the next frame after a resume
    frame = cam.latest()
    assert frame is not None and frame.seq == 3  # a reader waiting for seq > 2 sees it


def test_preview_is_small_and_cached_per_frame() -> None:
    cam, *_ = make(preview_width=320)
    assert cam.preview() is None
    cam.step()
    small = cam.preview()
    assert small is not None and small.shape == (240, 320, 3)
    assert cam.preview() is small
    cam.step()
    assert cam.preview() is not small


def test_unplugged_camera_goes_offline_and_comes_back() -> None:
    cam, dev, clock, seen = make(retry_every=1.0)
    cam.step()
    dev.plugged = False
    assert cam.step() == 0.0  # the read failed: the source is dropped at once
    assert cam.status().device == DeviceState.OFFLINE
    assert "disappeared" in cam.status().detail and dev.closed == 1
    assert cam.step() == pytest.approx(1.0)  # waits before trying to reopen
    clock.now += 1.0
    cam.step()  # reopening fails: still offline, detail from the opener
    assert cam.status().device == DeviceState.OFFLINE
    assert "no video device" in cam.status().detail
    dev.plugged = True
    clock.now += 1.0
    cam.step()
    assert cam.status().device == DeviceState.ONLINE and dev.opened == 2
    assert [s.device for s in seen] == ["online", "offline", "offline", "online"]


def test_frozen_camera_is_a_hardware_error_and_is_reopened() -> None:
    cam, dev, clock, _ = make(stall_after=2.0, retry_every=1.0)
    cam.step()
    dev.frozen = True
    clock.now += 1.0
    assert cam.step() > 0  # no frame yet, not long enough to worry
    assert cam.status().device == DeviceState.ONLINE
    clock.now += 1.5
    cam.step()
    assert cam.status().device == DeviceState.HARDWARE_ERROR
    assert cam.status().detail == "no frames" and dev.closed == 1
    clock.now += 1.0
    dev.frozen = False
    cam.step()
    assert dev.opened == 2 and cam.status().device == DeviceState.ONLINE


def test_a_broken_read_counts_as_no_frame() -> None:
    cam, _dev, clock, _ = make(stall_after=1.0)

    def explode() -> None:
        raise RuntimeError("cv2.error: broken stream")

    cam.step()
    cam._source.read = explode  # type: ignore[union-attr,method-assign]
    clock.now += 2.0
    cam.step()
    assert cam.status().device == DeviceState.HARDWARE_ERROR


def test_a_failing_status_listener_does_not_stop_capture() -> None:
    dev, clock = Device(), FakeClock(100.0)

    def bad(status: DeviceStatus) -> None:
        raise RuntimeError("screen bug")

    cam = Camera(dev.open, name="fake", clock=clock, on_status=bad)
    cam.step()
    assert cam.latest() is not None


def test_waiting_for_a_frame_that_does_not_come() -> None:
    cam, dev, _clock, _ = make()

    with pytest.raises(DeviceTimeout):
        cam.next_frame(timeout=0)
    dev.plugged = False
    cam.step()
    with pytest.raises(DeviceUnavailable, match="offline"):
        cam.next_frame(timeout=0)
    cam.close()
    with pytest.raises(DeviceUnavailable, match="closed"):
        cam.next_frame(timeout=0)
    assert cam.status().device == DeviceState.OFFLINE
