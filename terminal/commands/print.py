"""``kiosk print``: the technician's printer commands.

``test``, ``receipt --sample`` and ``status`` use ``--url`` when given (any printer URL:
``tcp://10.0.0.5:9100``, ``serial:///dev/ttyUSB0?baud=115200``, ``file:///tmp/job.bin``
to capture the stream, ``sim://printer?paper=out``), else the configured printer —
through the running kiosk when one owns the state directory, because a printer takes one
connection at a time. ``reprint NUMBER`` prints a receipt that did not print (kept in
the outbox) again. ``render`` draws a recorded stream as the paper would come out.

Exit status: 0 printed (``status``: ready), 1 not printed (not ready), 2 bad input or
no printer, 3 sent but the printer cannot confirm that it printed (``file://``, a
printer without status). A failure also writes one line to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kiosk.maint import devicetests
from kiosk.settings import Settings
from terminal import control
from terminal.commands.base import CommandFailed, add_config_argument, emit, settings_from_args

PRINTED, NOT_PRINTED, BAD_INPUT, UNCONFIRMED = 0, 1, 2, 3


def _fail(code: int, reason: str) -> int:
    sys.stderr.write(f"kiosk: {reason}\n")
    return code


def _with_printer(args: argparse.Namespace, settings: Settings, fn: Callable[[Any], Any]) -> Any:
    """Run ``fn(printer)`` on ``--url`` or the configured printer, opened here."""
    url = args.url or settings.devices.printer
    with open_printer_or_fail(url, args.profile or settings.devices.printer_profile) as printer:
        return fn(printer)


def open_printer_or_fail(url: str, profile: str) -> Any:
    """The printer at ``url``, or :class:`CommandFailed` saying why not."""
    from devices.printer import open_printer
    from devices.status import DeviceError

    try:
        return open_printer(url, profile)
    except (DeviceError, ValueError) as exc:
        raise CommandFailed(BAD_INPUT, f"cannot open printer {url}: {exc}") from exc


def _use_kiosk(args: argparse.Namespace, settings: Settings) -> bool:
    return args.url is None and control.running(settings.state_dir)


def _outcome_status(outcome: dict[str, Any]) -> int:
    emit(outcome)
    if outcome["result"] == "printed":
        return PRINTED
    if outcome["result"] == "unconfirmed":
        return _fail(UNCONFIRMED, f"sent, but not confirmed as printed: {outcome['reason']}")
    return _fail(NOT_PRINTED, f"not printed: {outcome['reason']}")


def _print_named(args: argparse.Namespace, name: str) -> int:
    settings = settings_from_args(args)
    if _use_kiosk(args, settings):
        outcome = control.call(settings.state_dir, "print.document", name=name)
    else:
        outcome = _with_printer(
            args, settings, lambda printer: devicetests.print_named(printer, name)
        )
    return _outcome_status(outcome)


def _test(args: argparse.Namespace) -> int:
    return _print_named(args, "test")


def _receipt(args: argparse.Namespace) -> int:
    if not args.sample:
        return _fail(BAD_INPUT, "print receipt needs --sample (a real one: kiosk print reprint N)")
    return _print_named(args, "sample")


def _status(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if _use_kiosk(args, settings):
        report = control.call(settings.state_dir, "print.status")
    else:
        report = _with_printer(args, settings, devicetests.printer_report)
    emit(report)
    if report["ready"]:
        return PRINTED
    return _fail(NOT_PRINTED, f"printer not ready: {report.get('detail') or report['device']}")


def _render(args: argparse.Namespace) -> int:
    from devices.printer import DecodeError, render_png

    try:
        stream = args.stream.read_bytes()
    except OSError as exc:
        return _fail(BAD_INPUT, f"cannot read {args.stream}: {exc.strerror}")
    try:
        png = render_png(stream, args.profile or "80mm")
    except (DecodeError, ValueError) as exc:
        return _fail(NOT_PRINTED, f"{args.stream} is not a printable stream: {exc}")
    args.output.write_bytes(png)
    return PRINTED


def _reprint(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if control.running(settings.state_dir):
        printed = control.call(settings.state_dir, "print.reprint", number=args.number)["printed"]
    else:
        printed = _reprint_here(settings, args.number)
    emit({"number": args.number, "printed": printed})
    return PRINTED if printed else _fail(NOT_PRINTED, f"receipt {args.number} not printed")


def _reprint_here(settings: Settings, number: str) -> bool:
    """No kiosk running: own the state directory, open the outbox and the printer."""
    from kiosk.intake.printing import Printing
    from kiosk.receipts.qrcodes import QrKeyring, receipt_qr
    from terminal.commands.outbox import open_outbox

    with control.OwnerLock(settings.state_dir), open_outbox(settings) as outbox:
        if outbox.jobs.find(number) is None and outbox.lookup(number) is None:
            raise CommandFailed(NOT_PRINTED, f"no application or kept receipt numbered {number}")
        d = settings.devices
        with open_printer_or_fail(d.printer, d.printer_profile) as printer:
            hardware = SimpleNamespace(printer=printer)  # all Printing needs of Hardware
            keys = QrKeyring.load(settings.state_dir)
            qr = lambda n: receipt_qr(n, keys)  # noqa: E731
            return Printing(settings, hardware, outbox, qr=qr).reprint(number)


def _printer_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default=None, help="printer URL (default: the configured one)")
    parser.add_argument("--profile", default=None, help="printer profile (default: configured)")
    add_config_argument(parser)


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("print", help="the receipt printer: test, status, render, reprint")
    commands = group.add_subparsers(dest="print_command", required=True)
    test = commands.add_parser("test", help="print the test page")
    _printer_args(test)
    test.set_defaults(handler=_test)
    receipt = commands.add_parser("receipt", help="print a sample acceptance receipt")
    receipt.add_argument("--sample", action="store_true", help="a made-up receipt")
    _printer_args(receipt)
    receipt.set_defaults(handler=_receipt)
    status = commands.add_parser("status", help="the printer's status as JSON")
    _printer_args(status)
    status.set_defaults(handler=_status)
    render = commands.add_parser("render", help="draw a recorded ESC/POS stream as PNG")
    render.add_argument("stream", type=Path, help="the recorded stream (.bin)")
    render.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    render.add_argument("--profile", default=None, help="paper and encoding (default 80mm)")
    render.set_defaults(handler=_render)
    reprint = commands.add_parser("reprint", help="print a receipt that did not print again")
    reprint.add_argument("number", help="the provisional or the case number")
    add_config_argument(reprint)
    reprint.set_defaults(handler=_reprint)
