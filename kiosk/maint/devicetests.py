"""The technician's device operations: the test page and sample receipt, the printer's
report. The maintenance screen and the ``kiosk print`` commands share them."""

from __future__ import annotations

from typing import Any

from devices.status import DeviceState, SupplyLevel
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
    if printer is None:
        return {"ready": False, "device": str(DeviceState.NO_DEVICE), "detail": problem}
    status = printer.status()
    ready = status.usable and status.supplies.get("paper") in (SupplyLevel.FULL, SupplyLevel.LOW)
    return {"ready": ready, "profile": printer.profile.name, **status.to_dict()}
