"""帮办代办: an agent acts for a citizen, with the citizen's identity and consent on record.

identity (the citizen's card) → consent: the citizen confirms on screen, or a signed
paper authorisation is captured by the document camera (always paper when the person
present acts for another household member: that member is not there to confirm) → the
consent is audited → the citizen's matters, handled on the assisted channel with the
agent as the rated staff member.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.catalogue.model import Material, MaterialSource, Text, TrustLevel
from kiosk.flows.base import (
    Abort,
    Intent,
    Invalid,
    Next,
    NextMaterial,
    PageCaptured,
    Retake,
    Step,
    Transition,
)
from kiosk.flows.effects import RecordConsent
from kiosk.flows.intents import ConsentGiven
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import CaptureSteps
from kiosk.session import Session
from kiosk.staff.desk import AssistContext, Consent

RELATIONSHIPS = ("spouse", "child", "parent", "sibling", "other_family")

AUTHORISATION = Material(
    code="authorisation",
    name=Text("授权委托书（委托人签字或按手印）", "Signed authorisation"),
    required=True,
    copies=1,
    original=True,
    trust=TrustLevel.ORIGINAL_NEEDED,
    source_ok=(MaterialSource.PAPER,),
    camera_hint=Text(
        "请把签好字的授权委托书平放在拍摄区中央", "Lay the signed authorisation flat in the area"
    ),
)


class ConsentFlow(CaptureSteps):
    kind = FlowKind.ASSIST

    def __init__(self, session: Session, staff: Any, clock: Callable[[], float]) -> None:
        super().__init__(session)
        self.staff = staff
        self.clock = clock
        self.method = ""
        self.relationship = ""
        self.material_index = 0
        self.step = Step.CONSENT if session.identity is not None else Step.IDENTITY

    # -- what the capture screen renders --

    @property
    def materials(self) -> list[Material]:
        return [AUTHORISATION]

    @property
    def current_material(self) -> Material:
        return AUTHORISATION

    # -- the machine --

    def _identified(self) -> Transition:
        return Next(Step.CONSENT)

    def _on_consent(self, intent: Intent) -> Transition:
        if not isinstance(intent, ConsentGiven):
            return self._refuse(intent)
        if intent.relationship and intent.relationship not in RELATIONSHIPS:
            return Invalid({"relationship": "consent.error.relationship"})
        if intent.relationship and intent.method != "paper":
            return Invalid({"_": "consent.error.paper_needed"})
        if intent.method == "screen":
            return self._record("screen", "")
        if intent.method != "paper":
            return Invalid({"_": "consent.error.method"})
        self.method, self.relationship = "paper", intent.relationship
        return Next(Step.MATERIALS)

    def _on_materials(self, intent: Intent) -> Transition:
        if isinstance(intent, PageCaptured | Retake):
            return self._capture(intent, AUTHORISATION)
        if isinstance(intent, NextMaterial):
            if not self.pages_for(AUTHORISATION.code):
                return Invalid({AUTHORISATION.code: "materials.error.required"})
            return self._record("paper", self.relationship)
        return self._refuse(intent)

    def _record(self, method: str, relationship: str) -> Transition:
        consent = Consent(method, self.clock(), relationship)
        self.session.assist = AssistContext(self.staff, consent)
        return Next(Step.DONE, effect=RecordConsent())

    def _back(self) -> Transition:
        if self.step is Step.MATERIALS:
            return Next(Step.CONSENT)
        return Abort("flow.cancelled")
