"""Where a msgspec validation error points, said so that a person can act on it.

msgspec reports ``Expected `int`, got `str` - at `$.items[0].count``` and, for a mapping,
only ``[...]`` where the key should be. :func:`explain` turns that into the failing
field's path (``items[0].count``, ``labels.site``: the mapping's key found by trying each
item), the reason (``required`` for a missing field) and, when a string missed its
pattern, the pattern, for the caller to say in words. Pure (msgspec and typing only): the
kiosk's wire models and the fleet server's request schemas read their errors with it.
"""

from __future__ import annotations

import dataclasses as dc
import re
import types
import typing
from typing import Annotated, Any

import msgspec

_AT = re.compile(r"^(?P<reason>.*) - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`$", re.S)
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]+)`")
_REGEX = re.compile(r"Expected `str` matching regex (?P<regex>'.*')$", re.S)
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


def explain(
    message: str, cls: Any, value: Any, *, strict: bool = True
) -> tuple[str, str, str | None]:
    """``(where, reason, regex)`` for msgspec's error ``message`` on converting ``value``
    to ``cls`` (``strict`` as that conversion was): ``where`` is "" for the document
    itself; ``regex`` is the pattern's repr when a string did not match it, else None."""
    m = _AT.match(message)
    reason, where = (m["reason"], m["path"] + ("[...]" if m["key"] else "")) if m else (message, "")
    if "[...]" in where:
        where = _name_keys(cls, value, where, strict)
    where = where.lstrip(".")
    if missing := _MISSING.match(reason):
        return (f"{where}.{missing['name']}" if where else missing["name"]), "required", None
    if regex := _REGEX.match(reason):
        return where, reason, regex["regex"]
    return where, reason, None


def _name_keys(cls: Any, value: Any, where: str, strict: bool) -> str:
    """Replace each ``[...]`` of a msgspec path with the mapping key whose value fails."""
    out, kind = "", cls
    for step in _STEP.finditer(where):
        kind = _unwrap(kind)
        name, index = step.group(1), step.group(2)
        if name is not None:
            kind = _hints(kind).get(name, Any)
            value = value.get(name) if isinstance(value, dict) else None
            out += f".{name}"
        elif index != "...":
            kind = (typing.get_args(kind) or (Any,))[0]
            value = value[int(index)] if isinstance(value, list) else None
            out += f"[{index}]"
        else:
            key_type, item_type = typing.get_args(kind) or (Any, Any)
            key, value = _failing_item(value, key_type, item_type, strict)
            kind = item_type
            out += f".{key}"
    return out


def _hints(kind: Any) -> dict[str, Any]:
    """A model's field types: a dataclass's or a msgspec Struct's, else none."""
    if dc.is_dataclass(kind) or isinstance(kind, type(msgspec.Struct)):
        return typing.get_type_hints(kind, include_extras=True)
    return {}


def _failing_item(mapping: Any, key_type: Any, item_type: Any, strict: bool) -> tuple[str, Any]:
    for key, item in (mapping if isinstance(mapping, dict) else {}).items():
        try:
            msgspec.convert(key, type=key_type, strict=strict)
            msgspec.convert(item, type=item_type, strict=strict)
        except msgspec.ValidationError:
            return str(key), item
    return "[...]", None


def _unwrap(kind: Any) -> Any:
    """``Annotated[X, …]`` → X; ``X | None`` → X."""
    while True:
        if typing.get_origin(kind) is Annotated:
            kind = typing.get_args(kind)[0]
            continue
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
            kind = args[0]
            continue
        return kind
