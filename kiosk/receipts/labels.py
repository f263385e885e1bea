"""Words printed on paper, per language (zh_CN first, en for foreign residents).

Kept next to the builders rather than in ``config/i18n``: paper has its own wording
(formal, short enough for 32 columns) and must not change when a screen string does.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

Lang = Literal["zh_CN", "en"]

_ZH = {
    "sep": "：",
    "acceptance.title": "受理回执",
    "tracking_number": "办件编号",
    "provisional_number": "临时编号",
    "provisional_hint": "网络恢复后将换发正式办件编号，凭临时编号同样可以查询。",
    "matter": "办理事项",
    "matter_code": "事项编码",
    "applicant": "申请人",
    "id_number": "证件号码",
    "phone": "联系电话",
    "station": "受理地点",
    "accepted_at": "受理时间",
    "promised_date": "承诺办结",
    "promised_estimate": "预计办结",
    "promised_estimate_note": "（预计日期，以办件查询显示的承诺办结日期为准）",
    "weekends_only_note": "（该年节假日安排尚未公布，暂只按周末推算）",
    "lookup": "手机扫码查询办理进度",
    "next_steps": "工作人员将在承诺时限内办结，办结后短信通知您。请妥善保管本回执。",
    "notice.title": "一次性告知单",
    "materials": "所需材料",
    "required": "必交",
    "optional": "选交",
    "provided": "已交",
    "missing": "缺",
    "missing_summary": "尚缺{n}项必交材料，请补齐后再来办理。",
    "complete_summary": "材料齐全，可以办理。",
    "legal_basis": "办理依据",
    "promised_days": "办结时限",
    "days": "{n}个工作日",
    "supplement_by": "补齐期限",
    "fee": "收费标准",
    "issued_at": "告知时间",
    "notice.footer": "以上为办理本事项所需的全部材料，本单一次性告知。",
    "appointment.title": "预约凭条",
    "appointment_number": "预约号",
    "slot": "预约时间",
    "window": "办理窗口",
    "bring": "请携带",
    "appointment.footer": "请按时前来，过号请重新预约。",
    "issued": "打印时间",
    "test.title": "打印机测试页",
}

_EN = {
    "sep": ": ",
    "acceptance.title": "Acceptance Receipt",
    "tracking_number": "Case no.",
    "provisional_number": "Provisional no.",
    "provisional_hint": "A case number follows once the network is back; "
    "the provisional number works for lookups too.",
    "matter": "Matter",
    "matter_code": "Matter code",
    "applicant": "Applicant",
    "id_number": "ID no.",
    "phone": "Phone",
    "station": "Station",
    "accepted_at": "Accepted",
    "promised_date": "Due by",
    "promised_estimate": "Expected by",
    "promised_estimate_note": "(an estimate: the due date the case lookup shows is the one "
    "that counts)",
    "weekends_only_note": "(that year's public holidays are not published yet: only "
    "weekends were counted)",
    "lookup": "Scan to follow your case",
    "next_steps": "You will get a text message when it is done. Keep this receipt.",
    "notice.title": "Materials Notice",
    "materials": "Materials",
    "required": "required",
    "optional": "optional",
    "provided": "given",
    "missing": "MISSING",
    "missing_summary": "{n} required item(s) missing: please bring them next time.",
    "complete_summary": "All materials present.",
    "legal_basis": "Legal basis",
    "promised_days": "Time limit",
    "days": "{n} working days",
    "supplement_by": "Bring by",
    "fee": "Fee",
    "issued_at": "Issued",
    "notice.footer": "This notice lists every material the matter needs.",
    "appointment.title": "Appointment Slip",
    "appointment_number": "Appointment no.",
    "slot": "Time",
    "window": "Window",
    "bring": "Bring",
    "appointment.footer": "Please be on time; a missed slot must be booked again.",
    "issued": "Printed",
    "test.title": "Printer Test Page",
}

_TABLES: dict[str, dict[str, str]] = {"zh_CN": _ZH, "en": _EN}


def labels(lang: str) -> dict[str, str]:
    """The label table for ``lang``; ``ValueError`` for a language paper does not have."""
    try:
        return _TABLES[lang]
    except KeyError:
        raise ValueError(f"no receipt labels for language {lang!r}") from None


def fmt_datetime(value: dt.datetime, lang: str) -> str:
    if lang == "zh_CN":
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value:%Y-%m-%d %H:%M}"


def fmt_date(value: dt.date, lang: str) -> str:
    if lang == "zh_CN":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value:%Y-%m-%d}"
