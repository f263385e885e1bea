"""Running remote commands on the kiosk, each at most once per command id.

The server delivers a command until its result comes back; the agent remembers the ids it
has run (in its state file, so across restarts) and for a repeat only resends the result.
Logs are redacted here, on the kiosk, before they leave it.
"""

from __future__ import annotations

import dataclasses as dc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provisioning.agent.state import AgentState
from provisioning.protocol import parse_offer

log = logging.getLogger(__name__)

MAX_LOG_BYTES = 256_000


@dc.dataclass
class Hooks:
    """What the kiosk lends the agent. Unset hooks make their commands fail clearly."""

    test_print: Callable[[], str] | None = None  # prints a test page; returns a status
    restart: Callable[[], None] | None = None  # asks the app to restart when idle
    upload_logs: Callable[[str, str], None] | None = None  # (command id, text); set by Agent
    log_dir: Path | None = None
    redact: Callable[[str], str] | None = None  # the kiosk's redaction, line by line
    # software updates (docs/updates.md): hand the updater an offer (None withdraws it),
    # and read its report for the heartbeat
    offer_update: Callable[[dict[str, Any] | None], None] | None = None
    update_report: Callable[[], dict[str, Any] | None] | None = None


def run(state: AgentState, command: dict[str, Any], hooks: Hooks) -> dict[str, Any]:
    """Run (or recall) one command; the result to send back."""
    command_id = str(command.get("id", ""))
    if command_id in state.done_commands:
        log.info("command %s already done; resending its result", command_id)
        result = state.done_commands[command_id]
        if result not in state.pending_results:
            state.pending_results.append(result)
        return result
    kind = command.get("kind")
    try:
        outcome = _do(state, str(kind), command.get("args") or {}, command_id, hooks)
        result = {"command_id": command_id, "status": "done", "result": outcome}
    except Exception as exc:  # a failed command is reported, never fatal to the agent
        log.warning("command %s (%s) failed: %s", command_id, kind, type(exc).__name__)
        result = {
            "command_id": command_id,
            "status": "failed",
            "result": {"error": f"{type(exc).__name__}: {exc}"},
        }
    state.remember_result(command_id, result)
    return result


def _do(
    state: AgentState, kind: str, args: dict[str, Any], command_id: str, hooks: Hooks
) -> dict[str, Any]:
    if kind == "lock":
        state.in_service, state.service_message = False, str(args.get("message", ""))
        return {"in_service": False}
    if kind == "unlock":
        state.in_service, state.service_message = True, ""
        return {"in_service": True}
    if kind == "resync":
        state.force_resync = True
        return {"resync": "scheduled"}
    if kind == "restart":
        state.restart_requested = True
        if hooks.restart is not None:
            hooks.restart()
        return {"restart": "requested"}
    if kind == "update":
        if hooks.offer_update is None:
            raise RuntimeError("this kiosk has no updater")
        offer = parse_offer(args)
        hooks.offer_update(offer)
        return {"offered": offer["version"], "offer_id": offer["offer_id"]}
    if kind == "test_print":
        if hooks.test_print is None:
            raise RuntimeError("this kiosk has no printer hook")
        return {"printer": hooks.test_print()}
    if kind == "collect_logs":
        if hooks.redact is None:
            raise RuntimeError("no redaction: logs are never sent unredacted")
        text = collect_logs(hooks.log_dir, hooks.redact)
        if hooks.upload_logs is None:
            raise RuntimeError("no upload channel")
        hooks.upload_logs(command_id, text)
        return {"bytes": len(text.encode("utf-8"))}
    raise ValueError(f"unknown command {kind!r}")


def collect_logs(
    log_dir: Path | None, redact: Callable[[str], str], limit: int = MAX_LOG_BYTES
) -> str:
    """The newest log text (up to ``limit`` bytes), redacted line by line."""
    if log_dir is None or not log_dir.is_dir():
        return ""
    files = sorted(log_dir.glob("*.log*"), key=lambda p: p.stat().st_mtime)
    chunks: list[str] = []
    size = 0
    for path in reversed(files):
        data = path.read_bytes()[-(limit - size) :]
        chunks.insert(0, data.decode("utf-8", errors="replace"))
        size += len(data)
        if size >= limit:
            break
    return "\n".join(redact(line) for line in "".join(chunks).splitlines())
