"""What every sandbox handler gets besides the request: the transaction and the settings."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import sqlite3

from kiosk.appointments import AppointmentRules
from kiosk.upstream.models import CHINA_TZ, unsafe_filename
from kiosk.workdays import WorkCalendar
from sandbox.review import ReviewPolicy
from sandbox.storage import next_value
from sandbox.wire import Problem


@dc.dataclass(frozen=True)
class Settings:
    """Sandbox behaviour. ``dedupe=False`` switches idempotency off: the control run of
    the kill test uses it to prove that the test can see duplicates."""

    policy: ReviewPolicy = dc.field(default_factory=ReviewPolicy)
    appointments: AppointmentRules = dc.field(default_factory=AppointmentRules)
    speed: float = 1.0
    dedupe: bool = True
    region_code: str = "330110"
    max_json_bytes: int = 256 * 1024
    max_chunk_bytes: int = 1024 * 1024
    idempotency_retention: float = 35 * 86_400.0  # >= 30 days: kiosks stay offline for days

    @property
    def calendar(self) -> WorkCalendar:
        """Working days for promised dates and slots: the statutory calendar, with the
        site's holiday list when a kiosk embeds this sandbox (its appointment rules carry
        the site's calendar in)."""
        return self.appointments.calendar


@dc.dataclass
class Ctx:
    conn: sqlite3.Connection
    settings: Settings


def luhn_digit(digits: str) -> str:
    """The Luhn check digit, so a mistyped case number is caught at the lookup."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def new_case_no(conn: sqlite3.Connection, region_code: str, now: float) -> str:
    """A 办件编号 like ``330110 20250304 00017 5``: county division code, CST date, the
    day's sequence in that county, a check digit (20 digits, written without spaces)."""
    day = dt.datetime.fromtimestamp(now, CHINA_TZ).strftime("%Y%m%d")
    region = region_code[:6]
    seq = next_value(conn, f"case:{region}:{day}")
    body = f"{region}{day}{seq:05d}"
    return body + luhn_digit(body)


def check_filename(name: str, field: str) -> None:
    """Refuse names that could walk out of a directory or confuse a file system."""
    if unsafe_filename(name):
        raise Problem(422, "bad_filename", "filename has path or control characters", field=field)
