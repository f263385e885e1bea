"""The fleet server's smaller holes from issue 15's "Also" list: the login form's CSRF
token, security headers on every answer, console notices by key only, caps on what
devices store, and device timestamps bounded by the server's clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from provisioning.agent import Agent
from provisioning.agent.client import FleetClient
from provisioning.agent.errors import Refused
from provisioning.release.httpd import StaticServer
from provisioning.server import health
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.schemas import MAX_RESULT_BYTES
from tests.provisioning.conftest import PASSWORD, form_login

ACTOR = cli_actor("test")


def test_a_cross_site_post_to_the_login_form_opens_no_session(sqlite_server: FleetApp) -> None:
    # issue 15: the login form had no CSRF token; a cross-site POST to it succeeded
    resp = requests.post(sqlite_server.base_url + "/console/login", timeout=10,
                         allow_redirects=False, headers={"Origin": "https://evil.example"},
                         data={"username": "bob", "password": PASSWORD})  # fmt: skip
    assert resp.status_code == 403 and "csrf_failed" in resp.text
    assert "fleet_session=" not in resp.headers.get("Set-Cookie", "")
    with sqlite_server.db.read() as tx:
        assert tx.all("SELECT * FROM admin_sessions") == []
    http = requests.Session()  # a token from another visitor's form does not fit either
    http.get(sqlite_server.base_url + "/console/login", timeout=10)
    resp = http.post(
        sqlite_server.base_url + "/console/login",
        timeout=10,
        data={"username": "bob", "password": PASSWORD, "csrf": "not-mine"},
    )
    assert resp.status_code == 403
    http.close()


def test_every_answer_carries_the_security_headers_and_names_no_python(
    sqlite_server: FleetApp, tmp_path: Any
) -> None:
    # issue 15: no nosniff or Referrer-Policy on API answers; the release server's
    # Server header named the Python version
    base = sqlite_server.base_url
    for resp in (requests.get(base + "/v1/health", timeout=10),
                 requests.get(base + "/openapi.json", timeout=10),
                 requests.get(base + "/nowhere", timeout=10),
                 requests.get(base + "/v1/device/state", timeout=10),
                 requests.get(base + "/console/login", timeout=10)):  # fmt: skip
        assert resp.headers["X-Content-Type-Options"] == "nosniff", resp.url
        assert resp.headers["Referrer-Policy"] == "same-origin"
        assert "Server" not in resp.headers
        assert "Strict-Transport-Security" not in resp.headers  # plain HTTP: only over TLS
    repo = StaticServer(tmp_path).start()
    try:
        server = requests.get(repo.url + "/", timeout=10).headers["Server"]
    finally:
        repo.stop()
    assert "Python" not in server


@pytest.mark.parametrize("msg", ["请访问 http://evil.example 重新登录", "device_approved "])
def test_console_notices_are_shown_by_key_only(sqlite_server: FleetApp, msg: str) -> None:
    # issue 15: ?msg= showed whatever text the link carried
    http = requests.Session()
    assert form_login(http, sqlite_server).status_code == 303
    for path in (
        "/console/",
        "/console/rollouts",
        "/console/releases",
        "/console/analytics/33/followups",
    ):
        page = http.get(sqlite_server.base_url + path, params={"msg": msg}, timeout=10)
        assert page.status_code == 200 and "evil.example" not in page.text, path
        assert 'id="flash"' not in page.text, path
    known = http.get(sqlite_server.base_url + "/console/?msg=device_approved", timeout=10)
    assert "终端已接入站点" in known.text
    http.close()


def test_one_log_upload_per_command_and_results_are_capped(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    # issue 15: five uploads of 512,000 characters to one collect_logs command were all
    # kept, and a 3.9 MB field in a command's result was stored
    agent = make_agent()
    accept(server, agent)
    server.fleet.command(ACTOR, agent.key.device_id, "collect_logs", {}, "cmd-logs-1")
    client = FleetClient(server.base_url, agent.key, clock=clock)
    try:
        client.call("GET", "/v1/device/state")
        client.call("POST", "/v1/device/logs", {"command_id": "cmd-logs-1", "text": "x" * 512_000})
        with pytest.raises(Refused) as again:
            client.call("POST", "/v1/device/logs", {"command_id": "cmd-logs-1", "text": "y"})
        assert (again.value.status, again.value.code) == (409, "logs_already_uploaded")
        big = {"command_id": "cmd-logs-1", "status": "done",
               "result": {"supplies": "p" * (MAX_RESULT_BYTES + 1)}}  # fmt: skip
        for path, body in (("/v1/device/results", {"results": [big]}),
                           ("/v1/device/heartbeat", {"results": [big]})):  # fmt: skip
            with pytest.raises(Refused) as refused:
                client.call("POST", path, body)
            assert (refused.value.status, refused.value.code) == (422, "invalid_field")
    finally:
        client.close()
    with server.db.read() as tx:
        assert len(tx.all("SELECT id FROM device_logs")) == 1
        assert len(tx.one("SELECT result FROM commands WHERE id = 'cmd-logs-1'")["result"]) < 100


def test_device_event_times_are_bounded_by_the_servers_clock(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    # issue 15: a device event dated 1970 became an audit row dated 1970
    agent = make_agent()
    accept(server, agent)
    now = clock()
    for at in (0, now + 10 * 86400, now - 60):
        agent.report_event({"kind": "maintenance_entered", "at": at, "technician": "t1"})
    agent.sync_once()
    with server.db.read() as tx:
        rows = tx.all("SELECT at, detail FROM audit_log WHERE action = 'kiosk.maintenance_entered'"
                      " ORDER BY id")  # fmt: skip
    assert [r["at"] for r in rows] == [now - health.EVENT_PAST_S, now, now - 60]
    assert '"reported_at": 0' in rows[0]["detail"]  # what the kiosk said is kept as detail
