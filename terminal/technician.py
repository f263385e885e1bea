"""What a running kiosk answers on its control socket (terminal/control.py).

``kiosk print …`` and ``kiosk outbox flush`` call the same core operations
(kiosk/maint/devicetests.py, the outbox pump) directly when no kiosk runs on the state
directory, and through these handlers when one does, so both paths give the same answer.
"""

from __future__ import annotations

import dataclasses as dc

from devices.printer import ReceiptPrinter
from kiosk.intake import Intake
from kiosk.maint.devicetests import print_named, printer_report
from kiosk.outbox import OutboxPump
from terminal.control import Handler


def handlers(
    pump: OutboxPump, intake: Intake, printer: ReceiptPrinter | None, printer_problem: str
) -> dict[str, Handler]:
    """What a running kiosk answers on its control socket."""

    def need_printer() -> ReceiptPrinter:
        if printer is None:
            raise RuntimeError(f"the kiosk has no printer: {printer_problem}")
        return printer

    return {
        "outbox.flush": lambda _args: dc.asdict(pump.flush()),
        "print.reprint": lambda args: {"printed": intake.reprint(str(args["number"]))},
        "print.status": lambda _args: printer_report(printer, printer_problem),
        "print.document": lambda args: print_named(need_printer(), str(args["name"])),
    }
