"""Working days (工作日) by the statutory calendar, for every date the kiosk promises.

承诺时限 on receipts, the call-back date of 延时办, the days 预约办 opens and the colour
办件查询 gives a case are all counted here, and the stand-in platform counts with the same
rule, so the kiosk and the platform agree on a case's promised date.

The statutory calendar is the State Council's published schedule of public holidays and
make-up working days (调休), as shipped by the ``chinese-calendar`` package. The next
year's schedule is published each November or December, often before the package has it,
so the fleet can push a list that extends or overrides it (``[calendar]`` in settings):
days off, make-up working days, and the years whose whole schedule the list gives.

For a date beyond every known schedule the rule is Monday to Friday, and the answer says
so (:attr:`Due.weekends_only`) for the caller to show or log.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator

from chinese_calendar import constants as statutory

_STATUTORY_YEARS = frozenset(d.year for d in statutory.holidays)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?")
MAX_RUN = 60  # days in one "from..to" entry: longer is a typing mistake


@dc.dataclass(frozen=True)
class Due:
    """A date counted in working days. ``weekends_only`` when some day counted lies
    beyond every known schedule: holidays there are unknown, only weekends were skipped."""

    date: dt.date
    weekends_only: bool = False


@dc.dataclass(frozen=True)
class WorkCalendar:
    """The statutory calendar, with the fleet's list over it (empty by default).

    ``holidays`` are days off and ``workdays`` make-up working days, each overriding the
    statutory schedule for that date; ``years`` are the years the list gives in full (a
    schedule the package does not have yet).
    """

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()

    def known(self, day: dt.date) -> bool:
        """Whether ``day`` lies within a published schedule (the package's or the list's)."""
        return day.year in _STATUTORY_YEARS or day.year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays or day in statutory.holidays:
            return False
        return day in statutory.workdays or day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> Due:
        """The date ``days`` working days after ``start`` (``start`` itself not counted;
        0 days is ``start``)."""
        day, beyond = start, False
        for day in self.working_days_after(start, days):
            beyond = beyond or not self.known(day)
        return Due(day, beyond)

    def working_days_after(self, start: dt.date, count: int) -> Iterator[dt.date]:
        """The first ``count`` working days after ``start``, in order."""
        day, left = start, count
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
                yield day


STATUTORY = WorkCalendar()


def add_working_days(start: dt.date, days: int, calendar: WorkCalendar = STATUTORY) -> dt.date:
    """The date ``days`` working days after ``start`` by ``calendar`` (the statutory one
    unless given); :meth:`WorkCalendar.add_working_days` also says whether it is sure."""
    return calendar.add_working_days(start, days).date


class Card(enum.StrEnum):
    """Electronic supervision's cards on a case with a promised date (红黄牌预警)."""

    RED = "red"  # past the promised date (逾期), or finished after it
    YELLOW = "yellow"  # due within the warning window (临近承诺时限)


def due_card(
    promised: dt.date | None,
    today: dt.date,
    warn_days: int,
    calendar: WorkCalendar = STATUTORY,
    *,
    finished: dt.date | None = None,
) -> Card | None:
    """The card a case due on ``promised`` gets on ``today``, or None while on time.

    Red once ``today`` is past the promised date; yellow when ``warn_days`` working days
    from ``today`` reach it (0: on the day itself). A case ``finished`` on a day keeps a
    red card when that day was late and has none otherwise. One rule for the kiosk's
    colours (kiosk.tracking), the stand-in platform and the fleet server's supervision.
    """
    if promised is None:
        return None
    if finished is not None:
        return Card.RED if finished > promised else None
    if today > promised:
        return Card.RED
    if calendar.add_working_days(today, warn_days).date >= promised:
        return Card.YELLOW
    return None


def parse_date(text: str | None) -> dt.date | None:
    """The calendar day of a platform date or date-time (ISO, CST), for :func:`due_card`;
    None when there is none or it does not read as one."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_days(entries: Iterable[str]) -> frozenset[dt.date]:
    """Dates from settings entries: ``"2027-01-01"`` or a run ``"2027-02-06..2027-02-12"``.
    ValueError naming the first bad entry."""
    days: set[dt.date] = set()
    for entry in entries:
        match = _RANGE.fullmatch(entry.strip())
        try:
            if match is None:
                raise ValueError
            first = dt.date.fromisoformat(match[1])
            last = dt.date.fromisoformat(match[2]) if match[2] else first
        except ValueError:
            raise ValueError(f"{entry!r} is not a date (YYYY-MM-DD) or a run (A..B)") from None
        if not 0 <= (last - first).days < MAX_RUN:
            raise ValueError(f"{entry!r}: a run goes forward, at most {MAX_RUN} days")
        days.update(first + dt.timedelta(n) for n in range((last - first).days + 1))
    return frozenset(days)


def calendar_of(
    holidays: Iterable[str], workdays: Iterable[str], years: Iterable[int]
) -> WorkCalendar:
    """The calendar a ``[calendar]`` settings section describes; ValueError if a date is
    bad or is both a day off and a working day."""
    off, on = parse_days(holidays), parse_days(workdays)
    both = sorted(off & on)
    if both:
        raise ValueError(f"{both[0].isoformat()} is both a holiday and a working day")
    return WorkCalendar(off, on, frozenset(years))
