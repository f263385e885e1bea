"""Settings: typed, validated, and a bad value names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import SettingsError, load_settings, with_overrides


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load_and_are_typed() -> None:
    s = load_settings()
    assert s.ui.language == "zh_CN"
    assert isinstance(s.session.idle_timeout_s, int)
    assert s.session.idle_warning_s >= 20
    assert s.devices.printer.startswith("sim://")


def test_site_file_overrides_a_key(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, '[site]\nstation_name = "东湖村便民服务站"\n'))
    assert s.site.station_name == "东湖村便民服务站"
    assert s.site.region_code == load_settings().site.region_code


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[session]\nidle_warning_s = 5\n", "session.idle_warning_s", "at least 20"),
        ('[session]\nidle_timeout_s = "long"\n', "session.idle_timeout_s", "must be int"),
        ("[ui]\nfullscreen = 1\n", "ui.fullscreen", "must be bool"),
        ('[ui]\nlanguage = "fr"\n', "ui.language", "one of"),
        ("[ui]\ncolour = 1\n", "ui.colour", "unknown key"),
        ("[printer]\nx = 1\n", "printer", "unknown section"),
        ('[site]\nregion_code = "1101"\n', "site.region_code", "12-digit"),
        ('[devices]\nprinter = "lpt1"\n', "devices.printer", "device URL"),
        ('[platform]\nurl = "ftp://x"\n', "platform.url", "http"),
        ("[site]\npopular = [1, 2]\n", "site.popular[0]", "must be str"),
        ("[session\n", "-", "not valid TOML"),
    ],
)
def test_bad_values_name_file_key_and_problem(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert info.value.key == key
    assert info.value.file == str(path)
    assert words in info.value.problem
    assert str(path) in str(info.value)


def test_missing_site_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="file not found"):
        load_settings(tmp_path / "nope.toml")


def test_with_overrides_replaces_only_given_keys() -> None:
    s = with_overrides(load_settings(), ui={"fullscreen": False})
    assert s.ui.fullscreen is False
    assert s.ui.language == "zh_CN"


def test_state_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path))
    assert load_settings().state_dir == tmp_path


def test_camera_and_qr_backend_settings(tmp_path: Path) -> None:
    from devices.qr import BACKENDS
    from kiosk.settings import QR_BACKENDS

    assert QR_BACKENDS == BACKENDS
    s = load_settings()
    assert s.devices.camera.startswith("sim://") and s.devices.qr_backend == "zxing"
    site = tmp_path / "site.toml"
    site.write_text('[devices]\nqr_backend = "opencv"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"devices\.qr_backend"):
        load_settings(site)
    site.write_text('[devices]\ncamera = "/dev/video0"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"devices\.camera"):
        load_settings(site)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('hours = "1:00-5:00"', "updates.hours"),
        ('hours = "01:00-01:00"', "updates.hours"),
        ('hours = "25:00-05:00"', "updates.hours"),
        ("download_kbps = 0", "updates.download_kbps"),
        ("prove_within_s = 5", "updates.prove_within_s"),
    ],
)
def test_update_settings_are_checked(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, f"[updates]\n{text}\n"))
    assert err.value.key == key


def test_update_hours_may_pass_midnight_or_be_any_time(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, '[updates]\nhours = "22:30-04:00"\n')).updates.hours
    assert load_settings(write(tmp_path, '[updates]\nhours = ""\n')).updates.hours == ""
    assert load_settings().updates.hours == "01:00-05:00"
