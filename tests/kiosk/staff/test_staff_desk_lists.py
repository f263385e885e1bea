"""The agent's desk lists: the station's cases sorted into overdue (red/yellow), returned
for 补正, pending and ready; and, against the embedded sandbox, a case submitted at this
station shows up there and moves to 'returned' when the department sends it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.outbox import Attachment, Submission
from kiosk.settings import load_settings, with_overrides
from kiosk.staff.cases import LISTS, desk_lists, station_desk
from kiosk.upstream import Applicant
from kiosk.upstream.case_models import CaseSummary
from terminal.runtime import Runtime

TODAY = dt.date(2026, 12, 1)  # a Tuesday


def summary(case_no: str, status: str, promised: str | None) -> CaseSummary:
    return CaseSummary(
        case_no=case_no,
        matter_code="33102300MZ-JF-0001",
        matter_name="高龄津贴申领",
        status=status,
        received_at="2026-11-20T09:00:00+08:00",
        promised_date=promised,
        missing_materials=["household_register"] if status == "returned" else [],
        applicant_masked="王**",
    )


def test_each_case_lands_in_exactly_one_list_red_before_yellow() -> None:
    lists = desk_lists(
        [
            summary("C1", "in_review", "2026-12-20"),  # green: pending
            summary("C2", "accepted", "2026-12-02"),  # yellow: due tomorrow
            summary("C3", "in_review", "2026-11-25"),  # red: past
            summary("C4", "returned", "2026-11-25"),  # returned wins over the date
            summary("C5", "completed", "2026-11-25"),  # ready for collection
            summary("C6", "received", None),  # no promised date yet: pending
        ],
        TODAY,
    )
    assert [v.number for v in lists.overdue] == ["C3", "C2"]
    assert [v.rag for v in lists.overdue] == ["red", "yellow"]
    assert [v.number for v in lists.returned] == ["C4"]
    assert lists.returned[0].missing == ("household_register",)
    assert [v.number for v in lists.pending] == ["C1", "C6"]
    assert [v.number for v in lists.ready] == ["C5"]
    assert lists.counts() == {"overdue": 2, "returned": 1, "pending": 2, "ready": 1}
    assert all(v.applicant_masked == "王**" for name in LISTS for v in lists.get(name))


def test_an_unknown_list_name_is_refused() -> None:
    with pytest.raises(KeyError):
        desk_lists([], TODAY).get("everything")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = with_overrides(load_settings(), paths={"state_dir": str(tmp_path)})
    rt = Runtime.start(settings, start_pump=False)
    yield rt
    rt.close()


def test_the_station_search_of_the_sandbox_feeds_the_desk(runtime: Runtime) -> None:
    station = runtime.settings.site.station_id
    queued = runtime.outbox.enqueue(
        Submission(
            matter_code="33102300MZ-JF-0001",
            matter_name="高龄津贴申领",
            department="区民政局",
            applicant=Applicant("resident_id", "110101194501011236", "王秀英", "13912345678"),
            answers={},
            attachments=[Attachment("M1", "p.jpg", "image/jpeg", b"\xff\xd8x")],
            channel="assisted",
            station_id=station,
            region_code="110101001001",
        )
    )
    runtime.pump.run_once(force=True)
    case_no = runtime.outbox.lookup(queued.provisional_no).case_no
    assert case_no
    today = dt.date.today()
    lists = station_desk(runtime.client, station, today)
    assert [v.case_no for v in lists.pending] == [case_no]
    assert "王秀英" not in lists.pending[0].applicant_masked
    assert station_desk(runtime.client, "another-station", today).counts()["pending"] == 0
    runtime.sandbox.set_review_outcome(case_no, "returned", ["household_register"])
    runtime.sandbox.set_review_speed(1e9)
    lists = station_desk(runtime.client, station, today)
    assert [v.case_no for v in lists.returned] == [case_no] and not lists.pending
