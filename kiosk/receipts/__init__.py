"""Paper documents the kiosk prints, built from device primitives (devices/printer).

Builders return a list of primitives; :func:`devices.printer.open_printer` turns it into
a job. Nothing here knows about bytes, printers or paper width.
"""

from kiosk.receipts.data import (
    AcceptanceData,
    AppointmentData,
    NoticeData,
    NoticeMaterial,
    sample_acceptance,
)
from kiosk.receipts.documents import (
    acceptance_receipt,
    appointment_slip,
    notice_sheet,
    test_page,
)
from kiosk.receipts.labels import Lang

__all__ = [
    "AcceptanceData",
    "AppointmentData",
    "Lang",
    "NoticeData",
    "NoticeMaterial",
    "acceptance_receipt",
    "appointment_slip",
    "notice_sheet",
    "sample_acceptance",
    "test_page",
]
