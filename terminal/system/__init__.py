"""Turning a Debian/UOS/Kylin machine into a kiosk: ``kiosk install-service``.

A dedicated user, a systemd unit that logs that user into a minimal X session on tty1
running only the kiosk (restarted within seconds if it dies, killed and restarted if its
UI thread hangs), and an X configuration with no way out (no VT switching, no zapping).
"""

from terminal.system.install import Plan, install, plan, uninstall

__all__ = ["Plan", "install", "plan", "uninstall"]
