"""Working days by the statutory calendar (kiosk.workdays), the fleet's list over it,
and the stand-in platform counting the same way.

Regression (issue 19, item 1): working days were Monday to Friday, so promised dates fell
inside 春节 and 国庆, holidays could be booked, make-up working days (调休) were unknown,
and the stand-in platform added calendar days: a case accepted on 2026-12-06 for
高龄津贴申领 (15 working days) printed 2026-12-25 while 办件查询 said 2026-12-21.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.appointments import AppointmentRules
from kiosk.settings import SettingsError, load_settings
from kiosk.upstream.models import CHINA_TZ, CaseState
from kiosk.workdays import STATUTORY, Card, Due, add_working_days, calendar_of, due_card
from sandbox.review import Outcome, ReviewPolicy, timeline

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # 国庆: 1-7 October off
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # a make-up Saturday before 春节 counts
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # 春节: 15-23 February off
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # 元旦 2026, then a make-up Sunday
        (D(2026, 12, 6), 15, D(2026, 12, 25)),  # the case: no holiday in between
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
)
def test_the_statutory_calendar(start: dt.date, days: int, due: dt.date) -> None:
    assert STATUTORY.add_working_days(start, days) == Due(due)
    assert add_working_days(start, days) == due


def test_beyond_every_known_schedule_weekends_only_and_it_says_so() -> None:
    due = STATUTORY.add_working_days(D(2026, 12, 24), 10)
    assert due == Due(D(2027, 1, 7), weekends_only=True)  # 2027 not published in the package


def test_the_fleets_list_extends_and_overrides_the_statutory_calendar() -> None:
    pushed = calendar_of(
        holidays=["2027-01-01", "2026-12-28"],  # 元旦 2027; a local day off in a known year
        workdays=["2026-10-10..2026-10-10", "2027-01-02"],  # already make-up; a new one
        years=[2027],
    )
    assert not pushed.is_working_day(D(2026, 12, 28))
    assert pushed.is_working_day(D(2027, 1, 2))  # a Saturday
    due = pushed.add_working_days(D(2026, 12, 24), 3)
    assert due == Due(D(2026, 12, 30))  # 25th, 29th, 30th: the 28th is off
    assert pushed.add_working_days(D(2026, 12, 31), 1) == Due(D(2027, 1, 2))
    with pytest.raises(ValueError, match="both"):
        calendar_of(["2027-01-01"], ["2027-01-01"], [])
    with pytest.raises(ValueError, match="2027-13-01"):
        calendar_of(["2027-13-01"], [], [])


def test_no_booking_on_a_public_holiday_and_a_make_up_day_is_open() -> None:
    rules = AppointmentRules(min_days_ahead=1, working_days=3)
    assert rules.open_days(D(2026, 2, 12)) == [D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 24)]


def test_the_stand_in_platform_promises_the_date_the_kiosk_promises() -> None:
    accepted = dt.datetime(2026, 12, 6, 10, 0, tzinfo=CHINA_TZ).timestamp()
    line = timeline(
        received_at=accepted,
        accepted_at=accepted,
        instant=False,
        outcome=Outcome(CaseState.COMPLETED),
        promised_days=15,
        policy=ReviewPolicy(),
        speed=1.0,
        now=accepted,
    )
    assert line.promised_date == "2026-12-25" == add_working_days(D(2026, 12, 6), 15).isoformat()


def test_the_calendar_setting_is_typed_and_checked(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        '[calendar]\nholidays = ["2027-01-01", "2027-02-06..2027-02-12"]\n'
        'workdays = ["2027-02-14"]\nyears = [2027]\n'
    )
    calendar = load_settings(site).calendar.calendar()
    assert calendar.years == {2027} and D(2027, 2, 9) in calendar.holidays
    assert not calendar.add_working_days(D(2027, 2, 5), 1).weekends_only
    for body, key in [
        ('holidays = ["2027-1-1"]', "calendar.holidays"),
        ('workdays = ["2027-02-12..2027-02-06"]', "calendar.workdays"),
        ('holidays = ["2027-01-01"]\nworkdays = ["2027-01-01"]', "calendar.workdays"),
        ("years = [1999]", "calendar.years"),
        ('years = ["2027"]', "calendar.years[0]"),
    ]:
        site.write_text(f"[calendar]\n{body}\n")
        with pytest.raises(SettingsError) as info:
            load_settings(site)
        assert info.value.key == key and info.value.file == str(site), body


@pytest.mark.parametrize(
    ("today", "warn", "finished", "card"),
    [
        (D(2026, 9, 29), 1, None, None),  # two working days left: on time
        (D(2026, 9, 30), 1, None, Card.YELLOW),  # one working day left, eight calendar days
        (D(2026, 10, 8), 0, None, Card.YELLOW),  # the day itself, with no window
        (D(2026, 10, 9), 2, None, Card.RED),  # past it
        (D(2026, 10, 20), 2, D(2026, 10, 8), None),  # finished on the day: no card
        (D(2026, 10, 20), 2, D(2026, 10, 9), Card.RED),  # finished late keeps its red card
    ],
)
def test_red_and_yellow_cards_count_working_days(
    today: dt.date, warn: int, finished: dt.date | None, card: Card | None
) -> None:
    promised = D(2026, 10, 8)  # the first working day after 国庆
    assert due_card(promised, today, warn, finished=finished) == card
    assert due_card(None, today, warn) is None


def test_the_fleets_list_moves_a_card() -> None:
    """A day off the fleet adds (a local holiday) pushes the window back a day."""
    promised = D(2027, 3, 10)  # a Wednesday, beyond the package's years
    local = calendar_of(["2027-03-09"], [], [2027])
    assert due_card(promised, D(2027, 3, 8), 1) is None
    assert due_card(promised, D(2027, 3, 8), 1, local) is Card.YELLOW
