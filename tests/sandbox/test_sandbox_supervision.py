"""Case supervision (电子监察) from the platform: a station's or a region's cases, paged,
with state, promised date, completion and the latest rating, nothing of the applicant;
and the red and yellow cards counted from them (kiosk.supervision.cards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from kiosk.supervision import CardCount, case_card, tally
from kiosk.upstream import Application, HttpPlatformClient, PlatformRejected
from kiosk.upstream.case_models import SupervisedCase
from kiosk.upstream.service_models import Rating
from kiosk.workdays import Card, add_working_days
from sandbox import SandboxPlatform
from sandbox.review import ReviewPolicy
from tests.support import FakeClock
from tests.support.platform import DEVICE, START

DAY = 86_400.0
D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sandbox(tmp_path: Path, clock: FakeClock) -> Iterator[SandboxPlatform]:
    """Departments decide after ten days: a promised case can run late."""
    sb = SandboxPlatform(
        tmp_path / "sandbox.db", clock=clock, review=ReviewPolicy(decide_after=10 * DAY)
    )
    sb.start()
    yield sb
    sb.close()


@pytest.fixture
def filed(
    client: HttpPlatformClient,
    make_app: Callable[..., Application],
    clock: FakeClock,
) -> dict[str, str]:
    """A: 即时办 at ST-0001 on 1 January (done at once); B: 承诺办 (5 working days) at
    ST-0001 the same day; C: 承诺办 at ST-0002 on 5 January, rated 非常不满意; D: another
    county's, on 6 January."""
    plan = [
        ("A", 0, "ST-0001", "330110001001", "instant"),
        ("B", 0, "ST-0001", "330110001001", "promised"),
        ("C", 4, "ST-0002", "330110002001", "promised"),
        ("D", 5, "ST-0009", "330122001001", "promised"),
    ]
    cases = {}
    for name, day, station, region, mode in plan:
        clock.now = START + day * DAY
        app = make_app(station_id=station, region_code=region, mode=mode, promised_days=5)
        cases[name] = client.submit_application(app, idem_key=f"app-{name}").case_no
    client.rate(_rating(cases["C"], 1, ["办事效率低"]), idem_key="rate-C")
    client.rate(_rating(cases["A"], 5, []), idem_key="rate-A")
    return cases


def _rating(case_no: str, level: int, reasons: list[str]) -> Rating:
    return Rating(case_no, "330110-RS-001", "区人力社保局", "330110", "kiosk", "ST-0001",
                  level, reasons, comment="窗口的王某态度差")  # fmt: skip


def _all(client: HttpPlatformClient, **scope: str) -> list[SupervisedCase]:
    out, cursor = [], None
    while True:
        page = client.supervision_cases(cursor=cursor, limit=2, **scope)
        out += page.cases
        if page.next_cursor is None:
            return out
        cursor = page.next_cursor


def test_a_station_and_a_region_are_listed_newest_first_in_pages(
    client: HttpPlatformClient, filed: dict[str, str], clock: FakeClock
) -> None:
    clock.now = START + 6 * DAY
    assert [c.case_no for c in _all(client, station_id="ST-0001")] == [filed["B"], filed["A"]]
    county = _all(client, region_code="330110")
    assert [c.case_no for c in county] == [filed["C"], filed["B"], filed["A"]]
    assert len(_all(client, region_code="33")) == 4  # the province: every county
    assert [c.case_no for c in _all(client, region_code="330122")] == [filed["D"]]
    first = client.supervision_cases(region_code="33", limit=3)
    assert len(first.cases) == 3 and first.next_cursor is not None
    last = client.supervision_cases(region_code="33", limit=3, cursor=first.next_cursor)
    assert [c.case_no for c in last.cases] == [filed["A"]] and last.next_cursor is None
    since = client.supervision_cases(region_code="33", received_from="2026-01-05")
    assert {c.case_no for c in since.cases} == {filed["C"], filed["D"]}
    until = client.supervision_cases(region_code="33", received_to="2026-01-05")
    assert {c.case_no for c in until.cases} == {filed["A"], filed["B"], filed["C"]}


def test_each_case_says_its_state_promise_completion_and_latest_rating(
    client: HttpPlatformClient, filed: dict[str, str], clock: FakeClock
) -> None:
    clock.now = START + 6 * DAY
    cases = {c.case_no: c for c in _all(client, region_code="330110")}
    a, b, c = cases[filed["A"]], cases[filed["B"]], cases[filed["C"]]
    assert (a.mode, a.status, a.completed_at) == (
        "instant",
        "completed",
        "2026-01-01T09:00:00+08:00",
    )
    assert a.rating is not None and a.rating.level == 5
    assert b.status == "in_review" and b.completed_at is None and b.rating is None
    assert b.promised_date == add_working_days(D(2026, 1, 1), 5).isoformat()
    assert c.rating is not None and (c.rating.level, c.rating.reasons) == (1, ["办事效率低"])
    assert (c.station_id, c.region_code, c.channel) == ("ST-0002", "330110002001", "kiosk")


def test_the_listing_carries_nothing_of_the_applicant_nor_the_comment(
    sandbox: SandboxPlatform, token: str, filed: dict[str, str]
) -> None:
    raw = requests.get(
        f"{sandbox.base_url}/v1/supervision/cases",
        params={"region_code": "33"},
        headers={"X-Device-Id": DEVICE, "Authorization": f"Bearer {token}"},
        timeout=5,
    ).text
    assert filed["A"] in raw
    for personal in ("张三", "330102199001011234", "13800001234", "王某", "贷款"):
        assert personal not in raw


def test_red_and_yellow_cards_per_station(
    sandbox: SandboxPlatform, client: HttpPlatformClient, filed: dict[str, str], clock: FakeClock
) -> None:
    # B is due 8 January (元旦 off, Sunday the 4th a make-up working day)
    sandbox.set_review_outcome(filed["B"], "completed")  # on 11 January, late

    def cards_on(day: dt.date) -> dict[str, CardCount]:
        clock.now = dt.datetime.combine(day, dt.time(10), CST).timestamp()
        return tally(_all(client, region_code="33"), day, by=lambda c: c.station_id)

    assert cards_on(D(2026, 1, 5)) == {}
    assert cards_on(D(2026, 1, 7)) == {"ST-0001": CardCount(yellow=1)}
    # 9 January: B late; C (due the 12th) and D (due the 13th) within two working days
    assert cards_on(D(2026, 1, 9)) == {
        "ST-0001": CardCount(red=1),
        "ST-0002": CardCount(yellow=1),
        "ST-0009": CardCount(yellow=1),
    }
    # 14 January: B finished late; C (due the 12th) and D (the 13th) late and undecided
    assert cards_on(D(2026, 1, 14)) == {
        "ST-0001": CardCount(red=1),
        "ST-0002": CardCount(red=1),
        "ST-0009": CardCount(red=1),
    }


def test_a_case_finished_late_keeps_its_red_card_and_a_returned_one_has_none(
    sandbox: SandboxPlatform, client: HttpPlatformClient, filed: dict[str, str], clock: FakeClock
) -> None:
    sandbox.set_review_outcome(filed["B"], "completed")  # decided on 11 January: late
    sandbox.set_review_outcome(filed["C"], "returned", ["id_card"])
    clock.now = START + 30 * DAY
    cases = {c.case_no: c for c in _all(client, region_code="330110")}
    today = D(2026, 1, 31)
    assert cases[filed["B"]].status == "completed"
    assert case_card(cases[filed["B"]], today) is Card.RED
    assert case_card(cases[filed["C"]], today) is None  # the clock waits for the citizen
    assert case_card(cases[filed["A"]], today) is None  # done on the day


@pytest.mark.parametrize(
    "scope",
    [
        {},  # neither
        {"station_id": "ST-0001", "region_code": "33"},  # both
        {"region_code": "3"},  # not a division prefix
        {"station_id": "ST-0001", "cursor": "zzz"},
        {"station_id": "ST-0001", "limit": "0"},
        {"station_id": "ST-0001", "limit": "201"},
        {"station_id": "ST-0001", "received_from": "2026-02-30"},
    ],
)
def test_a_bad_query_is_refused_naming_the_parameter(
    sandbox: SandboxPlatform, token: str, scope: dict[str, str]
) -> None:
    resp = requests.get(
        f"{sandbox.base_url}/v1/supervision/cases",
        params=scope,
        headers={"X-Device-Id": DEVICE, "Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert resp.status_code == 422 and resp.json()["code"] == "invalid_field", resp.text


def test_the_client_refuses_an_ambiguous_scope_before_asking(client: HttpPlatformClient) -> None:
    with pytest.raises(ValueError):
        client.supervision_cases()
    with pytest.raises(PlatformRejected):
        client.supervision_cases(station_id="ST-0001", limit=0)
