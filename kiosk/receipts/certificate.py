"""Paper for the modes and services beyond 承诺办: a 即时办 certificate on the receipt
printer, a complaint's reference slip, and the full 办事指南 with the mobile channel's
QR code. As everywhere on paper, personal values go through kiosk.masking here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from devices.printer.document import QR, Cut, Element, Feed, KeyValue, Separator, Text
from kiosk.masking import mask_field, mask_phone
from kiosk.receipts.labels import fmt_datetime


def masked(field: Any) -> str:
    """A certificate field's value as screen and paper show it."""
    return mask_field(field.kind, str(field.value))


def _title(text: str) -> list[Element]:
    return [Text(text, size=2, bold=True, align="center"), Feed(1)]


def certificate_slip(cert: Any, *, station_name: str, printed_at: dt.datetime) -> list[Element]:
    """The certificate's fields (masked) with its verification code."""
    doc: list[Element] = [*_title(cert.title), Text(cert.issuer, align="center"), Separator("=")]
    doc += [KeyValue(f.label, masked(f)) for f in cert.fields]
    doc += [
        Separator(),
        KeyValue("核验码", cert.verify_code, bold=True),
        Text("可在政务服务网“证明核验”栏目凭核验码查验真伪。"),
        QR(f"https://zwfw.example.gov.cn/verify?c={cert.verify_code}", size=5),
        Separator(),
        KeyValue("打印地点", station_name),
        KeyValue("打印时间", fmt_datetime(printed_at, "zh_CN")),
        Cut(),
    ]
    return doc


BIG_REFERENCE_MAX = 24  # characters of a double-width line on 80 mm paper


def complaint_slip(
    *,
    reference: str,
    remote_id: str | None,
    category: str,
    station_name: str,
    filed_at: dt.datetime,
    phone: str = "",
    hotline: str = "12345",
) -> list[Element]:
    """意见投诉回执: the reference to quote, never the complaint's words."""
    doc: list[Element] = [*_title("意见投诉回执"), Text("受理编号", align="center")]
    # Double width only while it fits one 48-column line: a station's provisional
    # reference (TS-<station>-<day>-<n>) wrapped across two lines reads as two numbers.
    size = 2 if len(reference) <= BIG_REFERENCE_MAX else 1
    doc += [Text(reference, size=size, bold=True, align="center"), Separator()]
    if remote_id:
        doc.append(KeyValue("平台编号", remote_id))
    else:
        doc.append(Text("网络恢复后将自动转交平台，凭本编号同样可以查询。"))
    doc += [KeyValue("类别", category), KeyValue("受理地点", station_name)]
    doc.append(KeyValue("提交时间", fmt_datetime(filed_at, "zh_CN")))
    if phone:
        doc.append(KeyValue("联系电话", mask_phone(phone)))
    doc += [
        Separator(),
        Text(f"工作人员将在15个工作日内处理并回复。查询或催办请拨打{hotline}。"),
        Cut(),
    ]
    return doc


def guide_sheet(
    *,
    title: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    mobile_url: str,
    station_name: str,
    printed_at: dt.datetime,
) -> list[Element]:
    """办事指南: every section of the matter's guide, and the QR code to do it by phone."""
    doc: list[Element] = [*_title("办事指南"), Text(title, bold=True, align="center")]
    for heading, lines in sections:
        doc += [Separator(), Text(heading, bold=True)]
        doc += [Text(line) for line in lines]
    doc += [
        Separator("="),
        Text("用手机扫码办理", bold=True, align="center"),
        QR(mobile_url, size=6),
        KeyValue("打印地点", station_name),
        KeyValue("打印时间", fmt_datetime(printed_at, "zh_CN")),
        Cut(),
    ]
    return doc
