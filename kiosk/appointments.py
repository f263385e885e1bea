"""预约办 rules as data, shared by the kiosk (what it offers, when it lets a booking be
cancelled) and the sandbox platform (what it accepts).

The defaults are a published county centre's (research/features.md §4): book from
tomorrow within the next 5 working days, one booking per person per day, cancel at
least 2 hours before the start. A site sets its own in ``[appointments]``.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Collection
from typing import Any


@dc.dataclass(frozen=True)
class AppointmentRules:
    min_days_ahead: int = 1  # 1 = from tomorrow
    working_days: int = 5  # how many working days are open for booking
    per_person_per_day: int = 1
    cancel_before_hours: float = 2.0

    def __post_init__(self) -> None:
        if self.min_days_ahead < 0 or self.working_days < 1 or self.per_person_per_day < 1:
            raise ValueError("appointment rules out of range")
        if self.cancel_before_hours < 0:
            raise ValueError("cancel_before_hours must not be negative")

    def open_days(
        self, today: dt.date, holidays: Collection[dt.date] = frozenset()
    ) -> list[dt.date]:
        """The dates a booking may be made for, as seen on ``today``."""
        day = today + dt.timedelta(days=self.min_days_ahead - 1)
        days: list[dt.date] = []
        while len(days) < self.working_days:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in holidays:
                days.append(day)
        return days

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
    )
