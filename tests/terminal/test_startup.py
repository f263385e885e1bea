"""Start-up refuses bad input with one clear line; a missing device does not stop it."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.status import DeviceState
from kiosk.settings import load_settings, with_overrides
from screens import fonts
from tests.support import ROOT
from tests.support.command import run_kiosk
from tests.support.kiosk import open_hardware


def test_bad_setting_names_file_and_key(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[session]\nidle_warning_s = 3\n", encoding="utf-8")
    done = run_kiosk("run", "--config", str(site))
    assert done.returncode == 2
    assert f"{site}: session.idle_warning_s: must be at least 20 seconds" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_catalogue_names_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.json"
    text = (ROOT / "config" / "catalogue.json").read_text(encoding="utf-8")
    bad.write_text(text.replace('"required": true', '"required": "yes"', 1), encoding="utf-8")
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\ncatalogue = "{bad}"\n', encoding="utf-8")
    done = run_kiosk("check-config", "--config", str(site))
    assert done.returncode == 2
    assert str(bad) in done.stderr and ".required" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_display_is_a_clear_message(tmp_path: Path) -> None:
    done = run_kiosk("run", state_dir=tmp_path)
    assert done.returncode == 2
    assert "no display" in done.stderr and "kiosk demo" in done.stderr


def test_no_chinese_font_stops_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "CANDIDATES", ("/nonexistent/font.ttc",))
    monkeypatch.setattr(fonts, "_fc_match", lambda: None)
    with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
        fonts.find_cjk_font()


def test_the_shipped_system_has_a_chinese_font() -> None:
    regular, bold = fonts.find_cjk_font()
    assert Path(regular).is_file() and Path(bold).is_file()


def test_missing_devices_are_recorded_and_the_rest_opens(tmp_path: Path) -> None:
    settings = with_overrides(
        load_settings(),
        paths={"state_dir": str(tmp_path)},
        devices={"idcard": "serial:///dev/does-not-exist", "printer": "tcp://127.0.0.1:9"},
    )
    hardware, _sims = open_hardware(settings)
    try:
        statuses = hardware.statuses()
        assert statuses["idcard"].device is DeviceState.NO_DEVICE
        assert statuses["printer"].device is DeviceState.NO_DEVICE
        assert "printer" in hardware.problems
        assert statuses["docscan"].device is DeviceState.ONLINE
    finally:
        hardware.close()
