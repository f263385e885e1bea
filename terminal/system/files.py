"""The files ``kiosk install-service`` writes, as text built from a few parameters."""

from __future__ import annotations

UNIT = "bianmin-kiosk.service"
UPDATER_UNIT = "bianmin-kiosk-updater.service"


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


def session(*, launch: str) -> str:
    return f"""\
#!/bin/sh
# The whole X session of the kiosk user: no window manager, no desktop, no terminal.
xset s off -dpms s noblank 2>/dev/null || true
exec {launch}
"""


def launch(*, state_dir: str) -> str:
    """The kiosk app's start: whatever version ``current`` names (terminal/updater)."""
    return f"""\
#!/bin/sh
# Written by `kiosk install-service`: run the version `current` points at. The link is
# resolved once, here, so switching it never changes code under a running kiosk.
root="$(dirname "$(readlink -f "$0")")"
version="$(readlink -f "$root/current")"
state="${{KIOSK_STATE_DIR:-{state_dir}}}"
mkdir -p "$state/updates" 2>/dev/null
echo "$(date +%s) $(basename "$version")" >> "$state/updates/starts.log" 2>/dev/null
export KIOSK_LAUNCHER="$root/launch" KIOSK_APP_ROOT="$root"
exec "$version/venv/bin/python" -m terminal.cli run "$@"
"""


def launch_updater() -> str:
    """The updater's start: the last version that proved itself (``good``)."""
    return """\
#!/bin/sh
# Written by `kiosk install-service`: the updater runs from the last good version, so a
# broken new version cannot stop the kiosk from going back.
root="$(dirname "$(readlink -f "$0")")"
version="$(readlink -f "$root/good")"
export KIOSK_APP_ROOT="$root"
exec "$version/venv/bin/python" -m terminal.updater "$@"
"""


def updater_unit(*, state_dir: str, config: str | None, launch: str) -> str:
    environment = [f"KIOSK_STATE_DIR={state_dir}", "PYTHONUNBUFFERED=1"]
    if config:
        environment.append(f"KIOSK_CONFIG={config}")
    env_lines = "\n".join(f"Environment={e}" for e in environment)
    return f"""\
# Written by `kiosk install-service`; `kiosk uninstall-service` removes it.
[Unit]
Description=Bianmin kiosk software updater (A/B, health-gated)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
{env_lines}
ExecStart={launch}
Restart=always
RestartSec=10
Nice=10
IOSchedulingClass=idle

[Install]
WantedBy=multi-user.target
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
