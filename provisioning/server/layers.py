"""Configuration layers and how they inherit: province → county → township → site.

A layer is what an admin pushes for one node of the region tree::

    {"settings": {"session": {"idle_timeout_s": 180}},    # key by key, nearest wins
     "catalogue": {...a whole catalogue file...},          # nearest layer that has one wins
     "exclude_matters": ["sb-0003"],                       # adds up along the way down
     "branding": {"title": "…", "color": "#0b5394"}}       # key by key, nearest wins

The server checks the shape and the fleet's allow-list (provisioning/policy.py: which
settings, at which level, how long, which platform hosts); the kiosk checks the same
rules against the bundle's ``provenance`` (who set each key, in which layer, approved by
whom) and validates the result against its typed
settings and catalogue before it activates anything (and keeps its last good bundle if
that fails). An excluded code that no catalogue has is not an error but most likely a
typo, so a push says so (:func:`unknown_exclusions`): the server checks the catalogues it
pushed, and a kiosk on its own built-in catalogue checks that one and reports it in its
configuration state. A site's effective content also names its station: ``site.station_id`` and
``site.station_name`` come from the site unless a layer sets them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from provisioning import policy
from provisioning.server import schemas
from provisioning.server.db import Tx, rows_in
from provisioning.server.errors import Forbidden, Invalid
from provisioning.server.regions import get_region

MAX_LAYER_BYTES = 2_000_000


def validate_layer(doc: Any) -> dict[str, Any]:
    """The layer if its shape is right (schemas.Layer) and every setting in it is one the
    fleet may set, within its length cap (provisioning/policy.py); Invalid naming the
    first bad key otherwise."""
    if not isinstance(doc, dict):
        raise Invalid("a layer is a JSON object", field="layer")
    if len(json.dumps(doc, ensure_ascii=False).encode()) > MAX_LAYER_BYTES:
        raise Invalid(f"a layer is at most {MAX_LAYER_BYTES} bytes", field="layer")
    schemas.convert(schemas.Layer, doc, root="layer")
    for section, values in doc.get("settings", {}).items():
        for name, value in values.items():
            try:
                policy.check_value(f"{section}.{name}", value)
            except policy.PolicyError as exc:
                raise Invalid(exc.problem, field=f"settings.{exc.key}", code=exc.code) from exc
    return doc


def needs_approval(tx: Tx, node_id: str, doc: dict[str, Any]) -> list[str]:
    """Check a layer against the level of the node it is for (a county's layer cannot set
    a province-only key); the keys needing a second admin that it changes."""
    level = str(get_region(tx, node_id)["level"])
    try:
        sensitive = policy.check_layer_settings(doc.get("settings", {}), level)
    except policy.PolicyError as exc:
        raise Forbidden(f"settings.{exc.key}: {exc.problem}", code=exc.code) from exc
    before = _flat((current_layer(tx, node_id) or (0, {}))[1])
    after = _flat(doc)
    touched = set(sensitive) | {k for k in before if policy.ALLOWED.get(k, _NONE).approval}
    return sorted(k for k in touched if before.get(k, _NONE) != after.get(k, _NONE))


_NONE: Any = policy.Rule("none")


def _flat(layer: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{section}.{name}": value
        for section, values in layer.get("settings", {}).items()
        for name, value in values.items()
    }


def current_layer(tx: Tx, node_id: str) -> tuple[int, dict[str, Any]] | None:
    row = tx.one(
        "SELECT version, document FROM config_layers WHERE node_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (node_id,),
    )
    return None if row is None else (int(row["version"]), json.loads(row["document"]))


def put_layer(
    tx: Tx,
    node_id: str,
    doc: dict[str, Any],
    by: str,
    now: float,
    approved: dict[str, dict[str, str]] | None = None,
) -> int:
    """Store a layer. ``approved``: the sensitive keys a second admin approved in it;
    sensitive keys it leaves as they were keep the approval they had."""
    get_region(tx, node_id)
    validate_layer(doc)
    previous = tx.one(
        "SELECT version, document, approvals FROM config_layers WHERE node_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (node_id,),
    )
    version = (int(previous["version"]) if previous else 0) + 1
    before = _flat(json.loads(previous["document"])) if previous else {}
    kept = json.loads(previous["approvals"]) if previous else {}
    approvals = {}
    for key, value in _flat(doc).items():
        if approved and key in approved:
            approvals[key] = approved[key]
        elif key in kept and before.get(key, _NONE) == value:
            approvals[key] = kept[key]
    tx.run(
        "INSERT INTO config_layers (node_id, version, document, created_by, created_at,"
        " approvals) VALUES (?,?,?,?,?,?)",
        (
            node_id,
            version,
            json.dumps(doc, ensure_ascii=False),
            by,
            now,
            json.dumps(approvals, ensure_ascii=False),
        ),
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
    tx: Tx,
    site_ids: list[str],
    replace: tuple[str, dict[str, Any]] | None = None,
    *,
    exclude: bool = True,
) -> dict[str, dict[str, Any]]:
    """:func:`effective_content` for many sites at once: three queries however many
    sites a push to a province touches (sites share their ancestors' layers).
    ``exclude=False``: the catalogue as pushed, its excluded matters still in it."""
    if not site_ids:
        return {}
    chains: dict[str, list[str]] = {s: [] for s in site_ids}
    names: dict[str, str] = {}
    levels: dict[str, str] = {}
    for row in rows_in(
        tx,
        "SELECT a.node_id, a.ancestor_id, r.name, u.level FROM region_ancestors a"
        " JOIN regions r ON r.id = a.node_id JOIN regions u ON u.id = a.ancestor_id"
        " WHERE a.node_id IN ({marks}) ORDER BY a.node_id, a.depth DESC",
        site_ids,
    ):
        chains[row["node_id"]].append(row["ancestor_id"])
        names[row["node_id"]] = row["name"]
        levels[row["ancestor_id"]] = row["level"]
    layers = _current_layers(tx, {n for chain in chains.values() for n in chain})
    return {s: _merge(chains[s], s, names[s], layers, replace, levels, exclude) for s in site_ids}


def unknown_exclusions(
    tx: Tx, site_ids: list[str], replace: tuple[str, dict[str, Any]] | None = None
) -> dict[str, list[str] | None]:
    """For each site: the codes its layers exclude that the catalogue its kiosks run does
    not have (a typo names nothing, and the matter stays on screen); None where the kiosks
    run their built-in catalogue, which the server does not know (the kiosk checks it)."""
    found: dict[str, list[str] | None] = {}
    for site, content in effective_contents(tx, site_ids, replace, exclude=False).items():
        excluded, catalogue = content["exclude_matters"], content["catalogue"]
        if catalogue is None:
            found[site] = None if excluded else []
        else:
            codes = {m.get("code") for m in catalogue["matters"]}
            found[site] = [code for code in excluded if code not in codes]
    return found


def exclusion_warnings(unknown: dict[str, list[str] | None], shown: int = 5) -> list[str]:
    """Lines for an admin about :func:`unknown_exclusions`, one per code (and one for the
    sites whose built-in catalogue only their kiosks can check)."""
    by_code: dict[str, list[str]] = {}
    for site, codes in unknown.items():
        for code in codes or []:
            by_code.setdefault(code, []).append(site)
    lines = [
        f"exclude_matters: {code} 不在目录中，排除它不起作用（{_sites(sites, shown)}）"
        for code, sites in sorted(by_code.items())
    ]
    unchecked = sorted(site for site, codes in unknown.items() if codes is None)
    if unchecked:
        lines.append(
            f"exclude_matters: {_sites(unchecked, shown)}使用终端内置目录，服务器无法核对编码；"
            "目录中没有的编码由终端在设备页的配置状态中报告"
        )
    return lines


def _sites(sites: list[str], shown: int) -> str:
    more = f" 等 {len(sites)} 个站点" if len(sites) > shown else ""
    return "站点 " + "、".join(sites[:shown]) + more


Layers = dict[str, tuple[int, dict[str, Any], dict[str, Any]]]


def _current_layers(tx: Tx, nodes: set[str]) -> Layers:
    """Each node's newest layer with its approvals (nodes without one are absent)."""
    if not nodes:
        return {}
    marks = ",".join("?" * len(nodes))
    rows = tx.all(
        "SELECT c.node_id, c.version, c.document, c.created_by, c.approvals"
        " FROM config_layers c"
        " JOIN (SELECT node_id, MAX(version) AS version FROM config_layers"
        f" WHERE node_id IN ({marks}) GROUP BY node_id) m"
        " ON m.node_id = c.node_id AND m.version = c.version",
        sorted(nodes),
    )
    return {
        r["node_id"]: (
            int(r["version"]),
            json.loads(r["document"]),
            {"by": r["created_by"], "approvals": json.loads(r["approvals"])},
        )
        for r in rows
    }


def _merge(
    chain: list[str],
    site_id: str,
    site_name: str,
    layers: Layers,
    replace: tuple[str, dict[str, Any]] | None,
    levels: dict[str, str],
    apply_exclusions: bool = True,
) -> dict[str, Any]:
    settings: dict[str, dict[str, Any]] = {}
    provenance: dict[str, dict[str, Any]] = {}
    branding: dict[str, str] = {}
    catalogue: dict[str, Any] | None = None
    exclude: set[str] = set()
    sources = []
    for node in chain:
        found = layers.get(node)
        if replace is not None and replace[0] == node:
            found = (found[0] + 1 if found else 1, replace[1], {"by": "", "approvals": {}})
        if found is None:
            continue
        version, layer, made = found
        sources.append([node, version])
        for section, values in layer.get("settings", {}).items():
            settings.setdefault(section, {}).update(copy.deepcopy(values))
            for name in values:
                key = f"{section}.{name}"
                provenance[key] = {
                    "node": node,
                    "level": levels.get(node, ""),
                    "by": made["by"],
                } | made["approvals"].get(key, {})
        branding.update(layer.get("branding", {}))
        if layer.get("catalogue") is not None:
            catalogue = copy.deepcopy(layer["catalogue"])
        exclude |= set(layer.get("exclude_matters", []))
    station = settings.setdefault("site", {})
    station.setdefault("station_id", site_id)
    station.setdefault("station_name", site_name)
    if catalogue is not None and exclude and apply_exclusions:
        catalogue["matters"] = [m for m in catalogue["matters"] if m.get("code") not in exclude]
    return {
        "settings": settings,
        "catalogue": catalogue,
        "branding": branding,
        "exclude_matters": sorted(exclude),
        "provenance": provenance,
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
