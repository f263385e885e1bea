"""The kiosk's pieces set up for a test: devices opened from settings, with the
simulators behind them."""

from __future__ import annotations

from devices.simulation import Simulators
from kiosk.hardware import Hardware
from kiosk.settings import Settings
from terminal.devices import open_devices


def open_hardware(settings: Settings, *, start: bool = True) -> tuple[Hardware, Simulators]:
    """The devices ``settings`` names, as the runtime opens them (card watchers started
    when ``start``), and the simulators of the ``sim://`` ones."""
    simulators = Simulators()
    hardware = Hardware(open_devices(settings.devices, simulators))
    return (hardware.start() if start else hardware), simulators
