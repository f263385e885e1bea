"""The 资格认证 result slip: 认证成功, for whom (masked), by which way, valid until the
date the platform gave. No photo and no score: the slip proves the certification to the
person who holds it, and says how to check it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from devices.printer.document import Cut, Element, Feed, KeyValue, Separator, Text
from kiosk.masking import mask_id_number, mask_name
from kiosk.receipts.labels import fmt_date, fmt_datetime

METHODS = {
    "face_platform": "人脸识别（与平台留存照片比对）",
    "face_chip": "人脸识别（与身份证照片比对）",
    "agent": "工作人员现场核验",
}


def certification_slip(
    cert: Any,
    *,
    matter_name: str,
    identity: Any,
    station_name: str,
    printed_at: dt.datetime,
) -> list[Element]:
    """The slip for ``cert`` (kiosk.upstream.service_models.Certification)."""
    valid = dt.date.fromisoformat(cert.valid_until)
    on = dt.date.fromisoformat(cert.certified_on)
    return [
        Text(matter_name, size=1, bold=True, align="center"),
        Feed(1),
        Text("认证成功", size=2, bold=True, align="center"),
        Feed(1),
        Separator("="),
        KeyValue("姓名", mask_name(identity.name)),
        KeyValue("证件号码", mask_id_number(identity.id_number)),
        KeyValue("认证方式", METHODS.get(cert.method, cert.method)),
        KeyValue("认证日期", fmt_date(on, "zh_CN")),
        KeyValue("有效期至", fmt_date(valid, "zh_CN"), bold=True),
        KeyValue("认证编号", cert.certification_id),
        Separator(),
        Text("请在有效期届满前再次认证，以免影响养老金发放。查询请拨打12333。"),
        Separator(),
        KeyValue("认证地点", station_name),
        KeyValue("打印时间", fmt_datetime(printed_at, "zh_CN")),
        Cut(),
    ]
