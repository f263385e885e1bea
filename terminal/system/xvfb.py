"""Start a private Xvfb when there is no display (demo, UI tests, benchmarks)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


class NoDisplay(RuntimeError):
    pass


def _free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise NoDisplay("no free X display number between :90 and :199")


@contextlib.contextmanager
def virtual_display(width: int = 1280, height: int = 800) -> Iterator[str]:
    """Yield a DISPLAY value: the current one if set, otherwise a fresh Xvfb's."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    binary = shutil.which("Xvfb")
    if binary is None:
        raise NoDisplay("no display and no Xvfb: install it (Debian: apt install xvfb)")
    number = _free_display()
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise NoDisplay(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    try:
        yield f":{number}"
    finally:
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
