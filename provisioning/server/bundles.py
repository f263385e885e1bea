"""Signed configuration bundles: a site's effective content, versioned, with an expiry.

Versions come from one fleet-wide counter, so a version never goes back, not even for a
kiosk moved from one site to another (its new site's bundle is re-issued with a fresh
number). A bundle close to expiry is re-issued, same content, new version, when a kiosk
asks; one that has expired is refused by kiosks (TUF's freeze protection).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from provisioning.protocol import BUNDLE_FORMAT, canonical_json, seal
from provisioning.server.db import Tx, rows_in
from provisioning.server.keys import SigningKey
from provisioning.server.layers import effective_content, effective_contents
from provisioning.server.regions import get_site

BUNDLE_TTL_S = 30 * 86400


def _next_version(tx: Tx) -> int:
    row = tx.one(
        "UPDATE counters SET value = value + 1 WHERE name = 'bundle_version' RETURNING value"
    )
    assert row is not None
    return int(row["value"])


def latest(tx: Tx, site_id: str) -> dict[str, Any] | None:
    return tx.one(
        "SELECT * FROM bundles WHERE site_id = ? ORDER BY version DESC LIMIT 1", (site_id,)
    )


def content_hash(content: dict[str, Any]) -> str:
    """What decides "changed": everything the kiosk runs on, not which layers said it."""
    effective = {k: v for k, v in content.items() if k != "sources"}
    return hashlib.sha256(canonical_json(effective).encode("utf-8")).hexdigest()


def issue(
    tx: Tx,
    key: SigningKey,
    site_id: str,
    now: float,
    *,
    ttl_s: float = BUNDLE_TTL_S,
    force: bool = False,
    content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The site's newest bundle, signing a new one if the content changed (or ``force``).
    ``content``: the site's effective content when the caller has it already."""
    get_site(tx, site_id)
    content = content if content is not None else effective_content(tx, site_id)
    digest = content_hash(content)
    current = latest(tx, site_id)
    if current is not None and current["content_hash"] == digest and not force:
        return current
    version = _next_version(tx)
    payload = {
        "format": BUNDLE_FORMAT,
        "site": site_id,
        "version": version,
        "issued_at": int(now),
        "expires_at": int(now + ttl_s),
        **content,
    }
    envelope = json.dumps(seal(key.private, payload, key.key_id), ensure_ascii=False)
    tx.run(
        "INSERT INTO bundles (site_id, version, content_hash, envelope, issued_at, expires_at)"
        " VALUES (?,?,?,?,?,?)",
        (site_id, version, digest, envelope, now, now + ttl_s),
    )
    tx.run("UPDATE regions SET bundle_version = ? WHERE id = ?", (version, site_id))
    row = latest(tx, site_id)
    assert row is not None
    return row


def for_device(
    tx: Tx, key: SigningKey, device: dict[str, Any], now: float, ttl_s: float = BUNDLE_TTL_S
) -> int:
    """The version of the bundle a device should hold: fresh, and newer than anything it
    has applied. ``device`` is a devauth.DEVICE row (which carries its site's newest
    bundle). Content changes are signed when they happen (push, approval), so this hot
    path of every heartbeat reads nothing more unless it must sign."""
    version, expires = device["bundle_version"], device["bundle_expires_at"]
    if version is None:
        return int(issue(tx, key, device["site_id"], now, ttl_s=ttl_s)["version"])
    have = device["config_version"] or 0
    if expires - now < ttl_s / 3 or version < have:  # re-sign: new version, same content
        return int(issue(tx, key, device["site_id"], now, ttl_s=ttl_s, force=True)["version"])
    return int(version)


def envelope(tx: Tx, site_id: str, version: int) -> dict[str, Any]:
    row = tx.one(
        "SELECT envelope FROM bundles WHERE site_id = ? AND version = ?", (site_id, version)
    )
    assert row is not None
    found: dict[str, Any] = json.loads(row["envelope"])
    return found


def publish(
    tx: Tx, key: SigningKey, site_ids: list[str], now: float, ttl_s: float = BUNDLE_TTL_S
) -> list[tuple[str, int]]:
    """Issue bundles for sites whose content changed; (site, version) of each new one."""
    contents = effective_contents(tx, site_ids)
    hashes: dict[str, str] = {}
    for row in rows_in(
        tx,
        "SELECT b.site_id, b.content_hash FROM bundles b JOIN regions r"
        " ON r.id = b.site_id AND r.bundle_version = b.version"
        " WHERE b.site_id IN ({marks})",
        site_ids,
    ):
        hashes[row["site_id"]] = row["content_hash"]
    issued = []
    for site_id in site_ids:
        if hashes.get(site_id) == content_hash(contents[site_id]):
            continue
        after = issue(tx, key, site_id, now, ttl_s=ttl_s, content=contents[site_id])
        issued.append((site_id, int(after["version"])))
    return issued
