"""Simulated department review (部门审批): a pure function of the clock.

A case is *received* (已收件) until every attachment in its manifest has arrived, then
*accepted* (受理); after ``review_after`` it is *in review* (审核中), and after
``decide_after`` either *completed* (办结) or *returned* (退回补正) with the materials
to supply. A 即时办 (instant) case completes on acceptance. Durations are simulated
seconds divided by ``speed``, so a demo can run a day's review in a minute.

The outcome is deterministic per case number (a hash) unless a test sets it, so runs
repeat exactly.

The promised date (承诺办结) is ``promised_days`` working days after acceptance by the
same rule as the kiosk's (kiosk.workdays: the statutory calendar with the site's list),
so a receipt and 办件查询 show the same date. The clock starts when the station accepted
the application: the day its case number was issued for the receipt, when it was; else
the day the platform accepted it.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import hashlib

from kiosk.upstream.models import CHINA_TZ, CaseState, iso
from kiosk.workdays import STATUTORY, WorkCalendar

NOTES = {
    CaseState.RECEIVED: "已收件，等待材料上传",
    CaseState.ACCEPTED: "已受理",
    CaseState.IN_REVIEW: "部门审核中",
    CaseState.COMPLETED: "已办结",
    CaseState.RETURNED: "退回补正",
}


@dc.dataclass(frozen=True)
class ReviewPolicy:
    review_after: float = 600.0  # 受理 -> 审核中, simulated seconds
    decide_after: float = 86_400.0  # 受理 -> 办结 or 退回补正
    return_percent: int = 20  # share of cases returned for correction
    promised_days: int = 5  # default 承诺时限 when the application names none


@dc.dataclass(frozen=True)
class Outcome:
    state: CaseState  # COMPLETED or RETURNED
    missing: tuple[str, ...] = ()


def default_outcome(case_no: str, policy: ReviewPolicy, materials: list[str]) -> Outcome:
    """The deterministic outcome of a case: a hash of its number against the policy."""
    bucket = int(hashlib.sha256(case_no.encode()).hexdigest()[:8], 16) % 100
    if bucket < policy.return_percent:
        return Outcome(CaseState.RETURNED, (materials[0] if materials else "supplementary",))
    return Outcome(CaseState.COMPLETED)


@dc.dataclass(frozen=True)
class Timeline:
    state: CaseState
    events: list[tuple[str, CaseState, str]]  # (ISO time, state, note)
    promised_date: str | None
    missing: list[str]


def promised_date(accepted: float, promised_days: int, calendar: WorkCalendar) -> str:
    """承诺办结: ``promised_days`` working days after the (CST) day of ``accepted``."""
    day = dt.datetime.fromtimestamp(accepted, CHINA_TZ).date()
    return calendar.add_working_days(day, promised_days).date.isoformat()


def timeline(
    *,
    received_at: float,
    accepted_at: float | None,
    instant: bool,
    outcome: Outcome,
    promised_days: int,
    policy: ReviewPolicy,
    speed: float,
    now: float,
    calendar: WorkCalendar = STATUTORY,
    promised_from: float | None = None,
) -> Timeline:
    """Where a case stands at ``now``. The promise counts from ``promised_from`` (when
    the station accepted it), else from ``accepted_at``."""
    events = [(iso(received_at), CaseState.RECEIVED, NOTES[CaseState.RECEIVED])]
    if accepted_at is None:
        return Timeline(CaseState.RECEIVED, events, None, [])
    start = accepted_at if promised_from is None else promised_from
    promised = promised_date(start, promised_days, calendar)
    steps = [(accepted_at, CaseState.ACCEPTED)]
    if instant:
        steps.append((accepted_at, CaseState.COMPLETED))
    else:
        steps.append((accepted_at + policy.review_after / speed, CaseState.IN_REVIEW))
        steps.append((accepted_at + policy.decide_after / speed, outcome.state))
    for at, state in steps:
        if at <= now:
            events.append((iso(at), state, NOTES[state]))
    state = events[-1][1]
    missing = list(outcome.missing) if state is CaseState.RETURNED else []
    return Timeline(state, events, promised, missing)
