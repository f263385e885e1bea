"""Configuration layers and how they inherit: province → county → township → site.

A layer is what an admin pushes for one node of the region tree::

    {"settings": {"session": {"idle_timeout_s": 180}},    # key by key, nearest wins
     "catalogue": {...a whole catalogue file...},          # nearest layer that has one wins
     "exclude_matters": ["sb-0003"],                       # adds up along the way down
     "branding": {"title": "…", "color": "#0b5394"}}       # key by key, nearest wins

The server checks the shape only; the kiosk validates the result against its typed
settings and catalogue before it activates anything (and keeps its last good bundle if
that fails). A site's effective content also names its station: ``site.station_id`` and
``site.station_name`` come from the site unless a layer sets them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from provisioning.server import schemas
from provisioning.server.db import Tx
from provisioning.server.errors import Invalid
from provisioning.server.regions import get_region

MAX_LAYER_BYTES = 2_000_000


def validate_layer(doc: Any) -> dict[str, Any]:
    """The layer if its shape is right (schemas.Layer); Invalid naming the first bad key."""
    if not isinstance(doc, dict):
        raise Invalid("a layer is a JSON object", field="layer")
    if len(json.dumps(doc, ensure_ascii=False).encode()) > MAX_LAYER_BYTES:
        raise Invalid(f"a layer is at most {MAX_LAYER_BYTES} bytes", field="layer")
    schemas.convert(schemas.Layer, doc, root="layer")
    return doc


def current_layer(tx: Tx, node_id: str) -> tuple[int, dict[str, Any]] | None:
    row = tx.one(
        "SELECT version, document FROM config_layers WHERE node_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (node_id,),
    )
    return None if row is None else (int(row["version"]), json.loads(row["document"]))


def put_layer(tx: Tx, node_id: str, doc: dict[str, Any], by: str, now: float) -> int:
    get_region(tx, node_id)
    validate_layer(doc)
    previous = current_layer(tx, node_id)
    version = (previous[0] if previous else 0) + 1
    tx.run(
        "INSERT INTO config_layers (node_id, version, document, created_by, created_at)"
        " VALUES (?,?,?,?,?)",
        (node_id, version, json.dumps(doc, ensure_ascii=False), by, now),
    )
    return version


def effective_content(
    tx: Tx, site_id: str, replace: tuple[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """What a site's kiosks should run: every layer from the province down, merged.
    ``replace`` = (node, layer) previews a layer that is not stored yet."""
    get_region(tx, site_id)
    return effective_contents(tx, [site_id], replace)[site_id]


def effective_contents(
    tx: Tx, site_ids: list[str], replace: tuple[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """:func:`effective_content` for many sites at once: three queries however many
    sites a push to a province touches (sites share their ancestors' layers)."""
    if not site_ids:
        return {}
    chains: dict[str, list[str]] = {s: [] for s in site_ids}
    names: dict[str, str] = {}
    for start in range(0, len(site_ids), 500):
        chunk = site_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in tx.all(
            "SELECT a.node_id, a.ancestor_id, r.name FROM region_ancestors a"
            f" JOIN regions r ON r.id = a.node_id WHERE a.node_id IN ({marks})"
            " ORDER BY a.node_id, a.depth DESC",
            chunk,
        ):
            chains[row["node_id"]].append(row["ancestor_id"])
            names[row["node_id"]] = row["name"]
    layers = _current_layers(tx, {n for chain in chains.values() for n in chain})
    return {s: _merge(chains[s], s, names[s], layers, replace) for s in site_ids}


def _current_layers(tx: Tx, nodes: set[str]) -> dict[str, tuple[int, dict[str, Any]]]:
    """Each node's newest layer (nodes without one are absent)."""
    if not nodes:
        return {}
    marks = ",".join("?" * len(nodes))
    rows = tx.all(
        "SELECT c.node_id, c.version, c.document FROM config_layers c"
        " JOIN (SELECT node_id, MAX(version) AS version FROM config_layers"
        f" WHERE node_id IN ({marks}) GROUP BY node_id) m"
        " ON m.node_id = c.node_id AND m.version = c.version",
        sorted(nodes),
    )
    return {r["node_id"]: (int(r["version"]), json.loads(r["document"])) for r in rows}


def _merge(
    chain: list[str], site_id: str, site_name: str,
    layers: dict[str, tuple[int, dict[str, Any]]],
    replace: tuple[str, dict[str, Any]] | None,
) -> dict[str, Any]:  # fmt: skip
    settings: dict[str, dict[str, Any]] = {}
    branding: dict[str, str] = {}
    catalogue: dict[str, Any] | None = None
    exclude: set[str] = set()
    sources = []
    for node in chain:
        found = layers.get(node)
        if replace is not None and replace[0] == node:
            found = (found[0] + 1 if found else 1, replace[1])
        if found is None:
            continue
        version, layer = found
        sources.append([node, version])
        for section, values in layer.get("settings", {}).items():
            settings.setdefault(section, {}).update(copy.deepcopy(values))
        branding.update(layer.get("branding", {}))
        if layer.get("catalogue") is not None:
            catalogue = copy.deepcopy(layer["catalogue"])
        exclude |= set(layer.get("exclude_matters", []))
    station = settings.setdefault("site", {})
    station.setdefault("station_id", site_id)
    station.setdefault("station_name", site_name)
    if catalogue is not None and exclude:
        catalogue["matters"] = [m for m in catalogue["matters"] if m.get("code") not in exclude]
    return {
        "settings": settings,
        "catalogue": catalogue,
        "branding": branding,
        "exclude_matters": sorted(exclude),
        "sources": sources,
    }


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Human lines for what differs between two effective contents (the push preview)."""
    lines = []
    for section in sorted(set(before["settings"]) | set(after["settings"])):
        old, new = before["settings"].get(section, {}), after["settings"].get(section, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key, "∅") != new.get(key, "∅"):
                lines.append(f"settings.{section}.{key}: {_show(old, key)} → {_show(new, key)}")
    for key in sorted(set(before["branding"]) | set(after["branding"])):
        if before["branding"].get(key) != after["branding"].get(key):
            old_b, new_b = before["branding"], after["branding"]
            lines.append(f"branding.{key}: {_show(old_b, key)} → {_show(new_b, key)}")
    old_cat, new_cat = before["catalogue"], after["catalogue"]
    if old_cat != new_cat:
        lines.append(f"catalogue: {_catalogue_summary(old_cat)} → {_catalogue_summary(new_cat)}")
    return lines


def _show(table: dict[str, Any], key: str) -> str:
    return json.dumps(table[key], ensure_ascii=False) if key in table else "（默认）"


def _catalogue_summary(catalogue: dict[str, Any] | None) -> str:
    if catalogue is None:
        return "（内置目录）"
    return f"{catalogue.get('version', '?')}（{len(catalogue.get('matters', []))} 项）"
