"""The audit log: one row per admin action, written in the action's own transaction.

Because the row commits with the change, there is no action without its record and no
record of an action that was rolled back. Failed logins are recorded too.
"""

from __future__ import annotations

import json
from typing import Any

from provisioning.server.accounts import Actor
from provisioning.server.db import Tx


def record(tx: Tx, actor: Actor | str, action: str, target: str, now: float, **detail: Any) -> None:
    name = actor.username if isinstance(actor, Actor) else actor
    ip = actor.ip if isinstance(actor, Actor) else ""
    tx.run(
        "INSERT INTO audit_log (at, actor, action, target, detail, ip) VALUES (?,?,?,?,?,?)",
        (now, name, action, target, json.dumps(detail, ensure_ascii=False, sort_keys=True), ip),
    )


def entries(
    tx: Tx, *, limit: int = 200, actor: str | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    where, args = [], []
    if actor:
        where.append("actor = ?")
        args.append(actor)
    if action:
        where.append("action = ?")
        args.append(action)
    sql = "SELECT * FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = tx.all(sql + " ORDER BY id DESC LIMIT ?", (*args, max(1, min(limit, 1000))))
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows
