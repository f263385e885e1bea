"""Configuration layers inherited province → county → township → site, the push preview,
and signed bundles with versions that only go up — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from provisioning.agent import Agent
from provisioning.server import bundles
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.errors import Invalid
from tests.provisioning.conftest import CATALOGUE, bundle_payload

ACTOR = cli_actor("test")


def test_layers_inherit_with_the_nearest_level_winning(server: FleetApp) -> None:
    fleet = server.fleet
    fleet.push(
        ACTOR,
        "33",
        {
            "settings": {"session": {"idle_timeout_s": 180, "idle_warning_s": 40}},
            "catalogue": CATALOGUE,
            "branding": {"title": "浙江政务服务"},
        },
    )
    fleet.push(ACTOR, "330110", {"settings": {"session": {"idle_timeout_s": 240}},
                                 "exclude_matters": ["33102300RS-GG-0001"]})  # fmt: skip
    fleet.push(ACTOR, "s-0001", {"settings": {"ui": {"elderly_default": True}},
                                 "branding": {"title": "仓前村"}})  # fmt: skip
    site = bundle_payload(server, "s-0001")
    assert site["settings"]["session"] == {"idle_timeout_s": 240, "idle_warning_s": 40}
    assert site["settings"]["ui"] == {"elderly_default": True}
    assert site["settings"]["site"] == {"station_id": "s-0001", "station_name": "仓前村便民服务站"}
    assert site["branding"] == {"title": "仓前村"}
    assert len(site["catalogue"]["matters"]) == len(CATALOGUE["matters"]) - 1
    assert site["sources"] == [["33", 1], ["330110", 1], ["s-0001", 1]]
    other_county = bundle_payload(server, "s-0101")
    assert other_county["settings"]["session"]["idle_timeout_s"] == 180
    assert len(other_county["catalogue"]["matters"]) == len(CATALOGUE["matters"])


def test_a_push_signs_new_versions_only_where_content_changed(server: FleetApp) -> None:
    fleet = server.fleet
    first = fleet.push(ACTOR, "33", {"branding": {"title": "A"}})
    assert {site for site, _ in first["bundles"]} == {"s-0001", "s-0002", "s-0101"}
    again = fleet.push(ACTOR, "33", {"branding": {"title": "A"}})  # same content
    assert again["bundles"] == [] and again["layer_version"] == 2
    county = fleet.push(ACTOR, "330122", {"branding": {"title": "B"}})
    assert [site for site, _ in county["bundles"]] == ["s-0101"]
    versions = [v for _, v in first["bundles"]] + [v for _, v in county["bundles"]]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


def test_the_preview_says_what_changes_for_which_sites(server: FleetApp) -> None:
    fleet = server.fleet
    fleet.push(ACTOR, "33", {"settings": {"session": {"idle_timeout_s": 180}}})
    fleet.push(ACTOR, "s-0002", {"settings": {"session": {"idle_timeout_s": 300}}})
    preview = fleet.preview(ACTOR, "330110", {"settings": {"session": {"idle_timeout_s": 200}},
                                              "catalogue": CATALOGUE})  # fmt: skip
    changes = {p["site_id"]: p["changes"] for p in preview}
    catalogue = f"catalogue: （内置目录） → demo-2025.1（{len(CATALOGUE['matters'])} 项）"
    assert changes["s-0001"] == ["settings.session.idle_timeout_s: 180 → 200", catalogue]
    assert changes["s-0002"] == [catalogue]  # site wins
    with server.db.tx() as tx:  # a preview stores nothing
        assert tx.one("SELECT COUNT(*) AS n FROM config_layers WHERE node_id = '330110'") == {
            "n": 0
        }


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ({"settingz": {}}, "layer"),
        ({"settings": {"paths": {"state_dir": "/tmp/x"}}}, "settings.paths"),
        ({"settings": {"ui": {"width": {"nested": 1}}}}, "settings.ui.width"),
        ({"catalogue": {"no": "matters"}}, "catalogue.matters"),
        ({"branding": {"title": 3}}, "branding.title"),
        ({"branding": {"Title": "x"}}, "branding.Title"),  # a key that is not a name
        ({"exclude_matters": "x"}, "exclude_matters"),
    ],
)
def test_bad_layers_are_refused_naming_the_key(
    server: FleetApp, layer: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        server.fleet.push(ACTOR, "33", layer)
    assert refused.value.field == field
    with server.db.tx() as tx:
        assert tx.all("SELECT * FROM config_layers") == []


def test_bundles_are_reissued_before_they_expire(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any], clock: Any
) -> None:
    agent = make_agent(validate=lambda _dir: None)
    accept(server, agent)
    first = agent.sync_once(apply=True)["applied"]
    clock.advance(bundles.BUNDLE_TTL_S * 0.7)  # inside the last third of its life
    report = agent.sync_once(apply=True)
    assert report["applied"] is not None and report["applied"] > first
    assert report["config_expires_at"] > clock() + bundles.BUNDLE_TTL_S * 0.9


def test_a_moved_kiosk_gets_a_newer_version_from_its_new_site(
    server: FleetApp, make_agent: Callable[..., Agent], accept: Callable[..., Any]
) -> None:
    agent = make_agent(validate=lambda _dir: None)
    server.fleet.push(ACTOR, "s-0001", {"branding": {"title": "old"}})  # a low version
    accept(server, agent, "s-0101")
    server.fleet.push(ACTOR, "s-0101", {"branding": {"title": "x"}})
    server.fleet.push(ACTOR, "s-0101", {"branding": {"title": "y"}})
    applied = agent.sync_once(apply=True)["applied"]
    server.fleet.approve(ACTOR, agent.key.device_id, "s-0001")  # moved to a quieter site
    report = agent.sync_once(apply=True)
    assert report["site_id"] == "s-0001"
    assert report["applied"] > applied  # never refused as a rollback
