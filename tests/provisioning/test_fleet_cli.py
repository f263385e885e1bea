"""The command lines, end to end: ``kiosk-fleet`` on the server's machine, ``kiosk enroll``
and ``kiosk agent`` on the kiosk, against a real server process."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from provisioning.server.cli import main as fleet_main
from terminal.cli import main as kiosk_main
from tests.support import ROOT


def run_fleet(
    capsys: pytest.CaptureFixture[str], data: Path, *argv: str, stdin: str = ""
) -> tuple[int, Any, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = fleet_main(["--data-dir", str(data), *argv])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    try:
        parsed = json.loads(out) if out.strip() else None
    except ValueError:
        parsed = out
    return code, parsed, err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """``kiosk-fleet serve`` as its own process on a free port; (data dir, URL)."""
    data = tmp_path / "fleet"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from provisioning.server.cli import main;"
         " sys.exit(main())", "--data-dir", str(data), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=log, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "listening on" in line, line + (tmp_path / "serve.log").read_text()
    url = line.split("listening on ")[1].split()[0]
    yield data, url
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    log.close()
    assert proc.returncode == 0  # a clean stop on SIGTERM


def kiosk(capsys: pytest.CaptureFixture[str], site: Path, *argv: str) -> tuple[int, Any, str]:
    code = kiosk_main([*argv, "--config", str(site)])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_from_a_fresh_server_to_an_enrolled_configured_kiosk(
    served: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, url = served
    for argv in (
        ("region", "add", "33", "--name", "浙江省", "--level", "province"),
        ("region", "add", "s-1", "--name", "某村便民服务站", "--level", "site", "--parent", "33"),
    ):
        assert run_fleet(capsys, data, *argv)[0] == 0
    code, added, _ = run_fleet(capsys, data, "admin", "add", "alice", "--role",
                               "province_admin", stdin="a long password\n")  # fmt: skip
    assert (code, added["role"]) == (0, "province_admin")
    code, made, _ = run_fleet(capsys, data, "--public-url", url, "pairing-code", "--site", "s-1")
    assert code == 0 and made["payload"].startswith("bmfleet://enroll?s=")

    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\nstate_dir = "{tmp_path / "kiosk"}"\n', encoding="utf-8")
    code, enrolled, _ = kiosk(capsys, site, "enroll", "--payload", made["payload"],
                              "--serial", "SN-42")  # fmt: skip
    assert (code, enrolled["status"]) == (0, "pending")
    code, listed, _ = run_fleet(capsys, data, "devices", "--pending", "--json")
    assert [d["serial"] for d in listed] == ["SN-42"]
    code, approved, _ = run_fleet(capsys, data, "approve", enrolled["device_id"], "--site", "s-1")
    assert approved["status"] == "accepted"

    layer = tmp_path / "layer.json"
    layer.write_text(json.dumps({"settings": {"session": {"idle_timeout_s": 200}}}),
                     encoding="utf-8")  # fmt: skip
    code, dry, _ = run_fleet(capsys, data, "push", "--site", "33", str(layer), "--dry-run")
    assert dry["pushed"] is None
    assert dry["preview"] == [
        {"site_id": "s-1", "changes": ["settings.session.idle_timeout_s: （默认） → 200"]}
    ]
    code, pushed, _ = run_fleet(capsys, data, "push", "--site", "33", str(layer))
    assert pushed["pushed"]["bundles"][0][0] == "s-1"

    code, report, _ = kiosk(capsys, site, "agent", "sync", "--once")
    assert code == 0, report
    assert (
        report["bundle"]["action"] == "staged"
        and report["applied"] == pushed["pushed"]["bundles"][0][1]
    )
    code, status, _ = kiosk(capsys, site, "agent", "status")
    assert (status["status"], status["config_version"]) == ("accepted", report["applied"])
    code, table, _ = run_fleet(capsys, data, "devices")
    assert "online" in table and "SN-42" in table


def test_bad_input_is_refused_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "fleet"
    code, _, err = run_fleet(capsys, data, "pairing-code", "--site", "nowhere")
    assert (code, err) == (1, "kiosk-fleet: unknown_region: no region nowhere\n")
    code, _, err = run_fleet(capsys, data, "admin", "add", "xavier", "--role", "province_admin",
                             stdin="short\n")  # fmt: skip
    assert code == 1 and "invalid_field: password: a password needs at least 10" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run_fleet(capsys, data, "push", "--site", "33", str(bad))
    assert code == 1 and err.startswith("kiosk-fleet: bad_file:")
    site = tmp_path / "site.toml"
    site.write_text(f'[paths]\nstate_dir = "{tmp_path / "kiosk"}"\n', encoding="utf-8")
    code, _, err = kiosk(capsys, site, "enroll", "--payload", "https://example/not-a-payload")
    assert code == 2 and "not a bmfleet://enroll string" in err
    code, _, err = kiosk(capsys, site, "agent", "sync", "--once")
    assert code == 1 and "not enrolled" in err
    code, _, err = kiosk(capsys, site, "enroll", "--server", "http://127.0.0.1:9", "--code",
                         "ABCD-EFGH", "--serial", "S")  # fmt: skip
    assert code == 1 and err.startswith("kiosk enroll: unreachable:")


def test_with_no_data_dir_the_key_goes_to_a_state_directory_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kiosk-fleet`` run in a checkout once left ``./fleet-data/signing.key`` there."""
    monkeypatch.delenv("FLEET_DATA_DIR", raising=False)
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "checkout"
    work.mkdir()
    monkeypatch.chdir(work)
    assert fleet_main(["region", "add", "33", "--name", "浙江省", "--level", "province"]) == 0
    capsys.readouterr()
    assert list(work.iterdir()) == []  # nothing in the folder the admin stood in
    state = tmp_path / "home" / ".local" / "state" / "bianmin-fleet"
    assert (state / "signing.key").is_file()
    monkeypatch.setenv("STATE_DIRECTORY", str(tmp_path / "systemd-state"))  # StateDirectory=
    assert fleet_main(["region", "add", "34", "--name", "安徽省", "--level", "province"]) == 0
    assert (tmp_path / "systemd-state" / "signing.key").is_file()
