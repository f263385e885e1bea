"""Rollouts: a release offered to a region's kiosks in waves, halted by failures.

A rollout names a release and a target region; its kiosks are cut into waves
(rollout_plan.py). The current wave's kiosks get the offer in their heartbeat answers
(docs/updates.md §2); each heartbeat's ``update`` report moves the kiosk's state:
pending → offered → downloading → installed → committed, or rolled_back / failed with
the kiosk's reason and detail. ``failed`` + ``rolled_back`` count against the wave's
``max_failures`` share: past it the rollout halts by itself (status ``halted``, with
the reason the console shows), and the offers not yet switched to are withdrawn
(``"update": null``). A wave whose kiosks have all finished opens the next one; the
last one finishes the rollout. Pause and abort withdraw the same way; resume offers
again with a new offer id (a kiosk never works on one id twice), and a halted rollout
resumed goes on past the wave that halted it.
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from typing import Any

from provisioning.server import audit, regions
from provisioning.server.db import Tx
from provisioning.server.errors import Conflict, Invalid, NotFound
from provisioning.server.rollout_plan import Wave

log = logging.getLogger(__name__)


class Status(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    HALTED = "halted"
    ABORTED = "aborted"
    FINISHED = "finished"


UNDER_WAY = (Status.RUNNING, Status.PAUSED, Status.HALTED)
#: per-device states; the middle three are an offer in flight, the last three are done
STATES = (
    "pending",
    "offered",
    "downloading",
    "installed",
    "committed",
    "rolled_back",
    "failed",
    "withdrawn",
)
IN_FLIGHT = ("offered", "downloading", "installed")
DONE = ("committed", "rolled_back", "failed")
FAILURES = ("rolled_back", "failed")
REPOSITORY = "/tuf/"

#: The fleet schema's part for releases and rollouts (migration 6). Add-only.
SCHEMA = [
    """CREATE TABLE releases (
        version TEXT PRIMARY KEY, notes TEXT NOT NULL, wheels INTEGER NOT NULL,
        bytes BIGINT NOT NULL, platform TEXT NOT NULL, added_by TEXT NOT NULL,
        added_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE rollouts (
        id {pk}, version TEXT NOT NULL REFERENCES releases(version),
        target TEXT NOT NULL REFERENCES regions(id), status TEXT NOT NULL,
        canary INTEGER NOT NULL, wave_pct DOUBLE PRECISION NOT NULL,
        max_failures_pct DOUBLE PRECISION NOT NULL, downgrade INTEGER NOT NULL,
        waves INTEGER NOT NULL, current_wave INTEGER NOT NULL,
        tolerated_wave INTEGER NOT NULL DEFAULT -1, created_by TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL, finished_at DOUBLE PRECISION,
        halted_at DOUBLE PRECISION, halted_reason TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE rollout_waves (
        rollout_id BIGINT NOT NULL REFERENCES rollouts(id), number INTEGER NOT NULL,
        label TEXT NOT NULL, region_id TEXT NOT NULL, size INTEGER NOT NULL,
        started_at DOUBLE PRECISION, finished_at DOUBLE PRECISION,
        outcome TEXT NOT NULL DEFAULT '', PRIMARY KEY (rollout_id, number))""",
    """CREATE TABLE rollout_devices (
        rollout_id BIGINT NOT NULL REFERENCES rollouts(id),
        device_id TEXT NOT NULL REFERENCES devices(id), wave INTEGER NOT NULL,
        state TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, offer_id TEXT,
        reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
        bytes BIGINT, total BIGINT, offered_at DOUBLE PRECISION,
        updated_at DOUBLE PRECISION, PRIMARY KEY (rollout_id, device_id))""",
    "CREATE INDEX rollout_devices_device ON rollout_devices(device_id, rollout_id)",
    "CREATE INDEX rollout_devices_wave ON rollout_devices(rollout_id, wave, state)",
]


def offer_id(rollout_id: int, device_id: str, attempt: int) -> str:
    return f"ro{rollout_id}-{device_id}-{attempt}"


# ---- starting ---------------------------------------------------------------------------


def members(tx: Tx, target: str) -> list[tuple[str, str]]:
    """(device, region) for every accepted kiosk under ``target``; the region is the
    target's child the kiosk's site lies in (the site itself when the target is one)."""
    node = regions.get_region(tx, target)
    devices = tx.all(
        "SELECT d.id, d.site_id FROM devices d JOIN region_ancestors a ON a.node_id = d.site_id"
        " WHERE a.ancestor_id = ? AND d.status = 'accepted' ORDER BY d.id",
        (target,),
    )
    if node["level"] == "site":
        return [(str(d["id"]), target) for d in devices]
    child_of = {
        r["node_id"]: r["child"]
        for r in tx.all(
            "SELECT a.node_id, c.id AS child FROM regions c JOIN region_ancestors a"
            " ON a.ancestor_id = c.id WHERE c.parent_id = ?",
            (target,),
        )
    }
    return [(str(d["id"]), str(child_of.get(d["site_id"], d["site_id"]))) for d in devices]


def busy_rollout(tx: Tx, target: str) -> int | None:
    """A rollout still under way for some kiosk under ``target``."""
    row = tx.one(
        "SELECT r.id FROM rollouts r JOIN rollout_devices rd ON rd.rollout_id = r.id"
        " JOIN devices d ON d.id = rd.device_id JOIN region_ancestors a ON a.node_id = d.site_id"
        " WHERE a.ancestor_id = ? AND r.status IN (?,?,?) LIMIT 1",
        (target, *UNDER_WAY),
    )
    return None if row is None else int(row["id"])


def create(
    tx: Tx,
    actor: str,
    version: str,
    target: str,
    waves: list[Wave],
    options: dict[str, Any],
    now: float,
) -> int:
    row = tx.one(
        "INSERT INTO rollouts (version, target, status, canary, wave_pct, max_failures_pct,"
        " downgrade, waves, current_wave, created_by, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,0,?,?) RETURNING id",
        (
            version,
            target,
            Status.RUNNING.value,
            options["canary"],
            options["wave_pct"],
            options["max_failures_pct"],
            int(options["downgrade"]),
            len(waves),
            actor,
            now,
        ),
    )
    assert row is not None
    rid = int(row["id"])
    tx.many(
        "INSERT INTO rollout_waves (rollout_id, number, label, region_id, size, started_at)"
        " VALUES (?,?,?,?,?,?)",
        [
            (rid, n, w.label, w.region, len(w.devices), now if n == 0 else None)
            for n, w in enumerate(waves)
        ],
    )
    tx.many(
        "INSERT INTO rollout_devices (rollout_id, device_id, wave, state) VALUES (?,?,?,?)",
        [(rid, d, n, "pending") for n, w in enumerate(waves) for d in w.devices],
    )
    return rid


# ---- the heartbeat's part ---------------------------------------------------------------

_LATEST = (
    "SELECT rd.*, r.status AS rollout_status, r.version, r.current_wave, r.downgrade"
    " FROM rollout_devices rd JOIN rollouts r ON r.id = rd.rollout_id"
    " WHERE rd.device_id = ? ORDER BY rd.rollout_id DESC LIMIT 1"
)


def heartbeat(tx: Tx, device_id: str, report: Any, now: float) -> tuple[bool, Any]:
    """Read a heartbeat's ``update`` report into the kiosk's newest rollout and decide
    the answer's ``update`` key: (False, None) says nothing; (True, None) withdraws;
    (True, offer) offers."""
    row = tx.one(_LATEST, (device_id,))
    if row is None:
        return False, None
    if isinstance(report, dict) and _record(tx, row, report, now) in DONE:
        evaluate(tx, int(row["rollout_id"]), now)
        row = tx.one(_LATEST, (device_id,)) or row
    running = row["rollout_status"] == Status.RUNNING and row["wave"] <= row["current_wave"]
    if running and row["state"] in ("pending", "withdrawn"):
        attempt = int(row["attempt"]) + 1
        row["offer_id"] = offer_id(int(row["rollout_id"]), device_id, attempt)
        row["state"] = "offered"
        tx.run(
            "UPDATE rollout_devices SET state = 'offered', attempt = ?, offer_id = ?,"
            " offered_at = ?, updated_at = ?, reason = '', detail = ''"
            " WHERE rollout_id = ? AND device_id = ?",
            (attempt, row["offer_id"], now, now, row["rollout_id"], device_id),
        )
    if not running:  # withdraw what is in flight, and keep saying so: a kiosk may report
        # "idle" before its updater has even seen the offer the agent handed it
        return (row["state"] in (*IN_FLIGHT, "withdrawn")), None
    if row["state"] not in IN_FLIGHT:
        return False, None
    offer = {
        "offer_id": row["offer_id"],
        "version": row["version"],
        "repository": REPOSITORY,
        "downgrade": bool(row["downgrade"]),
    }
    return True, offer


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _record(tx: Tx, row: dict[str, Any], report: dict[str, Any], now: float) -> str | None:
    """The kiosk's state for this rollout after its report; None when unchanged."""
    state = report.get("state")
    mine = row["offer_id"] is not None and report.get("offer_id") == row["offer_id"]
    if mine and state in STATES[1:7] and row["state"] not in DONE:
        new = str(state)
    elif (
        row["state"] in IN_FLIGHT
        and row["rollout_status"] != Status.RUNNING
        and report.get("offer_id") is None
        and state == "idle"
    ):
        new = "withdrawn"  # the kiosk dropped the offer we withdrew
    else:
        return None
    progress = report.get("progress")
    if not isinstance(progress, dict):
        progress = {}
    numbers = [
        progress.get(k) if isinstance(progress.get(k), int) else None for k in ("bytes", "total")
    ]
    values = (new, _text(report.get("reason"), 64), _text(report.get("detail"), 500), *numbers)
    stored = (row["state"], row["reason"], row["detail"], row["bytes"], row["total"])
    if values == stored:
        return None
    tx.run(
        "UPDATE rollout_devices SET state = ?, reason = ?, detail = ?, bytes = ?, total = ?,"
        " updated_at = ? WHERE rollout_id = ? AND device_id = ?",
        (*values, now, row["rollout_id"], row["device_id"]),
    )
    row.update(state=new, reason=values[1], detail=values[2])
    return new if new != stored[0] else None


def evaluate(tx: Tx, rollout_id: int, now: float) -> None:
    """Halt the rollout when its current wave's failures pass the threshold; open the
    next wave (or finish) when every kiosk of the current one is done."""
    r = tx.one("SELECT * FROM rollouts WHERE id = ?", (rollout_id,))
    if r is None or r["status"] != Status.RUNNING:
        return
    wave = int(r["current_wave"])
    rows = tx.all(
        "SELECT state, reason, COUNT(*) AS n FROM rollout_devices"
        " WHERE rollout_id = ? AND wave = ? GROUP BY state, reason",
        (rollout_id, wave),
    )
    size = sum(int(x["n"]) for x in rows)
    failures = sum(int(x["n"]) for x in rows if x["state"] in FAILURES)
    done = sum(int(x["n"]) for x in rows if x["state"] in DONE)
    if wave != r["tolerated_wave"] and failures * 100 > r["max_failures_pct"] * size:
        reasons = Counter(
            {x["reason"] or x["state"]: int(x["n"]) for x in rows if x["state"] in FAILURES}
        )
        why = "、".join(f"{k}×{n}" for k, n in reasons.most_common(3))
        reason = (
            f"第 {wave + 1} 批失败 {failures}/{size} 台，超过上限 {r['max_failures_pct']:g}%：{why}"
        )
        if tx.run(
            "UPDATE rollouts SET status = ?, halted_at = ?, halted_reason = ?"
            " WHERE id = ? AND status = ?",
            (Status.HALTED.value, now, reason, rollout_id, Status.RUNNING.value),
        ):
            _close_wave(tx, rollout_id, wave, "halted", now)
            audit.record(
                tx,
                "fleet",
                "rollout_halted",
                f"rollout:{rollout_id}",
                now,
                wave=wave,
                failures=failures,
                size=size,
                reasons=dict(reasons),
            )
            log.warning("rollout %d halted: %s", rollout_id, reason)
        return
    if size and done == size:
        _close_wave(tx, rollout_id, wave, "done", now)
        if wave + 1 < r["waves"]:
            tx.run(
                "UPDATE rollouts SET current_wave = ? WHERE id = ? AND current_wave = ?",
                (wave + 1, rollout_id, wave),
            )
            tx.run(
                "UPDATE rollout_waves SET started_at = ? WHERE rollout_id = ? AND number = ?",
                (now, rollout_id, wave + 1),
            )
        else:
            tx.run(
                "UPDATE rollouts SET status = ?, finished_at = ? WHERE id = ?",
                (Status.FINISHED.value, now, rollout_id),
            )
            audit.record(tx, "fleet", "rollout_finished", f"rollout:{rollout_id}", now)


def sweep(tx: Tx, now: float) -> None:
    """Judge every running rollout again: two kiosks finishing a wave in concurrent
    transactions (PostgreSQL) may each have missed the other's report."""
    for row in tx.all("SELECT id FROM rollouts WHERE status = ?", (Status.RUNNING.value,)):
        evaluate(tx, int(row["id"]), now)


def _close_wave(tx: Tx, rollout_id: int, wave: int, outcome: str, now: float) -> None:
    tx.run(
        "UPDATE rollout_waves SET finished_at = ?, outcome = ? WHERE rollout_id = ? AND number = ?",
        (now, outcome, rollout_id, wave),
    )


# ---- reading ----------------------------------------------------------------------------


def get(tx: Tx, rollout_id: int) -> dict[str, Any]:
    row = tx.one("SELECT * FROM rollouts WHERE id = ?", (rollout_id,))
    if row is None:
        raise NotFound(f"no rollout {rollout_id}", code="unknown_rollout")
    return row


# ---- changing ---------------------------------------------------------------------------

_MOVES = {
    "pause": ((Status.RUNNING,), Status.PAUSED),
    "resume": ((Status.PAUSED, Status.HALTED), Status.RUNNING),
    "abort": (UNDER_WAY, Status.ABORTED),
}


def move(tx: Tx, rollout_id: int, verb: str, now: float) -> dict[str, Any]:
    """pause | resume | abort; Conflict when the rollout's status does not allow it."""
    if verb not in _MOVES:
        raise Invalid(f"not a rollout action: {verb}", field="action")
    r = get(tx, rollout_id)
    allowed, to = _MOVES[verb]
    if r["status"] not in allowed:
        raise Conflict(
            f"rollout {rollout_id} is {r['status']}: it cannot {verb}", code="bad_transition"
        )
    tolerated = r["current_wave"] if r["status"] == Status.HALTED else r["tolerated_wave"]
    finished = now if to == Status.ABORTED else None
    tx.run(
        "UPDATE rollouts SET status = ?, tolerated_wave = ?, finished_at = ? WHERE id = ?",
        (to.value, tolerated, finished, rollout_id),
    )
    if to == Status.RUNNING:
        evaluate(tx, rollout_id, now)  # a wave that finished meanwhile opens the next
    return get(tx, rollout_id)
