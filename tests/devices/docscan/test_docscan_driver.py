"""Document cameras by URL: file://, sim:// and v4l2:// (through OpenCV)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.docscan import Problem, open_docscan, process_page
from devices.docscan.driver import V4l2Camera
from devices.simulation import Simulators
from devices.status import DeviceState, DeviceTimeout, DeviceUnavailable

SMALL = (1280, 960)


def write_stills(folder: Path, photo, n: int) -> list[np.ndarray]:
    images = []
    for i in range(n):
        img = np.ascontiguousarray(photo(i, size=SMALL).image)
        cv2.imwrite(str(folder / f"page{i:02d}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
        images.append(img)
    return images


def close_to(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and float(np.abs(a.astype(int) - b.astype(int)).mean()) < 3


def test_file_folder_cycles_in_name_order(tmp_path: Path, photo) -> None:
    images = write_stills(tmp_path, photo, 2)
    (tmp_path / "notes.txt").write_text("not an image")
    sims = Simulators()
    cam = open_docscan(f"file://{tmp_path}", simulators=sims)
    assert sims.docscan is None
    assert cam.status().device == DeviceState.ONLINE
    preview = cam.preview()
    assert max(preview.shape[:2]) <= 960
    got = [cam.capture() for _ in range(3)]
    assert close_to(got[0], images[0]) and close_to(got[1], images[1])
    assert close_to(got[2], images[0])  # cycles
    cam.close()
    assert cam.status().device == DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable):
        cam.capture()


def test_file_single_image_and_missing_path(tmp_path: Path, photo) -> None:
    write_stills(tmp_path, photo, 1)
    cam = open_docscan(f"file://{tmp_path / 'page00.jpg'}")
    assert process_page(cam.capture()).problems == ()
    with pytest.raises(DeviceUnavailable, match="no image file or folder"):
        open_docscan(f"file://{tmp_path / 'missing'}")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DeviceUnavailable, match="no images"):
        open_docscan(f"file://{empty}")


def test_file_still_removed_later_is_reported(tmp_path: Path, photo) -> None:
    write_stills(tmp_path, photo, 1)
    cam = open_docscan(f"file://{tmp_path}")
    (tmp_path / "page00.jpg").unlink()
    assert cam.status().device == DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable):
        cam.capture()


def test_sim_capture_is_full_size_and_preview_small() -> None:
    sims = Simulators()
    cam = open_docscan(
        "sim://docscan?seed=4&width=1600&height=1200&preview_width=640", simulators=sims
    )
    assert sims.docscan is not None
    assert cam.capture().shape == (1200, 1600, 3)
    assert cam.preview().shape == (480, 640, 3)
    assert cam.status().usable


def test_sim_set_next_lays_a_new_page(photo) -> None:
    sims = Simulators()
    cam = open_docscan(
        "sim://docscan?seed=2&width=1600&height=1200&scenario=no_page", simulators=sims
    )
    assert sims.docscan is not None
    assert process_page(cam.capture()).problems == (Problem.NO_PAGE,)
    sims.docscan.set_next("居民户口簿", "ok")
    assert sims.docscan.scene == ("居民户口簿", "ok")
    first = cam.capture()
    assert process_page(first).problems == ()
    sims.docscan.set_next("结婚证", "cutoff")
    assert Problem.CUT_OFF in process_page(cam.capture()).problems
    with pytest.raises(ValueError, match="unknown scenario"):
        sims.docscan.set_next("x", "upside_down")


def test_sim_scenario_in_url() -> None:
    cam = open_docscan("sim://docscan?seed=1&width=1600&height=1200&scenario=blurry")
    assert process_page(cam.capture()).problems == (Problem.BLURRY,)


def test_sim_unplugged_and_frozen_camera() -> None:
    sims = Simulators()
    cam = open_docscan("sim://docscan?width=640&height=480", simulators=sims)
    sim = sims.docscan
    assert sim is not None
    sim.unplug()
    assert cam.status().device == DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable):
        cam.capture()
    with pytest.raises(DeviceUnavailable):
        cam.preview()
    sim.replug()
    assert cam.status().device == DeviceState.ONLINE
    assert cam.preview().shape[1] == 640
    sim.stall()
    with pytest.raises(DeviceTimeout):
        cam.capture()
    status = cam.status()
    assert status.device == DeviceState.HARDWARE_ERROR and status.detail == "no frames"


def test_v4l2_missing_device_is_unavailable() -> None:
    with pytest.raises(DeviceUnavailable, match="/dev/video97"):
        open_docscan("v4l2:///dev/video97?width=2592&height=1944")


def image_sequence(folder: Path):
    """OpenCV's own image-sequence backend standing in for /dev/video0 (none here)."""
    pattern = str(folder / "page%02d.jpg")
    return lambda device, api: cv2.VideoCapture(pattern, cv2.CAP_IMAGES)


def test_v4l2_camera_over_a_real_opencv_capture(tmp_path: Path, photo) -> None:
    images = write_stills(tmp_path, photo, 4)
    cam = V4l2Camera("seq", width=1280, height=960, capture_factory=image_sequence(tmp_path))
    assert cam.status().device == DeviceState.ONLINE
    assert max(cam.preview().shape[:2]) == 960  # frame 0
    assert close_to(cam.capture(), images[2])  # frame 1 dropped as stale, frame 2 read
    with pytest.raises(DeviceTimeout, match="no usable frame"):
        cam.capture()  # frame 3 dropped, then the stream has run dry
    assert cam.status().device == DeviceState.HARDWARE_ERROR
    cam.close()
    assert cam.status().device == DeviceState.OFFLINE
    with pytest.raises(DeviceUnavailable, match="closed"):
        cam.preview()


def test_v4l2_capture_that_does_not_open(tmp_path: Path) -> None:
    factory = image_sequence(tmp_path)  # no files: OpenCV cannot open it
    with pytest.raises(DeviceUnavailable, match="cannot open video device"):
        V4l2Camera("seq", capture_factory=factory)
    with pytest.raises(ValueError, match="FOURCC"):
        V4l2Camera("seq", fourcc="MJPEG", capture_factory=factory)
