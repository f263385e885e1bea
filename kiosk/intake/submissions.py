"""What a session submits, decided from its flow and its agent: the channel and agent
(帮办代办), the handling mode, and whether it is a new case or a correction (退回补正);
and the receipt's closing words for each."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from typing import Any

from kiosk.flows.kinds import FlowKind
from kiosk.masking import mask_phone
from kiosk.upstream.models import Agent

_NEXT_STEPS = {
    "correction": "补正材料已收到，将重新进入审核，原办件编号不变。请妥善保管本回执。",
    "deferred": "{org}将在{date}前致电{phone}，与您约定{service}的时间。请保持电话畅通。",
}
_SERVICES = {"home_visit": "上门服务", "after_hours": "延时办理"}


@dc.dataclass(frozen=True)
class SubmissionKind:
    channel: str  # kiosk | assisted
    agent: Agent | None
    mode: str
    kind: str  # application | correction
    case_no: str | None


def submission_kind(session: Any) -> SubmissionKind:
    flow = session.flow
    assist = session.assist
    flow_kind = flow.kind if flow is not None else FlowKind.PROMISED
    correction = flow_kind is FlowKind.CORRECTION
    return SubmissionKind(
        channel="assisted" if assist is not None else "kiosk",
        agent=Agent(assist.staff.staff_no, assist.staff.name) if assist is not None else None,
        mode=str(flow_kind.handling_mode),
        kind="correction" if correction else "application",
        case_no=flow.case_no if correction else None,
    )


def next_steps(how: SubmissionKind, session: Any, settings: Any, callback: dt.date) -> str | None:
    """The receipt's last lines: who does what next (None: the receipt's usual words)."""
    if how.kind == "correction":
        return _NEXT_STEPS["correction"]
    if how.mode == "deferred":
        answers = session.answers
        return _NEXT_STEPS["deferred"].format(
            org=settings.services.callback_org,
            date=f"{callback.month}月{callback.day}日",
            phone=mask_phone(answers.get("phone", "")),
            service=_SERVICES.get(answers.get("service", ""), "办理"),
        )
    return None
