"""What every opened device shares: closing it, once, in a ``with`` block or by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self


class DeviceHandle:
    """An opened device: closed by :meth:`close` or at the end of a ``with`` block, after
    which its ``on_close`` runs, once (the opener of a ``sim://`` device stops its
    simulator there). A driver sets ``_on_close`` and says what closing releases."""

    _on_close: Callable[[], object] | None = None

    def close(self) -> None:
        """Release the device (see :meth:`_release`), then run ``on_close``."""
        self._release()
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def _release(self) -> None:
        """Give back what the device holds: its port, transport or PC/SC context."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
