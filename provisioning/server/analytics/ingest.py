"""``POST /v1/device/usage``: one hour of one kiosk's counters, stored once, rolled up.

The device is the one that signed the request (devauth), never anything in the body.
In one transaction: the signature and its nonce; a batch already stored for this device
and hour answers ``duplicate`` (the same canonical bytes) or ``batch_conflict``; else
the batch is checked (batch.py, against the catalogue the device's site was given) and
its counters are added to the rollups of the site and each of its ancestors
(tables.py). A refusal stores nothing, the nonce included.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from typing import Any

from provisioning.server import devauth, layers, schemas
from provisioning.server.analytics.batch import (
    CHINA,
    HOUR_TEXT,
    Batch,
    Counter,
    UsageRefused,
    canonical,
    check_batch,
    vocabulary,
)
from provisioning.server.db import Tx
from provisioning.server.devauth import Signed
from provisioning.server.errors import BodyRefused, Conflict, FleetError, Forbidden

log = logging.getLogger(__name__)

SKEW = dt.timedelta(seconds=300)  # the kiosk's clock may run this far ahead of ours
MAX_BODY = 256 * 1024
BAD_LEVELS = (1, 2)  # 差评: a rating of 1 or 2 (kiosk.supervision.followup)

#: metrics rolled up into an_day, and the dimension that becomes its ``dim``
DAY_DIM = {
    "sessions_started": "",
    "sessions_ended": "reason",
    "identity_proven": "method",
    "sessions_using": "feature",
    "prints": "result",
    "qr_scans_failed": "reason",
    "complaints_filed": "category",
    "ratings": "level",
    "journeys_started": "flow",
    "journeys_completed": "flow",
    "journeys_abandoned": "flow",
    "journeys_assisted": "flow",
    "captures_retaken": "flow",
}
#: metrics rolled up into an_matter, under the names the pages use
MATTER_METRIC = {
    "journeys_started": "started",
    "journeys_completed": "completed",
    "journeys_abandoned": "abandoned",
    "journeys_assisted": "assisted",
    "captures_retaken": "retaken",
}
FUNNEL_KIND = {
    "steps_reached": "reached",
    "journeys_abandoned": "abandoned",
    "step_seconds": "seconds",
    "step_visits": "visits",
}


class UsageProblem(FleetError):
    """A refusal of docs/analytics.md's table, with its status."""

    def __init__(self, status: int, code: str, detail: str, field: str = "") -> None:
        super().__init__(detail, code=code, field=field)
        self.status = status


def day_of(hour: dt.datetime) -> int:
    """The CST day as a number, 20260105."""
    d = hour.astimezone(CHINA)
    return d.year * 10000 + d.month * 100 + d.day


MattersCache = dict[tuple[str, int | None], frozenset[str]]


def ingest(tx: Tx, req: Signed, now: float, cache: MattersCache) -> tuple[int, dict[str, Any]]:
    """(status, answer) for one usage request; a FleetError for a refusal. ``cache``:
    the sites' matters by bundle version, kept by the caller for its database."""
    body = req.body
    if len(body) > MAX_BODY:
        raise BodyRefused(413, "body_too_large", f"body over {MAX_BODY} bytes")
    row = devauth.authenticate(tx, req, now)
    if row["status"] != "accepted" or not row["site_id"]:
        raise Forbidden("this device is not accepted into a site", code="device_not_accepted")
    doc = schemas.parse(body)  # 400 malformed_json
    known = _stored(tx, row["id"], doc)
    if known is not None:
        if known["digest"] == _digest(doc):
            return 200, {"batch_id": known["batch_id"], "status": "duplicate"}
        raise Conflict("another batch is stored for this device and hour", code="batch_conflict")
    clock = dt.datetime.fromtimestamp(now, CHINA)
    try:
        batch = check_batch(doc, site_matters(tx, row["site_id"], cache), clock, skew=SKEW)
    except UsageRefused as exc:
        status = 413 if exc.code == "usage_too_large" else 422
        raise UsageProblem(status, exc.code, f"{exc.field}: {exc.detail}", exc.field) from None
    tx.run(
        "INSERT INTO usage_batches (device_id, hour, batch_id, digest, site_id, counters,"
        " received_at) VALUES (?,?,?,?,?,?,?)",
        (
            row["id"],
            int(batch.hour.timestamp()),
            batch.batch_id,
            _digest(doc),
            row["site_id"],
            len(batch.counters),
            now,
        ),
    )
    add_to_rollups(tx, row["site_id"], [batch])
    return 201, {"batch_id": batch.batch_id, "status": "stored"}


def forget_old_batches(tx: Tx, now: float) -> int:
    """Drop the idempotency keys of hours older than a kiosk may send (hour_too_old
    refuses those anyway); the rollups keep their counts."""
    cutoff = now - vocabulary().max_age.total_seconds() - 86_400
    return tx.run("DELETE FROM usage_batches WHERE hour < ?", (int(cutoff),))


def _stored(tx: Tx, device_id: str, doc: Any) -> dict[str, Any] | None:
    """The batch stored for the device and the body's hour, if the hour is readable."""
    if not isinstance(doc, dict) or not isinstance(doc.get("hour"), str):
        return None
    if not HOUR_TEXT.fullmatch(doc["hour"]):
        return None
    try:
        hour = dt.datetime.fromisoformat(doc["hour"])
    except ValueError:
        return None
    return tx.one(
        "SELECT batch_id, digest FROM usage_batches WHERE device_id = ? AND hour = ?",
        (device_id, int(hour.timestamp())),
    )


def _digest(doc: Any) -> str:
    return hashlib.sha256(canonical(doc)).hexdigest()


# ---- the site's catalogue ---------------------------------------------------------------


def site_matters(tx: Tx, site_id: str, cache: MattersCache) -> frozenset[str]:
    """The matter codes of the catalogue the site's kiosks were given: the nearest layer's
    catalogue less the excluded matters, or the release's own when no layer has one."""
    found = tx.one("SELECT bundle_version FROM regions WHERE id = ?", (site_id,))
    version = found["bundle_version"] if found else None
    key = (site_id, version)
    hit = cache.get(key)
    if hit is None:
        content = layers.effective_content(tx, site_id)
        catalogue = content.get("catalogue")
        hit = (
            frozenset(str(m.get("code")) for m in catalogue.get("matters", []))
            if catalogue is not None
            else default_matters() - set(content.get("exclude_matters", []))
        )
        if len(cache) > 50_000:
            cache.clear()
        cache[key] = hit
    return hit


@functools.cache
def default_matters() -> frozenset[str]:
    """The matters of the catalogue a kiosk release ships (config/catalogue.json)."""
    text = resources.files("config").joinpath("catalogue.json").read_text("utf-8")
    return frozenset(str(m["code"]) for m in json.loads(text)["matters"])


# ---- rollups ----------------------------------------------------------------------------


def rollup_rows(
    batches: Iterable[Batch],
) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """The batches' counters as increments of (an_day, an_matter, an_funnel) keys,
    without the node."""
    day: dict[tuple[Any, ...], int] = defaultdict(int)
    matter: dict[tuple[Any, ...], int] = defaultdict(int)
    funnel: dict[tuple[Any, ...], int] = defaultdict(int)
    for batch in batches:
        d = day_of(batch.hour)
        for c in batch.counters:
            _one(c, d, day, matter, funnel)
    return day, matter, funnel


def _one(
    c: Counter,
    d: int,
    day: dict[tuple[Any, ...], int],
    matter: dict[tuple[Any, ...], int],
    funnel: dict[tuple[Any, ...], int],
) -> None:
    dim = DAY_DIM.get(c.metric)
    if dim is not None:
        day[(d, c.metric, str(c.dim(dim)) if dim else "")] += c.value
    flow, code = str(c.dim("flow")), str(c.dim("matter"))
    if c.metric in MATTER_METRIC:
        matter[(d, flow, code, MATTER_METRIC[c.metric])] += c.value
    if c.metric == "ratings":
        level = int(c.dim("level"))
        matter[(d, flow, code, "ratings_n")] += c.value
        matter[(d, flow, code, "ratings_sum")] += c.value * level
        if level in BAD_LEVELS:
            matter[(d, flow, code, "ratings_bad")] += c.value
    kind = FUNNEL_KIND.get(c.metric)
    if kind is not None:
        reason = str(c.dim("reason")) if kind == "abandoned" else ""
        funnel[(flow, code, d, str(c.dim("step")), kind, reason)] += c.value


def nodes_of(tx: Tx, site_id: str) -> list[str]:
    """The site and every region above it."""
    rows = tx.all("SELECT ancestor_id FROM region_ancestors WHERE node_id = ?", (site_id,))
    return [r["ancestor_id"] for r in rows]


UPSERT_DAY = (
    "INSERT INTO an_day (node_id, day, metric, dim, value) VALUES (?,?,?,?,?)"
    " ON CONFLICT (node_id, day, metric, dim) DO UPDATE SET value = an_day.value + excluded.value"
)
UPSERT_MATTER = (
    "INSERT INTO an_matter (node_id, day, flow, matter, metric, value) VALUES (?,?,?,?,?,?)"
    " ON CONFLICT (node_id, day, flow, matter, metric)"
    " DO UPDATE SET value = an_matter.value + excluded.value"
)
UPSERT_FUNNEL = (
    "INSERT INTO an_funnel (node_id, flow, matter, day, step, kind, reason, value)"
    " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (node_id, flow, matter, day, step, kind, reason)"
    " DO UPDATE SET value = an_funnel.value + excluded.value"
)


def add_to_rollups(tx: Tx, site_id: str, batches: list[Batch]) -> None:
    """Add the batches (all of one site) to the rollups of the site and its ancestors."""
    day, matter, funnel = rollup_rows(batches)
    nodes = nodes_of(tx, site_id)
    if day:
        tx.many(UPSERT_DAY, [(n, *k, v) for n in nodes for k, v in sorted(day.items())])
    if matter:
        tx.many(UPSERT_MATTER, [(n, *k, v) for n in nodes for k, v in sorted(matter.items())])
    if funnel:
        tx.many(UPSERT_FUNNEL, [(n, *k, v) for n in nodes for k, v in sorted(funnel.items())])
