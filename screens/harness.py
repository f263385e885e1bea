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
    from screens.main import prepare_kivy

    prepare_kivy(settings, windowed=True)
    from kivy.base import EventLoop, _runTouchApp_prepare

    from kiosk.runtime import Runtime
    from screens.app import KioskApp
    from screens.fonts import register_default_font
    from screens.pilot import Pilot

    register_default_font(settings.ui.font)
    # Prompts go to WAV files: a piloted app is a test, the demo or a benchmark.
    voice = settings.state_dir / "voice"
    runtime = Runtime.start(settings, start_pump=start_pump, clock=clock, voice_output=voice)
    app = KioskApp(runtime)
    try:
        app._run_prepare()
        _runTouchApp_prepare()
        pilot = Pilot(app)
        pilot.step(3)
        yield app, pilot
    finally:
        with contextlib.suppress(Exception):
            app.stop()
        with contextlib.suppress(Exception):
            EventLoop.close()
        runtime.close()
