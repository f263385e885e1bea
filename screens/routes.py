"""The one routing table: which screen renders each step of each kind of flow, and where
a flow that is left (Back from its first step) leads.

Most steps have one screen whatever the flow; a few flows show a step their own way
(:data:`OVERRIDES`). Screens that show an effect's progress or outcome are drawn again
on every arrival (:data:`REDRAWN`); the others redraw when what they show changed
(``KioskScreen.render_key``).
"""

from __future__ import annotations

from kiosk.flows.base import Step
from kiosk.flows.kinds import FlowKind

SCREENS: dict[Step, str] = {
    # 承诺办, the foundation's journey (and every mode's common steps)
    Step.IDENTITY: "identity",
    Step.NOTICE: "notice",
    Step.FORM: "form",
    Step.MATERIALS: "capture",
    Step.REVIEW: "review",
    Step.SUBMIT: "submit",
    Step.RECEIPT: "receipt",
    Step.RATING: "rating",
    Step.DONE: "done",
    # 即时办
    Step.PAYMENT: "payment",
    Step.FETCH: "wait",
    Step.CERTIFICATE: "certificate",
    # 预约办
    Step.SLOTS: "slots",
    Step.CONFIRM: "slot_confirm",
    Step.BOOKING: "wait",
    Step.BOOKED: "booked",
    Step.MINE: "mine",
    # 自助办
    Step.GUIDE: "guide",
    # 办件查询 (and 退回补正's owner check)
    Step.LOOKUP: "tracking_lookup",
    Step.SCAN: "tracking_scan",
    Step.SEARCHING: "wait",
    Step.CASES: "tracking_cases",
    Step.CASE: "tracking_case",
    Step.APPOINTMENT: "tracking_case",
    # 意见投诉 (COMPOSE also takes a bad rating's comment)
    Step.CATEGORY: "complaint_category",
    Step.COMPOSE: "compose",
    Step.CONTACT: "complaint_contact",
    Step.TICKET: "complaint_ticket",
    # 帮办代办
    Step.CONSENT: "consent",
    # 资格认证 by face (人证核验) and its other ways
    Step.FACE_CONSENT: "face_consent",
    Step.FACE: "face_capture",
    Step.VERIFYING: "wait",
    Step.CERTIFIED: "certified",
    Step.FACE_OTHER: "face_other",
    Step.AGENT_CHECK: "agent_check",
    # anywhere: worded for the flow by the problem screen itself
    Step.PROBLEM: "problem",
}

OVERRIDES: dict[tuple[FlowKind, Step], str] = {
    (FlowKind.COMPLAINT, Step.SUBMIT): "wait",  # filing a complaint, not saving a case
    # 帮办代办: the consent ends on the separate biometric consent, then the citizen
    # goes home to pick matters
    (FlowKind.ASSIST, Step.DONE): "biometric",
}

REDRAWN = frozenset(
    {
        "capture",
        "done",
        "biometric",
        "payment",
        "wait",
        "certificate",
        "slots",
        "slot_confirm",
        "booked",
        "mine",
        "guide",
        "problem",
        "tracking_lookup",
        "tracking_scan",
        "tracking_cases",
        "tracking_case",
        "complaint_category",
        "compose",
        "complaint_contact",
        "complaint_ticket",
        "face_capture",
        "certified",
        "face_other",
    }
)

FLOW_SCREENS = frozenset({*SCREENS.values(), *OVERRIDES.values()})


def screen_for(kind: FlowKind, step: Step) -> str:
    """The screen that renders ``step`` of a flow of ``kind``."""
    return OVERRIDES.get((kind, step)) or SCREENS[step]


def after_leaving(kind: FlowKind) -> str:
    """Where a flow the citizen left leads: the agent's desk, home, or the matter."""
    if kind is FlowKind.ASSIST:
        return "staff_desk"
    return "home" if kind.is_service else "matter"
