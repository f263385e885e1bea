"""Every device kind refuses a URL it cannot open with a ValueError that says what is
wrong, before it touches any hardware (or starts a simulator)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from devices.camera import open_camera
from devices.docscan import open_docscan
from devices.printer import open_printer
from devices.smartcard import open_reader as open_smartcard_reader


@pytest.mark.parametrize(
    ("open_device", "url", "message"),
    [
        (open_camera, "rtsp://10.0.0.1/stream", "scheme"),
        (open_camera, "sim://camera?width=wide", "whole number"),
        (open_camera, "sim://camera?blur=lots", "number"),
        (open_docscan, "usb://1234:5678", "scheme"),
        (open_printer, "usb://printer", "VID:PID"),
        (open_printer, "lpt://1", "unsupported transport"),
        (open_printer, "sim://printer?paper=maybe", "paper"),
        (open_printer, "sim://printer?profile=99mm", "unknown printer profile"),
        (open_smartcard_reader, "serial:///dev/ttyS0", "unsupported"),
        (open_smartcard_reader, "pcsc://x?app=atm", "app must be"),
        (open_smartcard_reader, "sim://smartcard?card=nope", "unknown smartcard fixture"),
    ],
)
def test_bad_urls_are_refused(open_device: Callable[[str], object], url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_device(url)
