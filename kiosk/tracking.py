"""办件查询's view of a case, and its colour against the promised date.

Green, yellow and red as township e-supervision uses them (research/features.md §4,
Hanyin): green while on time, yellow when the promised date is near (``warn_days``
working days or fewer left, by the statutory calendar with the site's list:
kiosk.workdays), red once it has passed. A completed case is *done*; a
case returned for materials needs the citizen (*action*). A case the platform could not
be asked about shows what this kiosk knows (``local_only``): saved, or sent.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Sequence
from typing import Any

from kiosk.workdays import STATUTORY, Card, WorkCalendar, due_card, parse_date

GREEN, YELLOW, RED, DONE, ACTION = "green", "yellow", "red", "done", "action"


@dc.dataclass(frozen=True)
class TimelineEntry:
    at: str
    state: str
    note: str = ""


@dc.dataclass(frozen=True)
class CaseView:
    number: str  # as the citizen knows it (a provisional number until mapped)
    case_no: str | None
    matter_code: str
    matter_name: str
    status: str  # a platform CaseState, or "queued" / "sent" when local_only
    timeline: tuple[TimelineEntry, ...]
    promised_date: dt.date | None
    missing: tuple[str, ...]
    rag: str
    local_only: bool = False
    applicant_masked: str = ""


def rag(
    status: str,
    promised: dt.date | None,
    today: dt.date,
    warn_days: int = 2,
    calendar: WorkCalendar = STATUTORY,
) -> str:
    """The case's colour on ``today``."""
    if status == "completed":
        return DONE
    if status == "returned":
        return ACTION
    card = due_card(promised, today, warn_days, calendar)
    return {Card.RED: RED, Card.YELLOW: YELLOW, None: GREEN}[card]


def progress_text(label: str, note: str) -> str:
    """One line of 办件进度: the state's label with the platform's note, saying nothing
    twice. The platform's note often repeats the state ("已受理" for *accepted*, "已收件，
    等待材料上传" for *received*): a note that says the label already stands alone; any
    other note follows the label in brackets.
    """
    note = note.strip()
    if not note or note == label:
        return label
    if label and label in note:
        return note
    return f"{label}（{note}）"


def from_status(
    status: Any,
    matter_name: str,
    today: dt.date,
    *,
    number: str | None = None,
    warn_days: int = 2,
    calendar: WorkCalendar = STATUTORY,
) -> CaseView:
    """A view of a platform CaseStatus (kiosk.upstream.models)."""
    promised = parse_date(status.promised_date)
    return CaseView(
        number=number or status.case_no,
        case_no=status.case_no,
        matter_code=status.matter_code,
        matter_name=matter_name,
        status=status.status,
        timeline=tuple(TimelineEntry(e.at, e.state, e.note) for e in status.timeline),
        promised_date=promised,
        missing=tuple(status.missing_materials),
        rag=rag(status.status, promised, today, warn_days, calendar),
    )


def from_summary(
    summary: Any, today: dt.date, warn_days: int = 2, calendar: WorkCalendar = STATUTORY
) -> CaseView:
    """A view of a CaseSummary (a list entry: no timeline)."""
    promised = parse_date(summary.promised_date)
    return CaseView(
        number=summary.case_no,
        case_no=summary.case_no,
        matter_code=summary.matter_code,
        matter_name=summary.matter_name,
        status=summary.status,
        timeline=(),
        promised_date=promised,
        missing=tuple(summary.missing_materials),
        rag=rag(summary.status, promised, today, warn_days, calendar),
        applicant_masked=summary.applicant_masked,
    )


def from_outbox(item: Any, matter_name: str) -> CaseView:
    """What this kiosk knows of an application the platform could not be asked about."""
    status = "queued" if str(item.state) == "pending" else "sent"
    return CaseView(
        number=item.number,
        case_no=item.case_no,
        matter_code=item.matter_code,
        matter_name=matter_name,
        status=status,
        timeline=(),
        promised_date=None,
        missing=(),
        rag=GREEN,
        local_only=True,
    )


def counts(views: Sequence[CaseView]) -> dict[str, int]:
    """How many cases of each colour (the agent's summary line)."""
    out = {GREEN: 0, YELLOW: 0, RED: 0, DONE: 0, ACTION: 0}
    for view in views:
        out[view.rag] = out.get(view.rag, 0) + 1
    return out
