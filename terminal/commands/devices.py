"""``kiosk idcard read`` and ``kiosk card read``: a technician's test read of a card.

Each prints the card as one JSON object on stdout, personal data masked
(:mod:`kiosk.identity.cardview`), and exits 0. Otherwise it writes one line to stderr,
``kiosk card read: <reason>: <detail>``, and exits with a code a script can act on:

==  ==========================================================================
2   bad URL, settings or PIN
3   no card (none placed within ``--timeout``)
4   device unavailable (port will not open, no such reader, pcscd not running)
5   timeout (the reader did not answer)
6   corrupt frame or data on the wire (checksum, truncated frame, bad TLV)
7   unsupported card type
8   card taken away during the read
9   any other read failure (SAM or card refused, data failing its own checks)
10  the card refused the PIN: wrong (63Cx) or blocked (6983)
==  ==========================================================================

A refused PIN is told as the citizen is told it (:func:`kiosk.errors.describe`, in the
settings' ``ui.language``): tries left, or where a blocked card is unlocked; the card's
status word follows in brackets.

``--url`` defaults to the settings' ``devices.idcard`` / ``devices.smartcard``; a
``sim://`` URL runs the simulator inside this command. Device log lines are silenced
unless ``--verbose``, so stderr stays one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from devices.status import DeviceError, DeviceTimeout, DeviceUnavailable, ProtocolError
from terminal.commands.base import add_config_argument, settings_from_args

EXIT_BAD_INPUT = 2
EXIT_NO_CARD = 3
EXIT_NO_DEVICE = 4
EXIT_TIMEOUT = 5
EXIT_CORRUPT = 6
EXIT_UNSUPPORTED = 7
EXIT_REMOVED = 8
EXIT_FAILED = 9
EXIT_PIN = 10

_BY_CODE = {
    "noCard": (EXIT_NO_CARD, "no card"),
    "noSmartcard": (EXIT_NO_CARD, "no card"),
    "unsupportedCard": (EXIT_UNSUPPORTED, "unsupported card type"),
    "unsupportedSmartcard": (EXIT_UNSUPPORTED, "unsupported card type"),
    "cardRemoved": (EXIT_REMOVED, "card removed during the read"),
    "smartcardRemoved": (EXIT_REMOVED, "card removed during the read"),
    "pinRejected": (EXIT_PIN, "wrong PIN"),
    "pinBlocked": (EXIT_PIN, "PIN blocked"),
}
TOLD = {"pinRejected", "pinBlocked"}  # errors whose citizen message says what to do
POLL = 0.2  # seconds between ID card presence checks while waiting


def classify(exc: DeviceError) -> tuple[int, str]:
    """(exit status, reason) for a failed read."""
    if exc.code in _BY_CODE:
        return _BY_CODE[exc.code]
    if isinstance(exc, DeviceUnavailable):
        return EXIT_NO_DEVICE, "device unavailable"
    if isinstance(exc, DeviceTimeout):
        return EXIT_TIMEOUT, "timeout"
    if isinstance(exc, ProtocolError):
        smartcard = exc.code in ("tlvError", "apduError")
        return EXIT_CORRUPT, "corrupt data" if smartcard else "corrupt frame"
    return EXIT_FAILED, "read failed"


def _run(
    args: argparse.Namespace, default_url: Callable[[Any], str], read: Callable[..., Any]
) -> int:
    """Shared frame of both commands: URL, logging, errors to exit statuses."""
    prog = f"kiosk {args.command} read"
    if not args.verbose:
        logging.getLogger("devices").setLevel(logging.CRITICAL)
    else:
        logging.getLogger().setLevel(logging.INFO)
    url = args.url or default_url(settings_from_args(args))
    try:
        view = read(url, args)
    except ValueError as exc:
        sys.stderr.write(f"{prog}: bad input: {exc}\n")
        return EXIT_BAD_INPUT
    except DeviceError as exc:
        status, reason = classify(exc)
        detail = f"{told(exc, args)} ({exc})" if exc.code in TOLD else str(exc)
        sys.stderr.write(f"{prog}: {reason}: {detail}\n")
        return status
    sys.stdout.write(json.dumps(view, ensure_ascii=False) + "\n")
    return 0


def told(exc: DeviceError, args: argparse.Namespace) -> str:
    """What the kiosk would tell the citizen about ``exc``, in the settings' language."""
    from kiosk.errors import describe
    from kiosk.i18n import DEFAULT_LANGUAGE, Translator
    from kiosk.settings import SettingsError

    try:
        language = settings_from_args(args).ui.language
    except SettingsError:
        language = DEFAULT_LANGUAGE
    return describe(exc).text(Translator(language))


def _read_idcard(url: str, args: argparse.Namespace) -> dict[str, Any]:
    from devices.idcard import NoCard, open_reader
    from kiosk.identity.cardview import idcard_view

    deadline = time.monotonic() + args.timeout
    with open_reader(url) as reader:
        while True:
            try:
                return idcard_view(reader.read_card(with_fingerprint=args.fingerprint))
            except NoCard:
                if time.monotonic() >= deadline:
                    raise NoCard(f"no card on the reader within {args.timeout:g} s") from None
                time.sleep(min(POLL, max(0.0, deadline - time.monotonic())))


def _read_smartcard(url: str, args: argparse.Namespace) -> dict[str, Any]:
    from devices.smartcard import App, PinUnlock, open_reader
    from kiosk.identity.cardview import smartcard_view

    unlock = PinUnlock(sys.stdin.readline().strip()) if args.pin_stdin else None
    with open_reader(url) as reader:
        record = reader.read_card(
            args.timeout, app=App(args.app) if args.app else None, unlock=unlock
        )
        return smartcard_view(record, reader.last_reader)


def _idcard(args: argparse.Namespace) -> int:
    return _run(args, lambda s: s.devices.idcard, _read_idcard)


def _card(args: argparse.Namespace) -> int:
    return _run(args, lambda s: s.devices.smartcard, _read_smartcard)


def _common(parser: argparse.ArgumentParser, url_help: str) -> None:
    parser.add_argument("--url", default=None, help=url_help)
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for a card (default 10)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show device log lines")
    add_config_argument(parser)


def register(sub: argparse._SubParsersAction) -> None:
    idcard = sub.add_parser("idcard", help="the 2nd-generation ID card reader")
    idcard_commands = idcard.add_subparsers(dest="idcard_command", required=True)
    read = idcard_commands.add_parser("read", help="read a card and print it, masked, as JSON")
    _common(read, "reader URL (serial://…, tcp://…, sim://idcard?…); default: settings")
    read.add_argument("--fingerprint", action="store_true", help="read fingerprints too (30 10)")
    read.set_defaults(handler=_idcard)

    card = sub.add_parser("card", help="the PC/SC reader (social-security and bank cards)")
    card_commands = card.add_subparsers(dest="card_command", required=True)
    read = card_commands.add_parser("read", help="read a card and print it, masked, as JSON")
    _common(read, "pcsc://NAME-PART or sim://smartcard?…; default: settings")
    read.add_argument(
        "--app",
        choices=("auto", "ssc", "bank"),
        default=None,
        help="which application to read on a card that has both",
    )
    read.add_argument(
        "--pin-stdin", action="store_true", help="read the card holder's PIN from stdin"
    )
    read.set_defaults(handler=_card)
