"""承诺办: apply now, the department decides within the promised working days.

identity → 一次性告知 → form → materials → review → submit → receipt → 好差评 → done
"""

from __future__ import annotations

from typing import Any

from kiosk.catalogue import Material
from kiosk.catalogue.forms import validate_form
from kiosk.flows.base import (
    Abort,
    FormSubmitted,
    Intent,
    Invalid,
    Next,
    NextMaterial,
    NoticeAccepted,
    PageCaptured,
    Retake,
    ReviewConfirmed,
    Step,
    SubmitFailed,
    Submitted,
    Transition,
)
from kiosk.flows.effects import SubmitApplication
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import CaptureSteps
from kiosk.flows.rating import RatingSteps
from kiosk.session import Session

_ORDER = [Step.IDENTITY, Step.NOTICE, Step.FORM, Step.MATERIALS, Step.REVIEW, Step.SUBMIT]


class PromisedFlow(RatingSteps, CaptureSteps):
    """The step machine for one matter handled as 承诺办."""

    kind = FlowKind.PROMISED

    def __init__(self, session: Session, matter: Any) -> None:
        super().__init__(session)
        self.matter = matter
        self.material_index = 0
        session.matter_code = matter.code
        self.step = self._after_identity() if session.identity else Step.IDENTITY

    # -- queries the screens render from --

    @property
    def fields(self) -> list[Any]:
        """The form's fields (a mode may ask other questions than the matter's form)."""
        return list(self.matter.fields)

    @property
    def materials(self) -> list[Material]:
        return list(self.matter.materials)

    @property
    def current_material(self) -> Material:
        return self.materials[self.material_index]

    @property
    def form_matter(self) -> Any:
        """The matter as the form validates it (with this mode's fields)."""
        return self.matter

    def missing_required(self) -> list[Any]:
        return [m for m in self.materials if m.required and not self.pages_for(m.code)]

    # -- the machine --

    def _identified(self) -> Transition:
        return Next(self._after_identity())

    def _after_identity(self) -> Step:
        return Step.NOTICE if self._has_notice() else self._after_notice()

    def _has_notice(self) -> bool:
        """The 一次性告知 step, when there are materials to tell of."""
        return True

    def _on_notice(self, intent: Intent) -> Transition:
        if not isinstance(intent, NoticeAccepted):
            return self._refuse(intent)
        return Next(self._after_notice())

    def _after_notice(self) -> Step:
        if self.fields:
            return Step.FORM
        return Step.MATERIALS if self.materials else Step.REVIEW

    def _on_form(self, intent: Intent) -> Transition:
        if not isinstance(intent, FormSubmitted):
            return self._refuse(intent)
        answers = {k: v.strip() for k, v in intent.answers.items()}
        errors = validate_form(self.form_matter, answers)
        if errors:
            return Invalid(errors)
        self.session.answers = answers
        self.material_index = 0
        return Next(Step.MATERIALS if self.materials else Step.REVIEW)

    def _on_materials(self, intent: Intent) -> Transition:
        material = self.current_material
        if isinstance(intent, PageCaptured | Retake):
            return self._capture(intent, material)
        if isinstance(intent, NextMaterial):
            if material.required and not self.pages_for(material.code):
                return Invalid({material.code: "materials.error.required"})
            if self.material_index + 1 < len(self.materials):
                self.material_index += 1
                return Next(Step.MATERIALS)
            return Next(Step.REVIEW)
        return self._refuse(intent)

    def _on_review(self, intent: Intent) -> Transition:
        if not isinstance(intent, ReviewConfirmed):
            return self._refuse(intent)
        missing = self.missing_required()
        if missing:
            return Invalid({m.code: "materials.error.required" for m in missing})
        return self._after_review()

    def _after_review(self) -> Transition:
        return Next(Step.SUBMIT, effect=SubmitApplication())

    def _on_submit(self, intent: Intent) -> Transition:
        if isinstance(intent, Submitted):
            self.session.submission = intent.submission
            return Next(Step.RECEIPT)
        if isinstance(intent, SubmitFailed):
            self.step = Step.REVIEW
            return Invalid({"_": intent.key})
        return self._refuse(intent)

    def _on_receipt(self, intent: Intent) -> Transition:
        return self._continue(intent, to=Step.RATING)

    def _back(self) -> Transition:
        """Back within the steps before submitting; after submission there is no way back."""
        if self.step is Step.COMPOSE:
            return Next(Step.RATING)
        if self.step is Step.MATERIALS and self.material_index > 0:
            self.material_index -= 1
            return Next(Step.MATERIALS)
        if self.step not in _ORDER or self.step is Step.SUBMIT:
            return Invalid({"_": "flow.error.no_back"})
        index = _ORDER.index(self.step)
        if index == 0 or (self.step is Step.NOTICE and self.session.identity is not None):
            return Abort("flow.cancelled")
        prev = _ORDER[index - 1]
        if prev is Step.MATERIALS and not self.materials:
            prev = Step.FORM
        if prev is Step.FORM and not self.fields:
            prev = Step.NOTICE
        if prev is Step.NOTICE and not self._has_notice():
            return Abort("flow.cancelled")
        if prev is Step.MATERIALS:
            self.material_index = max(len(self.materials) - 1, 0)
        self.step = prev
        return Next(prev)
