"""``kiosk demo``: one whole 承诺办 journey, scripted on a virtual display.

Writes a PNG of every screen, the printed receipt rendered from the bytes the simulated
printer received, and ``summary.json`` with what the sandbox platform stored. Field
technicians run it as a self-test of the software on a kiosk.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.logs import setup_logging
from kiosk.settings import Settings, load_settings, with_overrides
from kiosk.xvfb import NoDisplay, virtual_display

log = logging.getLogger(__name__)


def demo_settings(settings: Settings, state_dir: Path) -> Settings:
    """The demo always runs on simulated devices and the embedded sandbox."""
    defaults = load_settings()
    return with_overrides(
        settings,
        paths={"state_dir": str(state_dir)},
        ui={"fullscreen": False, "language": "zh_CN", "elderly_default": False},
        devices={
            "idcard": defaults.devices.idcard,
            "smartcard": defaults.devices.smartcard,
            "printer": defaults.devices.printer,
            "docscan": defaults.devices.docscan,
            "camera": defaults.devices.camera,
        },
        platform={"url": "", "token": ""},
    )


def demo(settings: Settings, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        state = Path(tmp)
        setup_logging(state / "logs")
        try:
            with virtual_display(settings.ui.width, settings.ui.height):
                summary = _run(demo_settings(settings, state), out)
        except NoDisplay as exc:
            sys.stderr.write(f"kiosk demo: {exc}\n")
            return 2
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0 if summary["ok"] else 1


def _run(settings: Settings, out: Path) -> dict[str, Any]:
    from screens.harness import piloted_app
    from screens.script import run_journey

    with piloted_app(settings) as (app, pilot):
        started = time.monotonic()
        result = run_journey(app, pilot, out)
        runtime = app.runtime
        drained = runtime.wait_for_outbox(timeout=30)
        number = result["number"]
        status = runtime.outbox.lookup(number)
        case_no = status.case_no if status is not None else None
        stored: dict[str, Any] = {}
        if case_no and runtime.sandbox is not None:
            application = runtime.sandbox.application(case_no)
            stored = {
                "status": application.get("status"),
                "attachments": len(application["attachments"]),
                "attachment_bytes": sum(a["length"] for a in application["attachments"]),
                "complete": all(a["complete"] for a in application["attachments"]),
                "form_keys": sorted(application["form"]),
            }
        printer = runtime.hardware.printer
        receipt_png = None
        if printer is not None and printer.simulator is not None and printer.simulator.jobs:
            from devices.printer import render_stream

            receipt_png = out / "receipt.png"
            render_stream(printer.simulator.jobs[-1], printer.profile).save(receipt_png)
        return {
            "ok": bool(drained and stored and stored["complete"] and result["printed"]),
            "matter_code": result["matter_code"],
            "tracking_number": case_no or number,
            "number_on_receipt": number,
            "provisional_on_receipt": result["provisional"],
            "receipt_printed": result["printed"],
            "receipt_png": receipt_png.name if receipt_png else None,
            "platform": stored,
            "outbox_drained": drained,
            "screens": result["screens"],
            "seconds": round(time.monotonic() - started, 1),
        }
