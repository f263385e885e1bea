"""意见投诉: a complaint or suggestion, with a reference number on paper at once.

category → text (our pinyin input) → contact phone (optional) → file (kept in the
outbox like an application: never lost; the platform's number follows when it answers)
→ the reference slip → done. The citizen need not say who they are.
"""

from __future__ import annotations

from kiosk.catalogue.forms import validate_field
from kiosk.catalogue.model import FieldKind, FormField, Text
from kiosk.flows.base import Abort, Intent, Invalid, Next, Step, Transition
from kiosk.flows.effects import FileComplaint
from kiosk.flows.intents import Choose, Filed, PhoneEntered, TextEntered
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import StepMachine
from kiosk.session import Session
from kiosk.upstream.service_models import COMPLAINT_CATEGORIES

TEXT_MIN, TEXT_MAX = 5, 500
PHONE_FIELD = FormField("phone", Text("联系电话", "Phone"), FieldKind.PHONE, False)


class ComplaintFlow(StepMachine):
    kind = FlowKind.COMPLAINT

    def __init__(self, session: Session, case_no: str | None = None) -> None:
        super().__init__(session)
        self.step = Step.CATEGORY
        self.case_no = case_no  # when the complaint is about a case just looked up
        self.category = ""
        self.text = ""
        self.phone = ""
        self.reference = ""
        self.remote_id: str | None = None
        self.printed: bool | None = None
        self.print_problem: str | None = None

    def compose_spec(self) -> tuple[str, str, int, int]:
        return "complaint.compose_title", self.text, TEXT_MIN, TEXT_MAX

    def _on_category(self, intent: Intent) -> Transition:
        if not isinstance(intent, Choose):
            return self._refuse(intent)
        if intent.value not in COMPLAINT_CATEGORIES:
            return Invalid({"category": "complaint.error.category"})
        self.category = intent.value
        return Next(Step.COMPOSE)

    def _on_compose(self, intent: Intent) -> Transition:
        if not isinstance(intent, TextEntered):
            return self._refuse(intent)
        text = " ".join(intent.text.split())
        if len(text) < TEXT_MIN:
            return Invalid({"text": "complaint.error.too_short"})
        self.text = text[:TEXT_MAX]
        return Next(Step.CONTACT)

    def _on_contact(self, intent: Intent) -> Transition:
        if not isinstance(intent, PhoneEntered):
            return self._refuse(intent)
        phone = intent.phone.strip()
        error = validate_field(PHONE_FIELD, phone)
        if error is not None:
            return Invalid({"phone": error})
        self.phone = phone
        return Next(Step.SUBMIT, effect=FileComplaint())

    def _on_submit(self, intent: Intent) -> Transition:
        if isinstance(intent, Filed):
            self.reference, self.remote_id = intent.reference, intent.remote_id
            self.printed, self.print_problem = intent.printed, intent.key
            return Next(Step.TICKET)
        return self._failed(intent)

    def _on_ticket(self, intent: Intent) -> Transition:
        return self._continue(intent, to=Step.DONE)

    def _on_problem(self, intent: Intent) -> Transition:
        return self._retry(intent, Step.SUBMIT, FileComplaint())

    def _back(self) -> Transition:
        previous = {Step.COMPOSE: Step.CATEGORY, Step.CONTACT: Step.COMPOSE}
        if self.step in previous:
            return Next(previous[self.step])
        if self.step in (Step.SUBMIT, Step.TICKET):
            return Invalid({"_": "flow.error.no_back"})
        return Abort("flow.cancelled")
