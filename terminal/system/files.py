"""The files ``kiosk install-service`` writes, as text built from a few parameters."""

from __future__ import annotations

UNIT = "bianmin-kiosk.service"


def unit(*, user: str, session: str, state_dir: str, config: str | None) -> str:
    environment = [f"KIOSK_STATE_DIR={state_dir}", "PYTHONUNBUFFERED=1"]
    if config:
        environment.append(f"KIOSK_CONFIG={config}")
    env_lines = "\n".join(f"Environment={e}" for e in environment)
    return f"""\
# Written by `kiosk install-service`; `kiosk uninstall-service` removes it.
[Unit]
Description=Bianmin service kiosk (便民服务终端)
After=systemd-user-sessions.service network-online.target pcscd.service
Wants=network-online.target
Conflicts=getty@tty1.service

[Service]
Type=notify
NotifyAccess=all
User={user}
PAMName=login
TTYPath=/dev/tty1
StandardInput=tty
StandardOutput=journal
StandardError=journal
{env_lines}
ExecStart=/usr/bin/xinit {session} -- :0 vt1 -nolisten tcp -nocursor -keeptty
Restart=always
RestartSec=2
WatchdogSec=30
TimeoutStartSec=60

[Install]
WantedBy=graphical.target
"""


def session(*, kiosk: str) -> str:
    return f"""\
#!/bin/sh
# The whole X session of the kiosk user: no window manager, no desktop, no terminal.
xset s off -dpms s noblank 2>/dev/null || true
exec {kiosk} run
"""


XORG = """\
# Written by `kiosk install-service`: no way out of the kiosk's X session.
Section "ServerFlags"
    Option "DontVTSwitch" "true"
    Option "DontZap" "true"
    Option "BlankTime" "0"
    Option "StandbyTime" "0"
    Option "SuspendTime" "0"
    Option "OffTime" "0"
EndSection
"""
