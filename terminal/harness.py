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
from sandbox import SandboxPlatform
from screens.window import prepare_kivy
from terminal.runtime import Runtime
from terminal.simulation import SimulationControls

if TYPE_CHECKING:
    from screens.app import KioskApp
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


def runtime_of(app: KioskApp) -> Runtime:
    """The runtime behind a piloted app: the demo and the tests reach the simulators
    and the stores through it, where the screens see only the core's interface."""
    core = app.core
    assert isinstance(core, Runtime)
    return core


def simulation_of(app: KioskApp) -> SimulationControls:
    """The simulation's controls of a piloted app (it always runs on simulated devices)."""
    simulation = runtime_of(app).simulation
    assert simulation is not None, "the piloted app has no simulated device"
    return simulation


def sandbox_of(app: KioskApp) -> SandboxPlatform:
    """The embedded stand-in platform of a piloted app (the demo always runs on it)."""
    sandbox = runtime_of(app).sandbox
    assert sandbox is not None, "the piloted app runs on a configured platform"
    return sandbox
