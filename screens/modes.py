"""The handling modes as the screens see them: which mode a matter's start button
begins, the flow for it, which screen shows each of its steps, and running the effects
a flow asks for (off the UI thread, the outcome handed back to the same flow).
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.appointments import rules_from
from kiosk.flows import effects as fx
from kiosk.flows.appointment import AppointmentFlow
from kiosk.flows.base import Step
from kiosk.flows.deferred import DeferredFlow
from kiosk.flows.instant import InstantFlow
from kiosk.flows.promised import PromisedFlow
from kiosk.flows.selfservice import SelfServiceFlow

log = logging.getLogger(__name__)

# The kiosk's preference when a matter offers several: finish it here and now, else
# apply here, else book, else a visit, else the phone.
KIOSK_ORDER = ("instant", "promised", "appointment", "deferred", "self_service")

MODE_SCREENS = {
    Step.PAYMENT: "payment",
    Step.FETCH: "wait",
    Step.CERTIFICATE: "certificate",
    Step.SLOTS: "slots",
    Step.CONFIRM: "slot_confirm",
    Step.BOOKING: "wait",
    Step.BOOKED: "booked",
    Step.MINE: "mine",
    Step.GUIDE: "guide",
    Step.PROBLEM: "problem",
}

# Effects the app runs itself: submitting goes through KioskApp._submit (kept receipt,
# SubmitFailed on the review screen).
OWN_EFFECTS = (fx.SubmitApplication,)


def offered_modes(matter: Any) -> list[str]:
    """The matter's modes this kiosk can start, the preferred first."""
    have = {str(m) for m in matter.modes}
    return [m for m in KIOSK_ORDER if m in have]


def make_flow(app: Any, matter: Any, mode: str) -> Any:
    """The step machine for ``matter`` handled as ``mode`` (it becomes the session's flow)."""
    runtime, session = app.runtime, app.session
    if mode == "instant":
        return InstantFlow(session, matter)
    if mode == "appointment":
        now = runtime.intake.now
        return AppointmentFlow(session, matter, rules_from(runtime.settings), now)
    if mode == "deferred":
        return DeferredFlow(session, matter)
    if mode == "self_service":
        url = runtime.settings.services.mobile_url.replace("{code}", matter.code)
        return SelfServiceFlow(session, matter, url)
    return PromisedFlow(session, matter)


def run_effect(app: Any, effect: Any) -> None:
    """Run ``effect`` in the background; its outcome goes to the flow that asked, only
    while that flow is still at the step that asked (the citizen may have moved on, or
    the session ended)."""
    if effect is None or isinstance(effect, OWN_EFFECTS):
        return
    session = app.session
    if isinstance(effect, fx.SendRating):
        # A local write (the outbox sends it later); done now, so that a citizen who
        # finishes at once does not wipe the session under it.
        app.runtime.effects.run(effect, session)
        return
    flow = session.flow
    step = flow.step

    def wanted() -> bool:
        return app.session is session and session.flow is flow and flow.step is step

    def done(outcome: Any) -> None:
        if outcome is not None and wanted():
            app.send(outcome)

    app.run_bg(lambda: app.runtime.effects.run(effect, session, wanted), done)
