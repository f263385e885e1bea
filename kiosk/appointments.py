"""预约办 rules as data, shared by the kiosk (what it offers, when it lets a booking be
cancelled) and the sandbox platform (what it accepts).

The defaults are a published county centre's (research/features.md §4): book from
tomorrow within the next 5 working days, one booking per person per day, cancel at
least 2 hours before the start. A site sets its own in ``[appointments]``. Working days
are the statutory calendar's with the site's list over it (kiosk.workdays): no booking on
a public holiday, and a make-up Saturday (调休) is open like any working day.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from typing import Any

from kiosk.workdays import STATUTORY, WorkCalendar


@dc.dataclass(frozen=True)
class AppointmentRules:
    min_days_ahead: int = 1  # 1 = from tomorrow
    working_days: int = 5  # how many working days are open for booking
    per_person_per_day: int = 1
    cancel_before_hours: float = 2.0
    calendar: WorkCalendar = STATUTORY

    def __post_init__(self) -> None:
        if self.min_days_ahead < 0 or self.working_days < 1 or self.per_person_per_day < 1:
            raise ValueError("appointment rules out of range")
        if self.cancel_before_hours < 0:
            raise ValueError("cancel_before_hours must not be negative")

    def open_days(self, today: dt.date) -> list[dt.date]:
        """The dates a booking may be made for, as seen on ``today``: the first
        ``working_days`` working days from ``min_days_ahead`` days on."""
        first = today + dt.timedelta(days=self.min_days_ahead)
        before = first - dt.timedelta(days=1)
        return list(self.calendar.working_days_after(before, self.working_days))

    def bookable(self, start: dt.datetime, now: dt.datetime) -> bool:
        return start > now and start.date() in self.open_days(now.date())

    def cancel_deadline(self, start: dt.datetime) -> dt.datetime:
        return start - dt.timedelta(hours=self.cancel_before_hours)

    def can_cancel(self, start: dt.datetime, now: dt.datetime) -> bool:
        return now <= self.cancel_deadline(start)


def rules_from(settings: Any) -> AppointmentRules:
    """The site's rules (``[appointments]`` in settings)."""
    a = settings.appointments
    return AppointmentRules(
        min_days_ahead=a.min_days_ahead,
        working_days=a.working_days,
        per_person_per_day=a.per_person_per_day,
        cancel_before_hours=a.cancel_before_hours,
        calendar=settings.calendar.calendar(),
    )
