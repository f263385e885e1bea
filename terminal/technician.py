"""What a running kiosk answers on its control socket (terminal/control.py).

``kiosk print …`` and ``kiosk outbox flush`` call the same core operations
(kiosk/maint/devicetests.py, the outbox pump) directly when no kiosk runs on the state
directory, and through these handlers when one does, so both paths give the same answer.
"""

from __future__ import annotations

import dataclasses as dc
from typing import Any

from kiosk.maint.devicetests import print_named, printer_report
from terminal.control import Handler


def handlers(runtime: Any) -> dict[str, Handler]:
    """What a running kiosk answers on its control socket."""
    hardware = runtime.hardware

    def need_printer() -> Any:
        if hardware.printer is None:
            raise RuntimeError(f"the kiosk has no printer: {hardware.problems.get('printer')}")
        return hardware.printer

    return {
        "outbox.flush": lambda _args: dc.asdict(runtime.pump.flush()),
        "print.reprint": lambda args: {"printed": runtime.intake.reprint(str(args["number"]))},
        "print.status": lambda _args: printer_report(
            hardware.printer, hardware.problems.get("printer", "")
        ),
        "print.document": lambda args: print_named(need_printer(), str(args["name"])),
    }
