"""The receipt printer: document primitives, ESC/POS encoding, status, simulator, decoder.

Typical use (the kiosk)::

    printer = open_printer(settings.printer_url, profile="80mm")
    job = printer.encode(acceptance_receipt(data))   # keep: a reprint sends the same bytes
    outcome = printer.print_job(job)
    if not outcome.printed: ...                       # outcome.reason, outcome.after
"""

from devices.printer.connect import open_printer
from devices.printer.decode import DecodeError, decode
from devices.printer.document import (
    QR,
    Barcode,
    Cut,
    Document,
    Element,
    Feed,
    Image,
    KeyValue,
    Separator,
    Text,
)
from devices.printer.driver import PrintOutcome, ReceiptPrinter
from devices.printer.encoder import Encoder, encode
from devices.printer.layout import EncodeError
from devices.printer.ops import DecodedJob
from devices.printer.profiles import PROFILES, PrinterProfile, get_profile
from devices.printer.render import render_ops, render_png, render_stream
from devices.printer.simulator import PrinterSimulator

__all__ = [
    "PROFILES",
    "QR",
    "Barcode",
    "Cut",
    "DecodeError",
    "DecodedJob",
    "Document",
    "Element",
    "EncodeError",
    "Encoder",
    "Feed",
    "Image",
    "KeyValue",
    "PrintOutcome",
    "PrinterProfile",
    "PrinterSimulator",
    "ReceiptPrinter",
    "Separator",
    "Text",
    "decode",
    "encode",
    "get_profile",
    "open_printer",
    "render_ops",
    "render_png",
    "render_stream",
]
