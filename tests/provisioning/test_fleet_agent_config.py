"""The kiosk side of configuration: verify, stage, apply between sessions, validate with
the kiosk's own loaders, roll back, and keep the last good bundle through every refusal
(tampered, expired, rolled back, foreign key, invalid) and while offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from requests.adapters import HTTPAdapter

from kiosk.catalogue import load_catalogue
from kiosk.settings import load_settings
from provisioning.agent import Agent, active_catalogue_file, active_site_file
from provisioning.protocol import seal
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from terminal.fleet import kiosk_agent, validate_bundle
from tests.provisioning.conftest import CATALOGUE

ACTOR = cli_actor("test")


class Interceptor(HTTPAdapter):
    """A man in the middle on the kiosk's link: rewrites bundle answers on the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        resp = super().send(request, *args, **kwargs)
        if self.rewrite is not None and request.path_url == "/v1/device/bundle":
            resp._content = json.dumps(self.rewrite(resp.json())).encode()
        return resp


@pytest.fixture
def wire() -> Interceptor:
    return Interceptor()


@pytest.fixture
def kiosk(on_first_bundle: Callable[..., Agent], wire: Interceptor) -> Agent:
    """An accepted kiosk running a first good bundle (idle timeout 180 s)."""
    session = requests.Session()
    session.mount("http://", wire)
    return on_first_bundle(session=session, validate=validate_bundle)


def _idle_timeout(agent: Agent) -> int:
    site = active_site_file(agent.root.parent)
    assert site is not None
    return load_settings(site).session.idle_timeout_s


def _push_timeout(server: FleetApp, seconds: int) -> None:
    server.fleet.push(ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": seconds}}})


def test_the_active_bundle_is_a_site_file_and_catalogue_the_kiosk_loads(kiosk: Agent) -> None:
    state_dir = kiosk.root.parent
    settings = load_settings(active_site_file(state_dir))
    assert settings.site.station_id == "s-0001"
    assert settings.session.idle_timeout_s == 180
    catalogue_file = active_catalogue_file(state_dir)
    assert catalogue_file is not None
    assert len(load_catalogue(catalogue_file).matters) == len(CATALOGUE["matters"])


def test_a_new_bundle_waits_until_the_kiosk_is_between_sessions(
    kiosk: Agent, sqlite_server: FleetApp
) -> None:
    _push_timeout(sqlite_server, 240)
    report = kiosk.sync_once(apply=False)  # a citizen is being served
    assert report["bundle"]["action"] == "staged" and report["staged"] is True
    assert _idle_timeout(kiosk) == 180
    activation = kiosk.between_sessions()
    assert activation is not None and activation.version == kiosk.state.applied_version
    assert load_settings(activation.settings_file).session.idle_timeout_s == 240
    assert _idle_timeout(kiosk) == 240
    assert kiosk.between_sessions() is None  # nothing more to apply


def _refused_keeps_last_good(
    kiosk: Agent, server: FleetApp, wire: Interceptor, rewrite: Any, reason: str
) -> dict[str, Any]:
    good = kiosk.state.applied_version
    _push_timeout(server, 600)
    wire.rewrite = rewrite
    report = kiosk.sync_once(apply=True)
    assert report["bundle"]["action"] == "refused", report
    assert report["bundle"]["reason"] == reason
    assert report["config_version"] == good and _idle_timeout(kiosk) == 180
    assert report["config_error"].startswith(reason)
    return report


def test_a_tampered_bundle_is_refused(
    kiosk: Agent, sqlite_server: FleetApp, wire: Interceptor
) -> None:
    def tamper(envelope: dict[str, Any]) -> dict[str, Any]:
        envelope["payload"] = envelope["payload"].replace(
            '"idle_timeout_s":600', '"idle_timeout_s":30'
        )
        return envelope

    report = _refused_keeps_last_good(kiosk, sqlite_server, wire, tamper, "bad_signature")
    assert "bad signature" in report["bundle"]["detail"]


def test_a_bundle_signed_by_another_key_is_refused(
    kiosk: Agent, sqlite_server: FleetApp, wire: Interceptor
) -> None:
    rogue = Ed25519PrivateKey.generate()

    def resign(envelope: dict[str, Any]) -> dict[str, Any]:
        return seal(rogue, json.loads(envelope["payload"]), "f" * 32)

    _refused_keeps_last_good(kiosk, sqlite_server, wire, resign, "wrong_key")

    def forge(envelope: dict[str, Any]) -> dict[str, Any]:  # claims the real key id
        return seal(rogue, json.loads(envelope["payload"]), envelope["key_id"])

    kiosk.state.force_resync = True
    _refused_keeps_last_good(kiosk, sqlite_server, wire, forge, "bad_signature")


def test_a_rolled_back_version_is_refused(
    kiosk: Agent, sqlite_server: FleetApp, wire: Interceptor
) -> None:
    current = kiosk.store.current_dir()
    assert current is not None
    old = json.loads((current / "bundle.json").read_text(encoding="utf-8"))
    _refused_keeps_last_good(kiosk, sqlite_server, wire, lambda _new: old, "rollback")


def test_an_expired_bundle_is_refused_even_when_staged(
    kiosk: Agent, sqlite_server: FleetApp, clock: Any
) -> None:
    _push_timeout(sqlite_server, 600)
    assert kiosk.sync_once(apply=False)["bundle"]["action"] == "staged"
    clock.advance(40 * 86400)  # the kiosk sat with it staged past its expiry
    assert kiosk.between_sessions() is None
    assert kiosk.state.config_error.startswith("expired")
    assert _idle_timeout(kiosk) == 180
    assert kiosk.summary()["config_stale"] is True  # keeps running, and says so


def test_settings_the_kiosk_cannot_run_are_refused_and_reported(
    kiosk: Agent, sqlite_server: FleetApp
) -> None:
    _push_timeout(sqlite_server, 5)  # below the 30 s minimum of kiosk.settings
    report = kiosk.sync_once(apply=True)
    assert report["applied"] is None
    assert report["config_error"].startswith("invalid_settings: settings invalid: "
                                             "session.idle_timeout_s")  # fmt: skip
    assert _idle_timeout(kiosk) == 180
    kiosk.sync_once()  # the next heartbeat tells the server
    alerts = {a["kind"] for a in sqlite_server.fleet.alerts(ACTOR)}
    assert "config_error" in alerts


def test_a_catalogue_the_kiosk_cannot_load_is_refused(
    kiosk: Agent, sqlite_server: FleetApp
) -> None:
    broken = json.loads(json.dumps(CATALOGUE))
    broken["matters"][1]["code"] = broken["matters"][0]["code"]  # duplicate codes
    sqlite_server.fleet.push(ACTOR, "s-0001", {"catalogue": broken})
    report = kiosk.sync_once(apply=True)
    assert report["config_error"].startswith("invalid_catalogue")
    kept = load_catalogue(active_catalogue_file(kiosk.root.parent))
    assert len(kept.matters) == len(CATALOGUE["matters"])  # the last good one, whole


def test_rollback_returns_to_the_previous_bundle(kiosk: Agent, sqlite_server: FleetApp) -> None:
    first = kiosk.state.applied_version
    _push_timeout(sqlite_server, 240)
    second = kiosk.sync_once(apply=True)["applied"]
    assert second > first and _idle_timeout(kiosk) == 240
    assert kiosk.rollback("the new settings crashed the screen") == first
    assert _idle_timeout(kiosk) == 180
    assert kiosk.state.highest_version == second  # the server cannot push it back down
    assert kiosk.rollback("again") is None  # only one step back is kept


def test_offline_the_kiosk_runs_on_its_last_good_bundle(
    kiosk: Agent, sqlite_server: FleetApp, tmp_path: Path
) -> None:
    sqlite_server.stop()
    report = kiosk.sync_once(apply=True)
    assert report["error"]["code"] == "unreachable" and report["contacted"] is False
    assert _idle_timeout(kiosk) == 180
    restarted = kiosk_agent(kiosk.root.parent, clock=kiosk.clock)  # after a reboot, still offline
    assert restarted.summary()["config_version"] == kiosk.state.applied_version
    assert restarted.summary()["last_error"].startswith("unreachable")
    restarted.close()
