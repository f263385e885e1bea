"""``kiosk install-service`` into a folder standing for a machine's root, and back out;
the systemd notify protocol on a real datagram socket."""

from __future__ import annotations

import configparser
import os
import shlex
import socket
from pathlib import Path

import pytest

from terminal.system import files, install, plan, uninstall, watchdog
from tests.support.command import run_kiosk


def unit_of(root: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(root / "etc/systemd/system/bianmin-kiosk.service", encoding="utf-8")
    return parser


def test_install_writes_a_unit_that_restarts_fast_and_watches_the_ui(tmp_path: Path) -> None:
    done = run_kiosk("install-service", "--root", str(tmp_path), "--config", "config/defaults.toml")
    assert done.returncode == 0, done.stderr
    service = unit_of(tmp_path)["Service"]
    assert service["Restart"] == "always" and int(service["RestartSec"]) <= 5
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    assert service["User"] == "kiosk" and service["TTYPath"] == "/dev/tty1"
    assert "-nolisten tcp" in service["ExecStart"]
    session = (tmp_path / "usr/local/lib/bianmin-kiosk/session").read_text()
    assert session.rstrip().endswith("exec /opt/bianmin-kiosk/launch")
    assert os.access(tmp_path / "usr/local/lib/bianmin-kiosk/session", os.X_OK)
    # the unit starts whatever version `current` names (terminal/updater/layout.py)
    launch = (tmp_path / "opt/bianmin-kiosk/launch").read_text()
    assert "$root/current" in launch and "-m terminal.cli run" in launch
    apps = tmp_path / "opt/bianmin-kiosk"
    assert os.readlink(apps / "current") == os.readlink(apps / "good") == "versions/0.1.0"
    assert (apps / "versions/0.1.0/venv/bin/python").exists()  # this environment, adopted
    updater = configparser.ConfigParser(strict=False, interpolation=None)
    updater.read(tmp_path / "etc/systemd/system/bianmin-kiosk-updater.service")
    assert updater["Service"]["ExecStart"] == "/opt/bianmin-kiosk/launch-updater"
    assert "$root/good" in (apps / "launch-updater").read_text()
    xorg = (tmp_path / "etc/X11/xorg.conf.d/90-bianmin-kiosk.conf").read_text()
    assert '"DontVTSwitch" "true"' in xorg and '"DontZap" "true"' in xorg
    assert (tmp_path / "var/lib/bianmin-kiosk").is_dir()


def test_uninstall_removes_exactly_what_was_written_and_keeps_the_data(tmp_path: Path) -> None:
    p = plan(root=tmp_path, kiosk="/opt/kiosk/bin/kiosk")
    written = install(p, create_user=False, enable=False)
    queued = tmp_path / "var/lib/bianmin-kiosk/outbox.sqlite3"
    queued.write_bytes(b"queued applications")
    assert sorted(uninstall(tmp_path, disable=False)) == sorted(written)
    assert not any((tmp_path / rel).exists() for rel in written)
    assert queued.read_bytes() == b"queued applications"
    with pytest.raises(FileNotFoundError, match="not installed"):
        uninstall(tmp_path, disable=False)


def test_uninstall_without_install_is_a_clear_error(tmp_path: Path) -> None:
    done = run_kiosk("uninstall-service", "--root", str(tmp_path))
    assert done.returncode == 1 and "not installed" in done.stderr


@pytest.mark.parametrize("user", ["root", "a b", ""])
def test_unusable_user_names_are_refused(user: str) -> None:
    with pytest.raises(ValueError):
        plan(user=user, kiosk="kiosk")


def test_notify_reaches_systemd_socket(tmp_path: Path) -> None:
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        server.settimeout(5)
        assert watchdog.notify("READY=1", {"NOTIFY_SOCKET": str(path)})
        assert server.recv(64) == b"READY=1"


def test_notify_without_systemd_or_with_a_dead_socket_is_harmless(tmp_path: Path) -> None:
    assert watchdog.notify("WATCHDOG=1", {}) is False
    assert watchdog.notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone")}) is False


def test_ping_interval_is_half_the_watchdog() -> None:
    assert watchdog.ping_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog.ping_interval({}) == 5.0
    assert watchdog.ping_interval({"WATCHDOG_USEC": "junk"}) == 5.0


def _environment(unit_text: str) -> dict[str, str]:
    """The unit's Environment= assignments as systemd reads them: one double-quoted word
    each, backslash escapes, ``%%`` for a percent sign (systemd.syntax(7))."""
    found = {}
    for line in unit_text.splitlines():
        if line.startswith("Environment="):
            (word,) = shlex.split(line.removeprefix("Environment="))
            name, _, value = word.replace("%%", "%").partition("=")
            found[name] = value
    return found


def test_environment_values_are_quoted_so_a_space_does_not_split_them() -> None:
    # issue 15: Environment= values were not quoted, so a state directory with a space
    # broke the unit
    state, config = "/srv/便民 kiosk/state 100%", '/etc/bianmin "site".toml'
    for text in (
        files.unit(
            user="kiosk", session="/usr/local/lib/b k/session", state_dir=state, config=config
        ),
        files.updater_unit(state_dir=state, config=config, launch="/opt/b k/launch"),
    ):
        assert _environment(text) == {"KIOSK_STATE_DIR": state, "PYTHONUNBUFFERED": "1",
                                      "KIOSK_CONFIG": config}  # fmt: skip
    assert 'ExecStart=/usr/bin/xinit "/usr/local/lib/b k/session" --' in files.unit(
        user="kiosk", session="/usr/local/lib/b k/session", state_dir=state, config=None
    )
    with pytest.raises(ValueError, match="control characters"):
        files.unit(user="kiosk", session="/s", state_dir="/a\nExecStartPre=/bin/evil",
                   config=None)  # fmt: skip
