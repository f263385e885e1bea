"""What the updater remembers (``updates/state.json``) and reports (``status.json``).

Both are written atomically (kiosk/storage.write_atomically). ``status.json`` is what
``kiosk update status`` prints and what the agent puts on every heartbeat (its
``update`` field, docs/updates.md).
"""

from __future__ import annotations

import dataclasses as dc
import json
from pathlib import Path
from typing import Any

from kiosk.storage import write_atomically

MAX_HISTORY = 10


@dc.dataclass
class Trial:
    """A version switched to and not yet proven: since when, and what it must show."""

    version: str
    previous: str
    switched_at: float
    started_at: float = 0.0  # its first start (the time limit counts from here)
    require: list[str] = dc.field(default_factory=list)
    verdict: str = ""  # committed | rolled_back, written down before it is carried out
    reason: str = ""
    detail: str = ""
    failed_at: float = 0.0  # when the app marked the check that failed


@dc.dataclass
class UpdaterState:
    offer: dict[str, Any] | None = None  # the offer being worked on
    state: str = (
        "idle"  # idle | offered | downloading | installed | committed | rolled_back | failed
    )
    phase: str = ""  # detail: waiting_for_hours, waiting_for_idle, proving ...
    version: str = ""  # the offered version
    reason: str = ""  # a stable code when rolled back or failed
    detail: str = ""
    progress: dict[str, int] = dc.field(default_factory=dict)
    trial: Trial | None = None
    done_offers: list[str] = dc.field(default_factory=list)  # finished: never redone
    history: list[dict[str, Any]] = dc.field(default_factory=list)
    at: float = 0.0

    def record(self, entry: dict[str, Any]) -> None:
        self.history.append(entry)
        del self.history[:-MAX_HISTORY]


def load(path: Path) -> UpdaterState:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return UpdaterState()
    trial = raw.pop("trial", None)
    known = {f.name for f in dc.fields(UpdaterState)}
    state = UpdaterState(**{k: v for k, v in raw.items() if k in known})
    state.trial = Trial(**trial) if isinstance(trial, dict) else None
    return state


def save(path: Path, state: UpdaterState) -> None:
    write_atomically(path, json.dumps(dc.asdict(state), indent=1).encode(), 0o644)


def write_json(path: Path, value: Any, mode: int = 0o644) -> None:
    write_atomically(path, json.dumps(value, indent=1, ensure_ascii=False).encode(), mode)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
