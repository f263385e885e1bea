"""Typed reading of parsed JSON that remembers where each value sits in the file.

Every accessor either returns a value of the asked-for type or raises
:class:`CatalogueError` with the file, the key path (``matters[3].materials[1].required``)
and the problem, so the loader reads like a schema and never reports a vague error.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Collection, Iterator
from typing import NoReturn, TypeVar

from kiosk.catalogue.errors import CatalogueError
from kiosk.catalogue.model import Text

TOP = "(top level)"
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # material codes, field keys, choice values

_E = TypeVar("_E", bound=enum.StrEnum)


class _JsonObject(dict[str, object]):
    """A JSON object that remembers keys given more than once (json keeps only the last)."""

    duplicates: tuple[str, ...] = ()


class _NonFinite:
    """Stands for NaN/Infinity, which JSON does not allow but Python's json accepts."""

    def __init__(self, text: str) -> None:
        self.text = text


def _object_pairs(pairs: list[tuple[str, object]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dups: list[str] = []
        for key, _ in pairs:
            if key in seen:
                dups.append(key)
            seen.add(key)
        obj.duplicates = tuple(dups)
    return obj


def parse_json(text: str, file: str) -> Node:
    """Parse ``text``; bad JSON becomes a CatalogueError with line and column."""
    try:
        value = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_NonFinite)
    except json.JSONDecodeError as exc:
        problem = f"bad JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise CatalogueError(file, "", problem) from exc
    except RecursionError as exc:
        raise CatalogueError(file, "", "bad JSON: nested too deeply") from exc
    return Node(value, "", file)


def _type_name(value: object) -> str:
    if isinstance(value, _NonFinite):
        return value.text
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    names: tuple[tuple[type, str], ...] = (
        (str, "string"),
        (list, "array"),
        (dict, "object"),
        (type(None), "null"),
    )
    for kind, name in names:
        if isinstance(value, kind):
            return name
    return type(value).__name__


class Node:
    """One JSON value and its key path."""

    def __init__(self, value: object, path: str, file: str) -> None:
        self.value = value
        self.path = path
        self.file = file

    def fail(self, problem: str) -> NoReturn:
        raise CatalogueError(self.file, self.path or TOP, problem)

    def _expected(self, what: str) -> NoReturn:
        self.fail(f"expected {what}, got {_type_name(self.value)}")

    def child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def obj(self, required: Collection[str], optional: Collection[str] = ()) -> Obj:
        """This value as an object with exactly these keys (no unknown, none missing)."""
        if not isinstance(self.value, dict):
            self._expected("an object")
        for key in getattr(self.value, "duplicates", ()):
            Node(None, self.child(key), self.file).fail("key given more than once")
        for key in self.value:
            if key not in required and key not in optional:
                allowed = ", ".join(sorted([*required, *optional]))
                Node(None, self.child(key), self.file).fail(
                    f"unknown key (allowed here: {allowed})"
                )
        for key in required:
            if key not in self.value:
                Node(None, self.child(key), self.file).fail("missing")
        return Obj(self.value, self)

    def items(self, *, nonempty: bool = False, most: int = 1000) -> list[Node]:
        """This value as an array of nodes."""
        if not isinstance(self.value, list):
            self._expected("an array")
        if nonempty and not self.value:
            self.fail("must not be empty")
        if len(self.value) > most:
            self.fail(f"too many entries ({len(self.value)}, at most {most})")
        return [Node(v, f"{self.path}[{i}]", self.file) for i, v in enumerate(self.value)]

    def string(self, *, most: int = 2000) -> str:
        """This value as a non-blank string of at most ``most`` characters."""
        if not isinstance(self.value, str):
            self._expected("a string")
        if not self.value.strip():
            self.fail("must not be blank")
        if len(self.value) > most:
            self.fail(f"too long ({len(self.value)} characters, at most {most})")
        return self.value

    def integer(self, low: int, high: int) -> int:
        """This value as an integer in ``[low, high]`` (booleans and 1.0 are refused)."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            self._expected("an integer")
        if not low <= self.value <= high:
            self.fail(f"{self.value} is out of range ({low}..{high})")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            self._expected("true or false")
        return self.value


class Obj:
    """A checked JSON object: ``req(key)`` and ``opt(key)`` return child nodes."""

    def __init__(self, value: dict[str, object], node: Node) -> None:
        self._value = value
        self.node = node

    def req(self, key: str) -> Node:
        return Node(self._value[key], self.node.child(key), self.node.file)

    def opt(self, key: str) -> Node | None:
        if key not in self._value or self._value[key] is None:
            return None
        return self.req(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._value)


def read_text(node: Node, *, most: int = 2000) -> Text:
    """A bilingual text object: zh_CN required, en optional."""
    obj = node.obj({"zh_CN"}, {"en"})
    en = obj.opt("en")
    return Text(obj.req("zh_CN").string(most=most), en.string(most=most) if en else "")


def read_code(node: Node, pattern: re.Pattern[str], what: str) -> str:
    value = node.string(most=64)
    if not pattern.fullmatch(value):
        node.fail(f"{value!r} is not a valid {what} (pattern {pattern.pattern})")
    return value


def read_enum(node: Node, kind: type[_E], what: str) -> _E:
    value = node.string(most=64)
    if value not in kind.__members__.values():
        allowed = ", ".join(m.value for m in kind)
        node.fail(f"unknown {what} {value!r} (expected one of: {allowed})")
    return kind(value)


def read_enum_set(node: Node, kind: type[_E], what: str) -> tuple[_E, ...]:
    """A non-empty array of distinct enum values."""
    out: list[_E] = []
    for item in node.items(nonempty=True, most=50):
        value = read_enum(item, kind, what)
        if value in out:
            item.fail(f"{what} {value.value!r} given more than once")
        out.append(value)
    return tuple(out)
