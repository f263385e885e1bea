"""``kiosk staff``: this station's agents and the audit log of their assisted work.

``kiosk staff add NUMBER NAME [--card-id ID] [--technician]`` reads the PIN from stdin
(never from the command line, where ``ps`` and the shell history would keep it);
``--technician`` adds a field technician (maintenance mode, kiosk/maint/technicians.py)
instead of an agent: a list of its own, personal like the agents'. ``kiosk staff list
[--technician]`` prints the active accounts, one JSON object a line, without PIN material.
``kiosk staff audit`` prints audit entries oldest first, one JSON object a line:
``--after-seq N`` fetches only what is new (what the fleet agent or a technician's
script keeps), ``--since``/``--until`` take ISO dates or times (UTC), ``--staff`` one
agent; ``--verify`` checks the hash chain (exit 1 when a row was altered or removed).
Rows hold the citizen masked only. The files are read directly (SQLite, WAL), so this
works beside a running kiosk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from terminal.commands.base import CommandFailed, add_config_argument, settings_from_args


def _timestamp(text: str) -> float:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


def _audit(args: argparse.Namespace) -> int:
    from kiosk.staff import AuditLog

    settings = settings_from_args(args)
    path = settings.state_dir / "audit.sqlite3"
    if not path.exists():
        raise CommandFailed(1, f"no audit log at {path}: no assisted work recorded here")
    log = AuditLog(path, settings.site.station_id)
    try:
        if args.verify:
            ok = log.verify()
            sys.stdout.write(json.dumps({"chain_intact": ok}) + "\n")
            return 0 if ok else 1
        entries = log.query(
            since=args.since,
            until=args.until,
            staff_no=args.staff,
            after_seq=args.after_seq,
            limit=args.limit,
        )
    finally:
        log.close()
    for entry in entries:
        sys.stdout.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
    return 0


def _store(args: argparse.Namespace) -> tuple[Any, Any]:
    from kiosk.staff import StaffStore

    settings = settings_from_args(args)
    s = settings.staff
    name = "technicians.sqlite3" if args.technician else "staff.sqlite3"
    store = StaffStore(
        settings.state_dir / name, max_failures=s.max_pin_failures, lockout_s=s.lockout_s
    )
    return settings, store


def _add(args: argparse.Namespace) -> int:
    import sqlite3

    pin = sys.stdin.readline().strip()
    settings, store = _store(args)
    try:
        member = store.add(
            args.number, args.name, pin, settings.site.station_id, card_id=args.card_id or None
        )
    except ValueError as exc:
        raise CommandFailed(2, str(exc)) from exc
    except sqlite3.IntegrityError as exc:
        raise CommandFailed(1, "that staff number or card is already in use") from exc
    finally:
        store.close()
    sys.stdout.write(json.dumps({"added": member.staff_no, "station_id": member.station_id}) + "\n")
    return 0


def _list(args: argparse.Namespace) -> int:
    _settings, store = _store(args)
    try:
        members = store.members()
    finally:
        store.close()
    for m in members:
        row = {
            "staff_no": m.staff_no,
            "name": m.name,
            "station_id": m.station_id,
            "card": bool(m.card_id),
        }
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    staff = sub.add_parser("staff", help="帮办代办: staff accounts and the audit log")
    inner = staff.add_subparsers(dest="staff_command", required=True)

    audit = inner.add_parser("audit", help="print the audit log of assisted work (JSON lines)")
    add_config_argument(audit)
    audit.add_argument("--since", type=_timestamp, default=None, help="ISO date/time (UTC)")
    audit.add_argument("--until", type=_timestamp, default=None, help="ISO date/time (UTC)")
    audit.add_argument("--staff", default=None, help="one staff number")
    audit.add_argument("--after-seq", type=int, default=0, help="only entries after this seq")
    audit.add_argument("--limit", type=int, default=1000)
    audit.add_argument("--verify", action="store_true", help="check the hash chain only")
    audit.set_defaults(handler=_audit)

    add = inner.add_parser("add", help="add an agent of this station (PIN on stdin)")
    add_config_argument(add)
    add.add_argument("number", help="staff number (3-20 of A-Z a-z 0-9 -)")
    add.add_argument("name")
    add.add_argument("--card-id", default="", help="the staff card's identifier (卡识别码)")
    add.add_argument("--technician", action="store_true", help="a field technician instead")
    add.set_defaults(handler=_add)

    lst = inner.add_parser("list", help="this station's active agents (or technicians)")
    add_config_argument(lst)
    lst.add_argument("--technician", action="store_true", help="the technicians instead")
    lst.set_defaults(handler=_list)
