"""Several server processes on one PostgreSQL, shown rather than claimed; and a database
restart that costs no request an error.

Two ``kiosk-fleet serve`` processes share the database and the data directory (the
signing key), as they would behind a load balancer: a kiosk enrolls through one,
heartbeats and fetches its bundle through the other, and an admin's command issued on
either reaches it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from provisioning.agent import Agent
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from tests.provisioning.conftest import PASSWORD, PgCluster, Served, make_tree


def _token(base: str, user: str = "alice") -> dict[str, str]:
    resp = requests.post(base + "/v1/admin/login", json={"username": user, "password": PASSWORD},
                         timeout=10)  # fmt: skip
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['token']}"}


def test_two_server_processes_share_one_postgresql(
    pg_cluster: PgCluster, serve_fleet: Callable[..., Served],
    make_agent: Callable[..., Agent], tmp_path: Path,
) -> None:  # fmt: skip
    db, data = pg_cluster.new_database(), tmp_path / "shared"
    with FleetApp(data, db) as setup:  # the region tree and the admins, once
        make_tree(setup)
        code, _ = setup.fleet.pairing_code(cli_actor("test"), "s-0001")
        key_id = setup.fleet.key.key_id
    one, two = serve_fleet(db=db, data=data), serve_fleet(db=db, data=data)
    assert one.url != two.url

    agent = make_agent(clock=time.time, validate=lambda _d: None)
    assert agent.enroll(one.url, code, "SN-SCALE-1")["status"] == "pending"  # through one
    device = agent.key.device_id
    on_two = _token(two.url)
    approved = requests.post(
        f"{two.url}/v1/admin/devices/{device}/approve",
        headers=on_two,
        json={"site_id": "s-0001"},
        timeout=10,
    )  # through two
    assert approved.status_code == 200 and approved.json()["status"] == "accepted"

    agent.state.server_url = two.url  # the balancer sends the kiosk to the other one now
    report = agent.sync_once(apply=True)
    assert report["status"] == "accepted" and report["applied"] is not None
    assert agent.state.server_key_id == key_id  # both sign with the one key

    on_one = _token(one.url)
    lock = {"kind": "lock", "args": {"message": "换纸中"}}
    made = requests.post(f"{one.url}/v1/admin/devices/{device}/commands", headers=on_one,
                         json=lock, timeout=10)  # fmt: skip
    assert made.status_code == 201
    agent.sync_once()  # heard by two, issued on one
    assert agent.service_state() == (False, "换纸中")
    requests.post(f"{two.url}/v1/admin/devices/{device}/commands", headers=on_two,
                  json={"kind": "unlock"}, timeout=10).raise_for_status()  # fmt: skip
    agent.state.server_url = one.url
    agent.sync_once()  # heard by one, issued on two
    assert agent.service_state() == (True, "")

    seen: dict[str, Any] = requests.get(f"{one.url}/v1/admin/devices/{device}",
                                        headers=on_one, timeout=10).json()  # fmt: skip
    assert seen["connectivity"] == "online" and seen["in_service"] is True
    assert [c["status"] for c in seen["commands"]] == ["done", "done"]
    assert one.stop() == 0 and two.stop() == 0


def test_a_postgresql_restart_costs_no_request_an_error(
    pg_cluster: PgCluster, tmp_path: Path, make_agent: Callable[..., Agent],
    accept: Callable[..., Any],
) -> None:  # fmt: skip
    # Regression: the hand-made pool handed out connections the restart had broken, and
    # the first request on each answered 500.
    with FleetApp(tmp_path / "server", pg_cluster.new_database(), db_pool=4) as app:
        make_tree(app)
        app.start()
        agent = make_agent(validate=lambda _d: None)
        accept(app, agent)
        admin = _token(app.base_url)
        for _ in range(4):  # every pooled connection has been used
            assert requests.get(app.base_url + "/v1/admin/regions", headers=admin,
                                timeout=10).status_code == 200  # fmt: skip
        pg_cluster.restart()
        for _ in range(8):
            resp = requests.get(app.base_url + "/v1/admin/regions", headers=admin, timeout=30)
            assert resp.status_code == 200, resp.text
        assert agent.sync_once()["status"] == "accepted"
