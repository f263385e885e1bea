"""Where a msgspec error points: the mapping's key named, a missing field as
``required``, a pattern handed back for words; dataclasses and Structs alike."""

from __future__ import annotations

import dataclasses as dc
from typing import Annotated

import msgspec
import pytest

from kiosk.wirepath import explain

Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z]+$")]


@dc.dataclass
class Item:
    count: int
    code: Code = "a"


@dc.dataclass
class Order:
    items: list[Item]
    labels: dict[str, int]


class Site(msgspec.Struct):
    name: str
    limits: dict[str, int]


def _explain(cls: type, value: object, *, strict: bool = True) -> tuple[str, str, str | None]:
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(value, type=cls, strict=strict)
    return explain(str(caught.value), cls, value, strict=strict)


def test_a_list_item_s_field_is_named_by_index() -> None:
    where, reason, regex = _explain(Order, {"items": [{"count": 1}, {"count": "2"}], "labels": {}})
    assert (where, regex) == ("items[1].count", None)
    assert "int" in reason


def test_a_mapping_s_failing_key_is_found_by_trying_each_item() -> None:
    where, _, _ = _explain(Order, {"items": [], "labels": {"ok": 1, "site": "x"}})
    assert where == "labels.site"
    where, _, _ = _explain(Site, {"name": "n", "limits": {"a": 1, "b": [2]}}, strict=False)
    assert where == "limits.b"


def test_a_missing_field_is_required_and_a_missed_pattern_is_handed_back() -> None:
    assert _explain(Order, {"items": [{}], "labels": {}}) == ("items[0].count", "required", None)
    assert _explain(Site, {"limits": {}}, strict=False) == ("name", "required", None)
    where, _, regex = _explain(Order, {"items": [{"count": 1, "code": "X"}], "labels": {}})
    assert (where, regex) == ("items[0].code", repr("^[a-z]+$"))


def test_an_error_about_the_whole_document_points_nowhere() -> None:
    assert _explain(Order, [1])[0] == ""
