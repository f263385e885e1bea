"""What the agent remembers between runs, in ``<state>/fleet/agent.json``.

Written atomically (temp file, fsync, rename), so a power cut leaves the old state or the
new one. It holds the trust anchor (the server key pinned at enrollment) and the highest
bundle version ever accepted: without these on disk, rollback protection would be lost
at the next restart (TUF's lesson).
"""

from __future__ import annotations

import dataclasses as dc
import json
import os
from pathlib import Path
from typing import Any

MAX_DONE = 500  # command ids remembered for idempotency
MAX_EVENTS = 200  # kiosk events (maintenance entries …) waiting for a heartbeat


@dc.dataclass
class AgentState:
    server_url: str = ""
    server_key: str = ""
    server_key_id: str = ""
    server_trust: dict[str, Any] = dc.field(default_factory=dict)  # the rotated key set
    device_id: str = ""
    status: str = "unenrolled"  # unenrolled | pending | accepted | rejected | revoked
    site_id: str | None = None
    applied_version: int = 0  # the active bundle's version
    highest_version: int = 0  # never accept a bundle at or below this, except the active one
    active_expires_at: int = 0
    in_service: bool = True
    service_message: str = ""
    done_commands: dict[str, dict[str, Any]] = dc.field(default_factory=dict)
    pending_results: list[dict[str, Any]] = dc.field(default_factory=list)
    pending_events: list[dict[str, Any]] = dc.field(default_factory=list)
    force_resync: bool = False
    restart_requested: bool = False
    last_contact: float = 0.0
    last_error: str = ""
    config_error: str = ""

    @property
    def enrolled(self) -> bool:
        return bool(self.device_id and self.server_url)

    def remember_result(self, command_id: str, result: dict[str, Any]) -> None:
        self.done_commands[command_id] = result
        while len(self.done_commands) > MAX_DONE:
            self.done_commands.pop(next(iter(self.done_commands)))
        self.pending_results.append(result)

    def add_event(self, event: dict[str, Any]) -> None:
        """Queue an event for the next heartbeat; the oldest go first when too many wait."""
        self.pending_events.append(event)
        del self.pending_events[:-MAX_EVENTS]


def load_state(path: Path) -> AgentState:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AgentState()
    known = {f.name for f in dc.fields(AgentState)}
    return AgentState(**{k: v for k, v in raw.items() if k in known})


def save_state(path: Path, state: AgentState) -> None:
    write_atomic(path, json.dumps(dc.asdict(state), ensure_ascii=False, indent=1).encode())


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
