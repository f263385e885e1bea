"""延时办: ask for after-hours or home service (the bedridden, the disabled, people who
cannot come in working hours): who, where, when, why, and a number to call back.

identity → form (these questions, not the matter's form) → review → submit (queued like
any application, mode "deferred") → receipt saying who calls back by when → 好差评.
"""

from __future__ import annotations

import dataclasses as dc
from typing import Any

from kiosk.catalogue.model import Choice, FieldKind, FormField, RequiredWhen, Text
from kiosk.flows.kinds import FlowKind
from kiosk.flows.promised import PromisedFlow


def _pick_one(key: str, label: Text, *choices: tuple[str, str, str]) -> FormField:
    """A required question answered by one of ``choices``: (value, zh, en) each."""
    options = tuple(Choice(value, Text(zh, en)) for value, zh, en in choices)
    return FormField(key, label, FieldKind.CHOICE, True, choices=options)


DEFERRED_FIELDS = (
    _pick_one(
        "service",
        Text("需要的服务", "Service needed"),
        ("home_visit", "上门服务", "Home visit"),
        ("after_hours", "工作时间外办理", "Outside working hours"),
    ),
    _pick_one(
        "for_whom",
        Text("为谁申请", "For whom"),
        ("self", "本人", "Myself"),
        ("family", "家庭成员", "A family member"),
    ),
    FormField(
        "family_name",
        Text("家庭成员姓名", "Family member's name"),
        FieldKind.TEXT,
        False,
        max_length=20,
        required_when=RequiredWhen("for_whom", "family"),
    ),
    _pick_one(
        "reason",
        Text("原因", "Reason"),
        ("bedridden", "卧床不起", "Bedridden"),
        ("disabled", "残疾行动不便", "Disabled"),
        ("elderly_alone", "高龄独居", "Very old, living alone"),
        ("working_hours", "工作时间无法前来", "Cannot come in working hours"),
        ("other", "其他", "Other"),
    ),
    _pick_one(
        "when",
        Text("希望的时间", "Preferred time"),
        ("weekday_evening", "工作日傍晚", "Weekday evening"),
        ("weekend", "周末", "Weekend"),
        ("any", "都可以", "Any time"),
    ),
    FormField(
        "address",
        Text("上门地址", "Address for the visit"),
        FieldKind.ADDRESS,
        False,
        max_length=60,
        required_when=RequiredWhen("service", "home_visit"),
    ),
    FormField("phone", Text("联系电话", "Phone to call back"), FieldKind.PHONE, True),
)


class DeferredFlow(PromisedFlow):
    kind = FlowKind.DEFERRED

    @property
    def fields(self) -> list[Any]:
        return list(DEFERRED_FIELDS)

    @property
    def form_matter(self) -> Any:
        return dc.replace(self.matter, fields=DEFERRED_FIELDS)

    @property
    def materials(self) -> list[Any]:
        return []  # the visit brings the materials

    def _has_notice(self) -> bool:
        return False
