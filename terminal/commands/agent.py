"""``kiosk enroll`` and ``kiosk agent sync|status``: the fleet agent from a shell.

For technicians and scripts. ``sync --once`` fetches, verifies and applies configuration,
runs pending commands and sends one heartbeat, then prints what it did as JSON. Run from
a shell, no citizen is being served, so a new bundle is applied at once (``--no-apply``
only stages it for the running kiosk to apply between sessions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

from kiosk.settings import SettingsError, default_state_dir
from provisioning.agent import Agent, AgentError
from provisioning.agent.identity import read_serial
from provisioning.protocol import ProtocolError, parse_payload
from terminal.commands.base import add_config_argument, settings_from_args
from terminal.fleet import kiosk_agent


def _write(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _agent(args: argparse.Namespace) -> Agent:
    return kiosk_agent(_state_dir(args))


def _state_dir(args: argparse.Namespace) -> Path:
    """Where the agent lives, even when the settings do not load: a broken site file must
    not stop ``kiosk agent sync`` from fetching the fix (issue 15)."""
    try:
        return settings_from_args(args).state_dir
    except SettingsError as exc:
        sys.stderr.write(f"kiosk agent: settings not loaded ({exc}); syncing anyway\n")
    site = args.config or (
        Path(os.environ["KIOSK_CONFIG"]) if os.environ.get("KIOSK_CONFIG") else None
    )
    try:
        with site.open("rb") as fh:  # type: ignore[union-attr]
            named = tomllib.load(fh).get("paths", {}).get("state_dir", "")
    except (AttributeError, OSError, ValueError):
        named = ""
    return Path(named) if isinstance(named, str) and named else default_state_dir()


def _enroll(args: argparse.Namespace) -> int:
    try:
        if args.payload:
            server, code, key_id = parse_payload(args.payload)
        elif args.server and args.code:
            server, code, key_id = args.server, args.code, args.server_key or ""
        else:
            sys.stderr.write("kiosk enroll: give --server and --code, or --payload\n")
            return 2
    except ProtocolError as exc:
        sys.stderr.write(f"kiosk enroll: {exc}\n")
        return 2
    agent = _agent(args)
    try:
        _write(agent.enroll(server, code, args.serial or read_serial(), key_id))
    except AgentError as exc:
        sys.stderr.write(f"kiosk enroll: {exc.code}: {exc.detail}\n")
        return 1
    finally:
        agent.close()
    return 0


def _sync(args: argparse.Namespace) -> int:
    agent = _agent(args)
    try:
        if not agent.state.enrolled:
            sys.stderr.write("kiosk agent: not enrolled; run `kiosk enroll` first\n")
            return 1
        if not args.once:
            agent.start(is_idle=lambda: not args.no_apply, interval=args.interval)
            threading.Event().wait()  # until Ctrl-C
        report = agent.sync_once(apply=not args.no_apply)
        _write(report)
        return 0 if "error" not in report else 1
    finally:
        agent.close()


def _status(args: argparse.Namespace) -> int:
    agent = _agent(args)
    try:
        _write({"device_id": agent.key.device_id, **agent.summary()})
    finally:
        agent.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    enroll = sub.add_parser("enroll", help="enroll this kiosk with the fleet server")
    enroll.add_argument("--server", help="the fleet server's URL")
    enroll.add_argument("--code", help="the pairing code an admin issued (e.g. K7QM-4XPD)")
    enroll.add_argument("--payload", help="the enrollment string from a QR code instead")
    enroll.add_argument("--server-key", help="the server key id to expect (32 hex digits)")
    enroll.add_argument("--serial", help="serial number (default: read from the machine)")
    add_config_argument(enroll)
    enroll.set_defaults(handler=_enroll)

    agent = sub.add_parser("agent", help="the fleet agent: sync with the server, status")
    verbs = agent.add_subparsers(dest="verb", required=True)
    sync = verbs.add_parser("sync", help="sync with the fleet server")
    sync.add_argument("--once", action="store_true", help="one round, print it as JSON")
    sync.add_argument("--no-apply", action="store_true", help="stage a new bundle only")
    sync.add_argument("--interval", type=float, default=300.0, help="seconds between rounds")
    add_config_argument(sync)
    sync.set_defaults(handler=_sync)
    status = verbs.add_parser("status", help="what the agent knows, as JSON")
    add_config_argument(status)
    status.set_defaults(handler=_status)
