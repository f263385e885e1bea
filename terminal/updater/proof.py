"""How a new version proves itself, written by the app and judged by the updater.

``updates/proof.json`` belongs to the version the app runs: at start it resets (or,
for the same version, counts one start more), then each check is marked as it is
seen — the attract screen drawn, the devices answering their health check, the outbox
opened and readable, the fleet reached (or not enrolled: nothing to reach). A check is
marked failed only once the app has given it its chances. The updater commits a
version whose every required check passed in one live process, and rolls back one
that failed a check, ran out of time or kept restarting (service.py).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from terminal.updater.state import read_json, write_json

log = logging.getLogger(__name__)

CHECKS = ("attract", "devices", "outbox", "fleet")
TRIES = 6  # health rounds a device or the fleet gets before the check is failed


def updates_dir(state_dir: Path) -> Path:
    return state_dir / "updates"


class Proof:
    """The app's side: one per process."""

    def __init__(self, state_dir: Path, version: str, *, clock: Callable[[], float] = time.time):
        self.path = updates_dir(state_dir) / "proof.json"
        self.version, self.clock = version, clock
        self._lock = threading.Lock()

    def started(self) -> None:
        old = read_json(self.path) or {}
        starts = int(old.get("starts", 0)) + 1 if old.get("version") == self.version else 1
        self._write(
            {
                "version": self.version,
                "pid": os.getpid(),
                "starts": starts,
                "started_at": self.clock(),
                "checks": {},
            }
        )

    def mark(self, check: str, ok: bool, detail: str = "", **data: object) -> None:
        assert check in CHECKS
        with self._lock:
            doc = read_json(self.path) or {}
            if doc.get("pid") != os.getpid():
                return  # another start of the app owns the file now
            doc["checks"][check] = {"ok": ok, "detail": detail, "at": self.clock(), **data}
            self._write(doc)
        log.info("update proof: %s %s %s", check, "ok" if ok else "FAILED", detail)

    def _write(self, doc: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json(self.path, doc)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's (the updater runs as root)
        return True
    return True


def prove(
    proof: Proof,
    *,
    devices: Callable[[], tuple[bool, str, dict[str, list[str]]]],
    outbox: Callable[[], tuple[bool, str]],
    fleet: Callable[[], bool | None],
    interval: float = 5.0,
    wait: Callable[[float], bool] | None = None,
) -> None:
    """Mark devices, outbox and fleet, giving each :data:`TRIES` rounds (the app runs
    it in a thread; the attract screen is marked by the UI itself)."""
    stop = threading.Event()
    sleep = wait or stop.wait
    pending = {"devices", "outbox", "fleet"}
    last: dict[str, str] = {}
    data: dict[str, list[str]] = {}
    for round_no in range(1, TRIES + 1):
        for check in sorted(pending):
            try:
                if check == "devices":
                    ok, detail, data = devices()
                elif check == "outbox":
                    ok, detail = outbox()
                else:
                    reached = fleet()  # None: not enrolled, nothing to reach
                    ok = reached is not False
                    detail = {None: "not enrolled", True: "", False: "no answer"}[reached]
            except Exception as exc:  # a check that raises has failed this round
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            if ok:
                proof.mark(check, True, detail, **(data if check == "devices" else {}))
                pending.discard(check)
            else:
                last[check] = detail
        if not pending:
            return
        if round_no < TRIES:
            sleep(interval)
    for check in sorted(pending):
        proof.mark(check, False, last.get(check, ""), **(data if check == "devices" else {}))
