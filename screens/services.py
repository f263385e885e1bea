"""The services around the modes — 办件查询, 退回补正, 意见投诉 — as the app starts and
runs them: which screen renders which step, and the effects their steps ask for.

Attributes down, intents up, as for the modes: a screen renders ``app.flow`` and calls
``app.send``; an effect runs off the UI thread and its outcome is sent to the flow
only if the citizen is still where it was asked for (same session, flow and step).
"""

from __future__ import annotations

from typing import Any

from kiosk.appointments import rules_from
from kiosk.flows.base import Step
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.correction import CorrectionFlow
from kiosk.flows.tracking import TrackingFlow
from screens import modes

# steps of the services by screen name; every other step (a problem among them, worded
# for a service by the problem screen itself) renders as the modes do
SCREENS = {
    Step.LOOKUP: "tracking_lookup",
    Step.SCAN: "tracking_scan",
    Step.SEARCHING: "wait",
    Step.CASES: "tracking_cases",
    Step.CASE: "tracking_case",
    Step.APPOINTMENT: "tracking_case",
    Step.CATEGORY: "complaint_category",
    Step.COMPOSE: "compose",
    Step.CONTACT: "complaint_contact",
    Step.TICKET: "complaint_ticket",
}
# services whose Abort (Back from the first step) leads home, not to a matter
HOME_ON_ABORT = {"tracking", "complaint", "correction"}


def screen_for(flow: Any, step: Step, base: dict[Step, str]) -> str:
    if step is Step.SUBMIT and getattr(flow, "mode", "") == "complaint":
        return "wait"  # filing a complaint, not saving an application
    if is_service(flow) and step in SCREENS:
        return SCREENS[step]
    return base.get(step) or SCREENS[step]


def is_service(flow: Any) -> bool:
    return flow is not None and (
        flow.mode in HOME_ON_ABORT or getattr(flow, "kind", "") in HOME_ON_ABORT
    )


def start(app: Any, flow: Any) -> None:
    app.go(screen_for(flow, flow.step, app.step_screens), remember=False)
    app.current_screen.render()
    if flow.start_effect is not None:
        modes.run_effect(app, flow.start_effect)  # the one effect runner


def start_tracking(app: Any) -> None:
    runtime = app.runtime
    start(app, TrackingFlow(app.session, rules_from(runtime.settings), runtime.intake.now))


def start_complaint(app: Any, case_no: str | None = None) -> None:
    start(app, ComplaintFlow(app.session, case_no))


def start_correction(app: Any, view: Any) -> None:
    """补正 a returned case just looked up: its missing materials, to the same case."""
    tracking = app.flow
    owner_known = bool(tracking.by_identity and app.session.identity is not None)
    matter = app.runtime.catalogue.get(view.matter_code)
    flow = CorrectionFlow(app.session, matter, view.case_no, view.missing, owner_known=owner_known)
    start(app, flow)
