"""The agent's desk: this station's cases from the platform, in the lists an agent works.

``pending`` (in hand, on time), ``returned`` (退回补正: the citizen must bring
something), ``overdue`` (red past the promised date, yellow close to it: kiosk.tracking)
and ``ready`` (办结: ready for collection). Each case is in exactly one list; the
applicant shows masked, as the platform sends it.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from typing import Any

from kiosk.tracking import ACTION, DONE, RED, YELLOW, CaseView, from_summary

LISTS = ("overdue", "returned", "pending", "ready")


@dc.dataclass(frozen=True)
class DeskLists:
    pending: tuple[CaseView, ...] = ()
    returned: tuple[CaseView, ...] = ()
    overdue: tuple[CaseView, ...] = ()
    ready: tuple[CaseView, ...] = ()

    def get(self, name: str) -> tuple[CaseView, ...]:
        if name not in LISTS:
            raise KeyError(name)
        cases: tuple[CaseView, ...] = getattr(self, name)
        return cases

    def counts(self) -> dict[str, int]:
        return {name: len(self.get(name)) for name in LISTS}


def sort_key(view: CaseView) -> tuple[int, dt.date, str]:
    """Red before yellow, then the earliest promised date, then the number."""
    return (0 if view.rag == RED else 1, view.promised_date or dt.date.max, view.number)


def desk_lists(summaries: list[Any], today: dt.date, warn_days: int = 2) -> DeskLists:
    """The station's cases (platform CaseSummary entries) sorted into the desk's lists."""
    views = [from_summary(s, today, warn_days) for s in summaries]
    lists: dict[str, list[CaseView]] = {name: [] for name in LISTS}
    for view in views:
        if view.rag == DONE:
            lists["ready"].append(view)
        elif view.rag == ACTION:
            lists["returned"].append(view)
        elif view.rag in (RED, YELLOW):
            lists["overdue"].append(view)
        else:
            lists["pending"].append(view)
    return DeskLists(**{name: tuple(sorted(cases, key=sort_key)) for name, cases in lists.items()})


def station_desk(client: Any, station_id: str, today: dt.date, warn_days: int = 2) -> DeskLists:
    """Ask the platform for the station's cases (blocking: off the UI thread)."""
    return desk_lists(client.search_cases(station_id=station_id), today, warn_days)
