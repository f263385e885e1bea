"""Every device kind refuses a URL it cannot open with a ValueError that says what is
wrong, before it touches any hardware (or starts a simulator)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from devices.camera import open_camera
from devices.docscan import open_docscan
from devices.printer import open_printer
from devices.smartcard import open_reader as open_smartcard_reader

# What each opener must say about a URL it cannot open.
BAD_URLS: dict[str, tuple[Callable[[str], object], str]] = {
    "rtsp://10.0.0.1/stream": (open_camera, "scheme"),
    "sim://camera?width=wide": (open_camera, "whole number"),
    "sim://camera?blur=lots": (open_camera, "number"),
    "usb://1234:5678": (open_docscan, "scheme"),
    "usb://printer": (open_printer, "VID:PID"),
    "lpt://1": (open_printer, "unsupported transport"),
    "sim://printer?paper=maybe": (open_printer, "paper"),
    "sim://printer?profile=99mm": (open_printer, "unknown printer profile"),
    "serial:///dev/ttyS0": (open_smartcard_reader, "unsupported"),
    "pcsc://x?app=atm": (open_smartcard_reader, "app must be"),
    "sim://smartcard?card=nope": (open_smartcard_reader, "unknown smartcard fixture"),
}


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_are_refused(url: str) -> None:
    open_device, message = BAD_URLS[url]
    with pytest.raises(ValueError, match=message):
        open_device(url)
