"""``kiosk outbox``: what is queued, and sending it now.

``status`` (counts by state, oldest pending age, last success, receipts to reprint;
``--json`` for scripts) and ``list`` (the newest items, applicant masked) read the
outbox database directly: SQLite in WAL mode lets them read beside a running kiosk. On a
kiosk that has not run yet (no outbox database) they report zero and an empty list, and
create nothing.
``flush`` sends everything pending now and reports. It must never run beside the
kiosk's own sender, so when a kiosk owns the state directory it asks that kiosk to do
it (terminal/control.py); otherwise it takes the directory's lock and sends itself, to the
configured platform or to the embedded sandbox's database in the state directory
(terminal/wiring.py). Exit status: 0 all sent, 1 something was not sent or was refused,
2 no outbox here (flush) or a kiosk in the way.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses as dc
import sys
from collections.abc import Iterator
from typing import Any

from kiosk.settings import Settings
from terminal import control
from terminal.commands.base import CommandFailed, add_config_argument, emit, settings_from_args


def has_outbox(settings: Settings) -> bool:
    """Whether a kiosk has made its outbox (database and key) in the state directory."""
    from terminal.wiring import outbox_db, outbox_key

    return outbox_db(settings.state_dir).exists() and outbox_key(settings.state_dir).exists()


@contextlib.contextmanager
def open_outbox(settings: Settings) -> Iterator[Any]:
    """The kiosk's outbox in the state directory; never creates one (or its key)."""
    from kiosk.outbox import CryptoError, Outbox, load_or_create_key
    from terminal.wiring import outbox_db, outbox_key

    db, key = outbox_db(settings.state_dir), outbox_key(settings.state_dir)
    if not has_outbox(settings):
        raise CommandFailed(2, f"no outbox in {settings.state_dir} (no kiosk has run there)")
    try:
        outbox = Outbox(db, load_or_create_key(key))
    except CryptoError as exc:
        raise CommandFailed(2, f"cannot open the outbox key {key}: {exc}") from exc
    try:
        yield outbox
    finally:
        outbox.close()


def _status(args: argparse.Namespace) -> int:
    from kiosk.outbox.report import empty_status_report, status_report

    settings = settings_from_args(args)
    if not has_outbox(settings):  # a kiosk that has not run yet has saved nothing
        report = empty_status_report()
    else:
        with open_outbox(settings) as outbox:
            report = status_report(outbox)
    if args.json:
        emit(report)
        return 0
    age = report["oldest_pending_age_s"]
    lines = [
        ", ".join(f"{state} {n}" for state, n in report["counts"].items()),
        f"oldest pending: {'-' if age is None else f'{age:.0f} s'}",
        f"last success: {report['last_success'] or '-'}",
        f"saved, number not confirmed to the citizen: {_numbers(report['unconfirmed'])}",
        f"receipts to reprint: {_numbers(report['receipts_to_reprint'])}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _numbers(numbers: list[str]) -> str:
    return " ".join(numbers) if numbers else "-"


def _list(args: argparse.Namespace) -> int:
    from kiosk.outbox.report import list_rows

    settings = settings_from_args(args)
    rows: list[dict[str, Any]] = []
    if has_outbox(settings):
        with open_outbox(settings) as outbox:
            rows = list_rows(outbox, limit=args.limit)
    if args.json:
        emit(rows)
        return 0
    for r in rows:
        sys.stdout.write(
            f"{r['number']:<26} {r['state']:<8} {r['stage']:<12} {r['attachments']:>5}"
            f"  {r['created_at']}  {r['applicant'] or '-'}"
            f"{'  ' + r['last_error'] if r['last_error'] else ''}\n"
        )
    return 0


def _flush(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if control.running(settings.state_dir):
        report = dict(control.call(settings.state_dir, "outbox.flush", timeout=args.timeout))
        report["via"] = "kiosk"
    else:
        report = _flush_here(settings) | {"via": "direct"}
    emit(report)
    if report["failed"]:
        raise CommandFailed(1, f"{report['remaining']} not sent: {report['error']}")
    if report["rejected"]:
        raise CommandFailed(1, f"{report['rejected']} refused by the platform (kiosk outbox list)")
    return 0


def _flush_here(settings: Settings) -> dict[str, Any]:
    """No kiosk running: own the state directory and send from this process."""
    from kiosk.outbox.report import flush
    from terminal.wiring import open_upstream

    with control.OwnerLock(settings.state_dir), open_outbox(settings) as outbox:
        client, sandbox = open_upstream(settings)
        try:
            return dc.asdict(flush(outbox, client))
        finally:
            client.close()
            if sandbox is not None:
                sandbox.close()


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("outbox", help="the queue of applications: status, list, flush")
    commands = group.add_subparsers(dest="outbox_command", required=True)
    status = commands.add_parser("status", help="counts, oldest pending, last success")
    status.add_argument("--json", action="store_true", help="one JSON object")
    add_config_argument(status)
    status.set_defaults(handler=_status)
    listing = commands.add_parser("list", help="the newest items, applicant masked")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="a JSON array")
    add_config_argument(listing)
    listing.set_defaults(handler=_list)
    flush = commands.add_parser("flush", help="send everything pending now, and report")
    flush.add_argument("--timeout", type=float, default=600.0, help="seconds to wait")
    add_config_argument(flush)
    flush.set_defaults(handler=_flush)
