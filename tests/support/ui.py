"""Troubles the UI tests put a running kiosk in for one block, then take away again even
when the block fails: the next test starts from a kiosk that works."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def platform_down(app: Any) -> Iterator[None]:
    """The stand-in platform answers 503 to everything until the block ends."""
    faults = app.core.sandbox.faults
    faults.add("status", status=503, count=-1)
    try:
        yield
    finally:
        faults.clear()


@contextlib.contextmanager
def paper_out(app: Any) -> Iterator[None]:
    """The simulated printer is out of paper until the block ends."""
    printer = app.core.simulators.printer
    printer.set_paper("out")
    try:
        yield
    finally:
        printer.set_paper("ok")
