"""What must be set before Kivy creates its window: environment, home, graphics."""

from __future__ import annotations

import os

from kiosk.settings import Settings


def prepare_kivy(settings: Settings, *, windowed: bool) -> None:
    """Environment and Config that must be set before Kivy creates its window."""
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_LOG_MODE"] = "PYTHON"  # our handlers (redacting) stay in charge
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    kivy_home = settings.state_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)
    from kivy.config import Config  # reads the environment set above when imported

    full = settings.ui.fullscreen and not windowed
    Config.set("graphics", "fullscreen", "auto" if full else "0")
    Config.set("graphics", "width", str(settings.ui.width))
    Config.set("graphics", "height", str(settings.ui.height))
    Config.set("graphics", "resizable", "0" if full else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")
