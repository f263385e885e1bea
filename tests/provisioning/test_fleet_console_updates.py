"""The console's update pages over HTTP: releases, starting a rollout from a form, the
per-wave progress, a halted rollout as an alert on the region pages, the kiosk's own
reason shown as text, the software version mix in the region tree, bad input explained."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from provisioning.agent import Agent
from provisioning.server.app import FleetApp
from tests.provisioning.conftest import form_login
from tests.provisioning.test_fleet_rollouts import ACTOR, Kiosk, stand_in_release

PASSWORD = "correct horse battery"
HOSTILE = "<script>alert(1)</script> wheel"


class Console:
    def __init__(self, app: FleetApp) -> None:
        self.base, self.http = app.base_url, requests.Session()
        form_login(self.http, app)
        self.csrf = ""

    def get(self, path: str) -> str:
        resp = self.http.get(self.base + path, timeout=10)
        assert resp.status_code == 200, (path, resp.status_code, resp.text[-500:])
        found = re.search(r'name="csrf" value="([^"]+)"', resp.text)
        self.csrf = found.group(1) if found else self.csrf
        return resp.text

    def post(self, path: str, **form: str) -> requests.Response:
        return self.http.post(self.base + path, data={"csrf": self.csrf, **form}, timeout=10)


@pytest.fixture
def console(
    sqlite_server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any],
    tmp_path: Path,
) -> Iterator[tuple[Console, list[Kiosk]]]:  # fmt: skip
    kiosks = []
    for n, site in enumerate(["s-0001", "s-0002", "s-0101", "s-0101"]):
        agent = make_agent(f"k{n}")
        accept(sqlite_server, agent, site, f"SN-{n}")
        kiosks.append(Kiosk(agent))
    sqlite_server.releases.add(ACTOR, stand_in_release(tmp_path / "rel", "0.2.0"), "0.2.0",
                               "修复凭条打印")  # fmt: skip
    web = Console(sqlite_server)
    yield web, kiosks
    web.http.close()


def test_a_rollout_started_watched_and_halted_in_the_console(
    console: tuple[Console, list[Kiosk]],
) -> None:
    web, kiosks = console
    assert "修复凭条打印" in web.get("/console/releases")
    web.get("/console/rollouts")
    bad = web.post("/console/rollouts", version="0.2.0", target="nowhere")
    assert bad.status_code == 404 and "unknown_region" in bad.text
    bad = web.post("/console/rollouts", version="0.2.0", target="33", wave="abc")
    assert bad.status_code == 422 and "wave" in bad.text
    bad = web.post("/console/rollouts", version="9.9.9", target="33")
    assert bad.status_code == 404 and "没有这个软件版本" in bad.text
    made = web.post("/console/rollouts", version="0.2.0", target="33", canary="1",
                    wave="100%", max_failures="0%")  # fmt: skip
    assert made.url.endswith("/console/rollouts/1?msg=rollout_started")
    assert "升级任务已开始" in made.text
    page = web.get("/console/rollouts/1")
    assert 'data-status="running"' in page and page.count('<tr data-wave="') == 3

    offered = [k for k in kiosks if k.beat() != "absent"]
    assert len(offered) == 1
    offered[0].says("failed", "hash_mismatch", HOSTILE)
    offered[0].beat()
    page = web.get("/console/rollouts/1")
    assert 'data-status="halted"' in page and "hash_mismatch" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; wheel" in page and HOSTILE not in page
    device = web.get(f"/console/devices/{offered[0].agent.key.device_id}")
    assert "hash_mismatch" in device and HOSTILE not in device  # on the kiosk's own page
    for path in ("/console/rollouts", "/console/", "/console/regions/330110"):
        assert 'id="rollout-alert-1"' in web.get(path), path
    region = web.get("/console/regions/33")
    assert re.search(r"0\.1\.0</a> ×2", region)  # the version mix, per county

    web.get("/console/rollouts/1")
    assert web.post("/console/rollouts/1/abort").status_code == 200
    assert 'data-status="aborted"' in web.get("/console/rollouts/1")
    assert 'id="rollout-alert-1"' not in web.get("/console/")
    again = web.post("/console/rollouts/1/resume")
    assert again.status_code == 409 and "bad_transition" in again.text
    assert web.http.get(web.base + "/console/rollouts/x1", timeout=10).status_code == 404
