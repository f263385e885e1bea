"""The 办事指南 of a matter as printed paper shows it (in Chinese: paper keeps its own
formal wording, apart from the screens' translations)."""

from __future__ import annotations

from typing import Any


def guide_sections(matter: Any) -> list[tuple[str, list[str]]]:
    """(heading, lines) for each section of the guide, in the provincial guide's order."""
    fee = matter.fee
    fee_line = "不收费" if fee.amount_fen == 0 else f"￥{fee.amount_fen / 100:.2f} 元"
    materials = [
        f"{i}. {m.name.zh_CN}（{'必需' if m.required else '可选'}）"
        + (f"：{m.note.zh_CN}" if m.note else "")
        for i, m in enumerate(matter.materials, 1)
    ]
    days = "当场办结" if matter.promised_days == 0 else f"{matter.promised_days} 个工作日"
    return [
        ("办理部门", [matter.department.name.zh_CN]),
        ("申请条件", [f"• {c.zh_CN}" for c in matter.conditions]),
        ("申请材料", materials),
        ("办理时限", [days]),
        ("收费标准", [fee_line, fee.basis.zh_CN] if fee.amount_fen else [fee_line]),
        ("到现场次数", [f"{matter.visits} 次"]),
        ("办理地点和时间", [matter.place.zh_CN, matter.hours.zh_CN]),
        ("设定依据", [matter.legal_basis.zh_CN]),
    ]
