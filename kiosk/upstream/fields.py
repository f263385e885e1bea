"""The wire's one validation layer: constrained field types and the reader that applies them.

The models (models.py, case_models.py, service_models.py) are dataclasses whose field
types say everything a value must be: ``Code``, ``Text100``, ``Int(1, 5)`` … are
``typing.Annotated`` types that msgspec enforces while it decodes. Both ends use them:
the sandbox to refuse hostile requests with the exact field named, the client to refuse a
platform answer that is not what the OpenAPI file promises.

Rules of the wire, kept here once: a bool is never an int; a whole JSON number (``3.0``)
is an integer (JSON Schema's reading); strings are length-bounded, never blank and never
hold NUL; an optional string sent as ``""`` counts as absent; NaN, Infinity and JSON
nested deeper than the decoder's stack are malformed, not a crash.
"""

from __future__ import annotations

import dataclasses as dc
import math
import re
import typing
from typing import Annotated, Any, ClassVar, Self, TypeVar

import msgspec
from msgspec import Meta

from kiosk import wirepath

JsonObj = dict[str, Any]
T = TypeVar("T")


class FieldError(ValueError):
    """A field is missing or has the wrong type, length or shape."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class MalformedJson(ValueError):
    """The bytes are not one JSON document (or hold NaN, Infinity, or nest too deeply)."""


# ---- patterns and the words an error uses for them ----------------------------------------

_WORDS: dict[str, str] = {}


def pattern(body: str, words: str, *, optional: bool = False) -> str:
    """``body`` anchored for msgspec (which searches), remembered with its error words."""
    anchored = f"^(?:{body}){'?' if optional else ''}\\Z"
    _WORDS[repr(anchored)] = words  # msgspec's error shows the pattern's repr
    return anchored


def one_of(values: typing.Iterable[str], *, optional: bool = False) -> str:
    """A pattern for one of a few words (an enum's values)."""
    words = [str(v) for v in values]
    body = "|".join(re.escape(w) for w in words)
    return pattern(body, f"must be one of {', '.join(words)}", optional=optional)


_NONBLANK = r"(?=[^\x00]*\S)[^\x00]*"
TEXT = pattern(_NONBLANK, "must not be blank or contain NUL")
OPT_TEXT = pattern(_NONBLANK, "must not be blank or contain NUL", optional=True)
CODE_BODY = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
CODE = pattern(CODE_BODY, "has the wrong format")
OPT_CODE = pattern(CODE_BODY, "has the wrong format", optional=True)

Code = Annotated[str, Meta(pattern=CODE)]
OptCode = Annotated[str, Meta(pattern=OPT_CODE)] | None
Text = Annotated[str, Meta(max_length=200, pattern=TEXT)]
Text64 = Annotated[str, Meta(max_length=64, pattern=TEXT)]
Text100 = Annotated[str, Meta(max_length=100, pattern=TEXT)]
Text255 = Annotated[str, Meta(max_length=255, pattern=TEXT)]
Text500 = Annotated[str, Meta(max_length=500, pattern=TEXT)]
Text2000 = Annotated[str, Meta(max_length=2000, pattern=TEXT)]
OptText = Annotated[str, Meta(max_length=200, pattern=OPT_TEXT)] | None
OptText64 = Annotated[str, Meta(max_length=64, pattern=OPT_TEXT)] | None
OptText500 = Annotated[str, Meta(max_length=500, pattern=OPT_TEXT)] | None
OptText1000 = Annotated[str, Meta(max_length=1000, pattern=OPT_TEXT)] | None
Count = Annotated[int, Meta(ge=0, le=2**53)]
TextList = Annotated[list[Text], Meta(max_length=20)]


def blank_to_default(obj: object) -> None:
    """In a frozen dataclass's ``__post_init__``: an optional string sent as ``""`` is
    absent, so it takes its default (None, or a word such as ``"promised"``)."""
    for f in dc.fields(obj):  # type: ignore[arg-type]
        if getattr(obj, f.name) == "" and f.default is not dc.MISSING and f.default != "":
            object.__setattr__(obj, f.name, f.default)


class Wire:
    """The base of a wire model (a frozen dataclass of these field types): read strictly
    by ``from_json``, blanks taking their defaults. ``json_path`` names the object where
    a FieldError names its field (``applicant`` → ``applicant.id_number``)."""

    json_path: ClassVar[str] = ""

    def __post_init__(self) -> None:
        blank_to_default(self)

    @classmethod
    def from_json(cls, d: JsonObj) -> Self:
        return convert(cls, d, cls.json_path)


# ---- reading ------------------------------------------------------------------------------


def _number(text: str) -> float | int:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number too large for JSON")
    return int(value) if value.is_integer() and abs(value) <= 2**53 else value


_DECODER = msgspec.json.Decoder(float_hook=_number)


def parse_json(raw: bytes) -> Any:
    """One JSON document, or MalformedJson (bad UTF-8, bad syntax, NaN, too deep)."""
    try:
        return _DECODER.decode(raw)
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise MalformedJson(f"not valid JSON: {exc}") from exc


def load(cls: type[T], raw: bytes) -> T:
    """JSON bytes read into ``cls``: MalformedJson, or FieldError naming the field."""
    return convert(cls, parse_json(raw))


def convert(cls: type[T], value: Any, path: str = "") -> T:
    """A parsed JSON value read into ``cls``; FieldError naming the first bad field."""
    try:
        result = msgspec.convert(value, type=cls, strict=True)
    except msgspec.ValidationError as exc:
        raise _field_error(exc, cls, value, path) from exc
    check = getattr(result, "check", None)
    if check is not None:  # the rules between fields, which no field type can say
        try:
            check()
        except FieldError as exc:
            raise FieldError(_join(path, exc.field), exc.reason) from exc
    return result


def _field_error(exc: msgspec.ValidationError, cls: Any, value: Any, prefix: str) -> FieldError:
    where, reason, regex = wirepath.explain(str(exc), cls, value)
    if regex is not None:
        reason = _WORDS.get(regex, "has the wrong format")
    return FieldError(_join(prefix, where) or "body", reason)


def _join(path: str, name: str) -> str:
    if not path:
        return name
    return f"{path}{name}" if name.startswith("[") else f"{path}.{name}"


def to_builtins(value: Any) -> Any:
    """A model as plain JSON values (``None`` fields left in)."""
    return msgspec.to_builtins(value)
