"""A rollout to N kiosks, measured: the rollout test's rig (tests/support/fleet_rollout.py)
run outside pytest.

    .venv/bin/python bench/bench_rollout.py --kiosks 50 [--bad] [--write]

A fleet server on a loopback port, N kiosks on 0.1.0 (own state folder, version slots,
agent and updater each), releases built from this repository: 0.2.0 (good) or, with
``--bad``, 0.2.1 (its printer answers nothing, so it fails its health check). Starts
``rollout start V --target p --canary 3 --wave 50% --max-failures 10%`` and lets the
kiosks heartbeat as fast as they can (a round: every kiosk's heartbeat, updater steps,
app restart and judgement, heartbeat again) until the rollout finished or halted.

Prints a JSON summary as its last line: ``kiosks``, ``committed``, ``rolled_back``,
``untouched`` (kiosks never offered anything), ``halted``, ``seconds`` (rollout start to
100% or to the halt), and the bytes each updated kiosk downloaded, and with ``--bad``
the seconds from a failed health check to the rollback (the updater's decision) and to
the fleet server knowing it. ``--write`` records it in RESULTS.md. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the rig lives with the tests' shared helpers

from results_file import write_section  # noqa: E402

from tests.support.fleet_rollout import (  # noqa: E402
    ACTOR,
    BROKEN,
    GOOD,
    Fleet,
    device_states,
    history,
    releases,
    summary,
)


def _rollback_times(fleet: Fleet, rollout_id: int) -> dict[str, float]:
    """Seconds from each failed health check to the updater's rollback and to the server
    recording it (the kiosk's next heartbeat)."""
    states = device_states(fleet, rollout_id)
    with fleet.app.db.read() as tx:
        seen = {r["device_id"]: float(r["updated_at"]) for r in tx.all(
            "SELECT device_id, updated_at FROM rollout_devices WHERE rollout_id = ?"
            " AND state = 'rolled_back'", (rollout_id,))}  # fmt: skip
    decided, known = [], []
    for k in fleet.kiosks:
        if states[k.device_id]["state"] != "rolled_back":
            continue
        last = history(k)[-1]
        failed_at = float(last["failed_check_at"])
        decided.append(float(last["at"]) - failed_at)
        known.append(seen[k.device_id] - failed_at)
    if not decided:
        return {}
    return {
        "failed_check_to_rollback_s_max": round(max(decided), 2),
        "failed_check_to_server_knows_s_max": round(max(known), 2),
    }


def run(n: int, bad: bool, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-rollout-") as tmp:
        base = Path(tmp)
        t0 = time.monotonic()
        built = releases(base / "releases")
        fleet = Fleet(base / "fleet", built, n, workers=workers)
        setup_s = time.monotonic() - t0
        try:
            version = BROKEN if bad else GOOD
            started = time.monotonic()
            made = fleet.app.rollouts.start(ACTOR, version, "p", canary="3", wave="50%",
                                            max_failures="10%")  # fmt: skip
            fleet.run(made["id"], max_rounds=60)
            out = summary(fleet, made["id"], started)
            offered = [k for k in fleet.kiosks if k.offers]
            sizes = [k.downloaded() for k in offered]
            out |= {
                "version": version,
                "setup_s": round(setup_s, 1),
                "bytes_per_updated_kiosk_mean": round(statistics.mean(sizes)) if sizes else 0,
                "bytes_per_updated_kiosk_max": max(sizes, default=0),
                "release_wheel_bytes": sum(
                    p.stat().st_size for p in (built[version] / "wheels").glob("*.whl")
                ),
                "waves": [
                    (w["label"], w["size"], w["outcome"])
                    for w in fleet.status(made["id"])["waves_detail"]
                ],
            }
            if bad:
                out |= _rollback_times(fleet, made["id"])
            return out
        finally:
            fleet.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--bad", action="store_true", help="roll out the broken release")
    parser.add_argument("--workers", type=int, default=4, help="kiosks working at once")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    out = run(args.kiosks, args.bad, args.workers)
    if args.write:
        title = f"{args.kiosks} kiosks, {'broken 0.2.1' if args.bad else 'good 0.2.0'}"
        rows = [f"| {k} | {v} |" for k, v in out.items()]
        write_section("Fleet rollouts (bench_rollout.py)", title,
                      "\n".join(["| figure | value |", "|---|---|", *rows]))  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    main()
