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
import re
from typing import Any

from provisioning.server.db import Tx
from provisioning.server.errors import Invalid
from provisioning.server.regions import ancestors, get_region

LAYER_KEYS = {"settings", "catalogue", "branding", "exclude_matters"}
NAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")
FORBIDDEN_SECTIONS = {"paths"}  # where a kiosk keeps its keys is not the fleet's to move
MAX_LAYER_BYTES = 2_000_000


def validate_layer(doc: Any) -> dict[str, Any]:
    """The layer if its shape is right; Invalid naming the first bad key otherwise."""
    if not isinstance(doc, dict):
        raise Invalid("a layer is a JSON object", field="layer")
    unknown = set(doc) - LAYER_KEYS
    if unknown:
        raise Invalid(f"unknown key {sorted(unknown)[0]!r}", field="layer")
    if len(json.dumps(doc, ensure_ascii=False).encode()) > MAX_LAYER_BYTES:
        raise Invalid(f"a layer is at most {MAX_LAYER_BYTES} bytes", field="layer")
    _check_settings(doc.get("settings", {}))
    catalogue = doc.get("catalogue")
    if catalogue is not None and not (
        isinstance(catalogue, dict) and isinstance(catalogue.get("matters"), list)
    ):
        raise Invalid("catalogue must be a catalogue object with matters", field="catalogue")
    branding = doc.get("branding", {})
    if not isinstance(branding, dict) or not all(
        NAME.fullmatch(str(k)) and isinstance(v, str) and len(v) <= 200 for k, v in branding.items()
    ):
        raise Invalid("branding maps names to texts of at most 200 characters", field="branding")
    exclude = doc.get("exclude_matters", [])
    if not isinstance(exclude, list) or not all(isinstance(c, str) for c in exclude):
        raise Invalid("exclude_matters is a list of matter codes", field="exclude_matters")
    return doc


def _check_settings(settings: Any) -> None:
    if not isinstance(settings, dict):
        raise Invalid("settings maps sections to tables", field="settings")
    for section, values in settings.items():
        where = f"settings.{section}"
        if not NAME.fullmatch(str(section)) or not isinstance(values, dict):
            raise Invalid("a section name maps to a table", field=where)
        if section in FORBIDDEN_SECTIONS:
            raise Invalid(f"[{section}] cannot be set by the fleet", field=where)
        for key, value in values.items():
            if not NAME.fullmatch(str(key)) or not _is_setting_value(value):
                raise Invalid("a setting is a text, number, true/false or list",
                              field=f"{where}.{key}")  # fmt: skip


def _is_setting_value(value: Any) -> bool:
    scalar = (str, int, float, bool)
    if isinstance(value, list):
        return all(isinstance(v, scalar) for v in value)
    return isinstance(value, scalar)


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
    settings: dict[str, dict[str, Any]] = {}
    branding: dict[str, str] = {}
    catalogue: dict[str, Any] | None = None
    exclude: set[str] = set()
    sources = []
    chain = ancestors(tx, site_id)
    for node in chain:
        found = current_layer(tx, node["id"])
        if replace is not None and replace[0] == node["id"]:
            found = (found[0] + 1 if found else 1, replace[1])
        if found is None:
            continue
        version, layer = found
        sources.append([node["id"], version])
        for section, values in layer.get("settings", {}).items():
            settings.setdefault(section, {}).update(copy.deepcopy(values))
        branding.update(layer.get("branding", {}))
        if layer.get("catalogue") is not None:
            catalogue = copy.deepcopy(layer["catalogue"])
        exclude |= set(layer.get("exclude_matters", []))
    site = chain[-1]
    station = settings.setdefault("site", {})
    station.setdefault("station_id", site["id"])
    station.setdefault("station_name", site["name"])
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
