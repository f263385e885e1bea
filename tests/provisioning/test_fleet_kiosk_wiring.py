"""The fleet agent wired into the kiosk: start-up reads the active bundle, a new bundle
waits for the end of a session, and a locked kiosk says so."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.settings import with_overrides
from provisioning.agent import Agent, active_catalogue_file
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from terminal.commands.base import settings_from_args
from terminal.fleet import kiosk_agent
from terminal.runtime import Runtime, catalogue_path
from tests.provisioning.conftest import RealTime, as_kiosk_default

ACTOR = cli_actor("test")


@pytest.fixture
def clock() -> RealTime:
    return RealTime()


@pytest.fixture
def kiosk(on_first_bundle: Callable[..., Agent]) -> Agent:
    """An accepted kiosk running a first good bundle (idle timeout 180 s)."""
    return on_first_bundle()


def no_config() -> argparse.Namespace:
    return argparse.Namespace(config=None)


@pytest.fixture
def state_dir(kiosk: Agent, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An enrolled, accepted kiosk running its first bundle; the kiosk's default state."""
    return as_kiosk_default(kiosk, monkeypatch)


def test_start_up_takes_the_fleet_settings_and_catalogue(state_dir: Path) -> None:
    settings = settings_from_args(no_config())
    assert settings.site.station_id == "s-0001"
    assert settings.session.idle_timeout_s == 180
    assert catalogue_path(settings) == active_catalogue_file(state_dir)


def test_a_local_config_still_wins(state_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[site]\nstation_id = "local-1"\n', encoding="utf-8")
    assert settings_from_args(argparse.Namespace(config=site)).site.station_id == "local-1"


def test_runtime_runs_the_agent_and_applies_only_between_sessions(
    state_dir: Path, sqlite_server: FleetApp
) -> None:
    settings = with_overrides(settings_from_args(no_config()), platform={"url": ""})
    runtime = Runtime.start(settings, start_pump=False)
    try:
        assert runtime.agent is not None
        assert runtime.service_state() == (True, "")
        assert runtime.between_sessions() is None  # nothing staged yet
        sqlite_server.fleet.push(
            ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": 300}}}
        )
        report = runtime.agent.sync_once(apply=False)
        assert report["staged"] is True, json.dumps(report, default=str)
        activation = runtime.between_sessions()
        assert activation is not None
        assert settings_from_args(no_config()).session.idle_timeout_s == 300
    finally:
        runtime.close()


def test_a_locked_kiosk_is_out_of_service(state_dir: Path) -> None:
    agent = kiosk_agent(state_dir)
    agent.state.in_service, agent.state.service_message = False, "设备检修中"
    agent.save()
    agent.close()
    settings = settings_from_args(no_config())
    runtime = Runtime.start(settings, start_pump=False)
    try:
        assert runtime.service_state() == (False, "设备检修中")
    finally:
        runtime.close()


def test_a_kiosk_never_enrolled_runs_without_an_agent(tmp_path: Path) -> None:
    settings = with_overrides(settings_from_args(no_config()), paths={"state_dir": str(tmp_path)})
    runtime = Runtime.start(settings, start_pump=False)
    try:
        assert runtime.agent is None
        assert runtime.service_state() == (True, "")
        assert not (tmp_path / "fleet").exists()
    finally:
        runtime.close()
