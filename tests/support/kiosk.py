"""The kiosk's pieces set up for a test: devices opened from settings, with the
simulators behind them; a session manager on a test's clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.simulation import Simulators
from kiosk.hardware import Hardware
from kiosk.session import SessionManager
from kiosk.settings import Settings
from terminal.devices import open_devices


def open_hardware(settings: Settings, *, start: bool = True) -> tuple[Hardware, Simulators]:
    """The devices ``settings`` names, as the runtime opens them (card watchers started
    when ``start``), and the simulators of the ``sim://`` ones."""
    simulators = Simulators()
    hardware = Hardware(open_devices(settings.devices, simulators))
    return (hardware.start() if start else hardware), simulators


def session_manager(temp_root: Path, clock: Callable[[], float], **options: Any) -> SessionManager:
    """Sessions whose scratch files live under ``temp_root``, timed by ``clock``: two
    minutes idle, a 30 s warning, two extensions, in Chinese (``options``: the rest of
    ``SessionManager``'s, an observer say)."""
    return SessionManager(
        temp_root,
        idle_timeout=120,
        idle_warning=30,
        max_extensions=2,
        language="zh_CN",
        elderly=False,
        clock=clock,
        **options,
    )
