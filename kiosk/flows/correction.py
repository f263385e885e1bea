"""承诺办's 退回补正: a returned case gets exactly the materials it was returned for, at
any kiosk, and goes back to the same case number.

(identity → is this the applicant?) → 一次性告知 of the missing materials → capture them
→ review → submit (queued like any application, against the known case number) →
receipt → 好差评 → done.

Started from a case found by 办件查询. Found by the applicant's own ID card, the identity
is known; found by a receipt's QR code or a typed number, the card is read first and the
platform asked whether it is the applicant's case (when it cannot answer, the platform
checks again on arrival and refuses a correction from anyone else).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kiosk.catalogue.model import Material, Text, TrustLevel
from kiosk.flows.base import Abort, Intent, Next, Step, Transition
from kiosk.flows.effects import CheckOwner
from kiosk.flows.intents import OwnerChecked
from kiosk.flows.kinds import FlowKind
from kiosk.flows.promised import PromisedFlow
from kiosk.session import Session


def unknown_material(code: str) -> Material:
    """A material the platform named that the catalogue does not list."""
    return Material(
        code=code,
        name=Text("补充材料（详见退回通知）", "Further material (see the return notice)"),
        required=True,
        copies=1,
        original=False,
        trust=TrustLevel.COPY_OK,
        source_ok=(),
        camera_hint=Text("请把材料平放在拍摄区中央", "Lay it flat in the middle of the area"),
    )


class CorrectionFlow(PromisedFlow):
    kind = FlowKind.CORRECTION

    def __init__(
        self,
        session: Session,
        matter: Any,
        case_no: str,
        missing: Sequence[str],
        *,
        owner_known: bool = False,
    ) -> None:
        """``owner_known``: the case was found by the identity in the session."""
        self.case_no = case_no
        self.missing = tuple(missing)
        super().__init__(session, matter)
        if session.identity is not None and not owner_known:
            self.step = Step.SEARCHING
            self.start_effect = CheckOwner(case_no)

    @property
    def fields(self) -> list[Any]:
        return []  # the form was answered with the application

    @property
    def materials(self) -> list[Any]:
        known = {m.code: m for m in self.matter.materials}
        return [known.get(code) or unknown_material(code) for code in self.missing]

    def _identified(self) -> Transition:
        return Next(Step.SEARCHING, effect=CheckOwner(self.case_no))

    def _on_searching(self, intent: Intent) -> Transition:
        if not isinstance(intent, OwnerChecked):
            return self._refuse(intent)
        if intent.owner is False:
            self.session.identity = None
            return self.fail("correction.error.not_applicant")
        return Next(Step.NOTICE)

    def _back(self) -> Transition:
        if self.step in (Step.PROBLEM, Step.SEARCHING):
            return Abort("flow.cancelled")
        return super()._back()
