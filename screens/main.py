"""Start the kiosk: settings → logging → font → runtime → window.

Each failure that a technician can fix (bad settings, bad catalogue, no Chinese font,
no display) stops start-up with one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from kiosk.logs import install_crash_hooks, setup_logging
from kiosk.settings import Settings

log = logging.getLogger(__name__)


def prepare_kivy(settings: Settings, *, windowed: bool) -> None:
    """Environment and Config that must be set before Kivy creates its window."""
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"  # our handlers (redacting) stay in charge
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    kivy_home = settings.state_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)
    from kivy.config import Config

    full = settings.ui.fullscreen and not windowed
    Config.set("graphics", "fullscreen", "auto" if full else "0")
    Config.set("graphics", "width", str(settings.ui.width))
    Config.set("graphics", "height", str(settings.ui.height))
    Config.set("graphics", "resizable", "0" if full else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")


def build_app(settings: Settings, *, windowed: bool) -> tuple[Any, Any]:
    """(app, runtime), ready to run; raises on anything that stops start-up."""
    from kiosk.runtime import Runtime

    prepare_kivy(settings, windowed=windowed)
    from screens.fonts import register_default_font

    font = register_default_font(settings.ui.font)
    log.info("font: %s", font)
    runtime = Runtime.start(settings)
    from screens.app import KioskApp

    return KioskApp(runtime), runtime


def run(settings: Settings, *, windowed: bool) -> int:
    from kiosk.catalogue import CatalogueError
    from screens.fonts import FontMissing

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        sys.stderr.write(
            "kiosk: no display. On a headless machine use `kiosk demo --out DIR`, "
            "or run under a virtual display: xvfb-run -s '-screen 0 1280x800x24' kiosk run\n"
        )
        return 2
    setup_logging(settings.state_dir / "logs")
    install_crash_hooks()
    try:
        app, runtime = build_app(settings, windowed=windowed)
    except (FontMissing, CatalogueError) as exc:
        sys.stderr.write(f"kiosk: {exc}\n")
        return 2
    try:
        app.run()
    finally:
        runtime.close()
    if app.restart_requested:  # a fleet bundle became active: start again on it
        os.execv(sys.executable, [sys.executable, "-m", "screens.cli", *sys.argv[1:]])
    return 0
