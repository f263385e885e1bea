"""An excluded matter code that no catalogue has (issue 19, item 7): it used to be
accepted silently, so a typo in ``exclude_matters`` left the matter on every screen and
nobody knew. The admin is warned when pushing (the fleet API, ``kiosk-fleet push`` and the
console), and a kiosk on its built-in catalogue, which only it can check, reports the
codes in its configuration state, which the console shows on the device's page."""

from __future__ import annotations

import dataclasses as dc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.settings import DEFAULTS_FILE, load_settings
from provisioning.agent import Agent
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.cli import main as fleet_main
from terminal.fleet import validate_bundle
from terminal.runtime import site_catalogue
from tests.provisioning.conftest import CATALOGUE, form_login

ACTOR = cli_actor("test")
REAL = CATALOGUE["matters"][0]["code"]
TYPO = REAL[:-1] + "9"  # one digit off: a code no catalogue has
assert TYPO not in {m["code"] for m in CATALOGUE["matters"]}


def test_a_push_warns_of_a_code_the_pushed_catalogue_does_not_have(server: FleetApp) -> None:
    fleet = server.fleet
    assert fleet.push(ACTOR, "33", {"catalogue": CATALOGUE})["warnings"] == []
    layer = {"exclude_matters": [REAL, TYPO]}
    before = fleet.warnings(ACTOR, "330110", layer)  # what preview and dry run show
    pushed = fleet.push(ACTOR, "330110", layer)
    assert (
        before
        == pushed["warnings"]
        == [f"exclude_matters: {TYPO} 不在目录中，排除它不起作用（站点 s-0001、s-0002）"]
    )
    # the real code is excluded and not warned about; the other county is not touched
    assert fleet.warnings(ACTOR, "330122", {}) == []


def test_a_push_to_kiosks_on_their_built_in_catalogue_says_who_checks(server: FleetApp) -> None:
    pushed = server.fleet.push(ACTOR, "s-0001", {"exclude_matters": [TYPO]})
    assert pushed["warnings"] == [
        "exclude_matters: 站点 s-0001使用终端内置目录，服务器无法核对编码；"
        "目录中没有的编码由终端在设备页的配置状态中报告"
    ]
    assert server.fleet.push(ACTOR, "s-0002", {"settings": {}})["warnings"] == []


def test_kiosk_fleet_push_prints_the_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "fleet"
    for argv in (
        ("region", "add", "33", "--name", "浙江省", "--level", "province"),
        ("region", "add", "s-1", "--name", "某村便民服务站", "--level", "site", "--parent", "33"),
    ):
        assert fleet_main(["--data-dir", str(data), *argv]) == 0
    layer = tmp_path / "layer.json"
    layer.write_text(json.dumps({"catalogue": CATALOGUE, "exclude_matters": [TYPO]}), "utf-8")
    capsys.readouterr()
    for dry in (["--dry-run"], []):
        code = fleet_main(["--data-dir", str(data), "push", "--site", "33", str(layer), *dry])
        out, err = capsys.readouterr()
        assert code == 0
        line = f"exclude_matters: {TYPO} 不在目录中，排除它不起作用（站点 s-1）"
        assert err == f"kiosk-fleet: warning: {line}\n"
        assert json.loads(out)["warnings"] == [line]


def test_the_console_warns_on_preview_and_push(sqlite_server: FleetApp) -> None:
    base = sqlite_server.base_url
    http = requests.Session()
    form_login(http, sqlite_server)
    page = http.get(base + "/console/config/330110", timeout=10)
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    form = {"csrf": csrf, "layer": json.dumps({"catalogue": CATALOGUE, "exclude_matters": [TYPO]})}
    preview = http.post(base + "/console/config/330110/preview", data=form, timeout=10)
    assert preview.status_code == 200
    assert f'id="warnings"><li>exclude_matters: {TYPO} 不在目录中' in preview.text
    pushed = http.post(base + "/console/config/330110/push", data=form, timeout=10)
    assert pushed.status_code == 200 and "配置已推送" in pushed.text  # a message key's text
    # the node's page goes on warning of the standing layer's unknown code after the push
    assert f'id="warnings"><li>exclude_matters: {TYPO} 不在目录中' in pushed.text
    http.close()


def test_a_kiosk_reports_codes_its_built_in_catalogue_lacks_and_the_console_shows_them(
    sqlite_server: FleetApp,
    make_agent: Callable[..., Agent],
    accept: Callable[..., Any],
    tmp_path: Path,
) -> None:
    agent = make_agent(validate=validate_bundle)  # its files in <state>/fleet, as a kiosk's
    accept(sqlite_server, agent)
    settings = load_settings(defaults=DEFAULTS_FILE)
    settings = dc.replace(
        settings, paths=dc.replace(settings.paths, state_dir=str(tmp_path / "kiosk"))
    )
    assert REAL in site_catalogue(settings)
    sqlite_server.fleet.push(ACTOR, "s-0001", {"exclude_matters": [REAL, TYPO]})
    assert agent.sync_once(apply=True)["applied"] is not None
    # the built-in catalogue, which the server could not filter, loses the excluded matter
    assert REAL not in site_catalogue(settings) and len(site_catalogue(settings)) > 0
    expected = f"exclude_matters: {TYPO} 不在本机目录（{CATALOGUE['version']}）中"
    assert agent.summary()["config_warnings"] == [expected]  # `kiosk agent status`
    agent.sync_once()  # the next heartbeat carries the state of the bundle it applied
    device = sqlite_server.fleet.device(ACTOR, agent.key.device_id)
    assert device["health"]["config_warnings"] == [expected]

    http = requests.Session()
    form_login(http, sqlite_server)
    page = http.get(f"{sqlite_server.base_url}/console/devices/{agent.key.device_id}", timeout=10)
    state = page.text.split('id="config-state">')[1].split("</td>")[0]
    assert state == f"已应用，但有提醒：<br>{expected}"
    http.close()

    # fixed: the next bundle has nothing to warn of, and the page says so
    sqlite_server.fleet.push(ACTOR, "s-0001", {"exclude_matters": [REAL]})
    agent.sync_once(apply=True)
    agent.sync_once()
    assert agent.summary()["config_warnings"] == []
    device = sqlite_server.fleet.device(ACTOR, agent.key.device_id)
    assert device["health"]["config_warnings"] == []
