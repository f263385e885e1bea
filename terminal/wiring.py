"""What the runtime and the ``kiosk`` CLI share: where things live in the state
directory, and how the platform link is made.

The embedded sandbox platform (no ``platform.url`` configured) keeps its database in the
state directory, so it outlives the kiosk: ``kiosk outbox flush`` with no kiosk running
starts the sandbox on that same database, registers the device (a new token each time,
as the kiosk does at start) and sends to it. With ``platform.url`` set, the configured
device id and token are used by the kiosk and the CLI alike.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kiosk.appointments import rules_from
from kiosk.settings import Settings
from kiosk.upstream.client import HttpPlatformClient
from kiosk.upstream.retry import Backoff
from sandbox import SandboxPlatform

log = logging.getLogger(__name__)


def outbox_db(state_dir: Path) -> Path:
    return state_dir / "outbox.sqlite3"


def outbox_key(state_dir: Path) -> Path:
    return state_dir / "keys" / "outbox.key"


def sandbox_db(state_dir: Path) -> Path:
    return state_dir / "sandbox" / "platform.sqlite3"


def open_upstream(settings: Settings) -> tuple[HttpPlatformClient, Any]:
    """(client, the embedded sandbox or None). Close both when done."""
    p = settings.platform
    url, token, sandbox = p.url, p.token, None
    if not url:
        sandbox = SandboxPlatform(
            sandbox_db(settings.state_dir),
            region_code=settings.site.region_code[:6],
            appointments=rules_from(settings),
        )
        try:
            url = sandbox.start()
            token = sandbox.register_device(p.device_id)
        except BaseException:
            sandbox.close()
            raise
        log.info("embedded sandbox platform at %s", url)
    # One attempt per call: the pump owns retries (and stop() can interrupt its waits).
    client = HttpPlatformClient(
        url, p.device_id, token, timeout=p.timeout_s, backoff=Backoff(attempts=1)
    )
    return client, sandbox
