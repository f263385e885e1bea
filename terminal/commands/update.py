"""``kiosk update status|rollback|trust|offer|selftest``: software updates by hand.

``status`` prints what the updater reports (the version running, the good one and the
one before, what is pending, the last result); ``rollback`` is a technician's way back
to the version before; ``trust`` sets up the fleet's TUF root; ``offer`` hands the
updater a version to go to without the fleet (a technician with a repository on a
laptop); ``selftest`` starts the kiosk's core without a window, proves it as a new
version would (devices, outbox, fleet) and can flush the outbox.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk import __version__
from provisioning.protocol import ProtocolError, parse_offer
from terminal.commands.base import CommandFailed, add_config_argument, settings_from_args
from terminal.updater.layout import Layout
from terminal.updater.proof import updates_dir
from terminal.updater.service import Updater


def _updater(args: argparse.Namespace) -> Updater:
    from terminal.updater.cli import app_root

    settings = settings_from_args(args)
    return Updater(Layout(app_root(args.root)), updates_dir(settings.state_dir))


def _write(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _status(args: argparse.Namespace) -> int:
    status = {"running": __version__, **_updater(args).status()}
    if args.json:
        _write(status)
        return 0
    last = status["last_result"] or {}
    lines = [
        f"running   {status['running']} (current {status['current'] or '-'}, "
        f"good {status['good'] or '-'})",
        f"previous  {status['previous'] or '-'}",
        f"pending   {status['version'] or '-'}: {status['state']}"
        + (f" ({status['phase']})" if status["phase"] else ""),
        f"last      {last.get('version', '-')}: {last.get('state', '-')}"
        + (f" - {last['reason']}: {last.get('detail', '')}" if last.get("reason") else ""),
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    try:
        target = _updater(args).rollback_by_hand()
    except LookupError as exc:
        raise CommandFailed(1, str(exc)) from exc
    _write({"rolled_back_to": target, "note": "the kiosk restarts on it when no citizen is there"})
    return 0


def _trust(args: argparse.Namespace) -> int:
    from terminal.updater.trust import BadRoot, install_root

    try:
        version = install_root(
            updates_dir(settings_from_args(args).state_dir),
            args.file.read_bytes(),
            replace=args.replace,
        )
    except (BadRoot, FileExistsError, OSError) as exc:
        raise CommandFailed(1, str(exc)) from exc
    _write({"trusted_root_version": version})
    return 0


def _offer(args: argparse.Namespace) -> int:
    from terminal.updater.state import write_json

    doc = {
        "offer_id": args.offer_id or f"manual-{args.version}",
        "version": args.version,
        "repository": args.repository,
        "downgrade": args.downgrade,
    }
    try:
        offer = parse_offer(doc)
    except ProtocolError as exc:
        raise CommandFailed(2, str(exc)) from exc
    write_json(updates_dir(settings_from_args(args).state_dir) / "offer.json", offer)
    _write(offer)
    return 0


def _selftest(args: argparse.Namespace) -> int:
    from terminal.selftest import selftest

    report = selftest(settings_from_args(args), flush=args.flush)
    _write(report)
    sys.stdout.flush()
    if args.hold:  # stay alive: the updater commits only a version whose prover lives
        import time

        time.sleep(args.hold)
    return 0 if report["ok"] else 1


def register(sub: argparse._SubParsersAction) -> None:
    update = sub.add_parser("update", help="software updates: status, rollback, trust …")
    verbs = update.add_subparsers(dest="verb", required=True)
    status = verbs.add_parser("status", help="versions and the last update's result")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    rollback = verbs.add_parser("rollback", help="go back to the version before (technician)")
    rollback.set_defaults(handler=_rollback)
    trust = verbs.add_parser("trust", help="set up the fleet's TUF root.json")
    trust.add_argument("file", type=Path, help="root.json from `kiosk-release init`")
    trust.add_argument("--replace", action="store_true", help="replace a root already trusted")
    trust.set_defaults(handler=_trust)
    offer = verbs.add_parser("offer", help="go to a version from a repository, without the fleet")
    offer.add_argument("--version", required=True)
    offer.add_argument("--repository", required=True, help="the repository's base URL")
    offer.add_argument("--offer-id", default="")
    offer.add_argument("--downgrade", action="store_true")
    offer.set_defaults(handler=_offer)
    selftest = verbs.add_parser("selftest", help="start the core headless and prove it")
    selftest.add_argument("--flush", action="store_true", help="send the outbox too")
    selftest.add_argument("--hold", type=float, default=0, help="seconds to stay alive after")
    selftest.set_defaults(handler=_selftest)
    for parser in (status, rollback, trust, offer, selftest):
        add_config_argument(parser)
        parser.add_argument(
            "--root", type=Path, default=None, help="version folders (default $KIOSK_APP_ROOT)"
        )
