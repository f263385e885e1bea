"""Cameras by URL on a real capture thread: sim://, file:// (video, folder), v4l2://."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import cv2
import numpy as np
import pytest

from devices.camera import open_camera
from devices.camera.sources import OpenCvSource
from devices.qr import open_reader
from devices.simulation import Simulators
from devices.status import DeviceState, DeviceUnavailable


def eventually(check, timeout: float = 10.0) -> bool:
    """Poll ``check`` until true; for state that another thread changes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_sim_camera_shows_a_code_given_at_run_time() -> None:
    sims = Simulators()
    cam = open_camera(
        f"sim://camera?qr={quote('王芳')}&blur=0.8&tilt=20&noise=3", start=True, simulators=sims
    )
    reader = open_reader()
    try:
        assert [c.text for c in reader.read(cam.next_frame(timeout=10).image)] == ["王芳"]
        sims.camera.show("居民户口簿", encoding="gbk", module_px=4.0)
        assert [c.text for c in reader.read(cam.still(timeout=10))] == ["居民户口簿"]
        sims.camera.hide()
        reader.track.clear()
        assert reader.read(cam.still(timeout=10)) == []
        preview = cam.preview()
        assert preview is not None and preview.shape == (360, 640, 3)
    finally:
        cam.close()


def test_sim_camera_unplugged_and_frozen_recovers() -> None:
    sims = Simulators()
    cam = open_camera("sim://camera?width=320&height=240", start=True, simulators=sims)
    cam.retry_every, cam.stall_after = 0.05, 0.3
    sim = sims.camera
    try:
        cam.next_frame(timeout=10)
        sim.unplug()
        assert eventually(lambda: cam.status().device == DeviceState.OFFLINE)
        sim.replug()
        assert eventually(lambda: cam.status().device == DeviceState.ONLINE)
        sim.stall()
        assert eventually(lambda: cam.status().device == DeviceState.HARDWARE_ERROR)
        sim.replug()
        seq = cam.next_frame(timeout=10).seq
        assert cam.next_frame(after=seq, timeout=10).seq > seq
        assert cam.status().device == DeviceState.ONLINE
    finally:
        cam.close()


def test_sim_refuses_a_payload_too_big_for_a_code() -> None:
    sims = Simulators()
    open_camera("sim://camera", simulators=sims)
    with pytest.raises(ValueError):
        sims.camera.show("王" * 2000)


def test_folder_of_images_loops_and_skips_broken_files(tmp_path: Path) -> None:
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"f{i}.png"), np.full((60, 80, 3), 50 * (i + 1), np.uint8))
    (tmp_path / "f1b.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    cam = open_camera(f"file://{tmp_path}?fps=200", start=True)
    try:
        seen: list[int] = []
        seq = -1
        while len(seen) < 6:
            frame = cam.next_frame(after=seq, timeout=10)
            seq = frame.seq
            seen.append(int(frame.image[0, 0, 0]))
        assert set(seen) == {50, 100, 150}  # the broken file is skipped
    finally:
        cam.close()


def test_folder_whose_images_vanish_goes_offline(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "only.png"), np.zeros((40, 40, 3), np.uint8))
    cam = open_camera(f"file://{tmp_path}?fps=100", start=True)
    cam.retry_every = 0.05
    try:
        cam.next_frame(timeout=10)
        (tmp_path / "only.png").unlink()
        assert eventually(lambda: cam.status().device == DeviceState.OFFLINE)
        assert "only.png" in cam.status().detail or "no images" in cam.status().detail
    finally:
        cam.close()


def test_video_file_plays_and_loops(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 25, (64, 48))
    for i in range(4):
        writer.write(np.full((48, 64, 3), 40 + 60 * i, np.uint8))
    writer.release()
    cam = open_camera(f"file://{path}?fps=500", start=True)
    try:
        levels, seq = [], -1
        while len(levels) < 9:
            frame = cam.next_frame(after=seq, timeout=10)
            seq = frame.seq
            levels.append(int(frame.image[24, 32].mean()))
        assert len({round(v / 30) for v in levels}) == 4  # all four frames, again and again
        assert cam.frames_captured >= 9
    finally:
        cam.close()


def test_missing_targets_leave_the_camera_offline(tmp_path: Path) -> None:
    for url in (f"file://{tmp_path}/none.mp4", "v4l2:///dev/video99", f"file://{tmp_path}/x/"):
        cam = open_camera(url)
        cam.step()
        assert cam.status().device == DeviceState.OFFLINE, url
        with pytest.raises(DeviceUnavailable):
            cam.next_frame(timeout=0)


def test_v4l2_source_over_a_real_opencv_capture(tmp_path: Path) -> None:
    """OpenCV's image-sequence backend standing in for /dev/video0 (none here)."""
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"img{i:02d}.png"), np.full((48, 64, 3), 10 + i, np.uint8))

    def factory(target, api):
        return cv2.VideoCapture(str(tmp_path / "img%02d.png"), cv2.CAP_IMAGES)

    src = OpenCvSource("seq", live=True, width=64, height=48, capture_factory=factory)
    assert src.fps == 0.0
    frames = [src.read() for _ in range(4)]
    assert [int(f[0, 0, 0]) for f in frames[:3] if f is not None] == [10, 11, 12]
    assert frames[3] is None  # a live source that ran dry: no frame, not an error
    src.close()
    with pytest.raises(ValueError, match="FOURCC"):
        OpenCvSource("seq", live=True, fourcc="MJPEG", capture_factory=factory)


def test_a_stopped_camera_releases_the_device_and_resumes() -> None:
    cam = open_camera("sim://camera?width=320&height=240", start=True)
    try:
        seq = cam.next_frame(timeout=10).seq
        cam.stop()
        assert cam._thread is None and cam._source is None  # nothing reads the device now
        assert cam.status().device == DeviceState.ONLINE  # its last known state
        cam.start()
        assert cam.next_frame(after=seq, timeout=10).seq > seq
    finally:
        cam.close()
    with pytest.raises(DeviceUnavailable, match="closed"):
        cam.start()


def test_the_simulator_replays_a_face_clip_and_a_code_held_up_replaces_it() -> None:
    # Regression: a face clip left playing after 资格认证 hid the code the next journey
    # held up (the 办件查询 scan never saw its look-alike).
    import numpy as np

    from devices.camera.simulator import CameraSimulator

    sim = CameraSimulator(size=(640, 480))
    clip = [np.full((480, 640, 3), v, np.uint8) for v in (10, 20, 30)]
    sim.play(clip)
    assert [int(sim.frame()[0, 0, 0]) for _ in range(4)] == [10, 20, 30, 10]  # it loops
    sim.show("LS-demo-0001-20260101-0001")
    assert sim.playing is False and all(sim.frame() is not c for c in clip)
    sim.play(clip)
    sim.hide()
    assert sim.playing is False
    with pytest.raises(ValueError):
        sim.play([])
