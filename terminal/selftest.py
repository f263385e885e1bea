"""``kiosk update selftest``: the kiosk's core started without a window and proven.

What a new version must show, less the attract screen: devices answering, the outbox
opened and readable (after its migrations), the fleet reached (when enrolled). With
``flush`` the outbox is sent too. The kill tests use it as "the kiosk starts a working
version"; a technician uses it to check a kiosk whose screen is dark.
"""

from __future__ import annotations

from typing import Any

from kiosk import __version__
from kiosk.settings import Settings
from terminal.runtime import Runtime
from terminal.updater.proof import Proof, updates_dir
from terminal.updater.state import read_json


def selftest(settings: Settings, *, flush: bool = False, interval: float = 1.0) -> dict[str, Any]:
    proof = Proof(settings.state_dir, __version__)
    proof.started()
    runtime = Runtime.start(settings, start_pump=False)
    try:
        runtime.health.refresh()
        runtime.prove_update(proof, interval).join()
        flushed = None
        if flush:
            report = runtime.flush_outbox()
            flushed = {"pending": runtime.outbox.depth(), "report": str(report)[:300]}
    finally:
        runtime.close()
    doc = read_json(updates_dir(settings.state_dir) / "proof.json") or {}
    checks = doc.get("checks", {})
    ok = all(checks.get(c, {}).get("ok") for c in ("devices", "outbox", "fleet"))
    return {"version": __version__, "ok": ok, "checks": checks, "flushed": flushed}
