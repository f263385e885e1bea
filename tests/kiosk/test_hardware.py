"""The kiosk's hardware opens the QR camera from settings and reports it with the others."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from kiosk.settings import load_settings, with_overrides
from tests.support.kiosk import open_hardware


def test_hardware_opens_the_camera_stopped_and_reports_it(tmp_path: Path) -> None:
    settings = with_overrides(
        load_settings(),
        paths={"state_dir": str(tmp_path)},
        devices={"camera": f"sim://camera?qr={quote('王芳')}", "qr_backend": "zbar"},
    )
    hw, _sims = open_hardware(settings)
    try:
        assert hw.camera is not None and "camera" not in hw.problems
        assert hw.statuses()["camera"].device == "starting"  # not capturing until asked
        frame = hw.camera.start().next_frame(timeout=10)
        reader = hw.qr_reader()
        assert reader.backend.name == "zbar"
        assert [c.text for c in reader.read(frame.image)] == ["王芳"]
        assert hw.statuses()["camera"].device == "online"
    finally:
        hw.close()
    assert hw.statuses()["camera"].device == "offline"


def test_a_bad_camera_url_is_a_recorded_problem_not_a_crash(tmp_path: Path) -> None:
    settings = with_overrides(
        load_settings(), paths={"state_dir": str(tmp_path)}, devices={"camera": "v4l2://x?width=w"}
    )
    hw, _sims = open_hardware(settings)
    try:
        assert hw.camera is None and "whole number" in hw.problems["camera"]
        assert hw.statuses()["camera"].device == "noDevice"
    finally:
        hw.close()
