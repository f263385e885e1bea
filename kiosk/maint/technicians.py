"""Signing a field technician in to maintenance mode.

Technicians are a list of their own (``technicians.sqlite3``), kept by the same
:class:`~kiosk.staff.StaffStore` as the 帮办 agents: one personal number per person,
bound to the station, a scrypt-hashed 6-digit PIN, an optional technician card
(its PC/SC card id) that still needs the PIN, and a lockout after repeated wrong PINs.
There is no shared maintenance code. Every way in, every wrong PIN and every lockout is
written to the local audit log and handed to ``report`` (the fleet agent's event queue).
The PIN itself goes nowhere: not in the audit, the event, a log line or an exception.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.staff.accounts import Locked, StaffError, StaffMember, StaffStore
from kiosk.staff.audit import AuditLog

log = logging.getLogger(__name__)

Report = Callable[[dict[str, Any]], None]
ENTERED, FAILED, LOCKED, LEFT = (
    "maintenance_entered",
    "maintenance_pin_failed",
    "maintenance_locked",
    "maintenance_left",
)


def open_store(
    state_dir: Path, max_failures: int = 5, lockout_s: float = 900, **kw: Any
) -> StaffStore:
    """The technician list of this kiosk (not the agents' list)."""
    return StaffStore(
        state_dir / "technicians.sqlite3", max_failures=max_failures, lockout_s=lockout_s, **kw
    )


class TechnicianDesk:
    """Who is in maintenance mode now, and the record of how they got there."""

    def __init__(
        self,
        store: StaffStore,
        audit: AuditLog,
        station_id: str,
        *,
        report: Report | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.audit, self.station_id = store, audit, station_id
        self.report = report
        self.clock = clock
        self.current: StaffMember | None = None

    def sign_in(self, pin: str, *, number: str = "", card_id: str = "") -> StaffMember:
        """Enter maintenance with a personal number + PIN, or a technician card + PIN.

        Raises :class:`~kiosk.staff.StaffError` (``Locked`` after too many wrong PINs);
        either way the attempt is audited and reported."""
        method = "card" if card_id else "pin"
        if not (number or card_id):
            raise StaffError("a technician number or card is needed")
        who = self._known(number, card_id)
        try:
            if card_id:
                member = self.store.verify_card(card_id, pin, self.station_id)
            else:
                member = self.store.verify_pin(number, pin, self.station_id)
        except StaffError as exc:
            kind = LOCKED if isinstance(exc, Locked) else FAILED
            self._record(who, kind, method, "refused", exc.key)
            log.warning("maintenance sign-in refused (%s, %s)", method, exc.key)
            raise
        self.current = member
        self._record(member.staff_no, ENTERED, method, "ok", "")
        log.info("maintenance mode entered by technician %s (%s)", member.staff_no, method)
        return member

    def leave(self, reason: str = "finished") -> None:
        """Maintenance ends (the technician left, or it timed out like a session)."""
        if self.current is None:
            return
        staff_no, self.current = self.current.staff_no, None
        self._record(staff_no, LEFT, "", "ok", reason)
        log.info("maintenance mode left by technician %s (%s)", staff_no, reason)

    def _known(self, number: str, card_id: str) -> str:
        """Who to name in the record of a refused attempt: a technician number we know,
        else "unknown" (what was typed may be anything, even a citizen's ID number)."""
        members = self.store.members()
        for member in members:
            if (number and member.staff_no == number) or (card_id and member.card_id == card_id):
                return member.staff_no
        return "unknown"

    def _record(self, staff_no: str, kind: str, method: str, outcome: str, detail: str) -> None:
        self.audit.record(staff_no, kind, outcome=outcome, detail=detail or method)
        if self.report is None:
            return
        event = {
            "kind": kind,
            "at": self.clock(),
            "technician": staff_no,
            "method": method,
            "detail": detail,
        }
        try:
            self.report(event)
        except Exception:  # the fleet being away must not stop a technician
            log.exception("could not queue the maintenance event for the fleet")
