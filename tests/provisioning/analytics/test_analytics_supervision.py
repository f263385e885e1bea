"""电子监察 on the fleet server: cases filed at the kiosks' stations are pulled from the
stand-in platform's API, dealt red and yellow cards per department, site and matter,
and every 差评 opens a follow-up that moves assigned → called back → rectified, each
step stored with who did it and written to the audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.upstream import Applicant, Application, HttpPlatformClient
from kiosk.upstream.service_models import Rating
from provisioning.server import audit
from provisioning.server.accounts import cli_actor
from provisioning.server.analytics import queries, supervision
from provisioning.server.app import FleetApp
from provisioning.server.errors import Conflict, Forbidden, Invalid
from sandbox import SandboxPlatform
from sandbox.review import ReviewPolicy
from tests.provisioning.conftest import PASSWORD, form_login, otp
from tests.support import FakeClock

DAY = 86_400.0
FLEET_CLIENT = "FLEET-33"


@pytest.fixture
def platform(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[SandboxPlatform, str]]:
    sb = SandboxPlatform(tmp_path / "platform.db", clock=clock,
                         review=ReviewPolicy(decide_after=10 * DAY))  # fmt: skip
    sb.start()
    yield sb, sb.register_device(FLEET_CLIENT)
    sb.close()


def _file(sb: SandboxPlatform, token: str, station: str, key: str) -> str:
    client = HttpPlatformClient(sb.base_url, FLEET_CLIENT, token, timeout=5)
    app = Application(
        matter_code="330110-RS-001", matter_name="社会保险参保证明打印",
        department="区人力社保局",
        applicant=Applicant("resident_id", "330102199001011234", "张三", "13800001234"),
        channel="kiosk", station_id=station, region_code="330110", mode="promised",
        promised_days=5,
    )  # fmt: skip
    case_no = client.submit_application(app, idem_key=key).case_no
    client.close()
    return case_no


def _rate(sb: SandboxPlatform, token: str, case_no: str, level: int) -> None:
    client = HttpPlatformClient(sb.base_url, FLEET_CLIENT, token, timeout=5)
    client.rate(Rating(case_no, "330110-RS-001", "区人力社保局", "330110", "kiosk", "s-0101",
                       level, ["办事效率低"], comment="张三说窗口态度差"),
                idem_key=f"rate-{case_no}")  # fmt: skip
    client.close()


def test_cases_are_pulled_carded_and_followed_up(
    server: FleetApp, clock: FakeClock, platform: tuple[SandboxPlatform, str]
) -> None:
    sb, token = platform
    late = _file(sb, token, "s-0001", "a")
    rated = _file(sb, token, "s-0101", "b")
    _rate(sb, token, rated, 1)
    source = supervision.Platform(sb.base_url, FLEET_CLIENT, token)
    sites = ["s-0001", "s-0002", "s-0101"]

    assert supervision.pull(server.db, source, sites, clock()) == {
        "cases": 2, "followups_opened": 1}  # fmt: skip
    with server.db.read() as tx:
        assert queries.cards(tx, "33")["red"] == 0  # promised in five working days
        row = tx.one("SELECT * FROM sv_cases WHERE case_no = ?", (late,))
        assert row is not None and row["site_id"] == "s-0001" and row["promised_date"]
        assert "张三" not in json.dumps(tx.all("SELECT * FROM sv_cases"), ensure_ascii=False)

    clock.advance(30 * DAY)  # decided after ten days: finished after its promised date
    again = supervision.pull(server.db, source, sites, clock())
    assert again == {"cases": 2, "followups_opened": 0}  # the same cases, one follow-up
    with server.db.read() as tx:
        county = queries.cards(tx, "330110")
        other = queries.cards(tx, "330122")
    assert (county["red"], county["yellow"]) == (1, 0)
    assert county["department"] == [{"key": "区人力社保局", "name": "区人力社保局",
                                     "red": 1, "yellow": 0}]  # fmt: skip
    assert county["site"][0]["key"] == "s-0001" and county["site"][0]["name"] == "仓前村便民服务站"
    assert county["matter"][0]["key"] == "330110-RS-001"
    # each county sees only its own sites' cards
    assert [r["key"] for r in county["site"]] == ["s-0001"]
    assert all(r["key"] == "s-0101" for r in other["site"])


def test_a_follow_up_moves_in_order_with_who_did_what(
    server: FleetApp, clock: FakeClock, platform: tuple[SandboxPlatform, str]
) -> None:
    sb, token = platform
    rated = _file(sb, token, "s-0101", "b")
    _rate(sb, token, rated, 2)
    supervision.pull(server.db, supervision.Platform(sb.base_url, FLEET_CLIENT, token),
                     ["s-0101"], clock())  # fmt: skip
    alice = server.fleet.actor(server.fleet.login("alice", PASSWORD, otp=otp(server, "alice"))[0])
    bob = server.fleet.actor(server.fleet.login("bob", PASSWORD)[0])  # 余杭区 only

    with pytest.raises(Conflict) as refused:  # nobody has called back an unassigned one
        supervision.advance(server.db, alice, rated, "call_back", clock(), outcome="reached")
    assert refused.value.code == "followup_not_allowed"
    with pytest.raises(Forbidden):  # another county's case
        supervision.advance(server.db, bob, rated, "assign", clock(), assignee="王五")
    with pytest.raises(Invalid):
        supervision.advance(server.db, alice, rated, "delete", clock())

    steps = [("assign", {"assignee": "王五"}), ("call_back", {"outcome": "unreachable"}),
             ("call_back", {"outcome": "reached", "note": "已致歉"}),
             ("rectify", {"note": "窗口增配一名帮办员"})]  # fmt: skip
    states = []
    for action, kw in steps:
        clock.advance(3600)
        states.append(supervision.advance(server.db, alice, rated, action, clock(), **kw)["state"])
    assert states == ["assigned", "assigned", "called_back", "rectified"]
    with server.db.read() as tx:
        (row,) = supervision.followups(tx, "330122")
        assert supervision.followups(tx, "330110") == []
        trail = audit.entries(tx, limit=20)
    assert row["state"] == "rectified" and row["assignee"] == "王五"
    assert [e["actor"] for e in row["doc"]["history"]] == ["alice"] * 4
    mine = [e for e in trail if e["target"] == rated]
    assert [e["action"] for e in reversed(mine)] == [
        "followup_open", "followup_assign", "followup_call_back", "followup_call_back",
        "followup_rectify"]  # fmt: skip
    assert mine[0]["actor"] == "alice" and mine[0]["detail"]["note"] == "窗口增配一名帮办员"
    with pytest.raises(Conflict):  # rectified is the end
        supervision.advance(server.db, cli_actor("ops"), rated, "assign", clock(), assignee="x")


def test_the_console_form_moves_a_follow_up_and_refuses_without_its_token(
    sqlite_server: FleetApp, clock: FakeClock
) -> None:
    case = {"case_no": "C-1", "matter_code": "330110-RS-001", "matter_name": "参保证明",
            "department": "区人力社保局", "status": "completed",
            "received_at": "2026-01-01T09:00:00+08:00", "promised_date": "2026-01-08",
            "completed_at": "2026-01-01T10:00:00+08:00",
            "rating": {"rating_id": "R-1", "level": 1, "rated_at": "2026-01-01T11:00:00+08:00",
                       "reasons": []}}  # fmt: skip
    with sqlite_server.db.tx() as tx:
        assert supervision._store(tx, "s-0001", case, dt.date(2026, 1, 1), clock()) == 1
    http = requests.Session()
    base = sqlite_server.base_url
    form_login(http, sqlite_server)
    page = http.get(base + "/console/analytics/330110/followups", timeout=30).text
    assert 'data-case="C-1" data-state="open"' in page
    assert 'data-card="red"' not in page  # due 15 working days after the rating
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    form = {"action": "assign", "assignee": "王五", "node": "330110"}
    refused = http.post(base + "/console/followups/C-1", data=form, timeout=30)
    assert refused.status_code == 403  # no CSRF token: nothing changes
    done = http.post(base + "/console/followups/C-1", data=form | {"csrf": csrf.group(1)},
                     timeout=30)  # fmt: skip
    assert done.status_code == 200 and 'data-case="C-1" data-state="assigned"' in done.text
    assert "alice：assign → 王五" in done.text
