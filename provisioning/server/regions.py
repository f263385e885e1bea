"""The region tree: province → county → township → site.

Sites are the leaves kiosks belong to. Every admin is scoped to one node (or to the whole
tree); "under" questions are answered from the parent links, which are short (four
levels), so no recursive SQL is needed.
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
    chain = []
    current: str | None = node_id
    while current is not None:
        row = get_region(tx, current)
        chain.append(row)
        current = row["parent_id"]
    return chain[::-1]


def all_regions(tx: Tx) -> list[dict[str, Any]]:
    return tx.all("SELECT * FROM regions ORDER BY id")


def subtree_ids(tx: Tx, node_id: str) -> set[str]:
    """The node and everything under it."""
    children: dict[str | None, list[str]] = {}
    for row in tx.all("SELECT id, parent_id FROM regions"):
        children.setdefault(row["parent_id"], []).append(row["id"])
    found, stack = set(), [node_id]
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def sites_under(tx: Tx, node_id: str) -> list[str]:
    ids = subtree_ids(tx, node_id)
    rows = tx.all("SELECT id FROM regions WHERE level = 'site' ORDER BY id")
    return [r["id"] for r in rows if r["id"] in ids]


def is_within(tx: Tx, node_id: str | None, scope: str | None) -> bool:
    """Whether ``node_id`` lies in ``scope`` (None scope = the whole tree)."""
    if scope is None:
        return True
    if node_id is None:
        return False
    return any(row["id"] == scope for row in ancestors(tx, node_id))


def require_within(tx: Tx, node_id: str | None, scope: str | None) -> None:
    if not is_within(tx, node_id, scope):
        raise Forbidden("outside your region", code="outside_scope")
