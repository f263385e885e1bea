"""What the fleet server accepts, declared once: msgspec types for every request body.

A body is decoded straight into its type (``read``); a value that does not fit becomes
:class:`~provisioning.server.errors.Invalid` naming the field (``outbox.depth``,
``settings.ui.width``, ``events[3].kind``), so the API's 422 and the console's message
say exactly what to fix. Rules between fields that no type can state live in a type's
``check()``, run after decoding. NaN, Infinity and JSON nested too deep are malformed.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta

from kiosk import wirepath
from provisioning.server.errors import FleetError, Invalid

T = TypeVar("T")

_NAME = r"^[a-z_][a-z0-9_]{0,63}\Z"
Name = Annotated[str, Meta(pattern=_NAME)]
Text32 = Annotated[str, Meta(max_length=32)]
Text64 = Annotated[str, Meta(max_length=64)]
Text200 = Annotated[str, Meta(max_length=200)]
Line = Annotated[str, Meta(max_length=500)]
NonNegative = Annotated[float, Meta(ge=0)]
Count = Annotated[int, Meta(ge=0)]

_WORDS = {
    repr(_NAME): "a name of a-z, 0-9 and _ (starting with a letter or _)",
}

# ---- device bodies ------------------------------------------------------------------------


class DeviceHealth(msgspec.Struct):
    device: Text32 = ""
    supplies: Annotated[dict[Text32, Text32], Meta(max_length=8)] = {}
    detail: Text200 = ""


class Outbox(msgspec.Struct):
    depth: Count = 0
    oldest_pending_age_s: NonNegative | None = None


EVENT_KINDS = (
    "maintenance_entered",
    "maintenance_pin_failed",
    "maintenance_locked",
    "maintenance_left",
)
EventKind = typing.Literal[
    "maintenance_entered", "maintenance_pin_failed", "maintenance_locked", "maintenance_left"
]


class Event(msgspec.Struct):
    """A kiosk event the fleet's audit log keeps (maintenance entries, wrong PINs …)."""

    kind: EventKind
    at: NonNegative = 0
    technician: Text32 = ""
    method: Annotated[str, Meta(max_length=16)] = ""
    detail: Text64 = ""


MAX_RESULT_BYTES = 16_384  # a command's result, as JSON (a 3.9 MB one was once stored)


class Result(msgspec.Struct):
    """What a kiosk reports of a command it ran."""

    command_id: Annotated[str, Meta(max_length=64)]
    status: typing.Literal["done", "failed"]
    result: Annotated[dict[Text64, Any], Meta(max_length=32)] = {}


def check_results(results: list[Result], root: str) -> None:
    for i, item in enumerate(results):
        if len(msgspec.json.encode(item.result)) > MAX_RESULT_BYTES:
            raise Invalid(f"at most {MAX_RESULT_BYTES} bytes of JSON", field=f"{root}[{i}].result")


class Heartbeat(msgspec.Struct):
    uptime_s: NonNegative = 0
    software_version: Text64 = ""
    config_version: Annotated[int, Meta(ge=0)] | None = None
    config_error: Line | None = None
    config_warnings: Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=20)] = []
    in_service: bool = True
    paper: Text32 = "unknown"
    devices: Annotated[dict[Text32, DeviceHealth], Meta(max_length=16)] = {}
    outbox: Outbox = msgspec.field(default_factory=Outbox)
    events: Annotated[list[Event], Meta(max_length=200)] = []
    results: Annotated[list[Result], Meta(max_length=200)] = []
    # the updater's report (docs/updates.md §3); read leniently by rollouts.py
    update: Annotated[dict[Text32, Any], Meta(max_length=32)] | None = None

    def check(self) -> None:
        check_results(self.results, "results")


class Results(msgspec.Struct):
    results: Annotated[list[Result], Meta(max_length=200)]

    def check(self) -> None:
        check_results(self.results, "results")


class LogUpload(msgspec.Struct):
    command_id: Annotated[str, Meta(max_length=64)]
    text: Annotated[str, Meta(max_length=512_000)]


class Enrollment(msgspec.Struct):
    public_key: Annotated[str, Meta(max_length=200)]
    serial: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}\Z")]
    code: Annotated[str, Meta(max_length=64)] = ""
    software_version: Text64 = ""


_WORDS[repr(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}\Z")] = "1-64 letters, digits or ._:/-"

# ---- admin bodies -------------------------------------------------------------------------

Ident = Annotated[str, Meta(max_length=200)]


class Login(msgspec.Struct):
    username: Ident
    password: Ident
    otp: Annotated[str, Meta(max_length=16)] = ""  # province admins' one-time code


class NewRegion(msgspec.Struct):
    id: Ident
    name: Ident
    level: Ident
    parent_id: Ident | None = None


class NewAdmin(msgspec.Struct):
    username: Ident
    password: Ident
    role: Ident
    scope: Ident | None = None


class Approval(msgspec.Struct):
    site_id: Ident


class CommandRequest(msgspec.Struct):
    kind: Ident
    args: Annotated[dict[str, Any], Meta(max_length=8)] = {}
    command_id: Ident | None = None


class PairingCodeRequest(msgspec.Struct):
    site_id: Ident
    uses: Annotated[int, Meta(ge=1, le=1000)] = 1
    ttl_s: Annotated[int, Meta(ge=60, le=30 * 86400)] = 24 * 3600


class LayerApproval(msgspec.Struct):
    proposal_id: Annotated[int, Meta(ge=1)]


# ---- configuration layers -----------------------------------------------------------------

Scalar = str | int | float | bool
SettingValue = Scalar | list[Scalar]
FORBIDDEN_SECTIONS = {"paths"}  # where a kiosk keeps its keys is not the fleet's to move


class Catalogue(msgspec.Struct):
    """Only its shape: the kiosk validates a catalogue before it activates it."""

    matters: list[dict[str, Any]]


class Layer(msgspec.Struct, forbid_unknown_fields=True):
    """What an admin pushes for one node of the region tree (layers.py)."""

    settings: dict[Name, dict[Name, SettingValue]] = {}
    catalogue: Catalogue | None = None
    branding: dict[Name, Text200] = {}
    exclude_matters: list[Annotated[str, Meta(max_length=64)]] = []

    def check(self) -> None:
        for section in self.settings:
            if section in FORBIDDEN_SECTIONS:
                raise Invalid(
                    f"[{section}] cannot be set by the fleet", field=f"settings.{section}"
                )


# ---- reading ------------------------------------------------------------------------------


def decode(cls: type[T], raw: bytes, root: str = "body") -> T:
    """JSON bytes straight into ``cls``; FleetError malformed_json or Invalid."""
    try:
        value = msgspec.json.decode(raw, type=cls)
    except msgspec.ValidationError:
        return convert(cls, parse(raw), root)  # again, slowly, to name the field
    except (msgspec.DecodeError, RecursionError) as exc:
        raise FleetError("body is not valid JSON", code="malformed_json") from exc
    return _checked(value, root)


def parse(raw: bytes) -> Any:
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise FleetError("body is not valid JSON", code="malformed_json") from exc


def convert(cls: type[T], value: Any, root: str = "body") -> T:
    """An already parsed value into ``cls``; Invalid naming the first bad field."""
    try:
        result = msgspec.convert(value, type=cls)
    except msgspec.ValidationError as exc:
        raise _invalid(str(exc), cls, value, root) from exc
    return _checked(result, root)


def _checked(value: T, root: str) -> T:
    check = getattr(value, "check", None)
    if check is not None:
        check()
    return value


def _invalid(message: str, cls: Any, value: Any, root: str) -> Invalid:
    where, reason, regex = wirepath.explain(message, cls, value, strict=False)
    if regex is not None:
        reason = _WORDS.get(regex, "has the wrong format")
    return Invalid(reason, field=where or root)


def to_dict(value: msgspec.Struct) -> dict[str, Any]:
    """A decoded body as plain JSON values (what the database keeps)."""
    result: dict[str, Any] = msgspec.to_builtins(value)
    return result
