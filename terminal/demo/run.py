"""``kiosk demo [--journey NAME]``: one whole journey, scripted on a virtual display.

Writes a PNG of every screen, the paper rendered from the bytes the simulated printer
received, and ``summary.json`` with what the journey saw (terminal/demo/journeys/). Field
technicians run it as a self-test of the software on a kiosk. The default journey is
承诺办, the foundation's.
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
from terminal.system.xvfb import NoDisplay, virtual_display

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


def demo(settings: Settings, out: Path, journey: str = "promised") -> int:
    from terminal.demo.journeys import load

    try:
        run = load(journey)
    except KeyError as exc:
        sys.stderr.write(f"kiosk demo: {exc.args[0]}\n")
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        state = Path(tmp)
        setup_logging(state / "logs")
        try:
            with virtual_display(settings.ui.width, settings.ui.height):
                summary = _run(run, journey, demo_settings(settings, state), out)
        except NoDisplay as exc:
            sys.stderr.write(f"kiosk demo: {exc}\n")
            return 2
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0 if summary["ok"] else 1


def _run(run: Any, name: str, settings: Settings, out: Path) -> dict[str, Any]:
    from terminal.harness import piloted_app

    with piloted_app(settings) as (app, pilot):
        started = time.monotonic()
        summary: dict[str, Any] = {"journey": name, **run(app, pilot, out)}
        summary["seconds"] = round(time.monotonic() - started, 1)
        return summary
