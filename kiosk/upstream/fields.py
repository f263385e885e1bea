"""Strict readers for JSON objects off the wire.

Both ends use them: the sandbox to refuse hostile requests with the exact field named,
the client to refuse a platform answer that is not what the OpenAPI file promises.
A bool is never accepted as an int, and strings are length-bounded.
"""

from __future__ import annotations

import re
from typing import Any

JsonObj = dict[str, Any]


class FieldError(ValueError):
    """A field is missing or has the wrong type, length or shape."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _name(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def obj(value: Any, path: str = "") -> JsonObj:
    """The value itself, checked to be a JSON object."""
    if not isinstance(value, dict):
        raise FieldError(path or "body", "must be an object")
    return value


def req_str(
    d: JsonObj,
    key: str,
    path: str = "",
    *,
    max_len: int = 200,
    pattern: str | None = None,
    choices: tuple[str, ...] = (),
) -> str:
    value = d.get(key)
    name = _name(path, key)
    if not isinstance(value, str):
        raise FieldError(name, "required string" if value is None else "must be a string")
    if not value.strip():
        raise FieldError(name, "must not be empty")
    if len(value) > max_len:
        raise FieldError(name, f"longer than {max_len}")
    if "\x00" in value:
        raise FieldError(name, "contains NUL")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise FieldError(name, "has the wrong format")
    if choices and value not in choices:
        raise FieldError(name, f"must be one of {', '.join(choices)}")
    return value


def opt_str(d: JsonObj, key: str, path: str = "", **kw: Any) -> str | None:
    """An optional string; absent, null and "" all mean "not given"."""
    if d.get(key) is None or d.get(key) == "":
        return None
    return req_str(d, key, path, **kw)


def req_int(d: JsonObj, key: str, path: str = "", *, lo: int = 0, hi: int = 2**53) -> int:
    value = d.get(key)
    name = _name(path, key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 3.0 is the integer 3 (JSON Schema)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(name, "required integer" if value is None else "must be an integer")
    if not lo <= value <= hi:
        raise FieldError(name, f"must be between {lo} and {hi}")
    return value


def opt_int(d: JsonObj, key: str, path: str = "", **kw: Any) -> int | None:
    if d.get(key) is None:
        return None
    return req_int(d, key, path, **kw)


def req_bool(d: JsonObj, key: str, path: str = "") -> bool:
    value = d.get(key)
    if not isinstance(value, bool):
        raise FieldError(_name(path, key), "must be a boolean")
    return value


def req_obj(d: JsonObj, key: str, path: str = "") -> JsonObj:
    value = d.get(key)
    if value is None:
        raise FieldError(_name(path, key), "required object")
    return obj(value, _name(path, key))


def opt_obj(d: JsonObj, key: str, path: str = "") -> JsonObj | None:
    return None if d.get(key) is None else req_obj(d, key, path)


def obj_list(d: JsonObj, key: str, path: str = "", *, max_items: int = 100) -> list[JsonObj]:
    """A list of objects; a missing key is an empty list."""
    value = d.get(key, [])
    name = _name(path, key)
    if not isinstance(value, list):
        raise FieldError(name, "must be an array")
    if len(value) > max_items:
        raise FieldError(name, f"more than {max_items} items")
    return [obj(item, f"{name}[{i}]") for i, item in enumerate(value)]


def str_list(
    d: JsonObj, key: str, path: str = "", *, max_items: int = 20, max_len: int = 200
) -> list[str]:
    value = d.get(key, [])
    name = _name(path, key)
    if not isinstance(value, list):
        raise FieldError(name, "must be an array")
    if len(value) > max_items:
        raise FieldError(name, f"more than {max_items} items")
    holder = {str(i): v for i, v in enumerate(value)}
    return [req_str(holder, str(i), name, max_len=max_len) for i in range(len(value))]


def str_map(
    d: JsonObj, key: str, path: str = "", *, max_items: int = 200, max_len: int = 2000
) -> dict[str, str]:
    """An object of string values (form answers); empty strings are allowed."""
    value = d.get(key, {})
    name = _name(path, key)
    if not isinstance(value, dict):
        raise FieldError(name, "must be an object")
    if len(value) > max_items:
        raise FieldError(name, f"more than {max_items} entries")
    for k, v in value.items():
        if not isinstance(v, str):
            raise FieldError(f"{name}.{k}", "must be a string")
        if len(k) > 100 or len(v) > max_len:
            raise FieldError(f"{name}.{k}", "too long")
    return dict(value)
