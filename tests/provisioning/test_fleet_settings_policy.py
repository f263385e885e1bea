"""What the fleet may set on a kiosk (issue 15, item 1): an allow-list with the level each
setting needs, province-only settings that also need a second admin, pinned platform
hosts and length caps — refused by the server and, whatever a server signs, by the kiosk."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from provisioning import policy
from provisioning.agent import Agent, BundleRefused
from provisioning.agent.tomlwrite import dumps
from provisioning.server import bundles
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.errors import Forbidden
from terminal.fleet import validate_bundle
from tests.provisioning.conftest import PASSWORD, bundle_payload, form_login, otp

ACTOR = cli_actor("test")
PINNED = "https://zwfw.zj.gov.cn/api"

# what a county admin pushed in the attack, each refused with its reason
COUNTY_ATTACKS = [
    ({"platform": {"url": "https://evil.example/api", "token": "t"}}, 422,
     "platform_host_not_pinned"),
    ({"platform": {"url": PINNED}}, 403, "setting_level_too_low"),
    ({"devices": {"idcard_photo_decoder": "/usr/lib/x86_64-linux-gnu/libc.so.6"}}, 403,
     "setting_level_too_low"),
    ({"devices": {"printer": "file:///etc/cron.d/x"}}, 403, "setting_level_too_low"),
    ({"ui": {"font": "/etc/shadow"}}, 422, "setting_not_allowed"),
    ({"services": {"callback_org": "x" * 1_900_000}}, 422, "setting_too_long"),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "status", "code"), COUNTY_ATTACKS)
def test_a_county_admin_cannot_redirect_data_or_load_native_code(
    server: FleetApp, admin_api: Callable[..., Any], settings: dict[str, Any], status: int,
    code: str,
) -> None:  # fmt: skip
    # issue 15 item 1: only [paths] was refused; the server signed the rest and kiosks
    # applied it
    bob = admin_api("bob")
    got, body = bob.call("PUT", "/v1/admin/config/330110", {"settings": settings})
    assert (got, body["code"]) == (status, code), body
    with server.db.tx() as tx:
        assert tx.all("SELECT * FROM config_layers") == []
        assert tx.all("SELECT * FROM layer_proposals") == []


def test_province_only_settings_need_the_province_layer_and_a_second_admin(
    server: FleetApp, admin_api: Callable[..., Any]
) -> None:
    server.fleet.add_admin(ACTOR, "carol", PASSWORD, "province_admin", None)
    alice, carol = admin_api("alice"), admin_api("carol")
    layer = {"settings": {"platform": {"url": PINNED, "token": "s3cret"}}}
    status, body = alice.call("PUT", "/v1/admin/config/330110", layer)  # not the province's
    assert (status, body["code"]) == (403, "setting_level_too_low")
    status, body = alice.call("PUT", "/v1/admin/config/33", layer)
    assert status == 202 and body["status"] == "awaiting_approval", body
    assert body["needs_approval"] == ["platform.token", "platform.url"]
    with server.db.tx() as tx:  # nothing is signed while it waits
        assert bundles.latest(tx, "s-0001") is None
    proposal = {"proposal_id": body["proposal_id"]}
    status, own = alice.call("POST", "/v1/admin/config/33/approve", proposal)
    assert (status, own["code"]) == (403, "second_admin_required")
    status, done = carol.call("POST", "/v1/admin/config/33/approve", proposal)
    assert status == 200 and done["layer_version"] == 1, done
    payload = bundle_payload(server, "s-0001")
    assert payload["settings"]["platform"] == {"url": PINNED, "token": "s3cret"}
    came = payload["provenance"]["platform.url"]
    assert (came["level"], came["proposed_by"], came["approved_by"]) == ("province", "alice",
                                                                         "carol")  # fmt: skip
    status, again = carol.call("POST", "/v1/admin/config/33/approve", proposal)
    assert (status, again["code"]) == (409, "bad_transition")
    # a later push that leaves them alone keeps their approval and needs none
    status, body = alice.call(
        "PUT",
        "/v1/admin/config/33",
        {
            "settings": {
                "platform": {"url": PINNED, "token": "s3cret"},
                "session": {"idle_timeout_s": 200},
            }
        },
    )
    assert status == 200, body
    provenance = bundle_payload(server, "s-0001")["provenance"]
    assert provenance["platform.token"]["approved_by"] == "carol"


def test_a_county_admin_can_still_set_what_the_county_may(
    server: FleetApp, admin_api: Callable[..., Any]
) -> None:
    bob = admin_api("bob")
    layer = {"settings": {"staff": {"lockout_s": 600}, "session": {"idle_timeout_s": 200}}}
    status, body = bob.call("PUT", "/v1/admin/config/330110", layer)
    assert status == 200, body
    assert bundle_payload(server, "s-0001")["provenance"]["staff.lockout_s"]["level"] == "county"
    with pytest.raises(Forbidden):  # a township layer is too low for a county setting
        server.fleet.push(ACTOR, "330110001", {"settings": {"staff": {"lockout_s": 600}}})


# ---- the kiosk's own check, whatever the server signed ----------------------------------


def _bundle_dir(tmp_path: Path, settings: dict[str, Any], provenance: dict[str, Any]) -> Path:
    target = tmp_path / "bundle"
    target.mkdir()
    (target / "settings.toml").write_text(dumps(settings), encoding="utf-8")
    (target / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    return target


APPROVED = {"level": "province", "proposed_by": "alice", "approved_by": "carol"}
KIOSK_CASES = [
    ({"platform": {"url": "https://evil.example/api"}}, {"platform.url": APPROVED},
     "platform_host_not_pinned"),
    ({"platform": {"url": PINNED}}, {"platform.url": APPROVED | {"level": "county"}},
     "setting_level_too_low"),
    ({"platform": {"url": PINNED}}, {"platform.url": {"level": "province", "by": "alice"}},
     "approval_required"),
    ({"platform": {"url": PINNED}},
     {"platform.url": APPROVED | {"approved_by": "alice"}}, "approval_required"),
    ({"devices": {"idcard_photo_decoder": "/lib/libc.so.6"}},
     {"devices.idcard_photo_decoder": {"level": "province"}}, "approval_required"),
    ({"ui": {"font": "/etc/shadow"}}, {"ui.font": APPROVED}, "setting_not_allowed"),
    ({"services": {"callback_org": "长" * 201}}, {"services.callback_org": APPROVED},
     "setting_too_long"),
    ({"session": {"idle_timeout_s": 3600}}, {}, "setting_not_allowed"),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "provenance", "code"), KIOSK_CASES)
def test_the_kiosk_refuses_what_the_fleet_may_not_set_even_when_signed(
    tmp_path: Path, settings: dict[str, Any], provenance: dict[str, Any], code: str
) -> None:
    with pytest.raises(BundleRefused) as refused:
        validate_bundle(_bundle_dir(tmp_path, settings, provenance))
    assert refused.value.code == code


def test_the_kiosk_accepts_an_approved_pinned_platform(tmp_path: Path) -> None:
    settings = {"platform": {"url": PINNED, "token": "s3cret"},
                "session": {"idle_timeout_s": 200}}  # fmt: skip
    provenance = {"platform.url": APPROVED, "platform.token": APPROVED,
                  "session.idle_timeout_s": {"level": "site"}}  # fmt: skip
    validate_bundle(_bundle_dir(tmp_path, settings, provenance))


def test_the_pinned_hosts_ship_with_the_software() -> None:
    assert "zwfw.zj.gov.cn" in policy.pinned_hosts()
    assert "evil.example" not in policy.pinned_hosts()
    assert policy.HOSTS_FILE.parent.name == "config"


def test_an_approved_platform_reaches_the_kiosk_end_to_end(
    sqlite_server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    fleet = sqlite_server.fleet
    fleet.add_admin(ACTOR, "carol", PASSWORD, "province_admin", None)
    alice = fleet.actor(fleet.login("alice", PASSWORD, otp=otp(sqlite_server, "alice"))[0])
    carol = fleet.actor(fleet.login("carol", PASSWORD, otp=otp(sqlite_server, "carol"))[0])
    proposed = fleet.push(alice, "33", {"settings": {"platform": {"url": PINNED}}})
    fleet.approve_layer(carol, "33", proposed["proposal_id"])
    agent = make_agent(validate=validate_bundle)
    accept(sqlite_server, agent)
    report = agent.sync_once(apply=True)
    assert report["applied"] is not None and report["config_error"] is None, report


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_a_second_province_admin_approves_in_the_console(sqlite_server: FleetApp) -> None:
    sqlite_server.fleet.add_admin(ACTOR, "carol", PASSWORD, "province_admin", None)
    base = sqlite_server.base_url
    alice, carol = requests.Session(), requests.Session()
    try:
        assert form_login(alice, sqlite_server, "alice").status_code == 303
        assert form_login(carol, sqlite_server, "carol").status_code == 303
        layer = json.dumps({"settings": {"platform": {"url": PINNED}}})
        edit = alice.get(base + "/console/config/33", timeout=10)
        pushed = alice.post(base + "/console/config/33/push", timeout=10,
                            data={"layer": layer, "csrf": _csrf(edit)})  # fmt: skip
        assert "已提交待批准" in pushed.text
        assert 'id="approve-' not in pushed.text  # not by the one who proposed it
        shown = carol.get(base + "/console/config/33", timeout=10)
        assert "platform.url" in shown.text and 'id="approve-1"' in shown.text
        done = carol.post(base + "/console/config/33/approve", timeout=10,
                          data={"proposal_id": "1", "csrf": _csrf(shown)})  # fmt: skip
        assert "已批准" in done.text
    finally:
        alice.close()
        carol.close()
    came = bundle_payload(sqlite_server, "s-0001")["provenance"]["platform.url"]
    assert (came["proposed_by"], came["approved_by"]) == ("alice", "carol")
