"""systemd's notify protocol: READY once the first screen is up, WATCHDOG from the UI
thread while it is alive. A hung UI thread stops the watchdog pings and systemd restarts
the kiosk (``WatchdogSec`` in the unit that ``kiosk install-service`` writes).
"""

from __future__ import annotations

import os
import socket


def notify(message: str, environ: dict[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. ``READY=1``) to ``$NOTIFY_SOCKET``; False when not under
    systemd or the socket is gone. Never raises: a watchdog must not crash the kiosk."""
    env = os.environ if environ is None else environ
    address = env.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # the abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        return False
    return True


def ping_interval(environ: dict[str, str] | None = None, default: float = 5.0) -> float:
    """Half the watchdog period systemd asks for (``$WATCHDOG_USEC``), else ``default``."""
    env = os.environ if environ is None else environ
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return default
    return max(usec / 2_000_000, 0.5) if usec > 0 else default
