"""Writing a bundle's settings as a TOML site file that ``kiosk.settings`` reads.

Only what settings can hold: tables of text, integers, floats, booleans, flat lists and
small sub-tables (written inline).
The standard library reads TOML but does not write it, and this small subset is all the
agent needs.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(name: str) -> str:
    return name if _BARE.fullmatch(name) else _string(name)


def _string(text: str) -> str:
    # A JSON string is a TOML basic string: json.dumps escapes quotes, backslashes and
    # control characters the same way; DEL is the one TOML also wants escaped.
    text.encode("utf-8")  # a lone surrogate cannot be written: UnicodeEncodeError
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError("settings cannot hold inf or nan")
        return repr(item)
    if isinstance(item, str):
        return _string(item)
    if isinstance(item, list):
        return "[" + ", ".join(value(v) for v in item) + "]"
    if isinstance(item, dict):  # a sub-table such as site.nearest_alternative, inline
        return "{" + ", ".join(f"{_key(str(k))} = {value(v)}" for k, v in item.items()) + "}"
    raise ValueError(f"a setting cannot be {type(item).__name__}")


def dumps(tables: dict[str, dict[str, Any]]) -> str:
    lines = ["# Written by the fleet agent from a signed bundle. Do not edit by hand."]
    for section, values in tables.items():
        lines.append("")
        lines.append(f"[{_key(section)}]")
        for name, item in values.items():
            lines.append(f"{_key(name)} = {value(item)}")
    return "\n".join(lines) + "\n"
