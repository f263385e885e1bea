"""Remote commands, idempotent by command id.

An admin's command waits until the kiosk's next contact, which delivers it (again and
again until a result comes back: the kiosk remembers ids it has run and only resends the
result). Creating a command twice with the same id is one command; the same id for a
different command is a conflict.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from provisioning.server.db import Statement, Tx
from provisioning.server.errors import Conflict, Invalid
from provisioning.server.schemas import Result

KINDS = {
    "lock": "停止服务",
    "unlock": "恢复服务",
    "resync": "重新同步配置",
    "restart": "重启应用",
    "test_print": "打印测试页",
    "collect_logs": "收集日志",
}
COMMAND_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_MESSAGE = 200


def create(
    tx: Tx,
    device_id: str,
    kind: str,
    args: dict[str, Any],
    by: str,
    now: float,
    command_id: str | None = None,
) -> dict[str, Any]:
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind")
    args = _check_args(kind, args)
    command_id = command_id or uuid.uuid4().hex
    if not COMMAND_ID.fullmatch(command_id):
        raise Invalid("8-64 letters, digits, '-' or '_'", field="command_id")
    existing = tx.one("SELECT * FROM commands WHERE id = ?", (command_id,))
    if existing is not None:
        same = (existing["device_id"], existing["kind"], json.loads(existing["args"]))
        if same != (device_id, kind, args):
            raise Conflict("this command id was used for another command", code="command_id_reused")
        return _view(existing)
    seq = tx.one("UPDATE counters SET value = value + 1 WHERE name = 'command_seq' RETURNING value")
    assert seq is not None
    tx.run(
        "INSERT INTO commands (id, seq, device_id, kind, args, status, created_by, created_at)"
        " VALUES (?,?,?,?,?,'pending',?,?)",
        (command_id, seq["value"], device_id, kind, json.dumps(args, ensure_ascii=False), by, now),
    )
    row = tx.one("SELECT * FROM commands WHERE id = ?", (command_id,))
    assert row is not None
    return _view(row)


def _check_args(kind: str, args: Any) -> dict[str, Any]:
    if not isinstance(args, dict):
        raise Invalid("args must be an object", field="args")
    if kind == "lock":
        message = args.get("message", "")
        if not isinstance(message, str) or len(message) > MAX_MESSAGE:
            raise Invalid(f"message: text of at most {MAX_MESSAGE} characters", field="args")
        return {"message": message}
    if args:
        raise Invalid(f"{kind} takes no arguments", field="args")
    return {}


def unanswered(device_id: str) -> Statement:
    """The statement that finds the commands a device has not answered, oldest first."""
    return (
        "SELECT id, kind, args, status FROM commands WHERE device_id = ?"
        " AND status IN ('pending', 'delivered') ORDER BY seq",
        (device_id,),
    )


def deliver(
    tx: Tx, device_id: str, now: float, rows: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Commands the device has not answered yet, oldest first (marked delivered);
    ``rows``: what ``unanswered`` found, when the caller ran it already."""
    if rows is None:
        rows = tx.all(*unanswered(device_id))
    if any(r["status"] == "pending" for r in rows):
        tx.run(
            "UPDATE commands SET status = 'delivered', delivered_at = ?"
            " WHERE device_id = ? AND status = 'pending'",
            (now, device_id),
        )
    return [{"id": r["id"], "kind": r["kind"], "args": json.loads(r["args"])} for r in rows]


def record_results(tx: Tx, device_id: str, results: list[Result], now: float) -> int:
    """Store results the device sent; ones already stored or unknown are ignored."""
    stored = 0
    for item in results:
        changed = tx.run(
            "UPDATE commands SET status = ?, result = ?, finished_at = ?"
            " WHERE id = ? AND device_id = ? AND status IN ('pending', 'delivered')",
            (
                item.status,
                json.dumps(item.result, ensure_ascii=False),
                now,
                item.command_id,
                device_id,
            ),
        )
        if changed and item.status == "done":
            _service_follows(tx, device_id, item.command_id)
        stored += changed
    return stored


def _service_follows(tx: Tx, device_id: str, command_id: str) -> None:
    """A done lock/unlock shows on the console at once, not at the next heartbeat."""
    row = tx.one("SELECT kind FROM commands WHERE id = ?", (command_id,))
    if row is not None and row["kind"] in ("lock", "unlock"):
        in_service = int(row["kind"] == "unlock")
        tx.run("UPDATE devices SET in_service = ? WHERE id = ?", (in_service, device_id))


def for_device(tx: Tx, device_id: str, limit: int = 50) -> list[dict[str, Any]]:
    rows = tx.all(
        "SELECT * FROM commands WHERE device_id = ? ORDER BY seq DESC LIMIT ?",
        (device_id, limit),
    )
    return [_view(r) for r in rows]


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "device_id": row["device_id"],
        "kind": row["kind"],
        "args": json.loads(row["args"]),
        "status": row["status"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "result": json.loads(row["result"]),
    }
