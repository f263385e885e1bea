"""The journey's paper: print a document, keep a receipt that did not print, reprint it.

A receipt's job bytes go into the outbox (sealed) *before* they go to the printer and
leave it only when the printer confirms them, so paper running out mid-job, a printer
that is off or cannot confirm, or a crash while printing all leave a receipt that can be
printed again (:meth:`Printing.reprint`). A crash before the receipt was even built is
covered at the next start by :meth:`Printing.rebuild_missing`, which builds it from the
application still queued in the outbox (the pump purges it only after sending, and the
runtime calls this before starting the pump).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from devices.printer import encode
from kiosk.outbox.jobs import KeptJob
from kiosk.receipts import AcceptanceData, acceptance_receipt
from kiosk.settings import Settings

log = logging.getLogger(__name__)

CHINA = dt.timezone(dt.timedelta(hours=8))

# The printer's reason → what the citizen is told (plain words, in config/i18n).
PROBLEM_KEYS = {
    "paper_out": "error.printer.paper_out",
    "cover_open": "error.printer.cover_open",
    "unconfirmed": "error.printer.unconfirmed",
}
GENERIC = "error.printer.generic"


class Printing:
    """Prints for the journey on ``hardware.printer`` (None: no printer opened)."""

    def __init__(
        self,
        settings: Settings,
        hardware: Any,
        outbox: Any,
        *,
        qr: Callable[[str], str],
    ) -> None:
        self.settings = settings
        self.hardware = hardware
        self.outbox = outbox
        self.qr = qr  # number → the receipt's QR payload, as the journey prints it
        # told how each job went ("printed", "paper_out" …): the usage counters listen
        self.observe: Callable[[str], object] = lambda _result: None

    # ---- documents that are not kept (the 一次性告知单) ----

    def print_document(self, doc: list[Any]) -> tuple[bool, str | None]:
        """Print once: (printed, message key of the problem)."""
        printer = self.hardware.printer
        if printer is None:
            self.observe("no_printer")
            return False, GENERIC
        try:
            outcome = printer.print_document(doc)
        except Exception as exc:  # printing is best effort; the caller carries on
            log.error("printing failed: %s", type(exc).__name__)
            self.observe("failed")
            return False, GENERIC
        self.observe(_result(outcome))
        return self._judge(outcome)

    # ---- receipts ----

    def print_receipt(
        self, provisional_no: str, number: str, doc: list[Any]
    ) -> tuple[bool, str | None]:
        """Keep the receipt's job, print it, drop it once printed."""
        try:
            job = self.outbox.jobs.keep(provisional_no, number, self._encode(doc))
        except Exception as exc:  # an unencodable receipt: the application is saved anyway
            log.error("receipt could not be encoded: %s", type(exc).__name__)
            return False, GENERIC
        return self._send(job)

    def reprint(self, number: str) -> bool:
        """Print the kept receipt of ``number`` (provisional or case number) again;
        rebuilt from the queued application if none was kept. True once printed."""
        job = self.outbox.jobs.find(number) or self._rebuild(number)
        if job is None:
            log.info("reprint: no receipt kept and no application queued for this number")
            return False
        printed, _problem = self._send(job)
        if printed:
            self.outbox.confirm_receipt(job.provisional_no)
        return printed

    def pending(self) -> list[str]:
        """Numbers whose receipt is waiting for a reprint."""
        return [job.number for job in self.outbox.jobs.pending()]

    def rebuild_missing(self) -> int:
        """Build and keep the receipt of every saved-but-unconfirmed application that has
        none (a crash before printing). Call before the pump starts; returns how many."""
        made = 0
        for status in self.outbox.unconfirmed():
            if self.outbox.jobs.find(status.provisional_no) is None:
                made += self._rebuild(status.provisional_no) is not None
        return made

    # ---- internals ----

    def _send(self, job: KeptJob) -> tuple[bool, str | None]:
        printer = self.hardware.printer
        if printer is None:
            self.outbox.jobs.failed(job, "no_printer")
            self.observe("no_printer")
            return False, GENERIC
        try:
            outcome = printer.print_job(self.outbox.jobs.data(job))
        except Exception as exc:
            log.error("receipt printing failed: %s", type(exc).__name__)
            self.outbox.jobs.failed(job, type(exc).__name__)
            self.observe("failed")
            return False, GENERIC
        self.observe(_result(outcome))
        if outcome.printed:
            self.outbox.jobs.printed(job)
            return True, None
        self.outbox.jobs.failed(job, outcome.reason or outcome.result)
        return self._judge(outcome)

    @staticmethod
    def _judge(outcome: Any) -> tuple[bool, str | None]:
        if outcome.printed:
            return True, None
        log.warning("not printed: %s %s", outcome.result, outcome.reason)
        reason = "unconfirmed" if outcome.result == "unconfirmed" else outcome.reason
        return False, PROBLEM_KEYS.get(reason, GENERIC)

    def _encode(self, doc: list[Any]) -> bytes:
        printer = self.hardware.printer
        if printer is not None:
            return bytes(printer.encode(doc))
        # no printer now: keep the job encoded for the one that comes
        return encode(doc, self.settings.devices.printer_profile)

    def _rebuild(self, number: str) -> KeptJob | None:
        """The receipt of a queued application, from the outbox; None once purged."""
        status = self.outbox.lookup(number)
        app = self.outbox.application(number)
        if status is None or app is None:
            return None
        accepted = dt.datetime.fromtimestamp(status.created_at, CHINA).replace(tzinfo=None)
        promised = None  # the kiosk's estimate: the platform's date is not kept here
        if app.promised_days is not None:
            promised = self.settings.calendar.calendar().add_working_days(
                accepted.date(), app.promised_days
            )
        doc = acceptance_receipt(
            AcceptanceData(
                matter_name=app.matter_name,
                matter_code=app.matter_code,
                applicant_name=app.applicant.name,
                applicant_id_number=app.applicant.id_number,
                station_name=self.settings.site.station_name,
                accepted_at=accepted,
                lookup_qr=self.qr(status.number),
                tracking_number=status.case_no,
                provisional_number=None if status.case_no else status.provisional_no,
                promised_date=promised.date if promised else None,
                promised_estimate=True,
                promised_weekends_only=promised.weekends_only if promised else False,
            )
        )
        log.info("receipt of %s rebuilt from the outbox for a reprint", status.provisional_no)
        return self.outbox.jobs.keep(status.provisional_no, status.number, self._encode(doc))


def _result(outcome: Any) -> str:
    """A printer's outcome in one word: "printed", or why not ("paper_out" …)."""
    if outcome.printed:
        return "printed"
    return "unconfirmed" if outcome.result == "unconfirmed" else str(outcome.reason or "failed")
