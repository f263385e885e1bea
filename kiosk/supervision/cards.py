"""Red and yellow cards on the cases of a station or a region (红黄牌预警), counted per
department, site or matter.

A case's card follows kiosk.workdays.due_card: red past its promised date (or finished
after it), yellow within ``warn_days`` working days of it. A case returned for
materials (退回补正) has none: the statutory clock waits for the citizen. Cases are
read through a small Protocol, so the fleet server can pass its own rows.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from kiosk.workdays import STATUTORY, Card, WorkCalendar, due_card, parse_date

WARN_DAYS = 2  # the warning window's default, as 办件查询 colours cases


class Supervised(Protocol):
    """What a card needs of a case (kiosk.upstream.case_models.SupervisedCase)."""

    @property
    def status(self) -> str: ...

    @property
    def promised_date(self) -> str | None: ...

    @property
    def completed_at(self) -> str | None: ...


C = TypeVar("C", bound=Supervised)


@dc.dataclass(frozen=True)
class CardCount:
    red: int = 0
    yellow: int = 0

    def plus(self, card: Card | None) -> CardCount:
        return CardCount(self.red + (card is Card.RED), self.yellow + (card is Card.YELLOW))


def case_card(
    case: Supervised,
    today: dt.date,
    warn_days: int = WARN_DAYS,
    calendar: WorkCalendar = STATUTORY,
) -> Card | None:
    """The case's card on ``today`` (see the module docstring)."""
    if case.status == "returned":
        return None
    promised = parse_date(case.promised_date)
    finished = parse_date(case.completed_at) if case.status == "completed" else None
    if case.status == "completed" and finished is None:
        return None  # completed, but the platform did not say when: no evidence of delay
    return due_card(promised, today, warn_days, calendar, finished=finished)


def tally(
    cases: Iterable[C],
    today: dt.date,
    by: Callable[[C], str],
    warn_days: int = WARN_DAYS,
    calendar: WorkCalendar = STATUTORY,
) -> dict[str, CardCount]:
    """Cards per group (``by``: a case's department, station or matter); groups with no
    card are left out."""
    out: dict[str, CardCount] = {}
    for case in cases:
        card = case_card(case, today, warn_days, calendar)
        if card is not None:
            key = by(case)
            out[key] = out.get(key, CardCount()).plus(card)
    return out
