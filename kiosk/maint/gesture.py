"""The hidden way into maintenance mode: a quick run of taps in one screen corner.

Nothing on screen shows it and a single stray tap does nothing: only ``taps`` taps in
the corner, each within ``window_s`` of the first, open the technician sign-in. Time is
injected so the rule is tested without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CornerTaps:
    def __init__(
        self, taps: int = 5, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if taps < 2 or window_s <= 0:
            raise ValueError("a gesture needs at least 2 taps and a positive window")
        self.taps, self.window_s, self.clock = taps, window_s, clock
        self._times: list[float] = []

    def tap(self) -> bool:
        """One tap in the corner; True when it completes the gesture (then it starts over)."""
        now = self.clock()
        self._times = [t for t in self._times if now - t <= self.window_s] + [now]
        if len(self._times) >= self.taps:
            self._times = []
            return True
        return False

    def elsewhere(self) -> None:
        """A tap outside the corner breaks the run."""
        self._times = []
