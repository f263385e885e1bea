"""Logging for the technician: a rotating file in the state directory plus stderr.

Code never logs personal data in the first place; the redacting filter is the safety
net under that rule, masking anything shaped like an ID number, phone or card number.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from kiosk.masking import mask_id_number, mask_pan, mask_phone

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]")
_PAN = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def redact(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group()), text)
    text = _PAN.sub(lambda m: mask_pan(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


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
