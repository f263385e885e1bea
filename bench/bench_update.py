"""Software update on one kiosk, measured: the e2e rig (tests/support/update_rig.py) run
outside pytest, with the figures the fleet cares about.

    .venv/bin/python bench/bench_update.py [--write]

Builds 0.1.0 / 0.2.0 (good) / 0.2.1 (its printer answers nothing) with complete
wheelhouses (dependency wheels from ~/.cache/bianmin-kiosk/wheels once fetched), lays
out 0.1.0 with ``kiosk install-service --release``, starts the real window on Xvfb under
a systemd stand-in, offers 0.2.0 then 0.2.1. Prints a JSON summary as its last line:
bytes the kiosk downloaded per update (TUF metadata included), seconds from offer to
commit, and from the failed health check to the rollback (the updater's decision, and
the good version's attract screen drawn again). ``--write`` records them in RESULTS.md.
Nothing is asserted (tests/ never time).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the rig lives with the tests' shared helpers

from results_file import write_section  # noqa: E402

from provisioning.release.repo import Repository  # noqa: E402
from terminal.system.xvfb import virtual_display  # noqa: E402
from tests.support.releases import build  # noqa: E402
from tests.support.update_rig import Machine  # noqa: E402


def _served_bytes(machine: Machine, since: float) -> int:
    """What the kiosk fetched: the updater's cache and metadata files newer than since."""
    total = 0
    for folder in (machine.updates / "cache", machine.updates / "metadata"):
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                total += path.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        base = Path(tmp)
        t0 = time.monotonic()
        releases = {v: build(v, base / v, complete=True) for v in ("0.1.0", "0.2.0", "0.2.1")}
        build_s = time.monotonic() - t0
        sizes = {v: sum(p.stat().st_size for p in (r / "wheels").glob("*.whl"))
                 for v, r in releases.items()}  # fmt: skip
        repo = Repository.init(base / "repo")
        repo.add_release(releases["0.2.0"])
        repo.add_release(releases["0.2.1"])
        with virtual_display() as display:
            m = Machine(base / "kiosk", releases["0.1.0"], repo, display)
            try:
                m.start_app()
                m.running_version("0.1.0")
                since = time.time() - 1
                t1 = time.monotonic()
                m.offer("0.2.0")
                good = m.until("committed")
                offer_to_commit = time.monotonic() - t1
                bytes_good = _served_bytes(m, since)
                m.running_version("0.2.0")
                since = time.time() - 1
                m.offer("0.2.1")
                bad = m.until("rolled_back")
                bytes_bad = _served_bytes(m, since)
                back = m.running_version("0.2.0")
                failed_at = float(bad["last_result"]["failed_check_at"])
                decided_at = float(bad["last_result"]["at"])
                summary = {
                    "release_bytes": sizes,
                    "build_s": round(build_s, 1),
                    "install_service_s": round(m.install_s, 1),
                    "download_bytes_0.1.0_to_0.2.0": bytes_good,
                    "download_bytes_0.2.0_to_0.2.1": bytes_bad,
                    "offer_to_commit_s": round(offer_to_commit, 1),
                    "failed_check_to_rollback_decision_s": round(decided_at - failed_at, 2),
                    "failed_check_to_good_version_on_screen_s": round(
                        float(back["checks"]["attract"]["at"]) - failed_at, 1
                    ),
                    "rollback_reason": f"{bad['reason']}: {bad['detail']}",
                    "committed": good["state"] == "committed",
                }
            finally:
                m.close()
    print(json.dumps(summary))
    if args.write:
        write_section(
            "Software updates (bench_update.py)", "One kiosk, real venvs", _table(summary)
        )


def _table(s: dict[str, object]) -> str:
    rows = [f"| {k} | {v} |" for k, v in s.items()]
    return "\n".join(["| figure | value |", "|---|---|", *rows])


if __name__ == "__main__":
    main()
