"""Run the real app under a pilot's control (demo, UI tests, benchmarks).

The window and event loop are Kivy's own; instead of ``App.run()`` blocking, the pilot
advances the loop one frame at a time. Kivy allows one window per process.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kiosk.settings import Settings
from screens.window import prepare_kivy
from terminal.runtime import Runtime

if TYPE_CHECKING:
    from screens.pilot import Pilot


@contextlib.contextmanager
def piloted_app(
    settings: Settings,
    *,
    start_pump: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[tuple[Any, Pilot]]:
    """Yield ``(app, pilot)`` with the app built and its first frame drawn."""
    prepare_kivy(settings, windowed=True)
    # Imported only now: importing Kivy's window module opens the window.
    from screens.app import KioskApp
    from screens.fonts import register_default_font
    from screens.pilot import flying

    register_default_font(settings.ui.font)
    # Prompts go to WAV files: a piloted app is a test, the demo or a benchmark.
    voice = settings.state_dir / "voice"
    runtime = Runtime.start(settings, start_pump=start_pump, clock=clock, voice_output=voice)
    try:
        app = KioskApp(runtime)
        with flying(app) as pilot:
            yield app, pilot
    finally:
        runtime.close()
