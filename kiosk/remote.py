"""The technician's operations, done in this process or asked of a running kiosk.

``kiosk print …`` and ``kiosk outbox flush`` call these functions directly when no
kiosk runs on the state directory, and through kiosk/control.py (:func:`handlers`)
when one does, so both paths give the same answer.
"""

from __future__ import annotations

import dataclasses as dc
from typing import Any

from kiosk.control import Handler
from kiosk.receipts import acceptance_receipt, sample_acceptance, test_page

DOCUMENTS = ("test", "sample")


def technician_document(name: str, profile: Any) -> list[Any]:
    """``test``: the test page for ``profile``; ``sample``: a made-up acceptance receipt."""
    if name == "test":
        return test_page(profile)
    if name == "sample":
        return acceptance_receipt(sample_acceptance())
    raise ValueError(f"unknown document {name!r} (known: {', '.join(DOCUMENTS)})")


def print_named(printer: Any, name: str) -> dict[str, Any]:
    """Print a technician's document; the outcome as plain data."""
    outcome = printer.print_document(technician_document(name, printer.profile))
    return dict(outcome.to_dict())


def printer_report(printer: Any, problem: str = "") -> dict[str, Any]:
    """The printer's status as plain data, with ``ready``: fit to print a receipt now."""
    from devices.status import DeviceState, SupplyLevel

    if printer is None:
        return {"ready": False, "device": str(DeviceState.NO_DEVICE), "detail": problem}
    status = printer.status()
    ready = status.usable and status.supplies.get("paper") in (SupplyLevel.FULL, SupplyLevel.LOW)
    return {"ready": ready, "profile": printer.profile.name, **status.to_dict()}


def handlers(runtime: Any) -> dict[str, Handler]:
    """What a running kiosk answers on its control socket."""
    hardware = runtime.hardware

    def need_printer() -> Any:
        if hardware.printer is None:
            raise RuntimeError(f"the kiosk has no printer: {hardware.problems.get('printer')}")
        return hardware.printer

    return {
        "outbox.flush": lambda _args: dc.asdict(runtime.pump.flush()),
        "print.reprint": lambda args: {"printed": runtime.journey.reprint(str(args["number"]))},
        "print.status": lambda _args: printer_report(
            hardware.printer, hardware.problems.get("printer", "")
        ),
        "print.document": lambda args: print_named(need_printer(), str(args["name"])),
    }
