"""The agent's part in software updates (docs/updates.md): an offer in the heartbeat
answer or an ``update`` command reaches the updater, the updater's report rides on the
heartbeat, and the configuration key rotates the way a TUF root does."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from requests.adapters import HTTPAdapter

from provisioning.agent import Agent
from provisioning.agent.commands import Hooks, run
from provisioning.agent.state import AgentState
from provisioning.protocol import (
    KEYS_FORMAT,
    ProtocolError,
    follow_rotation,
    key_id,
    public_key_text,
    seal,
    sign_rotation,
    trust_of,
)
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from terminal.fleet import validate_bundle

ACTOR = cli_actor("test")
OFFER = {"offer_id": "ro-1-w1", "version": "0.2.0", "repository": "/tuf/", "downgrade": False}


class Wire(HTTPAdapter):
    """The kiosk's link, with answers rewritten per path (a server yet to come)."""

    def __init__(self) -> None:
        super().__init__()
        self.rewrite: dict[str, Callable[[Any], Any]] = {}
        self.sent: list[tuple[str, Any]] = []

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        if request.body:
            self.sent.append((request.path_url, json.loads(request.body)))
        resp = super().send(request, *args, **kwargs)
        change = self.rewrite.get(request.path_url)
        if change is not None:
            resp._content = json.dumps(change(resp.json())).encode()
        return resp


@pytest.fixture
def wired(
    sqlite_server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> tuple[Agent, Wire, list[Any]]:
    wire = Wire()
    session = requests.Session()
    session.mount("http://", wire)
    offers: list[Any] = []
    agent = make_agent(session=session, validate=validate_bundle)
    agent.hooks.offer_update = offers.append
    agent.hooks.update_report = lambda: {
        "offer_id": "ro-1-w1",
        "version": "0.2.0",
        "state": "downloading",
    }
    sqlite_server.fleet.push(ACTOR, "33", {"settings": {"session": {"idle_timeout_s": 180}}})
    accept(sqlite_server, agent)
    return agent, wire, offers


def test_an_offer_in_the_heartbeat_answer_reaches_the_updater(
    wired: tuple[Agent, Wire, list[Any]],
) -> None:
    agent, wire, offers = wired
    wire.rewrite["/v1/device/heartbeat"] = lambda beat: {**beat, "update": OFFER}
    report = agent.sync_once()
    assert report["update"] == {"action": "offered", "offer_id": "ro-1-w1", "version": "0.2.0"}
    assert offers[-1]["repository"] == agent.state.server_url.rstrip("/") + "/tuf/"
    beats = [body for path, body in wire.sent if path == "/v1/device/heartbeat"]
    assert beats[-1]["update"]["state"] == "downloading"  # the report went with it
    wire.rewrite["/v1/device/heartbeat"] = lambda beat: {**beat, "update": None}
    assert agent.sync_once()["update"] == {"action": "withdrawn"} and offers[-1] is None
    wire.rewrite["/v1/device/heartbeat"] = lambda beat: {**beat, "update": {"version": "x"}}
    assert agent.sync_once()["update"]["reason"] == "bad_offer"
    del wire.rewrite["/v1/device/heartbeat"]
    assert "update" not in agent.sync_once()  # today's server says nothing: nothing changes


def test_an_update_command_reaches_the_updater_once() -> None:
    offers: list[Any] = []
    state = AgentState()
    command = {"id": "c-9", "kind": "update", "args": dict(OFFER, repository="http://f/tuf/")}
    result = run(state, command, Hooks(offer_update=offers.append))
    assert result["status"] == "done" and offers == [command["args"]]
    run(state, command, Hooks(offer_update=offers.append))  # delivered again: not redone
    assert len(offers) == 1
    bad = run(
        AgentState(),
        {"id": "c-10", "kind": "update", "args": {}},
        Hooks(offer_update=offers.append),
    )
    assert bad["status"] == "failed"


def _rotation(
    old: list[Ed25519PrivateKey],
    new: list[Ed25519PrivateKey],
    version: int,
    signers: list[Ed25519PrivateKey],
) -> dict[str, Any]:
    payload = {
        "format": KEYS_FORMAT,
        "version": version,
        "threshold": 1,
        "keys": [public_key_text(k.public_key()) for k in new],
    }
    return sign_rotation(payload, signers)


def test_the_configuration_key_rotates_like_a_root(
    wired: tuple[Agent, Wire, list[Any]], sqlite_server: FleetApp
) -> None:
    agent, wire, _offers = wired
    assert agent.sync_once(apply=True)["applied"] is not None
    server_key = sqlite_server.fleet.key.private
    new_key = Ed25519PrivateKey.generate()
    new_id = key_id(public_key_text(new_key.public_key()))
    rotation = _rotation([server_key], [new_key], 2, [server_key, new_key])

    def resign(envelope: dict[str, Any]) -> dict[str, Any]:  # the server after its rotation
        sealed = seal(new_key, json.loads(envelope["payload"]), new_id)
        return {**sealed, "key_rotations": [rotation]}

    sqlite_server.fleet.push(ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": 240}}})
    wire.rewrite["/v1/device/bundle"] = resign
    report = agent.sync_once(apply=True)
    assert report["bundle"]["action"] == "staged", report
    assert agent.state.server_trust["version"] == 2

    # the old key is revoked now: a bundle it signs is refused
    def old_key(envelope: dict[str, Any]) -> dict[str, Any]:
        return {**envelope, "key_rotations": [rotation]}

    sqlite_server.fleet.push(ACTOR, "s-0001", {"settings": {"session": {"idle_timeout_s": 300}}})
    wire.rewrite["/v1/device/bundle"] = old_key
    report = agent.sync_once(apply=True)
    assert (report["bundle"]["action"], report["bundle"]["reason"]) == ("refused", "wrong_key")


def test_a_rotation_needs_the_old_keys_and_the_new() -> None:
    old, new, rogue = (Ed25519PrivateKey.generate() for _ in range(3))
    trust = trust_of(public_key_text(old.public_key()))
    with pytest.raises(ProtocolError, match="keys it replaces"):
        follow_rotation(trust, _rotation([old], [new], 2, [new]))
    with pytest.raises(ProtocolError, match="keys it names"):
        follow_rotation(trust, _rotation([old], [new], 2, [old]))
    with pytest.raises(ProtocolError, match="version"):
        follow_rotation(trust, _rotation([old], [new], 3, [old, new]))
    with pytest.raises(ProtocolError, match="keys it replaces"):
        follow_rotation(trust, _rotation([old], [rogue], 2, [rogue]))
    assert follow_rotation(trust, _rotation([old], [new], 2, [old, new]))["version"] == 2
