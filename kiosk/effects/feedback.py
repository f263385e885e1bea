"""好差评 and 意见投诉 effects: ratings and complaints go through the outbox (never lost);
a complaint is tried at once and its slip printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.errors import SessionEnded
from kiosk.flows.certification import CertificationFlow
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.instant import InstantFlow
from kiosk.flows.intents import Filed
from kiosk.intake.submissions import submission_kind
from kiosk.receipts.certificate import complaint_slip
from kiosk.upstream.models import to_json
from kiosk.upstream.service_models import Complaint, Rating

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session

CATEGORY_NAMES = {
    "service_attitude": "服务态度",
    "efficiency": "办事效率",
    "materials": "材料要求",
    "device": "设备故障",
    "other": "其他",
}


def rating_case(session: Session) -> str | None:
    """The number the rating is about: the instant case, else the receipt's number."""
    flow = session.flow
    if isinstance(flow, InstantFlow | CertificationFlow) and flow.case_no:
        return flow.case_no
    submission = session.submission
    return submission.number if submission is not None else None


def send_rating(
    ctx: Effects, session: Session, level: int, reasons: tuple[str, ...], comment: str
) -> str:
    """Queue the rating (kept like an application) and kick the sender; its reference."""
    if session.matter_code is None:
        raise SessionEnded("no matter to rate")
    matter = ctx.catalogue.get(session.matter_code)
    site = ctx.settings.site
    how = submission_kind(session)
    case_ref = rating_case(session)
    rating = Rating(
        case_no=case_ref or "none",
        matter_code=matter.code,
        department=matter.department.name.zh_CN,
        region_code=site.region_code,
        channel=how.channel,
        station_id=site.station_id,
        level=level,
        reasons=list(reasons) or (["other"] if level <= 2 else []),
        comment=comment,
        staff=how.agent,
    )
    Rating.from_json(to_json(rating))  # refuse now what the platform would refuse
    body = {k: v for k, v in to_json(rating).items() if k != "case_no"}
    reference: str = ctx.outbox.messages.enqueue(
        "rating", body, station_id=site.station_id, case_ref=case_ref
    )
    ctx.outbox.notify()
    return reference


def file_complaint(ctx: Effects, session: Session) -> Filed:
    flow = session.flow_as(ComplaintFlow)
    site = ctx.settings.site
    complaint = Complaint(
        category=flow.category,
        content=flow.text,
        channel=submission_kind(session).channel,
        station_id=site.station_id,
        contact_phone=flow.phone or None,
    )
    Complaint.from_json(to_json(complaint))
    reference = ctx.outbox.messages.enqueue(
        "complaint", to_json(complaint), station_id=site.station_id, case_ref=flow.case_no
    )
    remote = ctx.outbox.try_send_message(reference, ctx.client)
    ctx.outbox.notify()
    doc = complaint_slip(
        reference=reference,
        remote_id=remote,
        category=CATEGORY_NAMES.get(flow.category, flow.category),
        station_name=site.station_name,
        filed_at=ctx.intake.now().replace(tzinfo=None),
        phone=flow.phone,
    )
    ok, key = ctx.intake.print_document(doc)
    return Filed(reference, remote, ok, key)
