"""What the maintenance screen shows besides devices: versions and the recent log.

The log lines are redacted once more on the way out (kiosk/logs.py already redacts what
is written; this is the second net), so the screen never shows an ID number, card number
or phone number even from a log written before the filter existed.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.logs import redact


def recent_log(log_file: Path, lines: int = 40) -> list[str]:
    """The last ``lines`` lines of the kiosk log, redacted; [] when there is none yet."""
    try:
        with log_file.open(encoding="utf-8", errors="replace") as fh:
            tail = collections.deque(fh, maxlen=lines)
    except FileNotFoundError:
        return []
    return [redact(line.rstrip("\n")) for line in tail]


def versions(runtime: Any) -> dict[str, str]:
    """Software, active configuration bundle and catalogue versions, as text."""
    agent = runtime.agent
    bundle = agent.state.applied_version if agent is not None else 0
    return {
        "software": __version__,
        "config": str(bundle) if bundle else "-",
        "catalogue": str(getattr(runtime.catalogue, "version", "") or "-"),
    }
