"""``kiosk qr decode FILE...`` and ``kiosk qr watch``: QR codes from files and the camera.

``decode`` prints one JSON object per file, one per line, in the order given::

    {"file": "a.jpg", "codes": [{"text": "...", "format": "QRCode", "position": [[x, y] x4]}]}

A file with no code has ``"codes": []``. A file that cannot be read or is not an image
(missing, empty, truncated, too large) also gets ``"error": "<why>"``. The exit status
is 0 when at least one file was read, even if no code was found in any; 1 only when
every file failed, since then the command itself did nothing useful (a wrong path, a
wrong folder); 2 for bad options. ``--classify`` adds ``kind`` (receipt, appointment,
lookalike, token) and, for ours, ``number``, using this kiosk's QR keys.

``watch`` opens the camera (``--url`` or the ``devices.camera`` setting) and prints each
code once per showing as a JSON line; camera faults go to stderr. It runs until Ctrl-C,
or for ``--frames`` frames or ``--seconds`` seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from terminal.commands.base import add_config_argument, emit, settings_from_args, why_unreadable

BACKEND_CHOICES = ("zxing", "zbar")


def _decode(args: argparse.Namespace) -> int:
    from devices.docscan import CorruptImage, decode_image
    from devices.qr import open_reader

    reader = open_reader(_backend(args), improve=not args.raw, budget_ms=None)
    keys = _keyring(args) if args.classify else None
    failed = 0
    for name in args.files:
        record: dict[str, Any] = {"file": name, "codes": []}
        try:
            image = decode_image(Path(name).read_bytes())
        except (OSError, CorruptImage) as exc:
            record["error"] = why_unreadable(exc)
            failed += 1
        else:
            reader.track.clear()  # files are unrelated: nothing carries over
            record["codes"] = [_code_json(c, keys) for c in reader.read(image)]
        emit(record)
    return 1 if failed == len(args.files) else 0


def _watch(args: argparse.Namespace) -> int:
    from devices.camera import open_camera
    from devices.qr import Debounce, open_reader
    from devices.status import DeviceError

    url = args.url or settings_from_args(args).devices.camera
    reader = open_reader(_backend(args))
    keys = _keyring(args) if args.classify else None
    events = Debounce()
    camera = open_camera(url, start=True)
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    seq, frames, state = -1, 0, ""
    try:
        while (args.frames is None or frames < args.frames) and (
            deadline is None or time.monotonic() < deadline
        ):
            try:
                frame = camera.next_frame(after=seq, timeout=1.0)
            except DeviceError:
                state = _report_state(camera, state)
                continue
            seq, frames = frame.seq, frames + 1
            state = _report_state(camera, state)
            codes = reader.read(frame.image)
            fresh = set(events.new(c.text for c in codes))
            for code in codes:
                if code.text in fresh:
                    fresh.discard(code.text)
                    emit({**_code_json(code, keys), "frame": frame.seq})
    finally:
        camera.close()
    return 0


def _report_state(camera: Any, last: str) -> str:
    status = camera.status()
    now = f"{status.device} {status.detail}".strip()
    if now != last and (last or status.device != "online"):
        sys.stderr.write(f"camera: {now}\n")
    return now


def _code_json(code: Any, keys: Any) -> dict[str, Any]:
    out = code.to_dict()
    if keys is not None:
        from kiosk.receipts.qrcodes import classify

        meaning = classify(code.text, keys)
        out["kind"] = str(meaning.kind)
        if meaning.number is not None:
            out["number"] = meaning.number
        if meaning.reason is not None:
            out["reason"] = meaning.reason
    return out


def _keyring(args: argparse.Namespace) -> Any:
    from kiosk.receipts.qrcodes import QrKeyring

    return QrKeyring.load(settings_from_args(args).state_dir)


def _backend(args: argparse.Namespace) -> str:
    if args.backend:
        return str(args.backend)
    return settings_from_args(args).devices.qr_backend


def register(sub: argparse._SubParsersAction) -> None:
    qr = sub.add_parser("qr", help="read QR codes from image files or the camera")
    commands = qr.add_subparsers(dest="qr_command", required=True)

    decode = commands.add_parser("decode", help="print the QR codes in image files as JSON")
    decode.add_argument("files", nargs="+", metavar="FILE")
    decode.add_argument(
        "--raw", action="store_true", help="the library call alone, no closer looks"
    )
    _common(decode)
    decode.set_defaults(handler=_decode)

    watch = commands.add_parser("watch", help="print QR codes as the camera sees them")
    watch.add_argument("--url", help="camera URL (default: the devices.camera setting)")
    watch.add_argument("--frames", type=int, default=None, help="stop after this many frames")
    watch.add_argument("--seconds", type=float, default=None, help="stop after this long")
    _common(watch)
    watch.set_defaults(handler=_watch)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=BACKEND_CHOICES, help="default: devices.qr_backend")
    parser.add_argument("--classify", action="store_true", help="add what each code means")
    add_config_argument(parser)
