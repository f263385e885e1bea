"""The region tree: province → county → township → site.

Sites are the leaves kiosks belong to. Every admin is scoped to one node (or to the whole
tree). Regions never move, so each node's ancestors are written once, when it is added,
into ``region_ancestors``: "is X under Y" and "everything under Y" are one indexed
look-up each, whatever the size of the province.
"""

from __future__ import annotations

import re
from typing import Any

from provisioning.server.db import Tx
from provisioning.server.errors import Conflict, Forbidden, Invalid, NotFound

LEVELS = ("province", "county", "township", "site")
NODE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a site id becomes the kiosk's station_id


def add_region(
    tx: Tx, node_id: str, name: str, level: str, parent_id: str | None, now: float
) -> None:
    if not NODE_ID.fullmatch(node_id):
        raise Invalid("1-64 letters, digits, '-' or '_'", field="id")
    if level not in LEVELS:
        raise Invalid(f"level must be one of {', '.join(LEVELS)}", field="level")
    if not name.strip():
        raise Invalid("a region needs a name", field="name")
    depth = LEVELS.index(level)
    if depth == 0 and parent_id is not None:
        raise Invalid("a province has no parent", field="parent_id")
    if depth > 0:
        parent = get_region(tx, parent_id or "")
        if LEVELS.index(parent["level"]) >= depth:
            raise Invalid(f"a {level} cannot sit under a {parent['level']}", field="parent_id")
    if tx.one("SELECT id FROM regions WHERE id = ?", (node_id,)):
        raise Conflict(f"region {node_id} exists", code="region_exists")
    tx.run(
        "INSERT INTO regions (id, name, level, parent_id, created_at) VALUES (?,?,?,?,?)",
        (node_id, name.strip(), level, parent_id, now),
    )
    tx.run(
        "INSERT INTO region_ancestors (node_id, ancestor_id, depth) VALUES (?, ?, 0)",
        (node_id, node_id),
    )
    if parent_id is not None:
        tx.run(
            "INSERT INTO region_ancestors (node_id, ancestor_id, depth)"
            " SELECT ?, ancestor_id, depth + 1 FROM region_ancestors WHERE node_id = ?",
            (node_id, parent_id),
        )


def get_region(tx: Tx, node_id: str) -> dict[str, Any]:
    row = tx.one("SELECT * FROM regions WHERE id = ?", (node_id,))
    if row is None:
        raise NotFound(f"no region {node_id}", code="unknown_region")
    return row


def get_site(tx: Tx, site_id: str) -> dict[str, Any]:
    row = get_region(tx, site_id)
    if row["level"] != "site":
        raise Invalid(f"{site_id} is a {row['level']}, not a site", field="site_id")
    return row


def ancestors(tx: Tx, node_id: str) -> list[dict[str, Any]]:
    """The node and its parents, root first."""
    get_region(tx, node_id)
    return tx.all(
        "SELECT r.* FROM region_ancestors a JOIN regions r ON r.id = a.ancestor_id"
        " WHERE a.node_id = ? ORDER BY a.depth DESC",
        (node_id,),
    )


def all_regions(tx: Tx) -> list[dict[str, Any]]:
    return tx.all("SELECT * FROM regions ORDER BY id")


def children(tx: Tx, node_id: str | None) -> list[dict[str, Any]]:
    """The nodes right under ``node_id`` (under nothing: the provinces), by id."""
    if node_id is None:
        return tx.all("SELECT * FROM regions WHERE parent_id IS NULL ORDER BY id")
    return tx.all("SELECT * FROM regions WHERE parent_id = ? ORDER BY id", (node_id,))


def sites_under(tx: Tx, node_id: str) -> list[str]:
    rows = tx.all(
        "SELECT r.id FROM region_ancestors a JOIN regions r ON r.id = a.node_id"
        " WHERE a.ancestor_id = ? AND r.level = 'site' ORDER BY r.id",
        (node_id,),
    )
    return [r["id"] for r in rows]


def is_within(tx: Tx, node_id: str | None, scope: str | None) -> bool:
    """Whether ``node_id`` lies in ``scope`` (None scope = the whole tree)."""
    if scope is None:
        return True
    if node_id is None:
        return False
    row = tx.one(
        "SELECT 1 AS yes FROM region_ancestors WHERE node_id = ? AND ancestor_id = ?",
        (node_id, scope),
    )
    return row is not None


def require_within(tx: Tx, node_id: str | None, scope: str | None) -> None:
    if not is_within(tx, node_id, scope):
        raise Forbidden("outside your region", code="outside_scope")
