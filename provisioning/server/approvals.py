"""Layers that need a second admin: the platform endpoint and credentials, device URLs
and native libraries (provisioning/policy.py, ``approval=True``).

A push that changes such a setting is not stored as a layer: it becomes a *proposal*,
and nothing reaches a kiosk until another province admin approves it. The approval is
written into the layer (``config_layers.approvals``) and travels in each bundle's
provenance, so the kiosk can check it too.
"""

from __future__ import annotations

import json
from typing import Any

from provisioning.server.db import Tx
from provisioning.server.errors import Conflict, Forbidden, NotFound


def propose(
    tx: Tx, node_id: str, doc: dict[str, Any], needs: list[str], by: str, now: float
) -> int:
    """Keep a layer until a second admin approves it; the proposal's id."""
    row = tx.one(
        "INSERT INTO layer_proposals (node_id, document, needs, proposed_by, proposed_at,"
        " status) VALUES (?,?,?,?,?,'pending') RETURNING id",
        (node_id, json.dumps(doc, ensure_ascii=False), json.dumps(needs), by, now),
    )
    assert row is not None
    return int(row["id"])


def take(tx: Tx, node_id: str, proposal_id: int, by: str, now: float) -> dict[str, Any]:
    """Approve a pending proposal for ``node_id`` as ``by``, who must not have made it:
    (document, {key: {"proposed_by", "approved_by"}}) to store as the layer."""
    row = tx.one(
        "SELECT * FROM layer_proposals WHERE id = ? AND node_id = ?", (proposal_id, node_id)
    )
    if row is None:
        raise NotFound(f"no proposal {proposal_id} for {node_id}", code="unknown_proposal")
    if row["status"] != "pending":
        raise Conflict(f"proposal {proposal_id} is {row['status']}", code="bad_transition")
    if row["proposed_by"] == by:
        raise Forbidden("a second admin must approve this change", code="second_admin_required")
    tx.run(
        "UPDATE layer_proposals SET status = 'approved', decided_by = ?, decided_at = ?"
        " WHERE id = ?",
        (by, now, proposal_id),
    )
    needs = json.loads(row["needs"])
    return {
        "document": json.loads(row["document"]),
        "proposed_by": row["proposed_by"],
        "approved": {k: {"proposed_by": row["proposed_by"], "approved_by": by} for k in needs},
    }


def pending(tx: Tx, node_id: str) -> list[dict[str, Any]]:
    rows = tx.all(
        "SELECT id, node_id, needs, proposed_by, proposed_at FROM layer_proposals"
        " WHERE node_id = ? AND status = 'pending' ORDER BY id",
        (node_id,),
    )
    return [r | {"needs": json.loads(r["needs"])} for r in rows]
