"""The active bundle is verified before use, at start-up and at every sync (issue 15,
item 2): an edited settings file or a forged bundle.json is never loaded, the kiosk falls
back to its last good bundle and tells the fleet, and a broken site file does not stop
``kiosk agent sync`` from fetching the fix."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.settings import load_settings
from provisioning.agent import Agent, active_site_file
from provisioning.agent.active import check_active
from provisioning.protocol import seal
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from terminal.cli import main as kiosk_main
from terminal.commands.base import settings_from_args
from terminal.fleet import validate_bundle
from tests.provisioning.conftest import RealTime, as_kiosk_default

ACTOR = cli_actor("test")
EDITED = "[session]\nidle_timeout_s = 3600\n[staff]\nmax_pin_failures = 1000\n"


@pytest.fixture
def clock() -> RealTime:
    return RealTime()


@pytest.fixture
def kiosk(sqlite_server: FleetApp, on_first_bundle: Callable[..., Agent]) -> Agent:
    """An accepted kiosk on its second good bundle (idle timeout 240 s; the first, 180 s,
    is kept as the previous one)."""
    agent = on_first_bundle(validate=validate_bundle)
    sqlite_server.fleet.push(ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": 240}}})
    assert agent.sync_once(apply=True)["applied"] is not None
    return agent


@pytest.fixture
def started(kiosk: Agent, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The kiosk's state directory as the kiosk's default, its agent stopped."""
    return as_kiosk_default(kiosk, monkeypatch)


def _current(agent: Agent) -> Path:
    current = agent.store.current_dir()
    assert current is not None
    return current


def _idle(state_dir: Path) -> int:
    return settings_from_args(argparse.Namespace(config=None)).session.idle_timeout_s


def test_an_edited_active_settings_file_is_never_loaded(kiosk: Agent, started: Path) -> None:
    # issue 15 item 2: editing the active settings.toml was loaded as-is (idle timeout 3600)
    (_current(kiosk) / "settings.toml").write_text(EDITED, encoding="utf-8")
    assert _idle(started) == 240  # start-up rebuilt it from the signed bundle
    site = active_site_file(started)
    assert site is not None and load_settings(site).staff.max_pin_failures == 5
    state = json.loads((started / "fleet" / "agent.json").read_text(encoding="utf-8"))
    assert state["config_error"].startswith("active_bundle_edited: settings.toml")


def test_a_forged_bundle_json_falls_back_to_the_last_good_bundle_and_the_fleet_hears(
    kiosk: Agent, sqlite_server: FleetApp
) -> None:
    # issue 15 item 2: bundle.json with signature AAAA and version 999 was loaded as-is,
    # and the agent still reported up_to_date with no configuration error
    first = kiosk.store.previous_dir()
    assert first is not None
    current = _current(kiosk)
    envelope = json.loads((current / "bundle.json").read_text(encoding="utf-8"))
    payload = json.loads(envelope["payload"])
    payload["version"] = 999
    payload["settings"]["platform"] = {"url": "https://evil.example/api"}
    envelope |= {"payload": json.dumps(payload), "signature": "AAAA"}
    (current / "bundle.json").write_text(json.dumps(envelope), encoding="utf-8")
    (current / "settings.toml").write_text(
        '[platform]\nurl = "https://evil.example/api"\n', encoding="utf-8"
    )
    report = kiosk.sync_once()
    assert report["active_bundle"].startswith("active_bundle_invalid")
    assert report["config_error"].startswith("active_bundle_invalid")
    assert _current(kiosk) == first and kiosk.state.applied_version < 999
    site = active_site_file(kiosk.root.parent)
    assert site is not None
    loaded = load_settings(site)
    assert (loaded.session.idle_timeout_s, loaded.platform.url) == (180, "")
    alerts = {a["kind"]: a for a in sqlite_server.fleet.alerts(ACTOR)}
    assert "config_error" in alerts  # the heartbeat of that same sync told the fleet


def test_with_no_good_bundle_left_the_kiosk_runs_on_its_shipped_defaults(kiosk: Agent) -> None:
    for folder in (kiosk.store.previous_dir(), _current(kiosk)):
        assert folder is not None
        (folder / "bundle.json").write_text('{"payload": "{}", "signature": "AAAA",'
                                            ' "key_id": "x"}', encoding="utf-8")  # fmt: skip
    kiosk.sync_once()
    assert active_site_file(kiosk.root.parent) is None
    assert kiosk.state.config_error.startswith("active_bundle_invalid")


def test_a_broken_site_file_does_not_stop_agent_sync_from_fetching_the_fix(
    kiosk: Agent, started: Path, sqlite_server: FleetApp, capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:  # fmt: skip
    # issue 15 item 2: max_pin_failures=1000 in the active file made `kiosk agent sync`
    # exit with "bad settings" and left the kiosk stuck
    (_current(kiosk) / "settings.toml").write_text(EDITED, encoding="utf-8")
    sqlite_server.fleet.push(ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": 300}}})
    assert kiosk_main(["agent", "sync", "--once"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] is not None and _idle(started) == 300
    # a local --config that does not load either: the agent still syncs
    broken = tmp_path / "broken.toml"
    broken.write_text(f'[paths]\nstate_dir = "{started}"\n[staff]\nmax_pin_failures = 1000\n',
                      encoding="utf-8")  # fmt: skip
    assert kiosk_main(["agent", "sync", "--once", "--config", str(broken)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["status"] == "accepted"
    assert "staff.max_pin_failures" in err


def test_a_bundle_from_before_provenance_is_not_taken_for_an_edit(
    kiosk: Agent, sqlite_server: FleetApp
) -> None:
    # a kiosk upgraded in the field runs a bundle its old server signed without
    # provenance: the start-up check must not call that an edit
    current = _current(kiosk)
    envelope = json.loads((current / "bundle.json").read_text(encoding="utf-8"))
    payload = json.loads(envelope["payload"])
    del payload["provenance"]
    key = sqlite_server.fleet.key
    (current / "bundle.json").write_text(json.dumps(seal(key.private, payload, key.key_id)),
                                         encoding="utf-8")  # fmt: skip
    (current / "provenance.json").unlink()
    assert check_active(kiosk.store, kiosk.state) is None
    assert not (current / "provenance.json").exists()
