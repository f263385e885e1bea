"""Three kiosks (real runtimes on simulated devices, each with its embedded platform) at
two sites serve scripted citizens through the demo journeys' flows; their agents enroll
with a real fleet server (provisioning.server, SQLite, on loopback) and send the hour's
usage; the fleet's report (``kiosk-fleet report``'s data) is what the journeys did:
served, completed, abandoned at the form, ratings, a complaint, receipts printed, at the
township and down to each site, where counts under 5 show as "<5".

The journeys are driven through the flows and effects the screens call (the helpers of
tests/terminal/test_usage_kiosks.py), not through the Kivy UI: the UI demo takes minutes
per journey under Xvfb; the UI's own counting is covered by tests/screens/test_ui_privacy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.flows.base import Rated, Step
from kiosk.session import EndReason
from provisioning.server.accounts import cli_actor
from provisioning.server.analytics import queries, report
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import TokenBuckets
from tests.support.allowance import ALLOWANCE
from tests.support.closing import closing_all
from tests.support.usage import CST, WallClock
from tests.terminal.test_usage_kiosks import Kiosk

START = dt.datetime(2026, 1, 5, 9, 5, tzinfo=CST)
DAY = "2026-01-05"


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[tuple[FleetApp, WallClock]]:
    wall = WallClock(START)
    app = FleetApp(tmp_path / "fleet", None, clock=lambda: wall().timestamp(),
                   buckets=TokenBuckets(rate=1000, burst=1000))  # fmt: skip
    actor = cli_actor("test")
    app.fleet.add_region(actor, "33", "浙江省", "province", None)
    app.fleet.add_region(actor, "330110", "余杭区", "county", "33")
    app.fleet.add_region(actor, "330110001", "仓前街道", "township", "330110")
    app.fleet.add_region(actor, "s-0001", "仓前村便民服务站", "site", "330110001")
    app.fleet.add_region(actor, "s-0002", "灵源村便民服务站", "site", "330110001")
    app.start()
    yield app, wall
    app.stop()


@pytest.fixture
def kiosks(tmp_path: Path, fleet: tuple[FleetApp, WallClock]) -> Iterator[list[Kiosk]]:
    app, wall = fleet
    actor = cli_actor("test")
    with closing_all(Kiosk.start) as start:
        made: list[Kiosk] = []
        for n, station in enumerate(("s-0001", "s-0001", "s-0002")):
            kiosk = start(tmp_path / f"kiosk-{n}", station, wall, clock=lambda: wall().timestamp())
            code, _ = app.fleet.pairing_code(actor, station)
            kiosk.agent.enroll(app.base_url, code, f"SN-{n}")
            app.fleet.approve(actor, kiosk.agent.key.device_id, station)
            made.append(kiosk)
        yield made


def _matter(found: dict[str, Any]) -> dict[str, Any]:
    (row,) = [m for m in found["matters"] if m["matter"] == ALLOWANCE]
    return row


def test_the_fleets_report_is_what_the_journeys_did(
    kiosks: list[Kiosk], fleet: tuple[FleetApp, WallClock]
) -> None:
    app, wall = fleet
    one, two, three = kiosks
    one.apply(rating=Rated(5))
    one.runtime.sessions.end(EndReason.FINISHED)
    one.apply(until=Step.FORM)  # walks away at the form
    one.clock.advance(60)
    one.runtime.sessions.end(EndReason.TIMEOUT)
    two.apply(rating=Rated(4))
    two.runtime.sessions.end(EndReason.FINISHED)
    three.complain()
    three.runtime.sessions.end(EndReason.FINISHED)
    three.apply(rating=Rated(2, ("efficiency",)))
    three.runtime.sessions.end(EndReason.CARD_REMOVED)

    wall.advance(hours=1)
    for kiosk in kiosks:
        assert kiosk.agent.sync_once()["usage"] == {"sent": 1, "refused": [], "kept": 0}
    span = queries.span(DAY, DAY, START.date())
    actor = cli_actor("test")

    town = report.build(app.db, actor, "330110001", span)
    u = town["usage"]
    assert u["served"] == 5  # 2 + 1 + 2 sessions
    assert u["per_day"] == {"days": [DAY], "served": [5]}
    assert u["journeys"] == {"started": 5, "completed": 4, "abandoned": 1, "assisted": 0}
    allowance = _matter(town)
    assert (allowance["started"], allowance["completed"], allowance["abandoned"]) == (4, 3, 1)
    assert allowance["ratings"] == 3 and allowance["bad_ratings"] == 1
    assert allowance["rating_mean"] == round((5 + 4 + 2) / 3, 2)
    assert u["ratings"]["total"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert u["complaints"] == {"service_attitude": 1}
    assert {i["method"]: i["count"] for i in u["identity"]}["id_card"] == 4
    assert u["prints"] == {"printed": 4}  # three receipts and the complaint slip
    # the funnel: four reached the form, one left there (timed out), three got a receipt
    with app.db.read() as tx:
        steps = {s["step"]: s for s in queries.funnel(tx, "330110001", span, "promised",
                                                      ALLOWANCE)}  # fmt: skip
    assert steps["form"]["reached"] == 4
    assert steps["form"]["abandoned"] == 1 and steps["form"]["reasons"] == {"timeout": 1}
    assert steps["receipt"]["reached"] == 3
    # per station, the same numbers split
    by_site = {c["id"]: c for c in town["children"]}
    assert (by_site["s-0001"]["served"], by_site["s-0002"]["served"]) == (3, 2)

    # a site's own report: counts under 5 are "<5", in the data and in the files
    site = report.build(app.db, actor, "s-0002", span)
    assert site["site_level"] and site["usage"]["per_day"]["served"] == [None]
    table = report.rows(site)
    assert ["summary", "all", "served", "<5"] in table
    assert not [r for r in table if r[0] == "summary" and r[3] == 2]
    # and the province sees the same as the township (nothing else reported)
    assert report.build(app.db, actor, "33", span)["usage"]["served"] == 5

    # a resend of the same hours (the answers lost) changes nothing
    for kiosk in kiosks:
        with kiosk.runtime.usage.store.db.tx() as conn:
            conn.execute("UPDATE batches SET state = 'pending'")
        assert kiosk.agent.sync_once()["usage"]["sent"] == 1
    assert report.build(app.db, actor, "330110001", span)["usage"]["served"] == 5
