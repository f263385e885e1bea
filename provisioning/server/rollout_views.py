"""What a rollout looks like to an admin: each wave's counts by state, the kiosks that
failed with their reasons, the rollouts of one kiosk (the model is rollouts.py)."""

from __future__ import annotations

from typing import Any

from provisioning.server.db import Tx
from provisioning.server.rollouts import DONE, FAILURES, STATES, get


def status(tx: Tx, rollout_id: int, problems: int = 200) -> dict[str, Any]:
    """The rollout, each wave's counts by state, and the kiosks that failed (reasons)."""
    r = get(tx, rollout_id)
    counts: dict[int, dict[str, int]] = {}
    for x in tx.all(
        "SELECT wave, state, COUNT(*) AS n FROM rollout_devices WHERE rollout_id = ?"
        " GROUP BY wave, state",
        (rollout_id,),
    ):
        counts.setdefault(int(x["wave"]), {})[x["state"]] = int(x["n"])
    waves = []
    for w in tx.all(
        "SELECT * FROM rollout_waves WHERE rollout_id = ? ORDER BY number", (rollout_id,)
    ):
        states = {s: counts.get(int(w["number"]), {}).get(s, 0) for s in STATES}
        waves.append(
            w
            | {
                "states": states,
                "failures": sum(states[s] for s in FAILURES),
                "done": sum(states[s] for s in DONE),
            }
        )
    failed = tx.all(
        "SELECT rd.device_id, rd.wave, rd.state, rd.reason, rd.detail, rd.updated_at,"
        " d.serial, d.site_id FROM rollout_devices rd JOIN devices d ON d.id = rd.device_id"
        " WHERE rd.rollout_id = ? AND rd.state IN (?,?) ORDER BY rd.wave, rd.device_id LIMIT ?",
        (rollout_id, *FAILURES, problems),
    )
    totals = {s: sum(w["states"][s] for w in waves) for s in STATES}
    return r | {
        "waves_detail": waves,
        "totals": totals,
        "problems": failed,
        "size": sum(int(w["size"]) for w in waves),
    }


def listing(tx: Tx, limit: int = 100) -> list[dict[str, Any]]:
    rows = tx.all("SELECT * FROM rollouts ORDER BY id DESC LIMIT ?", (limit,))
    for row in rows:
        row["totals"] = {s: 0 for s in STATES}
        for x in tx.all(
            "SELECT state, COUNT(*) AS n FROM rollout_devices WHERE rollout_id = ? GROUP BY state",
            (row["id"],),
        ):
            row["totals"][x["state"]] = int(x["n"])
    return rows


def device_rollouts(tx: Tx, device_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """One kiosk's part in its latest rollouts (the device page)."""
    return tx.all(
        "SELECT rd.*, r.version, r.status AS rollout_status FROM rollout_devices rd"
        " JOIN rollouts r ON r.id = rd.rollout_id WHERE rd.device_id = ?"
        " ORDER BY rd.rollout_id DESC LIMIT ?",
        (device_id, limit),
    )
