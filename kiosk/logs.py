"""Logging for the technician: a rotating file in the state directory plus stderr.

Code never logs personal data in the first place; the redacting filter is the safety
net under that rule, masking anything shaped like an ID number, phone or card number.

A crash is logged, not printed: uncaught exceptions (main thread and others) go through
the same handlers, and the traceback of any logged exception keeps where it happened
(files, lines, functions, exception types) but not the exceptions' messages, which may
quote a name or a number no pattern can recognise. Locals are never written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from kiosk.masking import mask_id_number, mask_pan, mask_phone

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]")
_PAN = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def redact(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group()), text)
    text = _PAN.sub(lambda m: mask_pan(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)


WITHHELD = "(message withheld: it may hold personal data)"


def crash_text(exc: BaseException) -> str:
    """A traceback without the exceptions' messages: each exception in the chain with
    its frames and its type only."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        current = (
            cause if cause is not None or current.__suppress_context__ else current.__context__
        )
    lines: list[str] = []
    for i, item in enumerate(reversed(chain)):
        if i:
            lines.append("During handling of the above exception, another exception occurred:")
        lines.append("Traceback (most recent call last):")
        frames = traceback.format_list(traceback.extract_tb(item.__traceback__))
        lines.extend(frame.rstrip("\n") for frame in frames)
        kind = type(item)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {WITHHELD}")
    return "\n".join(lines)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = crash_text(record.exc_info[1])
        return True


_crash_log = logging.getLogger("kiosk.crash")


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    _crash_log.critical("uncaught %s: the kiosk stops", kind.__name__, exc_info=(kind, value, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    _crash_log.error(
        "uncaught %s in thread %s",
        args.exc_type.__name__,
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def install_crash_hooks() -> None:
    """Uncaught exceptions are logged through the redacting handlers, not printed raw.
    Called by the kiosk's entry points (not by :func:`setup_logging`, which tests call)."""
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Route the root logger to ``log_dir/kiosk.log`` and stderr, both redacted."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):  # this process's logging is ours from here on
        root.removeHandler(handler)
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    stderr_handler = logging.StreamHandler()
    for handler in (file_handler, stderr_handler):
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    return path
