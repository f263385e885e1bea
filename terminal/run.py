"""Start the kiosk: settings → logging → font → runtime → window.

Each failure that a technician can fix (bad settings, bad catalogue, no Chinese font,
no display) stops start-up with one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from kiosk import __version__
from kiosk.catalogue import CatalogueError
from kiosk.logs import install_crash_hooks, setup_logging
from kiosk.settings import Settings
from screens.window import prepare_kivy
from terminal.runtime import Runtime
from terminal.system import watchdog
from terminal.updater.proof import Proof

log = logging.getLogger(__name__)


def build_app(settings: Settings, *, windowed: bool) -> tuple[Any, Any]:
    """(app, runtime), ready to run; raises on anything that stops start-up."""
    prepare_kivy(settings, windowed=windowed)
    # Imported only now: Kivy reads the environment prepare_kivy set when it is imported.
    from screens.app import KioskApp, Liveness
    from screens.fonts import register_default_font

    font = register_default_font(settings.ui.font)
    log.info("font: %s", font)
    proof = Proof(settings.state_dir, __version__)
    proof.started()  # a new version counts its starts from here (terminal/updater)
    runtime = Runtime.start(settings)
    runtime.prove_update(proof)

    def ready() -> None:
        watchdog.notify("READY=1")
        proof.mark("attract", True)

    liveness = Liveness(
        ready=ready,
        alive=lambda: watchdog.notify("WATCHDOG=1"),
        interval_s=watchdog.ping_interval(),
    )
    return KioskApp(runtime, liveness), runtime


def run(settings: Settings, *, windowed: bool) -> int:
    from screens.fonts import FontMissing  # Kivy: after prepare_kivy (see build_app)

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
    if app.restart_requested:  # a fleet bundle, or another version: start again on it
        launcher = os.environ.get("KIOSK_LAUNCHER", "")  # set by the installed launcher
        if launcher and os.access(launcher, os.X_OK):
            os.execv(launcher, [launcher, *sys.argv[2:]])  # `current` is resolved anew
        os.execv(sys.executable, [sys.executable, "-m", "terminal.cli", *sys.argv[1:]])
    return 0
