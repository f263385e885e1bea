"""自助办 effects: the matter's full 办事指南 on paper, with the mobile channel's QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.flows.intents import Printed
from kiosk.flows.selfservice import SelfServiceFlow
from kiosk.guide import guide_sections
from kiosk.receipts.certificate import guide_sheet

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session


def print_guide(ctx: Effects, session: Session) -> Printed:
    flow = session.flow_as(SelfServiceFlow)
    doc = guide_sheet(
        title=flow.matter.name.zh_CN,
        sections=guide_sections(flow.matter),
        mobile_url=flow.mobile_url,
        station_name=ctx.settings.site.station_name,
        printed_at=ctx.intake.now().replace(tzinfo=None),
    )
    ok, key = ctx.intake.print_document(doc)
    return Printed(ok, key)
