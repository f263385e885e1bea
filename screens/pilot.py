"""A small pilot that drives the real app: tap a widget by test id, type, wait, screenshot.

Used by the UI tests and by ``kiosk demo``. Touches go through the window's real input
path (``on_touch_down``/``on_touch_up`` dispatched by the event loop), so hit-testing,
disabled states and overlays behave as they do under a finger.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.base import EventLoop, _runTouchApp_prepare
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from screens.widgets import shown


class PilotTimeout(AssertionError):
    pass


class _Touch(MotionEvent):
    def __init__(self, x: float, y: float) -> None:
        win = EventLoop.window
        super().__init__(
            "pilot",
            99,
            {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)},
            is_touch=True,
            type_id="touch",
        )
        self.profile = ["pos"]

    def depack(self, args: dict[str, float]) -> None:
        self.sx = args["x"]
        self.sy = args["y"]
        super().depack(args)


def walk(widget: Widget) -> Iterator[Widget]:
    yield widget
    for child in widget.children:
        yield from walk(child)


class Pilot:
    def __init__(self, app: Any, *, timeout: float = 15.0) -> None:
        self.app = app
        self.timeout = timeout

    # ---- the loop ----

    def step(self, frames: int = 1) -> None:
        for _ in range(frames):
            EventLoop.idle()

    def wait_until(
        self, predicate: Callable[[], Any], what: str, timeout: float | None = None
    ) -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise PilotTimeout(f"timed out waiting for {what} (screen {self.screen!r})")
            self.step()

    # ---- finding ----

    @property
    def screen(self) -> str:
        return str(self.app.nav.current)

    def roots(self) -> list[Widget]:
        """Overlays first (the topmost window child is the last added)."""
        return list(Window.children)

    def find(self, tid: str) -> Widget | None:
        for root in self.roots():
            for widget in walk(root):
                if getattr(widget, "tid", None) == tid and shown(widget, Window):
                    return widget
            if getattr(root, "shown", False):  # a modal overlay blocks what lies under it
                return None
        return None

    def texts(self) -> list[str]:
        """Every text on the window now, for assertions and the privacy test."""
        return [str(w.text) for root in self.roots() for w in walk(root) if hasattr(w, "text")]

    # ---- acting ----

    def tap(self, tid: str) -> None:
        widget = self.wait_until(lambda: self.find(tid), f"widget {tid!r}")
        self.step()  # let layout settle so the position is final
        self._scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        touch = _Touch(x, y)
        EventLoop.post_dispatch_input("begin", touch)
        self.step()
        touch.move({"x": x / (Window.width - 1.0), "y": y / (Window.height - 1.0)})
        EventLoop.post_dispatch_input("end", touch)
        self.step(2)

    def _scroll_into_view(self, widget: Widget) -> None:
        """A finger scrolls a list before tapping an item below the fold; so do we."""
        parent = widget.parent
        while parent is not None and parent is not Window and not isinstance(parent, ScrollView):
            parent = parent.parent
        if not isinstance(parent, ScrollView):
            return
        _, wy = widget.to_window(*widget.pos)
        _, vy = parent.to_window(*parent.pos)
        inside = vy <= wy and wy + widget.height <= vy + parent.height
        if not inside:  # Kivy's scroll_to misplaces content that already fits the view
            parent.scroll_to(widget, padding=10, animate=False)
            self.step(2)

    def type(self, text: str) -> None:
        for char in text:
            self.tap(f"key-{char.upper() if char.isalpha() else char}")

    def wait_screen(self, name: str, timeout: float | None = None) -> None:
        self.wait_until(lambda: self.screen == name, f"screen {name!r}", timeout)
        self.step(3)

    def screenshot(self, path: Path) -> Path:
        """Save the whole window (overlays included) as PNG at exactly ``path``."""
        self.step(2)
        path.parent.mkdir(parents=True, exist_ok=True)
        made = Window.screenshot(name=str(path))  # Kivy inserts a counter before .png
        Path(made).replace(path)
        return path


@contextlib.contextmanager
def flying(app: Any) -> Iterator[Pilot]:
    """Build ``app`` and draw its first frames without ``App.run()``: the pilot advances
    the event loop instead. The app is stopped and the loop closed on leaving."""
    try:
        app._run_prepare()
        _runTouchApp_prepare()
        pilot = Pilot(app)
        pilot.step(3)
        yield pilot
    finally:
        with contextlib.suppress(Exception):
            app.stop()
        with contextlib.suppress(Exception):
            EventLoop.close()
