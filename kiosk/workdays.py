"""Working-day arithmetic for promised completion dates (承诺时限)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def add_working_days(
    start: dt.date, days: int, holidays: Collection[dt.date] = frozenset()
) -> dt.date:
    """The date ``days`` working days after ``start`` (Mon–Fri, skipping ``holidays``).

    Make-up working weekends (调休) are not modelled; the platform's promised date,
    when it sends one, wins over this estimate.
    """
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day
