"""The technician's device tests and printer operations, for the maintenance screen and
the ``kiosk print`` commands alike: no screen touches a device.

Every call blocks (the screen runs them off the UI thread). A missing device raises
:class:`kiosk.errors.DeviceMissing`; other failures are the devices' own errors, which
kiosk/errors.describe turns into message keys.
"""

from __future__ import annotations

from typing import Any  # a status report is a JSON object

import numpy as np

from devices.printer import Element, PrinterProfile, ReceiptPrinter
from devices.status import DeviceState, SupplyLevel
from kiosk.errors import DeviceMissing
from kiosk.hardware import DeviceKind, Hardware
from kiosk.receipts import acceptance_receipt, sample_acceptance, test_page

DOCUMENTS = ("test", "sample")
CAMERA_START_S = 5.0


def technician_document(name: str, profile: PrinterProfile) -> list[Element]:
    """``test``: the test page for ``profile``; ``sample``: a made-up acceptance receipt."""
    if name == "test":
        return test_page(profile)
    if name == "sample":
        return acceptance_receipt(sample_acceptance())
    raise ValueError(f"unknown document {name!r} (known: {', '.join(DOCUMENTS)})")


def print_named(printer: ReceiptPrinter, name: str) -> dict[str, Any]:
    """Print a technician's document; the outcome as plain data."""
    outcome = printer.print_document(technician_document(name, printer.profile))
    return dict(outcome.to_dict())


def printer_report(printer: ReceiptPrinter | None, problem: str = "") -> dict[str, Any]:
    """The printer's status as plain data, with ``ready``: fit to print a receipt now."""
    if printer is None:
        return {"ready": False, "device": str(DeviceState.NO_DEVICE), "detail": problem}
    status = printer.status()
    ready = status.usable and status.supplies.get("paper") in (SupplyLevel.FULL, SupplyLevel.LOW)
    return {"ready": ready, "profile": printer.profile.name, **status.to_dict()}


class DeviceTests:
    """The maintenance screen's tests of the devices in ``hardware``."""

    def __init__(self, hardware: Hardware) -> None:
        self.hardware = hardware

    def print_test_page(self) -> str:
        """``printed``, else why not (``no_printer``, ``paper_out``…)."""
        printer = self.hardware.printer
        if printer is None:
            return "no_printer"
        outcome = printer.print_document(test_page(printer.profile))
        return "printed" if outcome.printed else outcome.reason

    def printer_report(self) -> dict[str, Any]:
        return printer_report(self.hardware.printer, self.hardware.problem(DeviceKind.PRINTER))

    def docscan_frame(self) -> np.ndarray:
        """One preview frame of the document camera."""
        docscan = self.hardware.docscan
        if docscan is None:
            raise DeviceMissing("no document camera")
        return docscan.preview()

    def start_camera(self) -> np.ndarray:
        """Start the QR camera and wait for its first frame; :meth:`stop_camera` after."""
        camera = self.hardware.camera
        if camera is None:
            raise DeviceMissing("no QR camera")
        camera.start()
        return camera.next_frame(timeout=CAMERA_START_S).image

    def stop_camera(self) -> None:
        if self.hardware.camera is not None:
            self.hardware.camera.stop()
